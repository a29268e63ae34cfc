"""Staff search: the same matching on PostgreSQL and SQLite, without either's own full-text
search. Each application keeps a casefolded, accent-free copy of what identifies it
(`Application.search_text`); a query is normalised the same way and every word of it must
appear in that copy ("zoe" finds "Zoé", "LUMIERE" finds "Lumière")."""

import unicodedata

from django.db.models import QuerySet


def normalise(text: str) -> str:
    """Casefolded, without accents, runs of white space folded to one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.split())


def _answer_words(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [str(value)]
    return []  # files and yes/no say nothing worth searching


def search_text_for(application, latest_submission=None) -> str:
    """What staff search matches for one application: its startup's name, each member's name
    and email, and the answers of its latest submitted version (never the live draft)."""
    startup = application.startup
    parts = [startup.name]
    for membership in startup.memberships.all():
        parts += [membership.user.full_name, membership.user.email]
    if latest_submission is not None:
        for answer in latest_submission.content.get("answers", []):
            parts += _answer_words(answer.get("value"))
    return normalise(" ".join(part for part in parts if part))


def search(queryset: QuerySet, query: str) -> QuerySet:
    """The applications of `queryset` whose search text holds every word of `query`."""
    for word in normalise(query).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset
