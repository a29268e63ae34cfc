"""The staff page "a cohort's applications" (100 rows a page) at 1,000 and 5,000 submitted
applications, next to a bare reference view: the same first 100 rows from one query, through
a plain template, behind the same middleware (bench/staff_urls.py).

    DATABASE_URL=... python bench/staff_pages.py          # the database DATABASE_URL names
    python bench/staff_pages.py URL [URL ...]             # each in turn, then one table

Each run creates a throwaway test database on that server (for SQLite, a file next to the one
named), fills it, measures and removes it. Targets: page ≤ 2× bare at each size, and page at
5,000 ≤ 1.2× page at 1,000."""

import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1000, 5000)
WARM_UP = 5
ROUNDS = 30
PAGE_RATIO_TARGET = 2.0
FLAT_TARGET = 1.2

COUNTRIES = ["FR", "FR", "FR", "DE", "IT", "ES", "NL", "BE", "PT", "PL", "SE", "IE", "CH", "GB"]
CITIES = ["Paris", "Lyon", "Berlin", "Milan", "Madrid", "Amsterdam", "Brussels", "Lisbon"]
WORDS = [
    "model",
    "open",
    "weights",
    "inference",
    "latency",
    "fine-tuning",
    "dataset",
    "evaluation",
    "customers",
    "revenue",
    "hospital",
    "legal",
    "contracts",
    "agriculture",
    "energy",
    "grid",
    "retrieval",
    "agents",
    "French",
    "European",
    "privacy",
    "on-premise",
    "GPU",
    "quantisation",
    "distillation",
    "benchmark",
    "pilot",
    "partners",
    "team",
    "research",
    "startup",
    "market",
    "clinical",
    "logistics",
    "insurance",
    "translation",
    "speech",
    "vision",
    "documents",
]


def make_cohort_data(
    *, program, size: int, rng: random.Random, label: str, closed_days_ago: float | None = None
):
    """A cohort open for 40 days with `size` submitted applications, each from a startup with
    one member, three answers, one submitted version and its event, as the services leave
    them (bulk-created: the services take minutes per thousand with their PDF decks). The
    call closes in 5 days, or closed `closed_days_ago` days ago (submissions spread over the
    40 days it was open)."""
    from allauth.account.models import EmailAddress
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from applications import services
    from applications.enums import ApplicationStatus, FoundationModel, FundingRange
    from applications.models import (
        Answer,
        Application,
        ApplicationEvent,
        Membership,
        Startup,
        Submission,
    )
    from applications.models.applications import paris_date, status_writes_allowed
    from applications.privacy import PRIVACY_NOTICE_VERSION
    from applications.snapshots import PROFILE_FIELDS, content_sha256
    from cohorts.enums import QuestionKind, Stage
    from tests.factories.applications import open_cohort
    from tests.factories.cohorts import QuestionFactory

    now = timezone.now()
    if closed_days_ago is None:
        opens_at, closes_at, last = now - timedelta(days=40), now + timedelta(days=5), now
    else:
        last = closes_at = now - timedelta(days=closed_days_ago)
        opens_at = closes_at - timedelta(days=40)
    cohort = open_cohort(program=program, opens_at=opens_at, closes_at=closes_at)
    questions = [
        QuestionFactory(cohort=cohort, kind=QuestionKind.LONG_TEXT, label="What do you build?"),
        QuestionFactory(cohort=cohort, kind=QuestionKind.LONG_TEXT, label="Why open models?"),
        QuestionFactory(cohort=cohort, kind=QuestionKind.SHORT_TEXT, label="Your customers?"),
    ]
    span = (last - opens_at).total_seconds()
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                email=f"founder-{label}-{index}@startup.example",
                full_name=f"{rng.choice(['Camille', 'Zoé', 'Léa', 'Hugo', 'Jonas'])} "
                f"{rng.choice(['Martin', 'Lefèvre', 'Rossi', 'Müller', 'García'])} {index}",
                password="!",
            )
            for index in range(size)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users
        )
        startups = Startup.objects.bulk_create(
            Startup(
                name=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} AI {label}-{index}",
                country=rng.choice(COUNTRIES),
                city=rng.choice(CITIES),
                year_founded=rng.randint(2018, 2025),
                stage=rng.choice(Stage.values),
                team_size=rng.randint(1, 12),
                funding_raised=rng.choice(FundingRange.values),
                pitch=" ".join(rng.choices(WORDS, k=40)),
                foundation_models=rng.sample(FoundationModel.values, k=2),
                created_by=user,
            )
            for index, user in enumerate(users)
        )
        Membership.objects.bulk_create(
            Membership(startup=startup, user=user, role="CEO")
            for startup, user in zip(startups, users, strict=True)
        )
        submitted = sorted(opens_at + timedelta(seconds=rng.uniform(0, span)) for _ in users)
        with status_writes_allowed():
            # A list: the manager's bulk_create reads its argument twice.
            applications = Application.objects.bulk_create(
                [
                    Application(
                        startup=startup,
                        cohort=cohort,
                        created_by=user,
                        created_at=at - timedelta(hours=rng.uniform(1, 72)),
                        status=ApplicationStatus.SUBMITTED,
                        submitted_at=at,
                        submitted_on=paris_date(at),
                        privacy_notice_version=PRIVACY_NOTICE_VERSION,
                        privacy_accepted_at=at,
                        pitch_deck=f"decks/bench/{label}-{index}.pdf",
                        pitch_deck_sha256=f"{index:064x}",
                        pitch_deck_pages=rng.randint(8, 20),
                    )
                    for index, (startup, user, at) in enumerate(
                        zip(startups, users, submitted, strict=True)
                    )
                ]
            )
        answers, submissions, events = [], [], []
        for application, startup, user in zip(applications, startups, users, strict=True):
            values = {
                questions[0].pk: " ".join(rng.choices(WORDS, k=150)),
                questions[1].pk: " ".join(rng.choices(WORDS, k=100)),
                questions[2].pk: " ".join(rng.choices(WORDS, k=8)),
            }
            answers += [
                Answer(application=application, question_id=pk, value=value, version=3,
                       updated_by=user)
                for pk, value in values.items()
            ]  # fmt: skip
            profile = {field: getattr(startup, field) for field in PROFILE_FIELDS}
            profile["country"] = str(profile["country"] or "")
            profile["referred_by"] = ""
            content = {
                "cohort": {"program": program.slug, "cohort": cohort.slug},
                "answers": [
                    {"question": q.pk, "label": q.label, "kind": q.kind, "value": values[q.pk]}
                    for q in questions
                ],
                "profile": profile,
                "team": [{"user": user.pk, "name": user.full_name, "role": "CEO",
                          "linkedin": ""}],
                "deck": {
                    "file": application.pitch_deck.name,
                    "sha256": application.pitch_deck_sha256,
                    "pages": application.pitch_deck_pages,
                },
            }  # fmt: skip
            submissions.append(
                Submission(application=application, number=1, submitted_at=application.submitted_at,
                           submitted_by=user, content=content, sha256=content_sha256(content))
            )  # fmt: skip
            events.append(
                ApplicationEvent(application=application, actor=user, actor_name=user.full_name,
                                 at=application.submitted_at, from_status=ApplicationStatus.DRAFT,
                                 to_status=ApplicationStatus.SUBMITTED)
            )  # fmt: skip
        Answer.objects.bulk_create(answers, batch_size=1000)
        Submission.objects.bulk_create(submissions, batch_size=500)
        ApplicationEvent.objects.bulk_create(events, batch_size=1000)
        # Answers were saved before the submit, except one application in twenty, edited
        # since (its row shows "changed since submitted").
        for application in applications:
            if application.pk % 20:
                Answer.objects.filter(application=application).update(
                    updated_at=application.submitted_at - timedelta(minutes=5)
                )
        # In slices: on SQLite, one call for 5,000 ids fails ("Expression tree is too large").
        for start in range(0, size, 500):
            services.application_search_refresh(
                application_ids=[a.pk for a in applications[start : start + 500]]
            )
    return cohort


def measure(client, urls: dict[str, str]) -> dict[str, dict]:
    """Warm up, then ABAB… so that noise on the shared machine hits both alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = {}
    for name, url in urls.items():
        for _round in range(WARM_UP):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).content.decode()
        rows = body.count('scope="row"') if name == "page" else body.count("<tr>") - 1
        assert rows == 100, (name, rows)
        results[name] = {"queries": len(queries), "durations": []}
    for _round in range(ROUNDS):
        for name, url in urls.items():
            started = time.perf_counter()
            client.get(url)
            results[name]["durations"].append(time.perf_counter() - started)
    for result in results.values():
        result["median_ms"] = statistics.median(result.pop("durations")) * 1000
    return results


def same_rows(cohort) -> None:
    """The reference shows exactly the page's first 100 applications, in the same order."""
    from django.db.models import F

    from applications import selectors
    from applications.models import Application

    page = selectors.staff_applications(cohort=cohort)[: selectors.STAFF_PAGE_SIZE]
    bare = (
        Application.objects.filter(cohort_id=cohort.pk)
        .select_related("startup")
        .order_by(F("submitted_at").desc(nulls_last=True), "startup__name", "pk")
    )[: selectors.STAFF_PAGE_SIZE]
    assert [a.pk for a in page] == [a.pk for a in bare]


def run() -> dict:
    """One database (DATABASE_URL): returns {size: {"page"|"bare": {median_ms, queries}}}."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings.test")
    import django

    django.setup()

    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import reverse

    # The test database: PostgreSQL's test_<name>; for SQLite a file beside the named one (the
    # default would be in memory, which no deployment uses).
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        connection.settings_dict["TEST"]["NAME"] = str(name.with_name(f"test_{name.name}"))
    # Not setup_test_environment(): its template instrumentation (for response.context) would
    # slow the real page, made of many templates, more than the bare one.
    settings = override_settings(ROOT_URLCONF="bench.staff_urls", ALLOWED_HOSTS=["testserver"])
    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    settings.enable()
    try:
        from tests.factories import staff_member
        from tests.factories.cohorts import ProgramFactory

        rng = random.Random(2026)
        program = ProgramFactory(slug="ai-startup-program")
        cohorts = {}
        for size in SIZES:
            started = time.perf_counter()
            cohorts[size] = make_cohort_data(program=program, size=size, rng=rng, label=str(size))
            print(
                f"[{connection.vendor}] {size:,} submitted applications created in "
                f"{time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        manager = staff_member(programs=[program])
        client = Client()
        client.force_login(manager)
        results = {}
        for size, cohort in cohorts.items():
            same_rows(cohort)
            results[size] = measure(
                client,
                {
                    "page": reverse("staff:cohort_applications", args=[cohort.pk]),
                    "bare": reverse("bench_bare_applications", args=[cohort.pk]),
                },
            )
        return {"vendor": connection.vendor, "results": results}
    finally:
        settings.disable()
        connection.creation.destroy_test_db(test_database, verbosity=0)


def report(runs: list[dict]) -> None:
    low, high = SIZES
    print(
        f"\nmedians over {ROUNDS} alternating requests each (after {WARM_UP} warm-up), "
        "ms (queries)\n"
    )
    header = (
        f"{'database':10} {'N':>6} {'page':>14} {'bare':>13} {'page/bare':>10}"
        f"   target ≤ {PAGE_RATIO_TARGET}×"
    )
    print(header)
    for run in runs:
        results = {int(size): result for size, result in run["results"].items()}
        for size in SIZES:
            page, bare = results[size]["page"], results[size]["bare"]
            ratio = page["median_ms"] / bare["median_ms"]
            print(
                f"{run['vendor']:10} {size:>6,} {page['median_ms']:>8.1f} ({page['queries']:>2})"
                f" {bare['median_ms']:>7.1f} ({bare['queries']:>2}) {ratio:>9.2f}×"
                f"   {'met' if ratio <= PAGE_RATIO_TARGET else 'MISSED'}"
            )
        page_flat = results[high]["page"]["median_ms"] / results[low]["page"]["median_ms"]
        bare_flat = results[high]["bare"]["median_ms"] / results[low]["bare"]["median_ms"]
        print(
            f"{run['vendor']:10} page@{high:,}/page@{low:,} {page_flat:.2f}× "
            f"(target ≤ {FLAT_TARGET}×: {'met' if page_flat <= FLAT_TARGET else 'MISSED'}), "
            f"bare@{high:,}/bare@{low:,} {bare_flat:.2f}×\n"
        )


def main() -> None:
    urls = sys.argv[1:]
    if not urls:
        report([run()])
        return
    runs = []
    for url in urls:
        child = subprocess.run(
            [sys.executable, __file__, "--json"],
            env=os.environ | {"DATABASE_URL": url},
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
    report(runs)


if __name__ == "__main__":
    if sys.argv[1:] == ["--json"]:
        print(json.dumps(run()))
    else:
        main()
