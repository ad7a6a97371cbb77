"""Load on a real server: gunicorn with 2 workers on 127.0.0.1 and an asyncio client (httpx).

    python -m bench.load [--organizations 2000] [--users 40] [--duration 30] [--burst 500]

Builds a throwaway database (a temporary SQLite file, or <name>_load on the PostgreSQL server of
DATABASE_URL), serves it with gunicorn, runs a bounded mixed load (search page, search API,
listing pages, contact submissions by form and by API), then fires a burst of concurrent API
submissions. It prints requests per second and p95 per kind of request, the errors, and how many
submissions were lost: a submission is lost when it is neither in the database nor clearly
refused (a 4xx or 503 answer the citizen can act on). tests/ops/test_load.py runs the same code
with small figures; bench/contact.py uses the burst on the benchmark database.

Traffic only ever goes to 127.0.0.1, to the server this module started; every loop is bounded
in requests and in time.
"""

import argparse
import asyncio
import logging
import math
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url
import httpx

from bench.server import ROOT, gunicorn, server_environment

# httpx logs every request at INFO, and Django's logging configuration shows INFO.
logging.getLogger("httpx").setLevel(logging.WARNING)
PLACES = ("5000", "5030", "4000", "6000", "1300", "6700", "7000", "5100")
INTENTS = ("volunteer", "drive", "donate", "host", "interpret", "other")


def manage(database_url: str, *arguments: str) -> str:
    """Run a manage.py command on `database_url`; its output, or CalledProcessError."""
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=server_environment(database_url),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def prepare_database(database_url: str, organizations: int) -> None:
    """Migrate, load the gazetteer, the demo data and fictitious organisations up to a count."""
    manage(database_url, "migrate", "--noinput", "-v0")
    manage(database_url, "load_gazetteer", "-v0")
    manage(database_url, "seed_demo")
    manage(
        database_url,
        "shell",
        "-c",
        f"from bench.datasets import grow_to; grow_to({int(organizations)})",
    )


@contextmanager
def throwaway_database(suffix: str = "load") -> Iterator[str]:
    """A scratch database URL: <name>_<suffix> on the PostgreSQL of DATABASE_URL, else SQLite."""
    from bench.harness import create_postgres_database, drop_postgres_database

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        scratch = create_postgres_database(url, suffix)
        try:
            yield scratch
        finally:
            drop_postgres_database(scratch)
        return
    with tempfile.TemporaryDirectory(prefix=f"relais-{suffix}-") as folder:
        yield f"sqlite:///{Path(folder) / 'load.sqlite3'}"


def _connect(database_url: str):
    if database_url.startswith("postgres"):
        import psycopg

        return psycopg.connect(database_url)
    return sqlite3.connect(dj_database_url.parse(database_url)["NAME"], timeout=30)


def recorded_requests(database_url: str, email_prefix: str) -> dict[str, list[str]]:
    """Contact requests whose e-mail starts with `email_prefix`: e-mail -> references."""
    connection = _connect(database_url)
    try:
        cursor = connection.cursor()
        placeholder = "%s" if database_url.startswith("postgres") else "?"
        cursor.execute(
            f"SELECT email, reference FROM network_contactrequest WHERE email LIKE {placeholder}",
            (email_prefix + "%",),
        )
        recorded: dict[str, list[str]] = defaultdict(list)
        for email, reference in cursor.fetchall():
            recorded[email].append(reference)
        return dict(recorded)
    finally:
        connection.close()


def receipts_queued(database_url: str, email_prefix: str) -> int:
    """Receipts queued for the citizens whose e-mail starts with `email_prefix`."""
    connection = _connect(database_url)
    try:
        cursor = connection.cursor()
        placeholder = "%s" if database_url.startswith("postgres") else "?"
        cursor.execute(
            "SELECT COUNT(*) FROM network_outboundemail AS email "
            "JOIN network_contactrequest AS request ON request.id = email.request_id "
            f"WHERE email.kind = 'receipt' AND request.email LIKE {placeholder}",
            (email_prefix + "%",),
        )
        return cursor.fetchone()[0]
    finally:
        connection.close()


def published_slugs(database_url: str, limit: int = 200) -> list[str]:
    """Slugs of published organisations, for the listing pages."""
    connection = _connect(database_url)
    try:
        cursor = connection.cursor()
        cursor.execute(
            "SELECT slug FROM network_organization WHERE status = 'published' "
            f"ORDER BY id LIMIT {int(limit)}"
        )
        return [row[0] for row in cursor.fetchall()]
    finally:
        connection.close()


# The client -----------------------------------------------------------------------------------


@dataclass
class Sample:
    """One request and what came back."""

    kind: str
    seconds: float
    status: int  # 0: no answer (connection error, timeout)
    error: str = ""


@dataclass
class Submission:
    """One contact request sent, by e-mail address, and the server's answer."""

    email: str
    status: int
    reference: str = ""
    accepted: bool = False


@dataclass
class LoadResult:
    """Everything one run measured."""

    elapsed: float
    samples: list[Sample] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    recorded: dict[str, list[str]] = field(default_factory=dict)

    def by_kind(self) -> dict[str, list[Sample]]:
        kinds: dict[str, list[Sample]] = defaultdict(list)
        for sample in self.samples:
            kinds[sample.kind].append(sample)
        return dict(kinds)

    @property
    def server_errors(self) -> list[Sample]:
        return [s for s in self.samples if s.status >= 500]

    @property
    def no_answer(self) -> list[Sample]:
        return [s for s in self.samples if s.status == 0]

    @property
    def accepted(self) -> list[Submission]:
        return [s for s in self.submissions if s.accepted]

    @property
    def lost(self) -> list[Submission]:
        """Neither in the database nor clearly refused (4xx, or 503 with Retry-After)."""
        return [
            s
            for s in self.submissions
            if not self.recorded.get(s.email)
            and (s.accepted or not (400 <= s.status < 500 or s.status == 503))
        ]

    @property
    def wrong_references(self) -> list[Submission]:
        """Accepted with a reference the database does not hold for that e-mail."""
        return [
            s
            for s in self.accepted
            if s.reference and s.reference not in self.recorded.get(s.email, [])
        ]

    @property
    def duplicates(self) -> int:
        return sum(len(refs) - 1 for refs in self.recorded.values() if len(refs) > 1)


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] if ordered else 0.0


def _payload(email: str, number: int, form_token: str) -> dict:
    return {
        "name": f"Charge {number}",
        "email": email,
        "place": PLACES[number % len(PLACES)],
        "intent": INTENTS[number % len(INTENTS)],
        "consent": True,
        "message": "Demande fictive envoyée par le test de charge.",
        "form_token": form_token,
    }


class _Run:
    """Shared state of one load run: samples, submissions and a submission counter."""

    def __init__(self, base: str, run_id: str, slugs: list[str]):
        self.base, self.run_id, self.slugs = base, run_id, slugs
        self.samples: list[Sample] = []
        self.submissions: list[Submission] = []
        self.counter = 0

    def email(self) -> tuple[int, str]:
        self.counter += 1
        return self.counter, f"load-{self.run_id}-{self.counter}@example.net"

    async def timed(self, kind: str, call) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await call()
        except httpx.HTTPError as error:
            self.samples.append(
                Sample(kind, time.perf_counter() - started, 0, type(error).__name__)
            )
            return None
        self.samples.append(Sample(kind, time.perf_counter() - started, response.status_code))
        return response

    async def search_page(self, client: httpx.AsyncClient, n: int) -> None:
        place = PLACES[n % len(PLACES)]
        await self.timed("search page /?near=", lambda: client.get("/", params={"near": place}))

    async def search_api(self, client: httpx.AsyncClient, n: int) -> None:
        place = PLACES[n % len(PLACES)]
        await self.timed(
            "search API ?near=",
            lambda: client.get("/api/v1/organizations/", params={"near": place}),
        )

    async def listing(self, client: httpx.AsyncClient, n: int) -> None:
        slug = self.slugs[n % len(self.slugs)]
        await self.timed("listing page", lambda: client.get(f"/organisations/{slug}/"))

    async def submit_api(self, client: httpx.AsyncClient, n: int) -> None:
        answer = await self.timed(
            "form token (API)", lambda: client.get("/api/v1/contact-requests/form-token/")
        )
        if answer is None or answer.status_code != 200:
            return
        number, email = self.email()
        payload = _payload(email, number, answer.json()["form_token"])
        await self.post_api(client, payload, "submission (API)")

    async def post_api(self, client: httpx.AsyncClient, payload: dict, kind: str) -> None:
        response = await self.timed(
            kind, lambda: client.post("/api/v1/contact-requests/", json=payload)
        )
        status = response.status_code if response is not None else 0
        accepted = status in (200, 201)
        reference = response.json().get("reference", "") if accepted else ""
        self.submissions.append(Submission(payload["email"], status, reference, accepted))

    async def submit_form(self, client: httpx.AsyncClient, n: int) -> None:
        slug = self.slugs[n % len(self.slugs)]
        url = f"/organisations/{slug}/contacter/"
        page = await self.timed("contact form page", lambda: client.get(url))
        if page is None or page.status_code != 200:
            return
        fields = dict(
            re.findall(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]*)"', page.text)
        )
        number, email = self.email()
        data = {**_payload(email, number, fields.get("form_token", "")), "consent": "on"}
        data["csrfmiddlewaretoken"] = fields.get("csrfmiddlewaretoken", "")
        response = await self.timed(
            "submission (form)",
            lambda: client.post(url, data=data, headers={"Referer": f"{self.base}{url}"}),
        )
        status = response.status_code if response is not None else 0
        accepted = status == 302 and "/demande/merci/" in response.headers.get("location", "")
        self.submissions.append(Submission(email, status, "", accepted))


# How often each action comes up in the mixed load: reading far more than writing.
MIX = (
    "search_page",
    "listing",
    "search_api",
    "listing",
    "search_page",
    "submit_form",
    "search_api",
    "listing",
    "submit_api",
)


async def _mixed(run: _Run, users: int, duration: float, max_requests: int) -> None:
    deadline = time.monotonic() + duration
    budget = iter(range(max_requests))

    async def user(index: int) -> None:
        # One client per virtual user: its own cookies (CSRF) and connection, like a browser.
        async with httpx.AsyncClient(base_url=run.base, timeout=60) as client:
            step = index
            while time.monotonic() < deadline and next(budget, None) is not None:
                await getattr(run, MIX[step % len(MIX)])(client, step)
                step += 1

    await asyncio.gather(*(user(index) for index in range(users)))


async def _burst(run: _Run, count: int) -> None:
    """`count` API submissions in flight at once (form tokens fetched beforehand)."""
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=0)
    # The last of the queue waits for all the others (count × service time ÷ workers): the
    # client must outwait that, or its own give-up would count as a lost submission.
    async with httpx.AsyncClient(base_url=run.base, timeout=600, limits=limits) as client:
        tokens = []
        for _ in range(count):
            answer = await client.get("/api/v1/contact-requests/form-token/")
            tokens.append(answer.json()["form_token"])
        payloads = []
        for token in tokens:
            number, email = run.email()
            payloads.append(_payload(email, number, token))
        await asyncio.gather(
            *(run.post_api(client, payload, "concurrent submission (API)") for payload in payloads)
        )


def run_mixed_load(
    base: str, database_url: str, *, users: int, duration: float, max_requests: int
) -> LoadResult:
    """A bounded mixed load: `users` virtual users for `duration` s or `max_requests` requests."""
    run = _Run(base, uuid.uuid4().hex[:8], published_slugs(database_url))
    started = time.perf_counter()
    asyncio.run(_mixed(run, users, duration, max_requests))
    elapsed = time.perf_counter() - started
    recorded = recorded_requests(database_url, f"load-{run.run_id}-")
    return LoadResult(elapsed, run.samples, run.submissions, recorded)


def run_burst(base: str, database_url: str, count: int) -> LoadResult:
    """`count` concurrent API submissions; elapsed counts the submissions only."""
    run = _Run(base, uuid.uuid4().hex[:8], [])
    started = time.perf_counter()
    asyncio.run(_burst(run, count))
    elapsed = time.perf_counter() - started
    posts = [s for s in run.samples if s.kind.startswith("concurrent")]
    # The submissions' own wall time: from the first sent to the last answered.
    elapsed = min(elapsed, max((s.seconds for s in posts), default=elapsed))
    recorded = recorded_requests(database_url, f"load-{run.run_id}-")
    return LoadResult(elapsed, posts, run.submissions, recorded)


# The report -----------------------------------------------------------------------------------


def summary_lines(result: LoadResult) -> list[str]:
    """Requests per second and p95 per kind, then errors and lost submissions."""
    rows = [("kind", "requests", "req/s", "median", "p95", "statuses")]
    for kind, samples in sorted(result.by_kind().items()):
        times = [s.seconds * 1000 for s in samples]
        statuses = Counter(s.status for s in samples)
        rows.append(
            (
                kind,
                str(len(samples)),
                f"{len(samples) / result.elapsed:.1f}",
                f"{statistics.median(times):.0f} ms",
                f"{p95(times):.0f} ms",
                " ".join(f"{code}×{n}" for code, n in sorted(statuses.items())),
            )
        )
    total = len(result.samples)
    rows.append(
        (
            "all",
            str(total),
            f"{total / result.elapsed:.1f}",
            "",
            f"{p95([s.seconds * 1000 for s in result.samples]):.0f} ms",
            "",
        )
    )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in rows]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    lines.append(
        f"{result.elapsed:.1f} s; 5xx: {len(result.server_errors)}; "
        f"no answer: {len(result.no_answer)}; submissions sent: {len(result.submissions)}, "
        f"accepted: {len(result.accepted)}, in the database: "
        f"{sum(len(r) for r in result.recorded.values())}, lost: {len(result.lost)}, "
        f"duplicates: {result.duplicates}, wrong references: {len(result.wrong_references)}"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--organizations", type=int, default=2000)
    parser.add_argument("--users", type=int, default=40, help="virtual users of the mixed load")
    parser.add_argument("--duration", type=float, default=30, help="seconds of mixed load")
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--burst", type=int, default=500, help="concurrent API submissions")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    options = parser.parse_args(argv)
    with throwaway_database() as database_url:
        kind = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
        started = time.perf_counter()
        prepare_database(database_url, options.organizations)
        print(
            f"[{kind}] {options.organizations:,} organisations ready in "
            f"{time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        failed = False
        with gunicorn(database_url, workers=options.workers, threads=options.threads) as base:
            print(
                f"Database: {kind}; gunicorn {options.workers} workers × {options.threads} "
                f"thread(s) on 127.0.0.1; {options.organizations:,} organisations"
            )
            mixed = run_mixed_load(
                base,
                database_url,
                users=options.users,
                duration=options.duration,
                max_requests=options.max_requests,
            )
            print(f"\nMixed load, {options.users} virtual users:")
            print("\n".join(summary_lines(mixed)))
            burst = run_burst(base, database_url, options.burst)
            print(f"\n{options.burst} concurrent API submissions:")
            print("\n".join(summary_lines(burst)))
            for result in (mixed, burst):
                failed |= bool(result.server_errors or result.no_answer or result.lost)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
