"""The project's URLs plus the bare reference views of bench/review_pages.py: a reviewer's
queue from one query, an application's latest submitted version with the other reviews from
two, and one review field saved by one UPDATE, each through a plain template (or none). Only
the benchmark points ROOT_URLCONF here; the app's own code is untouched."""

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, F, OuterRef
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from accelerator.urls import urlpatterns as project_urlpatterns
from applications.models import Submission
from reviews.models import Assignment, Review, ReviewField

QUEUE_TEMPLATE = engines["django"].from_string(
    """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>My reviews</title></head>
<body>
<ol>
  {% for assignment in assignments %}
  <li><a href="/review/applications/{{ assignment.application_id }}/">{{ assignment.application.startup.name }}</a>
    {{ assignment.application.startup.get_stage_display }}
    {% if assignment.submitted %}Submitted{% elif assignment.started %}In progress{% else %}Not started{% endif %}</li>
  {% endfor %}
</ol>
</body>
</html>
"""  # noqa: E501
)

REVIEW_TEMPLATE = engines["django"].from_string(
    """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ profile.name }}</title></head>
<body>
<h1>{{ profile.name }}</h1>
<p>{{ profile.city }}, {{ profile.country }} · {{ profile.pitch|linebreaksbr }}</p>
<p>{% for member in team %}{{ member.name }} ({{ member.role }}){% endfor %}</p>
{% for answer in answers %}
<h2>{{ answer.label }}</h2>
<div>{{ answer.value|linebreaksbr }}</div>
{% endfor %}
{% regroup fields by review as reviews %}
{% for review in reviews %}
<article>
  <h2>{{ review.grouper.reviewer.user.full_name }}</h2>
  <ul>{% for field in review.list %}<li>{{ field.key }}: {{ field.value }}</li>{% endfor %}</ul>
</article>
{% endfor %}
</body>
</html>
"""
)


@login_required
def bare_queue(request: HttpRequest) -> HttpResponse:
    """The queue's rows (startup, stage, state) from one query."""
    reviews = Review.objects.filter(
        reviewer_id=OuterRef("reviewer_id"), application_id=OuterRef("application_id")
    )
    assignments = (
        Assignment.objects.filter(
            reviewer__user=request.user,
            reviewer__accepted_at__isnull=False,
            reviewer__revoked_at__isnull=True,
            ended_at__isnull=True,
        )
        .select_related("application__startup")
        .annotate(
            started=Exists(reviews),
            submitted=Exists(reviews.filter(submitted_at__isnull=False)),
        )
        .order_by("submitted", "pk")
    )
    return HttpResponse(QUEUE_TEMPLATE.render({"assignments": assignments}, request))


@login_required
def bare_review(request: HttpRequest, application_id: int) -> HttpResponse:
    """The latest submitted version's answers and profile (one query), then every field of the
    other submitted reviews with their reviewer (a second)."""
    submission = Submission.objects.filter(application_id=application_id).order_by("-number")[0]
    fields = (
        ReviewField.objects.filter(
            review__application_id=application_id, review__submitted_at__isnull=False
        )
        .exclude(review__reviewer__user=request.user)
        .select_related("review__reviewer__user")
        .order_by("review_id", "key")
    )
    context = {
        "profile": submission.content.get("profile") or {},
        "team": submission.content.get("team") or [],
        "answers": submission.content.get("answers") or [],
        "fields": fields,
    }
    return HttpResponse(REVIEW_TEMPLATE.render(context, request))


@login_required
@require_POST
def bare_field(request: HttpRequest, field_id: int) -> HttpResponse:
    """One UPDATE of a review field, answered by a tiny fragment."""
    ReviewField.objects.filter(pk=field_id).update(
        value=request.POST.get("value", ""), version=F("version") + 1, updated_at=timezone.now()
    )
    return HttpResponse('<p class="save-state saved">Saved</p>')


urlpatterns = [
    path("bench/bare/queue/", bare_queue, name="bench_bare_queue"),
    path("bench/bare/review/<int:application_id>/", bare_review, name="bench_bare_review"),
    path("bench/bare/field/<int:field_id>/", bare_field, name="bench_bare_field"),
    *project_urlpatterns,
]
