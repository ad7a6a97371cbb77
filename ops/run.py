"""`make run`: prepare the demo database, then serve the site with its task worker and timers.

    python -m ops.run [--host 127.0.0.1] [--port 8000]

Ctrl-C (or SIGTERM) stops the three processes and exits 0 with one line saying so. Make would
otherwise answer the terminal's Ctrl-C with "*** wait: No child processes" or "Interrupt" and
exit 2: so on a terminal this launcher takes the foreground for itself, the keyboard's signal
reaches it alone, and it stops its children in order. The children run in a process group of
their own (no traceback of theirs on Ctrl-C) and get SIGTERM if the launcher dies (Linux).
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANAGE = [sys.executable, str(ROOT / "manage.py")]
STOP_GRACE_SECONDS = 10


def _die_with_parent() -> None:
    """In the child, before exec: receive SIGTERM when the launcher dies (Linux only)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _prepare() -> None:
    """Migrate, load the gazetteer and the demo data, schedule the periodic task: idempotent."""
    steps = [
        ["migrate", "--noinput", "--verbosity", "0"],
        ["load_gazetteer"],
        ["seed_demo"],
        ["remind_unverified", "--schedule"],
    ]
    for step in steps:
        subprocess.run([*MANAGE, *step], check=True, cwd=ROOT)


class _Foreground:
    """Own the terminal's foreground while running, so Ctrl-C reaches this process, not make."""

    def __init__(self) -> None:
        self.tty: int | None = None
        self.previous: int | None = None

    def __enter__(self) -> "_Foreground":
        try:
            fd = sys.stdin.fileno()
            if not os.isatty(fd):
                return self
            self.previous = os.tcgetpgrp(fd)
            os.setpgid(0, 0)
            # A background group that changes the terminal gets SIGTTOU: ignore it for that.
            signal.signal(signal.SIGTTOU, signal.SIG_IGN)
            os.tcsetpgrp(fd, os.getpgrp())
            self.tty = fd
        except (OSError, ValueError):
            self.tty = None
        return self

    def __exit__(self, *exc) -> None:
        if self.tty is not None and self.previous is not None:
            with contextlib.suppress(OSError):
                os.tcsetpgrp(self.tty, self.previous)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args(argv)
    site = f"http://{args.host}:{args.port}"
    # Without DEBUG, so a visitor sees the site's own 404 and 500 pages, as in production;
    # `DJANGO_DEBUG=1 make run` brings Django's tracebacks back. runserver --insecure serves the
    # static files from the finders and RELAIS_SERVE_MEDIA the uploads (config/urls.py).
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("RELAIS_SERVE_MEDIA", "1")
    os.environ.setdefault("RELAIS_SITE_URL", site)

    try:
        _prepare()
    except subprocess.CalledProcessError as error:
        print(f"Préparation interrompue ({' '.join(error.cmd[2:])}).", file=sys.stderr)
        return error.returncode or 1
    except KeyboardInterrupt:
        print("\nRelais arrêté pendant la préparation.")
        return 0

    commands = {
        # No autoreload: its extra process outlives a Ctrl-C and prints its banner twice.
        "worker": [*MANAGE, "db_worker", "--interval", "1", "--no-reload"],
        "timers": [*MANAGE, "contact_timers", "--every", "60"],
        "site": [*MANAGE, "runserver", "--noreload", "--insecure", f"{args.host}:{args.port}"],
    }
    stopping = False

    def stop(_signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    with _Foreground():
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGHUP, stop)
        children = {
            name: subprocess.Popen(command, cwd=ROOT, process_group=0, preexec_fn=_die_with_parent)
            for name, command in commands.items()
        }
        print(f"Relais : {site}/  (équipe : {site}/equipe/demandes/) — Ctrl-C pour arrêter.")
        failed = None
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    failed = name
                    stopping = True
            time.sleep(0.2)
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    if failed is not None:
        print(f"Relais arrêté : le processus « {failed} » s'est terminé.", file=sys.stderr)
        return children[failed].returncode or 1
    print("\nRelais arrêté.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
