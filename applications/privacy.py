"""The privacy notice applicants accept when they submit. Its text is the template
applications/privacy_notice.html; change the version whenever the text changes."""

PRIVACY_NOTICE_VERSION = "2024-06"
