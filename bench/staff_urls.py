"""The project's URLs plus the bare reference view of bench/staff_pages.py: the first page of a
cohort's applications from one query, rendered by a plain template. Only the benchmark points
ROOT_URLCONF here; the app's own code is untouched."""

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from accelerator.urls import urlpatterns as project_urlpatterns
from applications.models import Application
from applications.selectors import STAFF_PAGE_SIZE

BARE_TEMPLATE = engines["django"].from_string(
    """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Applications</title></head>
<body>
<table>
  <thead>
    <tr><th>Startup</th><th>Status</th><th>Country</th><th>Stage</th><th>Submitted at</th></tr>
  </thead>
  <tbody>
    {% for application in applications %}
    <tr>
      <td>{{ application.startup.name }}</td>
      <td>{{ application.get_status_display }}</td>
      <td>{{ application.startup.country.name }}</td>
      <td>{{ application.startup.get_stage_display }}</td>
      <td>{{ application.submitted_at|date:"j M Y, H:i" }}</td>
    </tr>
    {% endfor %}
  </tbody>
</table>
</body>
</html>
"""
)


@login_required
def bare_cohort_applications(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """The same rows in the same order as the staff page's first page, in one query."""
    applications = (
        Application.objects.filter(cohort_id=cohort_id)
        .select_related("startup")
        .order_by(F("submitted_at").desc(nulls_last=True), "startup__name", "pk")[:STAFF_PAGE_SIZE]
    )
    return HttpResponse(BARE_TEMPLATE.render({"applications": applications}, request))


urlpatterns = [
    path("bench/bare/<int:cohort_id>/", bare_cohort_applications, name="bench_bare_applications"),
    *project_urlpatterns,
]
