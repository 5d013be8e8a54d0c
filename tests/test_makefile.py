"""The Makefile's help: `make help` lists every target; `make test` says how to get Node.js."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
    )


def test_make_test_without_node_says_in_one_line_how_to_get_it():
    done = make("need-node", "NODE=no-such-node-here")
    assert done.returncode != 0
    [line] = done.stderr.splitlines()[:1]
    assert "Node.js 18" in line and "apt-get install nodejs" in line and "brew install node" in line
    assert make("need-node").returncode == 0  # this machine has it


def test_make_help_lists_every_target_with_its_words():
    phony = re.search(r"^\.PHONY: (.*)$", (ROOT / "Makefile").read_text(), re.M).group(1).split()
    listed = dict(line.split(None, 1) for line in make("help").stdout.splitlines())
    assert set(listed) == set(phony)
    assert all(len(words) > 10 for words in listed.values())
