"""`sine-lstm play`: the playground served on this machine until Ctrl-C or SIGTERM.

The backend loads as for `sine-lstm train` (`cli.load_backend`: one thread, the same
numbers). Panel's server runs on its own thread (`pn.serve(threaded=True)`); the main
thread trains the queued runs, because `train()` sets its Ctrl-C handler there: a
signal stops the run in progress after its current call, then the server.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import socket
import sys
import time
import webbrowser

from sine_lstm import checks, cli

LOOPBACK = "127.0.0.1"


def add_flags(parser: argparse.ArgumentParser) -> None:
    """The flags of `sine-lstm play`."""
    parser.add_argument(
        "--port",
        type=checks.whole_number(0, 65535),
        default=0,
        help="the port to serve on (default: a free one)",
    )
    parser.add_argument(
        "--host",
        default=LOOPBACK,
        help=f"the address to serve on (default {LOOPBACK}: this machine only); "
        "another, e.g. 0.0.0.0, shares the playground with the network",
    )
    parser.add_argument("--no-browser", action="store_true", help="print the address only")
    cli.add_backend_flag(parser)


def main(argv: list[str] | None = None) -> int:
    """`python -m sine_lstm.play [flags]`: parse, check, serve; the exit status."""
    stderr = os.dup(2)
    for signum in (signal.SIGINT, signal.SIGTERM):  # before the server: stop at once
        signal.signal(signum, lambda signum, frame: cli.exit_now(signum, stderr))
    parser = cli.Parser(prog="sine-lstm play", description="The playground, in the browser.")
    add_flags(parser)
    try:
        args = parser.parse_args(argv)
        args.backend = checks.choose_backend(args.backend)
    except checks.UsageError as err:
        return cli.fail(err, cli.USAGE_ERROR)
    return serve(args)


def serve(args: argparse.Namespace) -> int:
    """Serve the playground on `args.host`:`args.port` until Ctrl-C or SIGTERM, then exit 0.

    Returns an exit status only if it cannot start.
    """
    port = args.port
    try:
        port = port or free_port(args.host)
        with socket.create_server((args.host, port), family=family(args.host)):  # taken?
            pass
    except OSError as err:  # taken, or not this machine's: say so in one line
        return cli.fail(f"cannot serve on {args.host}:{port}: {err.strerror}", 2)
    try:
        import panel as pn
    except ImportError:
        return cli.fail("the playground needs Panel: `make play` installs it", 2)
    cli.load_backend(args.backend, plain=False)  # as `sine-lstm train` does: the same numbers

    from sine_lstm.play.app import log, page
    from sine_lstm.play.session import Worker

    worker = Worker()
    thread = pn.serve(
        lambda: page(worker),
        port=port,
        address=args.host,
        websocket_origin=origins(args.host, port),  # Bokeh's origin check, kept on
        show=False,
        threaded=True,
        verbose=False,
        title="sine_lstm playground",
    )
    url = f"http://{shown_host(args.host)}:{port}/"
    if not listening(args.host, port, thread):
        thread.stop()
        return cli.fail(f"the server did not start on {args.host}:{port}", 1)
    print(f"sine-lstm play: serving on {url}  (Ctrl-C stops it)", flush=True)
    if not is_loopback(args.host):
        log(f"warning: --host {args.host}: anyone who can reach this machine can use the page")
    if not args.no_browser:
        open_browser(url)
    stop: list[int] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda signum, frame: stop.append(signum))  # worker sees it
    try:
        worker.work(until=lambda: bool(stop))
    finally:
        thread.stop()  # Panel's own: cancels the server's tasks, stops its loop, frees the port
        thread.join(timeout=1.5)
    log("stopped")
    sys.stdout.flush()
    os._exit(0)  # now: nothing is left to write, and TensorFlow's teardown takes 1–3 s more


def free_port(host: str) -> int:
    """A port nobody listens on now (the OS's pick), for the server to take next."""
    with socket.create_server((host, 0), family=family(host)) as probe:
        return probe.getsockname()[1]


def family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def origins(host: str, port: int) -> list[str]:
    """The pages allowed to open the websocket: this server's own addresses only."""
    names = {LOOPBACK, "localhost", host}
    if host in ("0.0.0.0", "::", ""):  # every interface: the names others reach it by
        names |= {socket.gethostname(), socket.getfqdn()}
        try:
            names |= set(socket.gethostbyname_ex(socket.gethostname())[2])  # its addresses
        except OSError:  # a host name nobody resolves: the names above must do
            pass
    return sorted(f"{name}:{port}" for name in names if name not in ("0.0.0.0", "::", ""))


def shown_host(host: str) -> str:
    return socket.gethostname() if host in ("0.0.0.0", "::", "") else host


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def listening(host: str, port: int, thread, timeout: float = 20.0) -> bool:
    """Wait until the server thread accepts connections on `port` (False if it died)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and thread.is_alive():
        try:
            with socket.create_connection(
                (host if host not in ("0.0.0.0", "::") else LOOPBACK, port), timeout=0.5
            ):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def open_browser(url: str) -> None:
    """Open `url` in the desktop's browser, if there is a desktop; otherwise say where to go."""
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )  # no window can open: webbrowser would pick a text browser in this terminal
    if headless or not webbrowser.open(url):
        print(f"sine-lstm play: open {url} in a browser", flush=True)
