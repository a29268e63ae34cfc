from django.urls import path, re_path

from .views import applicant, staff

urlpatterns = [
    path("startup/", applicant.dashboard, name="dashboard"),
    path("startup/new/", applicant.startup_create, name="startup_create"),
    path("startup/<int:startup_id>/", applicant.startup_profile, name="startup"),
    path("startup/<int:startup_id>/invite/", applicant.invitation_create, name="invitation_create"),
    path(
        "startup/<int:startup_id>/invitations/<int:invitation_id>/revoke/",
        applicant.invitation_revoke,
        name="invitation_revoke",
    ),
    path("startup/<int:startup_id>/leave/", applicant.membership_leave, name="membership_leave"),
    path("invitations/<str:token>/", applicant.invitation_accept, name="invitation_accept"),
    path("apply/<slug:program_slug>/<slug:cohort_slug>/", applicant.apply, name="apply"),
    path("applications/<int:application_id>/", applicant.application_form, name="application"),
    path(
        "applications/<int:application_id>/answers/<int:question_id>/",
        applicant.answer_autosave,
        name="answer_autosave",
    ),
    path(
        "applications/<int:application_id>/submit/",
        applicant.application_submit,
        name="application_submit",
    ),
    path(
        "applications/<int:application_id>/conflicts/",
        applicant.named_conflict_add,
        name="named_conflict_add",
    ),
    path(
        "applications/<int:application_id>/conflicts/<int:named_id>/remove/",
        applicant.named_conflict_remove,
        name="named_conflict_remove",
    ),
    path(
        "applications/<int:application_id>/withdraw/",
        applicant.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "applications/<int:application_id>/deck/",
        applicant.pitch_deck_upload,
        name="pitch_deck_upload",
    ),
    path(
        "applications/<int:application_id>/deck/download/",
        applicant.pitch_deck_download,
        name="pitch_deck_download",
    ),
    path(
        "applications/<int:application_id>/answers/<int:question_id>/file/",
        applicant.answer_file_upload,
        name="answer_file_upload",
    ),
    path(
        "applications/<int:application_id>/answers/<int:question_id>/file/download/",
        applicant.answer_file_download,
        name="answer_file_download",
    ),
]

# Under /staff/, in the "staff" namespace (accelerator/urls.py gathers every app's).
staff_urlpatterns = [
    path(
        "cohorts/<int:cohort_id>/applications/",
        staff.cohort_applications,
        name="cohort_applications",
    ),
    re_path(
        r"^cohorts/(?P<cohort_id>[0-9]+)/applications\.(?P<file_format>xlsx|csv)$",
        staff.cohort_export,
        name="cohort_export",
    ),
    path(
        "cohorts/<int:cohort_id>/applications/screen-out/",
        staff.cohort_screen_out,
        name="cohort_screen_out",
    ),
    path("applications/<int:application_id>/", staff.application_detail, name="application"),
    path(
        "applications/<int:application_id>/screening/",
        staff.application_screening,
        name="application_screening",
    ),
    path(
        "applications/<int:application_id>/deck/", staff.application_deck, name="application_deck"
    ),
    path(
        "applications/<int:application_id>/files/<int:question_id>/",
        staff.application_file,
        name="application_file",
    ),
]
