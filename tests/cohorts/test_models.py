"""Each rule on cohorts, partners, questions and criteria: a clear message in forms (model
validation), and the database refusing what slips past it."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from cohorts.enums import QuestionKind
from cohorts.models import Partner
from tests.factories.cohorts import (
    CohortFactory,
    PartnerFactory,
    QuestionFactory,
    RubricCriterionFactory,
)

pytestmark = pytest.mark.django_db


def messages_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


def refused_by_database(instance) -> bool:
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        return True
    return False


def test_closing_before_opening_is_refused():
    cohort = CohortFactory.build(program=CohortFactory().program, slug="late")
    cohort.closes_at = cohort.opens_at - timedelta(seconds=1)

    assert messages_of(cohort) == {"__all__": ["The closing time must be after the opening time."]}
    assert refused_by_database(cohort)


def test_programme_dates_out_of_order_are_refused():
    cohort = CohortFactory.build(program=CohortFactory().program, slug="backwards")
    cohort.program_starts_on, cohort.program_ends_on = date(2025, 3, 1), date(2025, 2, 28)

    assert messages_of(cohort) == {"__all__": ["The programme cannot end before it starts."]}
    assert refused_by_database(cohort)


def test_decisions_before_closing_are_refused():
    cohort = CohortFactory.build(program=CohortFactory().program, slug="hasty")
    cohort.decisions_at = cohort.closes_at - timedelta(days=1)

    assert messages_of(cohort) == {"__all__": ["Decisions cannot come before applications close."]}
    assert refused_by_database(cohort)


def test_capacity_zero_is_refused_and_empty_means_no_cap():
    cohort = CohortFactory.build(program=CohortFactory().program, slug="empty", capacity=0)

    assert messages_of(cohort) == {
        "capacity": ["A cohort takes at least one winner; leave capacity empty for no cap."],
    }
    assert refused_by_database(cohort)
    uncapped = CohortFactory.build(program=cohort.program, slug="uncapped", capacity=None)
    uncapped.full_clean()


def test_slug_is_unique_per_program():
    first = CohortFactory(slug="2024")
    again = CohortFactory.build(program=first.program, slug="2024")

    assert messages_of(again) == {"__all__": ["This program already has a cohort with this slug."]}
    CohortFactory(slug="2024")  # another program may use it


def test_unknown_stage_is_refused():
    cohort = CohortFactory.build(
        program=CohortFactory().program, slug="stages", required_stages=["unicorn"]
    )

    assert messages_of(cohort) == {
        "required_stages": ["Choose stages among: idea, MVP, product, revenue."]
    }


def test_negative_weight_is_refused_and_zero_is_allowed():
    criterion = RubricCriterionFactory.build(cohort=CohortFactory(), weight=-1)

    assert messages_of(criterion) == {"__all__": ["A weight cannot be negative."]}
    assert refused_by_database(criterion)
    RubricCriterionFactory.build(cohort=criterion.cohort, weight=0).full_clean()


def test_choice_question_needs_two_choices_and_only_long_text_has_a_word_limit():
    cohort = CohortFactory()
    single = QuestionFactory.build(
        cohort=cohort, kind=QuestionKind.SINGLE_CHOICE, choices="Only one", word_limit=None
    )
    short = QuestionFactory.build(cohort=cohort, kind=QuestionKind.SHORT_TEXT, word_limit=50)

    assert messages_of(single) == {"choices": ["Give at least two choices, one per line."]}
    assert messages_of(short) == {"word_limit": ["Only long texts have a word limit."]}


def image_bytes(image_format: str) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (40, 20), "#2f5bea").save(output, format=image_format)
    return output.getvalue()


def test_svg_logo_is_refused_with_a_clear_message():
    svg = SimpleUploadedFile(
        "logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/png"
    )
    partner = PartnerFactory.build(logo=svg)

    assert messages_of(partner) == {
        "logo": ["The logo must be a PNG, JPEG or WebP image (SVG is not accepted)."]
    }


@pytest.mark.parametrize(("image_format", "extension"), [("PNG", "png"), ("JPEG", "jpg"),
                                                         ("WEBP", "webp")])  # fmt: skip
def test_raster_logo_is_re_encoded_under_a_random_name(image_format, extension, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    uploaded = image_bytes(image_format) + b"trailing bytes a file could smuggle"
    partner = PartnerFactory.build(logo=SimpleUploadedFile("our logo.bin", uploaded))

    partner.full_clean()
    partner.save()

    stored = Partner.objects.get(pk=partner.pk).logo
    assert stored.name.startswith("partners/")
    assert stored.name.endswith(f".{extension}")
    assert "our logo" not in stored.name
    content = stored.read()
    assert b"trailing bytes" not in content
    assert Image.open(io.BytesIO(content)).format == image_format
