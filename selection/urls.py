from django.urls import path, re_path

from . import decision_views, offer_views, views

# Under /staff/, in the "staff" namespace (accelerator/urls.py gathers every app's).
staff_urlpatterns = [
    path("cohorts/<int:cohort_id>/ranking/", views.ranking, name="ranking"),
    path(
        "cohorts/<int:cohort_id>/ranking/recompute/",
        views.ranking_recompute,
        name="ranking_recompute",
    ),
    path(
        "cohorts/<int:cohort_id>/ranking/threshold/",
        views.ranking_threshold,
        name="ranking_threshold",
    ),
    path(
        "cohorts/<int:cohort_id>/ranking/request-reviews/",
        views.ranking_request_reviews,
        name="ranking_request_reviews",
    ),
    path("cohorts/<int:cohort_id>/ranking/leniency/", views.leniency, name="ranking_leniency"),
    path("cohorts/<int:cohort_id>/ranking/method/", views.method, name="ranking_method"),
    re_path(
        r"^cohorts/(?P<cohort_id>[0-9]+)/ranking\.(?P<file_format>xlsx|csv)$",
        views.ranking_export,
        name="ranking_export",
    ),
    path("cohorts/<int:cohort_id>/reviews.csv", views.reviews_export, name="reviews_export"),
]

# --- Decisions (#18)
staff_urlpatterns += [
    path("cohorts/<int:cohort_id>/decisions/", decision_views.decisions_page, name="decisions"),
    path(
        "cohorts/<int:cohort_id>/decisions/<int:application_id>/",
        decision_views.decision_save,
        name="decision_save",
    ),
    path(
        "cohorts/<int:cohort_id>/decisions/reject-remaining/",
        decision_views.decisions_reject_remaining,
        name="decisions_reject_remaining",
    ),
    path(
        "cohorts/<int:cohort_id>/decisions/publish/",
        decision_views.decisions_publish,
        name="decisions_publish",
    ),
    path(
        "cohorts/<int:cohort_id>/decisions/emails/",
        decision_views.decision_emails,
        name="decision_emails",
    ),
    path(
        "cohorts/<int:cohort_id>/decisions/lottery/",
        decision_views.lottery_record,
        name="lottery_record",
    ),
    path(
        "cohorts/<int:cohort_id>/decisions/lottery/draw/",
        decision_views.lottery_draw,
        name="lottery_draw",
    ),
    path(
        "cohorts/<int:cohort_id>/decisions/record/",
        decision_views.decision_record,
        name="decision_record",
    ),
    path(
        "cohorts/<int:cohort_id>/decisions/record.json",
        decision_views.decision_record_download,
        name="decision_record_download",
    ),
]

# --- Offers (#19)
staff_urlpatterns += [
    path("cohorts/<int:cohort_id>/offers/", offer_views.offers_page, name="offers"),
    path(
        "cohorts/<int:cohort_id>/offers/<int:offer_id>/extend/",
        offer_views.offer_extend,
        name="offer_extend",
    ),
    path(
        "cohorts/<int:cohort_id>/offers/<int:offer_id>/withdraw/",
        offer_views.offer_withdraw,
        name="offer_withdraw",
    ),
]
# A startup's members answer their offer (at the root, beside the dashboard).
applicant_urlpatterns = [
    path("offers/<int:offer_id>/accept/", offer_views.offer_accept, name="offer_accept"),
    path("offers/<int:offer_id>/decline/", offer_views.offer_decline, name="offer_decline"),
]
# --- Interviews (#17) ------------------------------------------------------------------------
from . import interview_views  # noqa: E402

staff_urlpatterns += [
    path("cohorts/<int:cohort_id>/interviews/", interview_views.stage, name="interviews"),
    path("cohorts/<int:cohort_id>/shortlist/", interview_views.shortlist,
         name="interview_shortlist"),
    path("cohorts/<int:cohort_id>/shortlist/preview/", interview_views.shortlist_preview,
         name="interview_shortlist_preview"),
    path("cohorts/<int:cohort_id>/shortlist/<int:application_id>/remove/",
         interview_views.unshortlist, name="interview_unshortlist"),
    path("cohorts/<int:cohort_id>/interviews/slots/", interview_views.slot_create,
         name="interview_slot_create"),
    path("cohorts/<int:cohort_id>/interviews/slots/bulk/", interview_views.slots_bulk,
         name="interview_slots_bulk"),
    path("cohorts/<int:cohort_id>/interviews/slots/<int:slot_id>/", interview_views.slot_action,
         name="interview_slot_action"),
    path("cohorts/<int:cohort_id>/interviews/invite/", interview_views.invitations_send,
         name="interview_invitations_send"),
    re_path(r"^cohorts/(?P<cohort_id>[0-9]+)/interviews\.(?P<file_format>xlsx|csv)$",
            interview_views.stage_export, name="interviews_export"),
]  # fmt: skip

# At the site's root (accelerator/urls.py): the startup's booking, the panel's pages.
interview_urlpatterns = [
    path("interviews/<int:application_id>/", interview_views.booking, name="interview_booking"),
    path("interviews/<int:application_id>/interview.ics", interview_views.booking_ics,
         name="interview_booking_ics"),
    path("interviews/panel/", interview_views.panel, name="interview_panel"),
    path("interviews/<int:application_id>/score/", interview_views.score,
         name="interview_score"),
]  # fmt: skip
