from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def countdown(moment: datetime) -> str:
    """Time left as "15 days 09:59:59", the same text static/js/accelerator.js then keeps
    up to date every second."""
    seconds = int((moment - timezone.now()).total_seconds())
    if seconds <= 0:
        return gettext("Closed")
    days, rest = divmod(seconds, 86400)
    clock = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    if not days:
        return clock
    return ngettext("%(days)d day %(clock)s", "%(days)d days %(clock)s", days) % {
        "days": days,
        "clock": clock,
    }
