"""Autosave under load, beside a bare view, through gunicorn on loopback.

    python bench/autosave_load.py URL [URL ...]    # each database in turn, then one table
    DATABASE_URL=... python bench/autosave_load.py  # the database DATABASE_URL names
    options: --flat-seconds 30 --paced-seconds 60 --clients 100 --interval 2 --workers 3

For each database: a fresh database (PostgreSQL: `accelerator_load` on the server the URL names,
dropped first and at the end; SQLite: a file in a temporary folder, whatever path the URL
names), migrated; an open, published cohort with one long-text question; 100 founders, each with
a startup, a draft application and a logged-in session. Then gunicorn (3 sync workers, as the
Dockerfile runs it; DEBUG off; DATABASE_POOL=true on PostgreSQL) serves the app with
bench/load_settings.py, and 100 simulated founders (an asyncio HTTP/1.1 client, one connection
per request as gunicorn's sync workers close them) run four phases:

    bare, flat out       each client POSTs to /bench/ok/ as soon as its last answer came back
    autosave, flat out   the same with autosave: each save's text is new, sent with the version
                         the previous answer gave (as the page does)
    bare, paced          each client once every 2 s (from a random offset; at once when late)
    autosave, paced      the same with autosave (100 founders saving every 2 s: ~50 req/s)

Reported per phase: requests, successful requests a second, p50/p95/p99 latency, errors (any
answer but 200, a 200 without the new version, a timeout after 10 s). Then the check that no
text was lost or reordered: every answer's final stored text and version, read from the
database, are the last ones the founder saw saved, and the versions each founder received
strictly increased. Targets: autosave ≥ 0.5 of the bare view's throughput flat out, autosave's
p99 under 300 ms paced, no error, the text check passed. Everything stops by itself: every loop
has a deadline and every request a timeout; gunicorn is stopped whatever happens."""

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "bench.load_settings"
HOST = "127.0.0.1"  # loopback only
LOAD_DATABASE = "accelerator_load"
BARE_PATH = "/bench/ok/"
REQUEST_TIMEOUT = 10.0
WARM_UP_SECONDS = 2.0
RATIO_TARGET = 0.5
P99_TARGET_MS = 300.0
CSRF_SECRET_LENGTH = 32
SAMPLE_TEXT = (
    "we build open models for hospitals legal teams and farms in Europe with a small team of "
    "researchers and engineers our customers run inference on premise for privacy and latency "
    "we fine-tune distill and quantise weights evaluate them on public benchmarks and ship "
    "agents that read contracts clinical notes invoices and speech in French and English"
)
WORDS = SAMPLE_TEXT.split()


# --- Django side: each runs in a subprocess with the load database's environment ---------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def seed(clients: int) -> dict:
    """An open, published cohort with one long-text question (300 words at most); `clients`
    founders, each with a startup and a draft application made by the services, and a session
    as a login leaves it; one more founder for the queries probe."""
    _django()
    from importlib import import_module

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.urls import reverse

    from accounts.models import User
    from applications import services
    from cohorts.enums import QuestionKind
    from tests.factories.applications import open_cohort
    from tests.factories.cohorts import ProgramFactory, QuestionFactory

    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    cohort = open_cohort(program=ProgramFactory(slug="ai-startup-program"), is_published=True)
    question = QuestionFactory(
        cohort=cohort, kind=QuestionKind.LONG_TEXT, label="What do you build?", word_limit=300
    )
    founders = []
    for index in [*range(clients), "probe"]:
        user = User.objects.create_user(f"founder-{index}@load.example", password=None)
        user.full_name = f"Founder {index}"
        user.save(update_fields=["full_name"])
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        startup = services.startup_create(
            user=user,
            role="CEO",
            name=f"Load startup {index}",
            country="FR",
            city="Paris",
            year_founded=2024,
            stage="mvp",
            team_size=3,
            funding_raised="under_100k",
            pitch="We build on open models.",
            foundation_models=["llama_3"],
        )
        application = services.application_start(startup=startup, cohort=cohort, user=user)
        session = session_store()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "allauth.account.auth_backends.AuthenticationBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        founders.append(
            {
                "application": application.pk,
                "session": session.session_key,
                "path": reverse("answer_autosave", args=[application.pk, question.pk]),
            }
        )
    return {
        "question": question.pk,
        "founders": founders[:-1],
        "probe": founders[-1],
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }


def count_queries(seeded: dict) -> dict:
    """Queries of one autosave and one bare POST (the second of each, warm), through Django's
    test client with the same cookies and headers as the load client, by the probe founder."""
    _django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    token = secrets.token_hex(CSRF_SECRET_LENGTH // 2)
    client = Client(enforce_csrf_checks=True)
    client.cookies[seeded["session_cookie"]] = seeded["probe"]["session"]
    client.cookies[seeded["csrf_cookie"]] = token
    headers = {"host": HOST, "x-csrftoken": token, "hx-request": "true"}
    result = {}
    version = 0
    for name, path in (("autosave", seeded["probe"]["path"]), ("bare", BARE_PATH)):
        for attempt in range(2):
            body = urlencode(
                {"value": f"probe save {attempt} {' '.join(WORDS)}", "version": version}
            )
            with CaptureQueriesContext(connection) as queries:
                response = client.post(
                    path, body, content_type="application/x-www-form-urlencoded", headers=headers
                )
            assert response.status_code == 200, (path, response.status_code)
            if name == "autosave":
                version = new_version(response.content, seeded["question"])
        result[name] = len(queries)
        result[f"{name}_sql"] = [query["sql"] for query in queries]
    return result


def final_answers(question: int) -> dict:
    """{application id: [stored text, version]} for the question."""
    _django()
    from applications.models import Answer

    rows = Answer.objects.filter(question_id=question).values_list(
        "application_id", "value", "version"
    )
    return {str(application): [value, version] for application, value, version in rows}


# --- The load client: plain asyncio, no Django -------------------------------------------------


def new_version(body: bytes, question: int) -> int | None:
    """The version in the autosave answer's out-of-band `<input id="version-Q" value="N">`."""
    tag = re.search(rb'<input\b[^>]*\bid="version-%d"[^>]*>' % question, body)
    value = tag and re.search(rb'\bvalue="(\d+)"', tag.group(0))
    return int(value.group(1)) if value else None


@dataclass
class Founder:
    index: int
    application: int
    session: str
    path: str
    version: int = 0
    saves: int = 0
    last_saved: str | None = None  # the last text the server answered "saved" to
    unconfirmed: list[str] = field(default_factory=list)  # sent since, with no clear answer
    versions: list[int] = field(default_factory=list)  # every version received, in order

    def text(self, save: int) -> str:
        """Unique and ordered: 'client 17 save 42:' then 40 to 240 words (limit 300)."""
        words = 40 + (save * 37 + self.index * 11) % 200
        start = (save + self.index) % len(WORDS)
        body = " ".join(WORDS[(start + i) % len(WORDS)] for i in range(words))
        return f"client {self.index} save {save}: {body}"


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    ok: int = 0
    errors: int = 0
    samples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    client_cpu: float = 0.0  # this process's CPU seconds: the client's own cost

    def error(self, message: str) -> None:
        self.errors += 1
        if len(self.samples) < 3:
            self.samples.append(message[:400])

    def summary(self) -> dict:
        ordered = sorted(self.latencies)

        def percentile(p: float) -> float:
            if not ordered:
                return float("nan")
            return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000

        return {
            "phase": self.name,
            "requests": self.ok + self.errors,
            "errors": self.errors,
            "rps": self.ok / self.seconds if self.seconds else 0.0,
            "p50": percentile(50),
            "p95": percentile(95),
            "p99": percentile(99),
            "seconds": self.seconds,
            "client_cpu": self.client_cpu / self.seconds if self.seconds else 0.0,
            "samples": self.samples,
        }


class LoadClient:
    def __init__(self, port: int, seeded: dict):
        self.port = port
        self.question = seeded["question"]
        self.session_cookie = seeded["session_cookie"]
        self.csrf_cookie = seeded["csrf_cookie"]
        self.founders = [
            Founder(index=index, **founder) for index, founder in enumerate(seeded["founders"])
        ]

    async def post(self, path: str, session: str, fields: dict) -> tuple[int, bytes]:
        """One POST on a new connection, as the page's htmx sends it (session and CSRF cookies,
        X-CSRFToken, HX-Request); the whole answer, read until the server closes."""
        token = secrets.token_hex(CSRF_SECRET_LENGTH // 2)
        body = urlencode(fields).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
            f"Cookie: {self.session_cookie}={session}; {self.csrf_cookie}={token}\r\n"
            f"X-CSRFToken: {token}\r\nHX-Request: true\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        reader, writer = await asyncio.open_connection(HOST, self.port)
        try:
            writer.write(head + body)
            raw = await reader.read()
        finally:
            writer.close()
        status_line, _, rest = raw.partition(b"\r\n")
        _, _, payload = rest.partition(b"\r\n\r\n")
        return int(status_line.split()[1]), payload

    async def timed(self, phase: Phase, path: str, session: str, fields: dict):
        started = time.perf_counter()
        try:
            status, body = await asyncio.wait_for(self.post(path, session, fields), REQUEST_TIMEOUT)
        except (TimeoutError, OSError, IndexError, ValueError) as error:
            phase.latencies.append(time.perf_counter() - started)
            phase.error(f"{type(error).__name__}: {error}")
            return None, b""
        phase.latencies.append(time.perf_counter() - started)
        return status, body

    async def bare(self, founder: Founder, phase: Phase) -> None:
        """The same body as the next save would carry, to a view that ignores it."""
        fields = {"value": founder.text(founder.saves + 1), "version": founder.version}
        status, body = await self.timed(phase, BARE_PATH, founder.session, fields)
        if status == 200 and body == b"ok":
            phase.ok += 1
        elif status is not None:
            phase.error(f"{status}: {body.decode(errors='replace')}")

    async def autosave(self, founder: Founder, phase: Phase) -> None:
        founder.saves += 1
        text = founder.text(founder.saves)
        fields = {"value": text, "version": founder.version}
        status, body = await self.timed(phase, founder.path, founder.session, fields)
        version = new_version(body, self.question) if status == 200 else None
        if version is not None:
            phase.ok += 1
            founder.version = version
            founder.versions.append(version)
            founder.last_saved, founder.unconfirmed = text, []
            return
        if status == 409:
            # Refused, nothing saved: carry on from the stored version, as the page offers.
            saved = re.search(rb'data-saved-version="(\d+)"', body)
            if saved:
                founder.version = int(saved.group(1))
        else:
            founder.unconfirmed.append(text)  # a timeout or a 5xx may still have saved it
        if status is not None:
            detail = "200 without the new version" if status == 200 else str(status)
            phase.error(f"{detail}: {body.decode(errors='replace')}")

    async def run(self, name: str, send, seconds: float, interval: float | None) -> dict:
        """Every founder at once until the deadline: flat out (interval None) or once every
        `interval` seconds from a random offset (at once when behind)."""
        phase = Phase(name)
        rng = random.Random(name)
        started, cpu = time.perf_counter(), time.process_time()
        deadline = started + seconds

        async def flat_out(founder: Founder) -> None:
            while time.perf_counter() < deadline:
                await send(founder, phase)

        async def paced(founder: Founder) -> None:
            due = started + rng.uniform(0, interval)
            while due < deadline:
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                await send(founder, phase)
                due = max(due + interval, time.perf_counter())

        loop = flat_out if interval is None else paced
        await asyncio.gather(*(loop(founder) for founder in self.founders))
        phase.seconds = time.perf_counter() - started
        phase.client_cpu = time.process_time() - cpu
        return phase.summary()


async def wait_until_up(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {server.returncode})")
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), 2)
            writer.write(f"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
            raw = await asyncio.wait_for(reader.read(), 5)
            writer.close()
            if raw.startswith(b"HTTP/1.1 200"):
                return
        except (OSError, TimeoutError):
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz within a minute")


async def load(port: int, server, seeded: dict, args) -> tuple[list[dict], list[Founder]]:
    await wait_until_up(port, server)
    client = LoadClient(port, seeded)
    await client.run("warm-up", client.bare, WARM_UP_SECONDS, None)  # not reported
    phases = [
        await client.run("bare, flat out", client.bare, args.flat_seconds, None),
        await client.run("autosave, flat out", client.autosave, args.flat_seconds, None),
        await client.run("bare, paced", client.bare, args.paced_seconds, args.interval),
        await client.run("autosave, paced", client.autosave, args.paced_seconds, args.interval),
    ]
    return phases, client.founders


def text_check(founders: list[Founder], stored: dict) -> dict:
    """Each founder's answer as stored is the last text they saw saved (or, after a request
    with no clear answer, one sent since), at the last version they received; the versions
    they received strictly increased."""
    lost, reordered = [], []
    for founder in founders:
        value, version = stored.get(str(founder.application), ["", 0])
        expected = founder.last_saved or ""
        if value != expected and value not in founder.unconfirmed:
            lost.append(
                f"client {founder.index}: stored {value[:40]!r}, expected {expected[:40]!r}"
            )
        last = founder.versions[-1] if founder.versions else 0
        if version < last or (version != last and not founder.unconfirmed):
            reordered.append(f"client {founder.index}: stored version {version}, received {last}")
        if any(a >= b for a, b in pairwise(founder.versions)):
            reordered.append(f"client {founder.index}: versions received {founder.versions}")
    return {
        "ok": not lost and not reordered,
        "saves": sum(len(founder.versions) for founder in founders),
        "lost": lost,
        "reordered": reordered,
    }


# --- One database ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def django_child(env: dict, *args: str, timeout: float = 900) -> str:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        timeout=timeout,
    ).stdout


def postgres(url: str, name: str, action: str) -> str:
    """Drop (and create) database `name` on the server `url` names; its server version."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if parts.path.lstrip("/") == name:
        raise SystemExit(f"the URL names {name} itself: name another database to connect to")
    admin = urlunsplit(parts._replace(scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if action == "create":
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        version = connection.info.server_version
    return f"PostgreSQL {version // 10000}.{version % 10000}"


def run_database(url: str, args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="autosave-load-"))
    is_postgres = not url.startswith("sqlite")
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "VAR_DIR": str(workdir / "var"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }
    if is_postgres:
        env["DATABASE_POOL"] = os.environ.get("DATABASE_POOL", "true")
        label = postgres(url, args.database_name, "create")
        parts = urlsplit(url)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{args.database_name}"))
    else:
        label = f"SQLite {sqlite3.sqlite_version}"
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'load.sqlite3'}"
        env.pop("DATABASE_POOL", None)
    server = None
    try:
        started = time.perf_counter()
        django_child(env, "manage.py", "migrate", "--noinput", "--verbosity", "0")
        django_child(env, "manage.py", "createcachetable")
        seeded = json.loads(django_child(env, __file__, "--seed", str(args.clients)))
        queries = json.loads(django_child(env, __file__, "--queries", json.dumps(seeded)))
        print(
            f"[{label}] migrated and seeded in {time.perf_counter() - started:.0f} s; "
            f"load average {os.getloadavg()[0]:.2f}",
            file=sys.stderr,
        )
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "accelerator.wsgi", "--bind", f"{HOST}:{port}",
             "--workers", str(args.workers), "--timeout", "30", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        load_before = os.getloadavg()[0]
        phases, founders = asyncio.run(load(port, server, seeded, args))
        load_after = os.getloadavg()[0]
        stop(server)
        server = None
        stored = json.loads(django_child(env, __file__, "--final", str(seeded["question"])))
        return {
            "database": label,
            "pool": env.get("DATABASE_POOL", "n/a"),
            "phases": phases,
            "queries": queries,
            "check": text_check(founders, stored),
            "load_average": [load_before, load_after],
        }
    finally:
        if server is not None:
            stop(server)
        if is_postgres:
            postgres(url, args.database_name, "drop")
        shutil.rmtree(workdir, ignore_errors=True)


def stop(server: subprocess.Popen) -> None:
    """gunicorn's master and its workers (its own process group, started here)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


# --- Report ------------------------------------------------------------------------------------


def report(runs: list[dict], args) -> bool:
    print(
        f"\n{args.clients} clients, gunicorn {args.workers} sync workers on loopback; flat out "
        f"{args.flat_seconds:g} s, paced {args.paced_seconds:g} s (every {args.interval:g} s)\n"
    )
    print(
        f"{'database':18} {'phase':20} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7} {'client CPU':>11}"
    )
    for run in runs:
        for phase in run["phases"]:
            print(
                f"{run['database']:18} {phase['phase']:20} {phase['requests']:>9,} "
                f"{phase['rps']:>8.1f} {phase['p50']:>8.1f} {phase['p95']:>8.1f} "
                f"{phase['p99']:>8.1f} {phase['errors']:>7} {phase['client_cpu']:>10.0%}"
            )
    all_met = True
    for run in runs:
        phases = {phase["phase"]: phase for phase in run["phases"]}
        ratio = phases["autosave, flat out"]["rps"] / phases["bare, flat out"]["rps"]
        p99 = phases["autosave, paced"]["p99"]
        errors = sum(phase["errors"] for phase in run["phases"])
        check = run["check"]
        verdicts = {
            f"autosave/bare flat out {ratio:.2f} (≥ {RATIO_TARGET})": ratio >= RATIO_TARGET,
            f"autosave paced p99 {p99:.0f} ms (< {P99_TARGET_MS:g})": p99 < P99_TARGET_MS,
            f"errors {errors} (0)": errors == 0,
            f"text check {'ok' if check['ok'] else 'FAILED'} ({check['saves']:,} saves)": check[
                "ok"
            ],
        }
        met = all(verdicts.values())
        all_met &= met
        print(f"\n{run['database']} (DATABASE_POOL={run['pool']}):")
        for label, passed in verdicts.items():
            print(f"  {label}: {'met' if passed else 'MISSED'}")
        print(
            f"  queries per request: autosave {run['queries']['autosave']}, "
            f"bare {run['queries']['bare']}; load average before/after "
            f"{run['load_average'][0]:.2f}/{run['load_average'][1]:.2f}"
        )
        for problem in (check["lost"] + check["reordered"])[:5]:
            print(f"  text check: {problem}")
        for phase in run["phases"]:
            for sample in phase["samples"]:
                print(f"  error in {phase['phase']}: {sample!r}")
        if args.sql:
            for name in ("autosave", "bare"):
                print(f"  {name} SQL:")
                for query in run["queries"][f"{name}_sql"]:
                    print(f"    {query[:160]}")
        print(f"  targets: {'met' if met else 'MISSED'}")
    return all_met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="*", help="database URLs (default: DATABASE_URL)")
    parser.add_argument("--flat-seconds", type=float, default=30)
    parser.add_argument("--paced-seconds", type=float, default=60)
    parser.add_argument("--interval", type=float, default=2.0, help="paced: seconds per save")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--database-name", default=LOAD_DATABASE, help="PostgreSQL only")
    parser.add_argument("--sql", action="store_true", help="print the queries of each request")
    parser.add_argument("--json", metavar="FILE", help="also write the results there")
    args = parser.parse_args()
    urls = args.urls or [os.environ.get("DATABASE_URL", "sqlite://")]
    runs = [run_database(url, args) for url in urls]
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=2))
    met = report(runs, args)
    print(f"\ntargets: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--seed"]:
        print(json.dumps(seed(int(sys.argv[2]))))
    elif sys.argv[1:2] == ["--queries"]:
        print(json.dumps(count_queries(json.loads(sys.argv[2]))))
    elif sys.argv[1:2] == ["--final"]:
        print(json.dumps(final_answers(int(sys.argv[2]))))
    else:
        main()
