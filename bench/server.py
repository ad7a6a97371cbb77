"""A real gunicorn server on the bench database, and the median time of requests sent to it.

The floors and the searches are measured the same way, over HTTP to the same server: the
framework floor is then what any request costs there, as DESIGN.md defines it.
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(workers: int = 1, **environment: str) -> Iterator[str]:
    """Run gunicorn on 127.0.0.1 with the environment's database; yield its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        # As docs/deploy.md sets it: a worker keeps its database connection between requests.
        "DATABASE_CONN_MAX_AGE": "60",
        # The benchmark is one client asking many times: rate limits would answer 429.
        "RELAIS_API_ANON_RATE": "100000000/minute",
        "RELAIS_API_USER_RATE": "100000000/minute",
        **environment,
    }
    command = [
        sys.executable, "-m", "gunicorn", "bench.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _body = get(port, "/bench/floor/")
                if status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start; see its messages above")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(port: int, path: str, params: dict | None = None) -> tuple[int, bytes]:
    """One GET on a fresh connection (gunicorn's sync workers close each one)."""
    if params:
        path = f"{path}?{urlencode(params)}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def http_median_ms(
    port: int,
    path: str,
    params: dict | None = None,
    *,
    repeat: int = 31,
    warmup: int = 3,
    before_each=None,
) -> float:
    """Median time of a GET that must answer 200, in ms; `before_each` runs outside the timing."""
    samples = []
    for index in range(warmup + repeat):
        if before_each:
            before_each()
        started = time.perf_counter()
        status, body = get(port, path, params)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise RuntimeError(f"GET {path} {params} answered {status}: {body[:200]!r}")
        if index >= warmup:
            samples.append(elapsed)
    return statistics.median(samples)
