"""Blind review: what reviewers read of an application on a cohort with `blind_review`, with
every string that names the startup or its people replaced by "[redacted]".

One module, used by every reviewer-facing page, fragment and email, and one way to build a
redactor: redactors_for() (redactor_for() is its one-application form). It names the startup
by every name and legal entity it has had since its first submission (each submitted version
keeps the profile as it was, and the names given up in between are kept as past names), its
people (members, past and present, invitees, people named as conflicts), their emails and
links, and the startup's sites.

Matching is on folded text (compatibility-decomposed, accents stripped, casefolded: NFC and
NFD alike) and on whole words; a name's words may be run together or joined by anything that
is not a letter or digit ("LumenLegal", "lumen-legal", "lumen_legal_ai"). Of a startup's name,
the whole name and every run of its words holding a distinctive word are redacted ("Lumen
Legal", "Lumen"), the common words alone are not ("AI", "Legal", "Santé"): a word is common
when it is in the shipped English and French list (data/common_words.txt) or in the names of
COHORT_COMMON or more other applications of the cohort. A person's name and each of its words
are redacted whatever they are. Inside a link or a handle ("medium.com/@getlumen"), names are
redacted even run into other letters. Names shorter than MIN_LENGTH characters are not
redacted (they would eat ordinary words): staff see them listed as a warning."""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.db.models import Prefetch
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext

from applications.enums import ApplicationStatus
from applications.models import Application, Membership, Submission

from .conflicts import fold

REDACTED = "[redacted]"
MIN_LENGTH = 3
# Inside links and handles a name is matched run into other letters: only from this length.
MIN_LENGTH_IN_LINKS = 4
COHORT_COMMON = 3
COMMON_WORDS_FILE = Path(__file__).parent / "data" / "common_words.txt"
# Letters and digits: "_" joins the words of a handle as "-" and "." do.
WORD = re.compile(r"[^\W_]+")
SEPARATOR = r"[\W_]*"
# A link, an email or a handle, in folded text: a run without spaces (TOKEN) holding "@", "/"
# or a dot before a letter (LINK_MARK). Two steps, so that a long run without one stays linear.
TOKEN = re.compile(r"[^\s<>\"'()\[\]]+")
LINK_MARK = re.compile(r"@|/|\.[^\W\d_]")


@cache
def common_words() -> frozenset[str]:
    with COMMON_WORDS_FILE.open(encoding="utf-8") as words:
        return frozenset(
            line.strip() for line in words if line.strip() and not line.startswith("#")
        )


def _words(text: str) -> list[str]:
    return WORD.findall(fold(text or ""))


def _as_written(text: str, words: list[str]) -> list[str]:
    """The words of `text` as written (for staff's list of names too short to redact), or
    folded when folding split them otherwise."""
    written = WORD.findall(unicodedata.normalize("NFC", text))
    return written if len(written) == len(words) else words


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

    pattern: re.Pattern | None = None  # whole words
    in_links: re.Pattern | None = None  # anywhere inside a link or a handle
    too_short: list[str] = field(default_factory=list)

    def __call__(self, text):
        if not isinstance(text, str) or self.pattern is None or not text:
            return text
        text = unicodedata.normalize("NFC", text)
        folded, positions = _fold_with_positions(text)
        found = [(m.start(), m.end()) for m in self.pattern.finditer(folded)]
        if self.in_links is not None:
            for token in TOKEN.finditer(folded):
                if LINK_MARK.search(token.group()):
                    found += [
                        (m.start(), m.end())
                        for m in self.in_links.finditer(folded, token.start(), token.end())
                    ]
        spans: list[list[int]] = []
        for start, end in sorted(span for span in found if span[0] < span[1]):
            start, end = positions[start], positions[end - 1] + 1
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1
            if spans and start <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
        for start, end in reversed(spans):
            text = text[:start] + REDACTED + text[end:]
        return text

    @property
    def active(self) -> bool:
        return self.pattern is not None


@dataclass
class Names:
    """What identifies one application's startup and people."""

    startup: set[str] = field(default_factory=set)  # names and legal entities since 1st submission
    people: set[str] = field(default_factory=set)
    literals: set[str] = field(default_factory=set)  # emails, links, hosts


def _alternation(patterns) -> str:
    # Longest first: "lumen legal ai" before "lumen".
    return "|".join(sorted(set(patterns), key=len, reverse=True))


def build_redactor(names: Names, *, common=frozenset()) -> Redactor:
    """The redactor of these names; `common` are the words of the cohort's names that are
    common there (the shipped list is added). The only code that compiles a redactor."""
    common = common_words() | common
    bounded, in_links, too_short = [], [], set()
    for name in names.startup:
        words = _words(name)
        if not words:
            continue
        if len("".join(words)) < MIN_LENGTH:
            too_short.add(name.strip())
            continue
        bounded.append(SEPARATOR.join(map(re.escape, words)))
        distinctive = [
            len(word) >= MIN_LENGTH and not word.isdigit() and word not in common for word in words
        ]
        too_short.update(
            written
            for word, written in zip(words, _as_written(name, words), strict=True)
            if len(word) < MIN_LENGTH and word not in common
        )
        for start in range(len(words)):
            for end in range(start + 1, len(words) + 1):
                if any(distinctive[start:end]):
                    run = SEPARATOR.join(map(re.escape, words[start:end]))
                    bounded.append(run)
                    if len("".join(words[start:end])) >= MIN_LENGTH_IN_LINKS:
                        in_links.append(run)
    for name in names.people:
        words = _words(name)
        written = dict(zip(words, _as_written(name, words), strict=True))
        # A person's surname or first name alone names them too.
        for run in {tuple(words), *((word,) for word in words)}:
            if not run:
                continue
            if len("".join(run)) < MIN_LENGTH:
                too_short.add(written[run[0]] if len(run) == 1 else name.strip())
                continue
            bounded.append(SEPARATOR.join(map(re.escape, run)))
            if len("".join(run)) >= MIN_LENGTH_IN_LINKS:
                in_links.append(SEPARATOR.join(map(re.escape, run)))
    for literal in names.literals:
        folded = fold(literal)
        if len(folded) >= MIN_LENGTH:
            bounded.append(re.escape(folded))
    too_short = sorted(too_short)
    if not bounded:
        return Redactor(too_short=too_short)
    return Redactor(
        pattern=re.compile(rf"(?<![^\W_])(?:{_alternation(bounded)})(?![^\W_])"),
        in_links=re.compile(_alternation(in_links)) if in_links else None,
        too_short=too_short,
    )


def _with_names(application_ids):
    return (
        Application.objects.filter(pk__in=list(application_ids))
        .select_related("startup", "cohort")
        .prefetch_related(
            Prefetch("startup__memberships", queryset=Membership.objects.select_related("user")),
            "startup__invitations",
            "startup__past_names",
            "named_conflicts",
        )
    )


def _add_version(names: Names, profile, team) -> None:
    """What one submitted version says of the startup: its name and legal entity then, its
    team then (a member may have left since), their links and its sites."""
    profile = profile if isinstance(profile, dict) else {}
    names.startup.update({str(profile.get("name") or ""), str(profile.get("legal_entity") or "")})
    for url_field in ("website", "github_url", "hugging_face_url", "demo_url"):
        names.literals.update(_host_terms(str(profile.get(url_field) or "")))
    for member in team if isinstance(team, list) else []:
        if isinstance(member, dict):
            names.people.add(str(member.get("name") or ""))
            names.literals.add(str(member.get("linkedin") or ""))


def _names(application, versions) -> Names:
    startup = application.startup
    names = Names(startup={startup.name, startup.legal_entity})
    names.startup.update(past.name for past in startup.past_names.all())
    for url_field in ("website", "github_url", "hugging_face_url", "demo_url"):
        names.literals.update(_host_terms(getattr(startup, url_field, "")))
    for profile, team in versions:
        _add_version(names, profile, team)
    for membership in startup.memberships.all():
        names.people.add(membership.user.full_name)
        names.literals.update({membership.user.email, membership.linkedin_url})
    for invitation in startup.invitations.all():
        names.literals.add(invitation.email)
    for named in application.named_conflicts.all():
        names.people.add(named.person_name)
        names.literals.add(named.person_email)
    names.startup = {name for name in names.startup if name.strip()}
    names.people = {name for name in names.people if name.strip()}
    names.literals = {literal for literal in names.literals if literal}
    return names


def _cohort_words(cohort_ids) -> dict[int, dict[str, set[int]]]:
    """{cohort id: {word: the applications whose startup's name holds it}}, over the
    applications that were submitted (a draft costs nothing to make, so drafts named "Lumen"
    would otherwise unmask a Lumen)."""
    words: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    rows = (
        Application.objects.filter(cohort_id__in=list(cohort_ids))
        .exclude(status=ApplicationStatus.DRAFT)
        .values_list("cohort_id", "pk", "startup__name", "startup__legal_entity")
    )
    for cohort_id, pk, name, legal_entity in rows:
        for word in set(_words(name)) | set(_words(legal_entity)):
            words[cohort_id][word].add(pk)
    return words


def redactors_for(applications) -> dict[int, Redactor]:
    """{application id: its redactor} for the applications of blind cohorts among these (the
    others have none; nothing is read from the database when no cohort is blind). Every
    redactor reviewers' texts go through is built here, in a fixed number of queries."""
    blind = {a.pk: a.cohort_id for a in applications if a.cohort.blind_review}
    if not blind:
        return {}
    loaded = list(_with_names(blind))
    versions = defaultdict(list)
    rows = Submission.objects.filter(
        application__startup_id__in={a.startup_id for a in loaded}
    ).values_list(
        "application__startup_id",
        KeyTransform("profile", "content"),
        KeyTransform("team", "content"),
    )
    for startup_id, profile, team in rows:
        versions[startup_id].append((profile, team))
    cohort_words = _cohort_words(set(blind.values()))
    redactors = {}
    for application in loaded:
        words = cohort_words[application.cohort_id]
        itself = {application.pk}
        common = frozenset(
            word for word, holders in words.items() if len(holders - itself) >= COHORT_COMMON
        )
        redactors[application.pk] = build_redactor(
            _names(application, versions[application.startup_id]), common=common
        )
    return redactors


def redactor_for(application) -> Redactor:
    """The redactor of one application's texts for its reviewers: empty unless its cohort is
    blind."""
    return redactors_for([application]).get(application.pk) or Redactor()


def withheld_note() -> str:
    return gettext(
        "This cohort is reviewed blind: the pitch deck and files are withheld, since a PDF "
        "cannot be redacted reliably (names hide in logos, images and metadata)."
    )


def blind_name(application) -> str:
    """What a blind cohort's reviewers call an application instead of its startup's name."""
    return gettext("Application #%(number)d") % {"number": application.pk}
