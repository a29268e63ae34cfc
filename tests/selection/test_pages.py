"""The ranking's staff pages: what they show, to whom, and in how many queries."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applications.models import Startup
from selection import services
from tests.factories import staff_member

from .world import declare_conflict, reviewed_cohort

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("extra", [6, 96])
def test_the_ranking_page_reads_the_same_number_of_queries_at_10_and_100(
    client, django_assert_num_queries, extra
):
    world = reviewed_cohort(extra_applications=extra)
    manager = staff_member(programs=[world.cohort.program])
    client.force_login(manager)
    url = reverse("staff:ranking", args=[world.cohort.pk])
    client.get(url)  # the countries' cache

    with django_assert_num_queries(13):
        response = client.get(url + "?sort=-p_top")

    assert response.status_code == 200
    assert _text(response).count('class="row-bar"') == 4


def test_the_cut_line_and_the_flags_in_plain_words(client):
    world = reviewed_cohort(extra_applications=1)
    client.force_login(staff_member(programs=[world.cohort.program]))

    text = _text(client.get(reverse("staff:ranking", args=[world.cohort.pk])))

    names = [application.startup.name for application in world.applications]
    assert (f"2 applications are in the top 2 with probability above 0.9: {names[0]}, "
            f"{names[2]}.") in text  # fmt: skip
    assert "Removing any single reviewer" in text
    assert "missing reviews" in text
    assert "1 strong yes, 2 maybe" in text


def test_a_conflicted_manager_sees_their_conflicted_application_apart_without_scores(client):
    world = reviewed_cohort()
    manager = staff_member(programs=[world.cohort.program])
    conflicted = world.applications[0]
    declare_conflict(world, conflicted, type("R", (), {"user": manager})())
    services.ranking_compute(cohort=world.cohort)
    client.force_login(manager)

    text = _text(client.get(reverse("staff:ranking", args=[world.cohort.pk])))

    ranked_part, apart = text.split("Applications you have a conflict of interest with")
    assert conflicted.startup.name not in ranked_part
    assert conflicted.startup.name in apart.split("</section>")[0]
    assert "1 strong yes" not in text  # its recommendations are not shown either
    csv = client.get(reverse("staff:ranking_export", args=[world.cohort.pk, "csv"]))
    assert conflicted.startup.name not in csv.content.decode()


def test_the_leniency_and_method_pages(client):
    world = reviewed_cohort()
    client.force_login(staff_member(programs=[world.cohort.program]))

    leniency = _text(client.get(reverse("staff:ranking_leniency", args=[world.cohort.pk])))
    method = _text(client.get(reverse("staff:ranking_method", args=[world.cohort.pk])))
    french = _text(client.get("/fr" + reverse("staff:ranking_method", args=[world.cohort.pk])))

    for reviewer in world.reviewers:
        assert reviewer.user.get_full_name() in leniency
    assert leniency.count('class="dot"') == 3
    assert "The model in five sentences" in method
    assert "Le modèle en cinq phrases" in french


def test_the_threshold_and_recompute_buttons(client, django_capture_on_commit_callbacks):
    world = reviewed_cohort()
    client.force_login(staff_member(programs=[world.cohort.program]))

    client.post(reverse("staff:ranking_threshold", args=[world.cohort.pk]),
                {"disagreement_threshold": "0.1"})  # fmt: skip
    with django_capture_on_commit_callbacks() as published:
        client.post(reverse("staff:ranking_recompute", args=[world.cohort.pk]))
    text = _text(client.get(reverse("staff:ranking", args=[world.cohort.pk])))

    assert text.count('class="flag"') == 4  # every spread is above 0.1
    assert len(published) == 1


def test_exports_hold_the_same_values_and_formulas_stay_text(client):
    world = reviewed_cohort()
    Startup.objects.filter(pk=world.applications[0].startup_id).update(
        name='=HYPERLINK("http://x","y")'
    )
    client.force_login(staff_member(programs=[world.cohort.program]))

    csv_rows = [
        line.split(",")[:3]
        for line in client.get(reverse("staff:ranking_export", args=[world.cohort.pk, "csv"]))
        .content.decode("utf-8-sig")
        .splitlines()
    ]
    xlsx = client.get(reverse("staff:ranking_export", args=[world.cohort.pk, "xlsx"])).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    xlsx_rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    reviews_csv = client.get(reverse("staff:reviews_export", args=[world.cohort.pk]))

    assert [row[:3] for row in csv_rows[1:]] == [
        [str(value) for value in row[:3]] for row in xlsx_rows[1:]
    ]
    startup_column = xlsx_rows[0].index("Startup")
    assert xlsx_rows[1][startup_column] == '=HYPERLINK("http://x","y")'
    assert sheet.cell(row=2, column=startup_column + 1).data_type == "s"
    assert (
        "'=HYPERLINK("
        in client.get(
            reverse("staff:ranking_export", args=[world.cohort.pk, "csv"])
        ).content.decode()
    )
    assert "'=HYPERLINK(" in reviews_csv.content.decode()
