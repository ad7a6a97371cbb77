"""A real gunicorn server on 127.0.0.1, and the median time of requests sent to it.

The benchmarks measure the floors and the searches the same way, over HTTP to the same server:
the framework floor is then what any request costs there, as DESIGN.md defines it. The load
test (bench/load.py) and the fault tests serve their databases with the same function.
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent

# Production settings, with the rates raised so that a run measures the server and not its
# anti-abuse limits (a 429 is a clear answer, but not an accepted request). The form's minimum
# fill time is lifted too: the client fills in the form at once.
SERVER_ENVIRONMENT = {
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    # As docs/deploy.md sets it: a worker keeps its database connection between requests.
    "DATABASE_CONN_MAX_AGE": "60",
    "RELAIS_API_ANON_RATE": "100000000/minute",
    "RELAIS_API_USER_RATE": "100000000/minute",
    "RELAIS_CONTACT_MIN_FILL_SECONDS": "0",
    "RELAIS_CONTACT_RATE_PER_IP": "100000000",
    "RELAIS_CONTACT_RATE_PER_EMAIL": "100000000",
    "LOG_LEVEL": "WARNING",
    # E-mails are only queued (no worker runs); never sent anywhere.
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def free_port() -> int:
    """A TCP port nobody listens on right now, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(database_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a server or command run on `database_url`."""
    environment = {**os.environ, **SERVER_ENVIRONMENT, "DATABASE_URL": database_url}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.update(extra or {})
    return environment


@contextmanager
def gunicorn(
    database_url: str,
    *,
    workers: int = 2,
    threads: int = 1,
    environment: dict[str, str] | None = None,
    application: str = "config.wsgi",
    startup_seconds: float = 60,
) -> Iterator[str]:
    """Serve `database_url` with gunicorn on 127.0.0.1 and a free port; yields the base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="relais-gunicorn-") as folder:
        log_path = Path(folder) / "gunicorn.log"
        with log_path.open("w") as log:
            command = [sys.executable, "-m", "gunicorn", application, "--bind", f"127.0.0.1:{port}"]
            command += ["--workers", str(workers), "--threads", str(threads)]
            command += ["--timeout", "30", "--graceful-timeout", "10"]
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=server_environment(database_url, environment),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_until_up(process, base, log_path, startup_seconds)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            server_log = log_path.read_text(errors="replace")
            # Tracebacks in the server's log belong in the report, not in a deleted file.
            if "Traceback" in server_log:
                print(server_log[-5000:], file=sys.stderr)


def _wait_until_up(process: subprocess.Popen, base: str, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start:\n{log.read_text()}")
        try:
            if get(base, "/a-propos/")[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer:\n{log.read_text()}")
        time.sleep(0.2)


def send(
    base: str, method: str, path: str, params: dict | None = None, body: dict | None = None
) -> tuple[int, bytes]:
    """One request on a fresh connection (gunicorn's sync workers close each one)."""
    if params:
        path = f"{path}?{urlencode(params)}"
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
    try:
        if body is None:
            connection.request(method, path)
        else:
            payload = json.dumps(body).encode()
            connection.request(method, path, payload, {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def get(base: str, path: str, params: dict | None = None) -> tuple[int, bytes]:
    """One GET; (status, body)."""
    return send(base, "GET", path, params)


def http_median_ms(
    base: str,
    path: str,
    params: dict | None = None,
    *,
    method: str = "GET",
    body: Callable[[], dict] | None = None,
    expect: int = 200,
    repeat: int = 31,
    warmup: int = 3,
    before_each: Callable[[], object] | None = None,
) -> float:
    """Median time of a request that must answer `expect`, in ms.

    `body` makes a fresh JSON body for each request; `before_each` runs outside the timing.
    """
    samples = []
    for index in range(warmup + repeat):
        if before_each:
            before_each()
        payload = body() if body else None
        started = time.perf_counter()
        status, answer = send(base, method, path, params, payload)
        elapsed = (time.perf_counter() - started) * 1000
        if status != expect:
            raise RuntimeError(f"{method} {path} {params} answered {status}: {answer[:300]!r}")
        if index >= warmup:
            samples.append(elapsed)
    return statistics.median(samples)
