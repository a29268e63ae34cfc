"""What `load_station_f --demo` adds for the ranking: the demo cohort in review is ranked as
soon as its reviews exist (this receiver is connected after the reviews app's, so it runs
after the reviews are written), synchronously, without waiting for a worker."""

from django.dispatch import receiver

from cohorts.signals import demo_loaded

from . import services
from .models import Ranking


@receiver(demo_loaded, dispatch_uid="selection_demo_ranking")
def rank_the_demo_cohort(sender, now, review_cohort=None, **kwargs) -> list[str]:
    if (
        review_cohort is None
        or Ranking.objects.filter(cohort=review_cohort, computed_at__isnull=False).exists()
    ):
        return []  # create-only, like the rest of the demo
    ranking = services.ranking_compute(cohort=review_cohort)
    return [f"ranking of the demo cohort in review ({ranking.review_count} reviews)"]
