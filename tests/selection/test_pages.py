"""The ranking's staff pages: what they show, to whom, and in how many queries."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.models import Startup
from selection import services
from selection.models import ApplicationEstimate, Ranking
from tests.clock import clock_pinned
from tests.factories import staff_member

from .world import declare_conflict, reviewed_cohort

pinned_clock = clock_pinned()  # every date here is relative to the clock

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

    with django_assert_num_queries(14):  # 13, and the screened-out applications listed apart
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

    _ranked, apart = text.split("Applications you have a conflict of interest with")
    assert conflicted.startup.name not in text  # apart, by number only
    assert f"Application #{conflicted.pk}: conflict of interest" in apart.split("</section>")[0]
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


def test_the_uncertain_band_and_the_leave_one_out_in_words(client):
    world = reviewed_cohort(capacity=3)
    first, second, third, fourth = world.applications
    for application, p_top in ((first, 0.95), (second, 0.5), (third, 0.9), (fourth, 0.05)):
        ApplicationEstimate.objects.filter(application=application).update(p_top=p_top)
    Ranking.objects.filter(cohort=world.cohort).update(
        leave_one_out=[
            {"reviewer": world.reviewers[0].pk, "reviewer_name": "Ada Reviewer",
             "entered": [[second.pk, second.startup.name]],
             "left": [[third.pk, third.startup.name]]},
        ]
    )  # fmt: skip
    client.force_login(staff_member(programs=[world.cohort.program]))

    text = _text(client.get(reverse("staff:ranking", args=[world.cohort.pk])))

    assert (f"1 application is in the top 3 with probability above 0.9: "
            f"{first.startup.name}.") in text  # fmt: skip
    assert (f"The last 2 places are uncertain: 2 applications have between 0.1 and 0.9: "
            f"{third.startup.name} (0.90), {second.startup.name} (0.50).") in text  # fmt: skip
    assert (f"Without Ada Reviewer, {second.startup.name} replaces {third.startup.name} in the "
            "top 3.") in text  # fmt: skip
    assert text.count('<tr class="uncertain">') == 2


@pytest.mark.both_databases
@pytest.mark.parametrize(
    ("sort", "expected"),
    [("rank", [0, 2, 1, 3, 4]), ("-rank", [3, 1, 2, 0, 4]), ("p_top", [0, 2, 1, 3, 4]),
     ("raw", [0, 2, 1, 3, 4]), ("-spread", [1, 3, 0, 2, 4]), ("startup", [0, 1, 2, 3, 4]),
     ("criterion", [0, 2, 1, 3, 4])],
)  # fmt: skip
def test_every_column_sorts_in_sql(client, sort, expected):
    world = reviewed_cohort(extra_applications=1)
    names = [f"Startup {chr(65 + i)}" for i in range(5)]
    for application, name in zip(world.applications, names, strict=True):
        Startup.objects.filter(pk=application.startup_id).update(name=name)
    if sort == "criterion":
        sort = f"criterion:{world.cohort.criteria.order_by('pk').first().pk}"
    client.force_login(staff_member(programs=[world.cohort.program]))

    text = _text(client.get(reverse("staff:ranking", args=[world.cohort.pk]) + f"?sort={sort}"))

    listed = re.findall(r'<th scope="row"><a href="[^"]+">(Startup [A-E])</a>', text)
    assert listed == [names[i] for i in expected]


def test_filters_and_search_narrow_the_ranking(client):
    world = reviewed_cohort()
    Startup.objects.filter(pk=world.applications[1].startup_id).update(country="DE")
    client.force_login(staff_member(programs=[world.cohort.program]))
    url = reverse("staff:ranking", args=[world.cohort.pk])

    germany = _text(client.get(url + "?country=DE"))
    searched = _text(client.get(url + "?q=" + world.applications[2].startup.name))

    assert germany.count('class="row-bar"') == 1
    assert world.applications[1].startup.name in germany
    assert searched.count('class="row-bar"') == 1


def test_in_french_numbers_have_a_comma_and_pictures_a_dot(client):
    world = reviewed_cohort()
    client.force_login(staff_member(programs=[world.cohort.program]))

    text = _text(client.get("/fr" + reverse("staff:ranking", args=[world.cohort.pk])))

    assert "Classement" in text
    assert re.search(r'<td class="number">0,\d\d</td>', text)
    bars = re.findall(r'<rect class="band90" x="([^"]+)" y="3" width="([^"]+)"', text)
    assert len(bars) == 4
    assert all("," not in x + width for x, width in bars)


def test_a_screened_out_application_is_listed_apart_and_unranked(client):
    from applications.services.screening import application_screen_out

    world = reviewed_cohort()
    manager = staff_member(programs=[world.cohort.program])
    screened = world.applications[0]
    Startup.objects.filter(pk=screened.startup_id).update(name="Screened Robotics")
    application_screen_out(application=screened, by=manager, reason="Hardware, not AI")
    services.ranking_compute(cohort=world.cohort)
    client.force_login(manager)

    text = _text(client.get(reverse("staff:ranking", args=[world.cohort.pk])))

    ranked_part, apart = text.split('id="screened-out-title"')
    assert "Screened Robotics" not in ranked_part
    assert "Screened Robotics</a> · Hardware, not AI" in apart.split("</section>")[0]


def test_one_more_review_for_the_uncertain_band_writable_for_7_days_after_reviews_close(client):
    from reviews import selectors as review_selectors
    from reviews import services as review_services
    from reviews.models import Assignment, ReviewRequest
    from tests.factories.reviews import accepted_reviewer

    world = reviewed_cohort(capacity=3)
    first, second, third, fourth = world.applications
    for application, p_top in ((first, 0.95), (second, 0.5), (third, 0.9), (fourth, 0.05)):
        ApplicationEstimate.objects.filter(application=application).update(p_top=p_top)
    newcomers = [accepted_reviewer(world.cohort) for _ in range(2)]
    manager = staff_member(programs=[world.cohort.program])
    client.force_login(manager)
    now = timezone.now()
    reviews_close_at = now + timedelta(days=2)
    type(world.cohort).objects.filter(pk=world.cohort.pk).update(reviews_close_at=reviews_close_at)

    with time_machine.travel(now, tick=False):
        response = client.post(
            reverse("staff:ranking_request_reviews", args=[world.cohort.pk]), follow=True
        )
    new = list(Assignment.objects.filter(reviewer__in=newcomers).order_by("application_id"))
    text = _text(response)

    assert ("One more review requested for 2 applications: 2 reviewers assigned, who can write "
            "them for 7 days.") in text  # fmt: skip
    assert sorted(ReviewRequest.objects.values_list("application_id", flat=True)) == sorted(
        [second.pk, third.pk]
    )
    assert [assignment.application_id for assignment in new] == sorted([second.pk, third.pk])
    assert {assignment.writable_until for assignment in new} == {now + timedelta(days=7)}
    assert {
        application.pk: application.needed
        for application in review_selectors.application_progress(world.cohort)
    } == {first.pk: 3, second.pk: 4, third.pk: 4, fourth.pk: 3}
    assert review_selectors.assignment_plan(world.cohort).pairs == []  # nothing left to fill

    # Reviews closed yesterday: the requested review can still be written, the others not.
    after_close = reviews_close_at + timedelta(days=1)
    original = Assignment.objects.get(pk=world.assignments[second.pk, world.reviewers[0].pk].pk)
    with time_machine.travel(after_close, tick=False):
        saved = review_services.review_field_save(
            assignment=new[0], key="recommendation", value="yes", base_version=0
        )
        with pytest.raises(review_services.ReviewError, match="Reviews closed on"):
            review_services.review_field_save(
                assignment=original, key="private_note", value="Late", base_version=0
            )
    with (
        time_machine.travel(now + timedelta(days=7, seconds=1), tick=False),
        pytest.raises(review_services.ReviewError, match="can no longer change"),
    ):
        review_services.review_field_save(
            assignment=new[0], key="recommendation", value="no", base_version=1
        )
    assert saved.version == 1


def test_without_an_uncertain_band_nothing_is_requested(client):
    from reviews.models import ReviewRequest

    world = reviewed_cohort(capacity=3)
    ApplicationEstimate.objects.filter(cohort=world.cohort).update(p_top=0.99)
    client.force_login(staff_member(programs=[world.cohort.program]))

    response = client.post(
        reverse("staff:ranking_request_reviews", args=[world.cohort.pk]), follow=True
    )

    assert "No application is in the uncertain band." in _text(response)
    assert ReviewRequest.objects.count() == 0
