"""The playground inside a notebook: the same page, its runs trained on a thread of the kernel."""

from __future__ import annotations

import functools
import threading

import panel as pn

from sine_lstm.play.app import page
from sine_lstm.play.session import Worker


def inline() -> pn.Column:
    """The playground's page for a notebook cell; its runs train on the kernel's one worker.

    The page's JavaScript comes from this machine (`inline=True`), not from a CDN.
    """
    pn.extension(inline=True)
    return page(worker())


@functools.cache
def worker() -> Worker:
    """One worker for the kernel, however often the cell runs: one run trains at a time.

    Its thread leaves the kernel free to hear the page's clicks (on its main thread, or in
    JupyterLab on a subshell of their own): Stop stops a run; Ctrl-C (the kernel's
    interrupt) cannot reach it. A page that is gone stops its run, not the worker. It ends
    with the kernel.
    """
    one = Worker()
    never = lambda: False  # noqa: E731
    threading.Thread(target=one.work, args=(never,), daemon=True, name="playground").start()
    return one
