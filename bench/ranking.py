"""The ranking at 1,000 and 10,000 submitted applications (3 reviews each among 50 reviewers,
bench/review_pages.py's generator):

- the fit (services.ranking_compute: variance components, exact posterior, 1,000 draws,
  leave-one-reviewer-out, the tables rewritten), timed once per size;
- the ranking page's first 250 rows sorted by calibrated score and by P(top k), each beside
  a bare view rendering the same 250 rows from one query through a plain template
  (bench/ranking_urls.py), alternately, medians compared.

    DATABASE_URL=postgres://... .venv/bin/python bench/ranking.py

Creates a throwaway test database on that server and removes it. Targets: the fit at 10,000
under 30 s; each page ≤ 2× its bare view and flat in N."""

import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.review_pages import make_review_data  # noqa: E402

SIZES = (1000, 10000)
WARM_UP = 3
ROUNDS = 15
PAGE_ROWS = 250
FIT_TARGET_S = 30
PAGE_RATIO_TARGET = 2.0
# For scale: pretalx 2025.2's organisers' review dashboard (250 rows) on this machine.
PRETALX_MS = {1000: 5700, 10000: 9500}
ROW = re.compile(r'<td class="interval">')


def _pairs(client, cohort_id: int) -> dict:
    from django.urls import reverse

    page = reverse("staff:ranking", args=[cohort_id])
    bare = reverse("bench_bare_ranking", args=[cohort_id])

    def get(url):
        def request():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return request

    return {
        sort: (get(f"{page}?sort={sort}"), get(f"{bare}?sort={sort}"))
        for sort in ("calibrated", "p_top")
    }


def _measure(pairs: dict) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = {}
    for name, (page, bare) in pairs.items():
        assert len(ROW.findall(page().content.decode())) == PAGE_ROWS
        assert bare().content.decode().count("<tr>") == PAGE_ROWS
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


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client, override_settings

    # A database of its own, so a test run on the same server does not collide with it.
    connection.settings_dict["TEST"]["NAME"] = "test_accelerator_bench_ranking"
    settings = override_settings(ROOT_URLCONF="bench.ranking_urls", ALLOWED_HOSTS=["testserver"])
    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    settings.enable()
    try:
        from selection import services
        from selection.models import Ranking
        from tests.factories import staff_member
        from tests.factories.cohorts import ProgramFactory

        rng = random.Random(2026)
        program = ProgramFactory(slug="ai-startup-program")
        manager = staff_member(programs=[program])
        rows = []
        for size in SIZES:
            started = time.perf_counter()
            data = make_review_data(program=program, size=size, rng=rng, label=str(size))
            print(f"{size:,} applications, {data['counts']['reviews']:,} reviews created in "
                  f"{time.perf_counter() - started:.1f} s", file=sys.stderr)  # fmt: skip
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            started = time.perf_counter()
            services.ranking_compute(cohort=data["cohort"])
            fit_s = time.perf_counter() - started
            ranking = Ranking.objects.get(cohort=data["cohort"])
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            client = Client()
            client.force_login(manager)
            rows.append((size, fit_s, ranking, _measure(_pairs(client, data["cohort"].pk))))
    finally:
        settings.disable()
        connection.creation.destroy_test_db(test_database, verbosity=0)

    print(f"\n{connection.vendor}; medians of {ROUNDS} alternating requests, ms (queries)\n")
    for size, fit_s, ranking, results in rows:
        verdict = "met" if fit_s <= FIT_TARGET_S else "MISSED"
        print(f"N={size:>6,}  fit {fit_s:5.1f} s ({ranking.review_count:,} reviews, "
              f"{ranking.reviewer_count} reviewers, {ranking.em_iterations} EM iterations, "
              f"{ranking.draws} draws)  target ≤ {FIT_TARGET_S} s: {verdict}")  # fmt: skip
        for name, result in results.items():
            page, bare = result["page"], result["bare"]
            ratio = page["median_ms"] / bare["median_ms"]
            print(f"N={size:>6,}  page sorted by {name:10} {page['median_ms']:7.1f} "
                  f"({page['queries']})  bare {bare['median_ms']:6.1f} ({bare['queries']})  "
                  f"{ratio:4.2f}×  {'met' if ratio <= PAGE_RATIO_TARGET else 'MISSED'}; "
                  f"pretalx {PRETALX_MS[size]:,} ms")  # fmt: skip
    low, high = rows[0][3], rows[-1][3]
    for name in low:
        page = high[name]["page"]["median_ms"] / low[name]["page"]["median_ms"]
        bare = high[name]["bare"]["median_ms"] / low[name]["bare"]["median_ms"]
        print(
            f"page sorted by {name}: {SIZES[-1]:,} / {SIZES[0]:,} = {page:.2f}×, bare {bare:.2f}×"
        )


if __name__ == "__main__":
    main()
