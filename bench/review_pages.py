"""A reviewer's pages at 1,000 and 5,000 submitted applications (3 reviews each, 50 reviewers),
each next to a bare reference view behind the same middleware (bench/review_urls.py):

- the queue of a reviewer with 60 assignments, against the same 60 rows from one query;
- one application's review page, where the reviewer has submitted (the two other reviews
  show), against the latest submitted version and the other reviews' fields from two queries;
- posting one review field (autosave of a comment, as htmx sends it), against one UPDATE of a
  review field answered by a tiny fragment.

    DATABASE_URL=... python bench/review_pages.py         # the database DATABASE_URL names
    python bench/review_pages.py URL [URL ...]            # each in turn, then one table

Each run creates a throwaway test database on that server (for SQLite, a file next to the one
named), fills the 1,000-application cohort and measures it, then adds the 5,000-application
cohort and measures that (the database then holds both, like a second call), and removes the
database. Targets: each page ≤ 2× its bare view; posting at 5,000 ≤ 1.2× posting at 1,000."""

import json
import math
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.staff_pages import WORDS, make_cohort_data  # noqa: E402

SIZES = (1000, 5000)
REVIEWERS = 50
REVIEWS_PER_APPLICATION = 3
MEASURED_ASSIGNMENTS = 60
WARM_UP = 5
ROUNDS = 30
PAGE_RATIO_TARGET = 2.0
FLAT_TARGET = 1.2
CRITERIA = [  # name, weight, scale maximum
    ("Use of open models", 3, 5),
    ("Team", 2, 5),
    ("Market", 1, 5),
    ("Fun", 0, 3),
]
PAIRS = ("queue", "review", "post")
# For scale: pretalx 2025.2 on this machine (from the product issue).
PRETALX = {"queue": {1000: 5800, 5000: 7300}, "post": {1000: 70, 5000: 295}}


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high))).capitalize() + "."


def make_review_data(*, program, size: int, rng: random.Random, label: str) -> dict:
    """A call closed two days ago with `size` submitted applications (bench/staff_pages.py's
    generator), a rubric of four criteria, reviews closing in two weeks, 50 accepted reviewers
    (a third on behalf of a partner), 3 assignments per application, the first reviewer with
    exactly 60, and reviews as review_field_save and review_submit leave them: most submitted
    (every score, comments, recommendation, confidence), some in progress, some not started."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from applications.models import Application, Submission
    from reviews.enums import NOT_APPLICABLE, Confidence, Recommendation
    from reviews.models import DEFAULT_MAX_ASSIGNMENTS, Assignment, Review, Reviewer, ReviewField
    from tests.factories import staff_member
    from tests.factories.cohorts import PartnerFactory, RubricCriterionFactory

    cohort = make_cohort_data(program=program, size=size, rng=rng, label=label, closed_days_ago=2)
    now = timezone.now()
    type(cohort).objects.filter(pk=cohort.pk).update(reviews_close_at=now + timedelta(days=14))
    criteria = [
        RubricCriterionFactory(cohort=cohort, order=order, name=name, weight=weight,
                               scale_max=scale_max, guidance=_words(rng, 10, 20))
        for order, (name, weight, scale_max) in enumerate(CRITERIA)
    ]  # fmt: skip
    manager = staff_member(programs=[program])
    partners = [PartnerFactory(), PartnerFactory()]
    applications = list(Application.objects.filter(cohort=cohort).order_by("pk"))
    submission_of = dict(
        Submission.objects.filter(application__cohort=cohort).values_list("application_id", "pk")
    )
    others = REVIEWERS - 1
    max_assignments = max(
        DEFAULT_MAX_ASSIGNMENTS,
        MEASURED_ASSIGNMENTS,
        math.ceil((REVIEWS_PER_APPLICATION * size - MEASURED_ASSIGNMENTS) / others) + 1,
    )
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(email=f"reviewer-{label}-{index}@partner.example",
                 full_name=f"{rng.choice(['Anne', 'Marc', 'Inès', 'Paul', 'Sofia'])} "
                 f"{rng.choice(['Dubois', 'Keller', 'Bianchi', 'Novak', 'Laurent'])} {index}",
                 password="!")
            for index in range(REVIEWERS)
        )  # fmt: skip
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users
        )
        invited_at = cohort.closes_at - timedelta(days=10)
        reviewers = Reviewer.objects.bulk_create(
            [
                Reviewer(cohort=cohort, email=user.email, user=user,
                         partner=partners[index % 2] if index % 3 == 1 else None,
                         max_assignments=max_assignments, token=secrets.token_urlsafe(32),
                         invited_by=manager, invited_at=invited_at,
                         expires_at=invited_at + timedelta(days=14),
                         accepted_at=invited_at + timedelta(hours=rng.uniform(1, 72)))
                for index, user in enumerate(users)
            ]
        )  # fmt: skip
        # The measured reviewer (index 0) gets 60 applications spread over the call, each
        # shared with two others; the rest go round the other 49, three distinct a time.
        mine = set(rng.sample(range(size), MEASURED_ASSIGNMENTS))
        assigned_at = cohort.closes_at + timedelta(hours=6)
        assignments, turn = [], 0
        for index, application in enumerate(applications):
            if index in mine:
                slots = [0, 1 + (2 * index) % others, 1 + (2 * index + 1) % others]
            else:
                slots = [1 + (turn + step) % others for step in range(REVIEWS_PER_APPLICATION)]
                turn += REVIEWS_PER_APPLICATION
            assignments += [
                Assignment(reviewer=reviewers[slot], application=application,
                           created_at=assigned_at, created_by=manager)
                for slot in slots
            ]  # fmt: skip
        Assignment.objects.bulk_create(assignments, batch_size=1000)
        # The page measured: one of the measured reviewer's, where all three have submitted.
        target = applications[min(mine)]
        reviews, drafts = [], []
        for assignment in assignments:
            roll = rng.random()
            if assignment.application_id == target.pk:
                roll = 0.0
            if roll >= 0.87:
                continue  # not started
            started_at = assigned_at + timedelta(hours=rng.uniform(1, 40))
            submitted = roll < 0.8
            reviews.append(
                Review(reviewer=assignment.reviewer, application=assignment.application,
                       submission_id=submission_of[assignment.application_id],
                       started_at=started_at,
                       submitted_at=started_at + timedelta(minutes=rng.uniform(5, 90))
                       if submitted else None)
            )  # fmt: skip
            drafts.append(not submitted)
        Review.objects.bulk_create(reviews, batch_size=1000)
        fields = []
        for review, draft in zip(reviews, drafts, strict=True):
            values = {}
            for position, criterion in enumerate(criteria):
                if draft and position >= 2:
                    break
                score = (
                    NOT_APPLICABLE
                    if rng.random() < 0.05
                    else str(rng.randint(1, criterion.scale_max))
                )
                values[f"score:{criterion.pk}"] = score
                if position == 0 or rng.random() < 0.5:
                    values[f"comment:{criterion.pk}"] = _words(rng, 15, 60)
            if not draft:
                values["recommendation"] = rng.choice(Recommendation.values)
                values["confidence"] = rng.choice(Confidence.values)
                if rng.random() < 0.2:
                    values["private_note"] = _words(rng, 5, 20)
            fields += [
                ReviewField(review=review, key=key, value=value, version=rng.randint(1, 6),
                            updated_at=review.submitted_at or review.started_at)
                for key, value in values.items()
            ]  # fmt: skip
        ReviewField.objects.bulk_create(fields, batch_size=2000)
    user = users[0]
    TOTP.activate(user, generate_totp_secret())
    my_review = Review.objects.get(reviewer=reviewers[0], application=target)
    return {
        "cohort": cohort,
        "user": user,
        "application": target,
        "comment_key": f"comment:{criteria[0].pk}",
        "comment": my_review.fields.get(key=f"comment:{criteria[0].pk}"),
        # The bare POST writes another field of the same review, so both keep their versions.
        "bare_field": my_review.fields.get(key=f"score:{criteria[0].pk}"),
        "counts": {
            "assignments": len(assignments),
            "reviews": len(reviews),
            "fields": len(fields),
        },
    }


VERSION = re.compile(r'id="version-[a-z0-9_]+" value="(\d+)" hx-swap-oob')
APPLICATION_LINK = re.compile(r'href="/review/applications/(\d+)/"')


def requests_for(client, data: dict) -> dict:
    """For each pair, two callables doing one request each (page, bare), checking the answer."""
    from django.urls import reverse

    application_id = data["application"].pk
    comment = {"version": data["comment"].version, "round": 0}
    field_url = reverse("review:field", args=[application_id, data["comment_key"]])
    bare_field_url = reverse("bench_bare_field", args=[data["bare_field"].pk])

    def get(url):
        def request():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return request

    def post_comment():
        comment["round"] += 1
        value = f"Round {comment['round']}: a solid team, open weights, a clear market."
        response = client.post(
            field_url,
            {"value": value, "version": comment["version"]},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200, (response.status_code, response.content[:300])
        comment["version"] = int(VERSION.search(response.content.decode())[1])
        return response

    def post_bare():
        response = client.post(
            bare_field_url, {"value": "4", "version": "0"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200, response.status_code
        return response

    return {
        "queue": (get(reverse("review:queue")), get(reverse("bench_bare_queue"))),
        "review": (
            get(reverse("review:review", args=[application_id])),
            get(reverse("bench_bare_review", args=[application_id])),
        ),
        "post": (post_comment, post_bare),
    }


def check_same_rows(pairs: dict, data: dict) -> None:
    """The bare views show what the pages show: the same 60 applications, the same two other
    reviews."""
    queue_page = pairs["queue"][0]().content.decode()
    queue_bare = pairs["queue"][1]().content.decode()
    assert queue_page.count('class="queue-row') == MEASURED_ASSIGNMENTS
    page_ids = set(APPLICATION_LINK.findall(queue_page))
    assert len(page_ids) == MEASURED_ASSIGNMENTS, len(page_ids)
    assert page_ids == set(APPLICATION_LINK.findall(queue_bare))
    review_page = pairs["review"][0]().content.decode()
    review_bare = pairs["review"][1]().content.decode()
    others = REVIEWS_PER_APPLICATION - 1
    assert review_page.count('class="other-review"') == others, "others' reviews not shown"
    assert review_bare.count("<article>") == others


def measure(pairs: dict) -> dict:
    """Per pair: warm up, count the queries of one request, then page, bare, page, bare… so
    that noise on the shared machine hits both alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = {}
    for name, (page, bare) in pairs.items():
        for _round in range(WARM_UP):
            page()
            bare()
        result = {}
        for side, request in (("page", page), ("bare", bare)):
            with CaptureQueriesContext(connection) as queries:
                request()
            result[side] = {"queries": len(queries), "durations": []}
        for _round in range(ROUNDS):
            for side, request in (("page", page), ("bare", bare)):
                started = time.perf_counter()
                request()
                result[side]["durations"].append(time.perf_counter() - started)
        for side in result.values():
            side["median_ms"] = statistics.median(side.pop("durations")) * 1000
        results[name] = result
    return results


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def run() -> dict:
    """One database (DATABASE_URL): {size: {pair: {"page"|"bare": {median_ms, queries}}}}."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings.test")
    import django

    django.setup()

    from django.db import connection
    from django.test import Client, override_settings

    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        connection.settings_dict["TEST"]["NAME"] = str(name.with_name(f"test_{name.name}"))
    # Not setup_test_environment(): its template instrumentation would slow the real pages,
    # made of many templates, more than the bare ones.
    settings = override_settings(ROOT_URLCONF="bench.review_urls", ALLOWED_HOSTS=["testserver"])
    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    settings.enable()
    try:
        from tests.factories.cohorts import ProgramFactory

        rng = random.Random(2026)
        program = ProgramFactory(slug="ai-startup-program")
        results, loads = {}, {}
        for size in SIZES:
            started = time.perf_counter()
            data = make_review_data(program=program, size=size, rng=rng, label=str(size))
            print(
                f"[{connection.vendor}] {size:,} submitted applications, "
                f"{data['counts']['assignments']:,} assignments, {data['counts']['reviews']:,} "
                f"reviews, {data['counts']['fields']:,} review fields created in "
                f"{time.perf_counter() - started:.1f} s; load average {_load()}",
                file=sys.stderr,
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
            client = Client()
            client.force_login(data["user"])
            pairs = requests_for(client, data)
            check_same_rows(pairs, data)
            results[size] = measure(pairs)
            loads[size] = _load()
            print(f"[{connection.vendor}] {size:,} measured; load average {loads[size]}",
                  file=sys.stderr)  # fmt: skip
        return {"vendor": connection.vendor, "results": results, "loads": loads}
    finally:
        settings.disable()
        connection.creation.destroy_test_db(test_database, verbosity=0)


def report(runs: list[dict]) -> None:
    low, high = SIZES
    print(
        f"\nmedians over {ROUNDS} alternating requests each (after {WARM_UP} warm-up), "
        "ms (queries)\n"
    )
    print(
        f"{'database':10} {'N':>6} {'what':7} {'page':>14} {'bare':>13} {'page/bare':>10}"
        f"   target ≤ {PAGE_RATIO_TARGET}× (pages)"
    )
    for run in runs:
        results = {int(size): result for size, result in run["results"].items()}
        for size in SIZES:
            for name in PAIRS:
                page, bare = results[size][name]["page"], results[size][name]["bare"]
                ratio = page["median_ms"] / bare["median_ms"]
                verdict = (
                    ("met" if ratio <= PAGE_RATIO_TARGET else "MISSED")
                    if name != "post"
                    else "(no target)"
                )
                print(
                    f"{run['vendor']:10} {size:>6,} {name:7} {page['median_ms']:>8.1f} "
                    f"({page['queries']:>2}) {bare['median_ms']:>7.1f} ({bare['queries']:>2}) "
                    f"{ratio:>9.2f}×   {verdict}"
                )
        for name in PAIRS:
            page_flat = (
                results[high][name]["page"]["median_ms"] / results[low][name]["page"]["median_ms"]
            )
            bare_flat = (
                results[high][name]["bare"]["median_ms"] / results[low][name]["bare"]["median_ms"]
            )
            verdict = (
                f" (target ≤ {FLAT_TARGET}×: {'met' if page_flat <= FLAT_TARGET else 'MISSED'})"
                if name == "post"
                else ""
            )
            print(
                f"{run['vendor']:10} {name}@{high:,}/{name}@{low:,} {page_flat:.2f}×{verdict}, "
                f"bare {bare_flat:.2f}×"
            )
        print(f"{run['vendor']:10} load average after each size: {run.get('loads')}\n")
    print(
        "for scale, pretalx 2025.2 on this machine: reviewer dashboard "
        f"{PRETALX['queue'][low]:,} ms ({low:,}) and {PRETALX['queue'][high]:,} ms ({high:,}); "
        f"posting one review {PRETALX['post'][low]} → {PRETALX['post'][high]} ms"
    )


def main() -> None:
    urls = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
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
