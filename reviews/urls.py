from django.urls import path, re_path

from .views import reviewer, staff

app_name = "review"

# Under /review/, in the "review" namespace: every page here requires two-factor
# authentication under STAFF_REQUIRE_MFA, whoever opens it.
urlpatterns = [
    path("", reviewer.queue, name="queue"),
    path("applications/<int:application_id>/", reviewer.review, name="review"),
    re_path(
        r"^applications/(?P<application_id>[0-9]+)/fields/(?P<key>[a-z_]+(:[0-9]+)?)/$",
        reviewer.field_autosave,
        name="field",
    ),
    path("applications/<int:application_id>/submit/", reviewer.submit, name="submit"),
    path("applications/<int:application_id>/conflict/", reviewer.conflict, name="conflict"),
    path("applications/<int:application_id>/hand-back/", reviewer.hand_back, name="hand_back"),
    path("applications/<int:application_id>/deck/", reviewer.deck, name="deck"),
    path(
        "applications/<int:application_id>/files/<int:question_id>/",
        reviewer.answer_file,
        name="answer_file",
    ),
]

# Accepting an invitation comes before two-factor set-up: outside the namespace.
invitation_urlpatterns = [
    path("review-invitations/<str:token>/", reviewer.invitation_accept, name="reviewer_invitation"),
]

# Under /staff/, in the "staff" namespace (accelerator/urls.py gathers every app's).
staff_urlpatterns = [
    path("cohorts/<int:cohort_id>/reviewers/", staff.cohort_reviewers, name="cohort_reviewers"),
    path(
        "cohorts/<int:cohort_id>/reviewers/assign/", staff.assignment_auto, name="assignment_auto"
    ),
    path("reviewers/<int:reviewer_id>/revoke/", staff.reviewer_revoke, name="reviewer_revoke"),
    path(
        "applications/<int:application_id>/assign/",
        staff.assignment_create,
        name="assignment_create",
    ),
    path("assignments/<int:assignment_id>/end/", staff.assignment_end, name="assignment_end"),
    path("conflicts/<int:conflict_id>/remove/", staff.conflict_remove, name="conflict_remove"),
    path("cohorts/<int:cohort_id>/conflicts/", staff.cohort_conflicts, name="cohort_conflicts"),
    path(
        "cohorts/<int:cohort_id>/conflicts/refresh/",
        staff.conflicts_refresh,
        name="conflicts_refresh",
    ),
    re_path(
        r"^cohorts/(?P<cohort_id>[0-9]+)/conflicts\.(?P<file_format>xlsx|csv)$",
        staff.conflicts_export,
        name="conflicts_export",
    ),
    path(
        "applications/<int:application_id>/reviewer-view/",
        staff.reviewer_view,
        name="reviewer_view",
    ),
    path("conflicts/<int:conflict_id>/confirm/", staff.conflict_confirm, name="conflict_confirm"),
    path("conflicts/<int:conflict_id>/dismiss/", staff.conflict_dismiss, name="conflict_dismiss"),
]
