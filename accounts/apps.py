from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Every admin, ours and third-party ones, refuses regex lookups from its URL.
        from accelerator.admin_lookups import refuse_regex_and_unknown_lookups

        refuse_regex_and_unknown_lookups()
