"""Blind review: what reviewers read of an application on a cohort with `blind_review`, with
every string that names the startup or its people replaced by "[redacted]".

One module, used by every reviewer-facing page, fragment and email. Matching is on folded
text (compatibility-decomposed, accents stripped, casefolded: NFC and NFD alike) and on whole
words; a name's words may be run together or split by any punctuation ("LumenLegal",
"lumen-legal"). Names shorter than MIN_LENGTH characters are not redacted (they would eat
ordinary words): staff see them listed as a warning."""

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db.models import Prefetch
from django.utils.translation import gettext

from applications.models import Application, Membership

from .conflicts import fold

REDACTED = "[redacted]"
MIN_LENGTH = 3
WORD = re.compile(r"\w+")


def _fold_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index of the character of `text`
    it comes from."""
    folded, positions = [], []
    for index, char in enumerate(text):
        for piece in fold_char(char):
            folded.append(piece)
            positions.append(index)
    return "".join(folded), positions


def fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _name_pattern(name: str) -> str:
    """A name's words, in order, separated by nothing or by anything that is not a letter or
    digit."""
    words = WORD.findall(fold(name))
    return r"\W*".join(re.escape(word) for word in words)


def _host_terms(url: str) -> list[str]:
    """A link as people write it: the whole address, without its scheme, and its host without
    "www." (for a site of its own)."""
    url = (url or "").strip()
    if not url:
        return []
    bare = re.sub(r"^[a-z]+://", "", url, flags=re.IGNORECASE).rstrip("/")
    terms = [url, bare]
    try:
        host = urlsplit(url if "://" in url else "https://" + url).hostname or ""
    except ValueError:
        host = ""
    if host and "/" not in bare.removeprefix(host).strip("/"):
        terms += [host, host.removeprefix("www.")]
    return terms


@dataclass
class Redactor:
    """Replaces the application's names in a text. An empty redactor (not a blind cohort)
    returns texts unchanged."""

    pattern: re.Pattern | None = None
    too_short: list[str] = field(default_factory=list)

    def __call__(self, text):
        if not isinstance(text, str) or self.pattern is None or not text:
            return text
        text = unicodedata.normalize("NFC", text)
        folded, positions = _fold_with_positions(text)
        spans = []
        for match in self.pattern.finditer(folded):
            if match.start() == match.end():
                continue
            start = positions[match.start()]
            end = positions[match.end() - 1] + 1
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1
            spans.append((start, end))
        for start, end in reversed(spans):
            text = text[:start] + REDACTED + text[end:]
        return text

    @property
    def active(self) -> bool:
        return self.pattern is not None


def _terms(application, content: dict | None) -> tuple[list[str], list[str]]:
    """(name patterns, literal strings) that identify the application's startup and people:
    the startup's name and legal entity, its members' and invitees' names and emails, the
    people it named as conflicts of interest, its website and links."""
    startup = application.startup
    content = content or {}
    profile = content.get("profile") or {}
    names = {startup.name, startup.legal_entity, profile.get("name", ""),
             profile.get("legal_entity", "")}  # fmt: skip
    literals = set()
    for member in content.get("team") or []:
        names.add(member.get("name", ""))
        literals.add(member.get("linkedin") or "")
    for membership in startup.memberships.all():
        names.add(membership.user.full_name)
        literals.add(membership.user.email)
        literals.add(membership.linkedin_url)
    for invitation in startup.invitations.all():
        literals.add(invitation.email)
    for named in application.named_conflicts.all():
        names.add(named.person_name)
        literals.add(named.person_email)
    for url_field in ("website", "github_url", "hugging_face_url", "demo_url"):
        for url in {getattr(startup, url_field, ""), profile.get(url_field) or ""}:
            literals.update(_host_terms(url))
    # A person's surname or first name alone names them too.
    for name in list(names):
        words = WORD.findall(name or "")
        if len(words) > 1 and name not in (startup.name, startup.legal_entity):
            names.update(words)
    return [name for name in names if name and name.strip()], [
        literal for literal in literals if literal
    ]


def redactor_for(application, content: dict | None = None) -> Redactor:
    """The redactor of one application's texts for its reviewers: empty unless its cohort is
    blind. The application comes with its startup, memberships (and users), invitations and
    named conflicts, prefetched or not."""
    if not application.cohort.blind_review:
        return Redactor()
    return build_redactor(application, content)


def build_redactor(application, content: dict | None = None) -> Redactor:
    names, literals = _terms(application, content)
    patterns, too_short = [], []
    for name in names:
        pattern = _name_pattern(name)
        if len("".join(WORD.findall(fold(name)))) < MIN_LENGTH:
            too_short.append(name)
        elif pattern:
            patterns.append(pattern)
    for literal in literals:
        folded = fold(literal)
        if len(folded) >= MIN_LENGTH:
            patterns.append(re.escape(folded))
    if not patterns:
        return Redactor(too_short=sorted(set(too_short)))
    # Longest first: "lumen legal ai" before "lumen".
    patterns.sort(key=len, reverse=True)
    joined = "|".join(patterns)
    return Redactor(
        pattern=re.compile(rf"(?<!\w)(?:{joined})(?!\w)"), too_short=sorted(set(too_short))
    )


def withheld_note() -> str:
    return gettext(
        "This cohort is reviewed blind: the pitch deck and files are withheld, since a PDF "
        "cannot be redacted reliably (names hide in logos, images and metadata)."
    )


def blind_name(application) -> str:
    """What a blind cohort's reviewers call an application instead of its startup's name."""
    return gettext("Application #%(number)d") % {"number": application.pk}


def _with_names(application_ids):
    return (
        Application.objects.filter(pk__in=list(application_ids))
        .select_related("startup", "cohort")
        .prefetch_related(
            Prefetch("startup__memberships", queryset=Membership.objects.select_related("user")),
            "startup__invitations",
            "named_conflicts",
        )
    )


def redactors_for_queue(applications) -> dict[int, Redactor]:
    """{application id: its redactor} for the applications of blind cohorts among these (none
    read from the database when no cohort is blind)."""
    blind = [a.pk for a in applications if a.cohort.blind_review]
    if not blind:
        return {}
    return {application.pk: build_redactor(application) for application in _with_names(blind)}
