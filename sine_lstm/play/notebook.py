"""The playground inside a notebook: the same page, its runs trained on a thread of the kernel."""

from __future__ import annotations

import threading

import panel as pn

from sine_lstm.play.app import page
from sine_lstm.play.session import Worker


def inline() -> pn.Column:
    """The playground's page for a notebook cell, and a thread that trains what it asks.

    The kernel's main thread must stay free to hear the page's clicks, so the runs train
    on a thread of their own: Stop stops one, Ctrl-C cannot reach it. The page's
    JavaScript comes from this machine (`inline=True`), not from a CDN.
    """
    pn.extension(inline=True)
    worker = Worker()
    never = lambda: False  # noqa: E731  (the thread ends with the kernel)
    threading.Thread(target=worker.work, args=(never,), daemon=True, name="playground").start()
    return page(worker)
