"""The project's URLs plus the bare reference view of bench/ranking.py: the ranking's first
250 rows from one query through a plain template. Only the benchmark points ROOT_URLCONF
here; the app's own code is untouched."""

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from accelerator.urls import urlpatterns as project_urlpatterns
from selection.models import ApplicationEstimate

TEMPLATE = engines["django"].from_string(
    """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Ranking</title></head>
<body>
<table>
  {% for e in estimates %}
  <tr><td>{{ e.rank }}</td><td><a href="/staff/applications/{{ e.application_id }}/">{{ e.application.startup.name }}</a></td>
    <td>{{ e.raw_mean|floatformat:2 }}</td><td>{{ e.calibrated_score|floatformat:2 }}</td>
    <td>{{ e.expected_rank|floatformat:1 }} ({{ e.rank_50_low }}–{{ e.rank_50_high }}, {{ e.rank_90_low }}–{{ e.rank_90_high }})</td>
    <td>{{ e.p_top|floatformat:2 }}</td><td>{{ e.reviews_submitted }}</td><td>{{ e.spread|floatformat:2 }}</td></tr>
  {% endfor %}
</table>
</body>
</html>
"""  # noqa: E501
)
ORDER = {
    "calibrated": F("calibrated_score").desc(nulls_last=True),
    "p_top": F("p_top").desc(nulls_last=True),
}


@login_required
def bare_ranking(request: HttpRequest, cohort_id: int) -> HttpResponse:
    estimates = (
        ApplicationEstimate.objects.filter(cohort_id=cohort_id)
        .select_related("application__startup")
        .order_by(ORDER[request.GET.get("sort", "calibrated")], "application_id")[:250]
    )
    return HttpResponse(TEMPLATE.render({"estimates": estimates}, request))


urlpatterns = [
    path("bench/bare/ranking/<int:cohort_id>/", bare_ranking, name="bench_bare_ranking"),
    *project_urlpatterns,
]
