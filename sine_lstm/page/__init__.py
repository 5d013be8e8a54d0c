"""The page (`web/`) in a notebook's cell: its files inlined into one frame.

The notebook ends with `show()`: the page that trains the post's LSTM in the browser, as
`web/index.html` opens from disk, with nothing served and nothing running in the kernel.
Its scripts and style are put inside the page itself, so the frame needs no file from
the notebook server, in JupyterLab, Jupyter Notebook or VS Code alike.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "web"  # the checkout's web/, beside sine_lstm/
SCRIPT = re.compile(r'<script src="([^"]+)"></script>')
STYLE = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
POLICY = re.compile(r"(<meta http-equiv=\"Content-Security-Policy\" content=\")([^\"]*)(\">)")


def inlined(web: Path = WEB) -> str:
    """web/index.html with every script and style it loads written into it."""
    page = (web / "index.html").read_text(encoding="utf-8")

    def script(match: re.Match) -> str:
        code = (web / match[1]).read_text(encoding="utf-8").replace("</script", "<\\/script")
        return f"<script>\n{code}</script>"

    def style(match: re.Match) -> str:
        return f"<style>\n{(web / match[1]).read_text(encoding='utf-8')}</style>"

    page = SCRIPT.sub(script, page)
    page = STYLE.sub(style, page)
    # The page's own policy allows only its files; here they are inside it, and only they are.
    return POLICY.sub(
        lambda m: m[1] + m[2].replace("'self'", "'unsafe-inline'") + m[3], page, count=1
    )


def show(height: int = 1500):
    """The page in a frame of the notebook's output (IPython's display)."""
    from IPython.display import HTML

    frame = html.escape(inlined(), quote=True)
    return HTML(  # in a <div>: IPython warns of a bare <iframe> (IFrame takes a URL, not a page)
        f'<div><iframe srcdoc="{frame}" title="sine_lstm: the page" '
        f'style="width: 100%; height: {height}px; border: 0"></iframe></div>'
    )
