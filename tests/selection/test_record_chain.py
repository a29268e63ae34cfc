"""The decision record is tamper-evident (#26): chained, its hash emailed to every manager and
shown on the cohort's page, checkable from the downloaded file alone (`verify_record`), and on
PostgreSQL out of reach of the role the app runs as."""

import hashlib
import json
import re
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from uuid import uuid4

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from notifications.models import EmailKind, EmailState, OutgoingEmail
from selection import decisions, services
from selection.models import DecisionOutcome, DecisionRecord, Lottery
from tests.factories import staff_member
from tests.factories.applications import open_cohort, submitted_application
from tests.shared_world import module_world

from .world import reviewed_cohort

pytestmark = pytest.mark.django_db
W, L, R = DecisionOutcome.WINNER, DecisionOutcome.WAITLISTED, DecisionOutcome.REJECTED
TABLE = DecisionRecord._meta.db_table


def canonical_json(content) -> bytes:
    """The record's canonical form, as README and selection/record.py write it down."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def estimates_hash_of(entries: list[dict]) -> str:
    return sha256(canonical_json(sorted(entries, key=lambda entry: entry["id"])))


def _publish(cohort, manager) -> DecisionRecord:
    fingerprint = decisions.publication_state(cohort).fingerprint
    return decisions.decisions_publish(cohort=cohort, actor=manager, fingerprint=fingerprint)


def build_world():
    """Two publications: a cohort whose last place went to a lottery, refitted between the
    lottery's two steps (so its estimates are not the lottery's), then another cohort."""
    reviewed = reviewed_cohort(capacity=2)
    cohort, applications = reviewed.cohort, reviewed.applications
    english = staff_member(programs=[cohort.program], language="en", email="ada@example.org")
    french = staff_member(programs=[cohort.program], language="fr", email="rose@example.org")
    decisions.decision_set(application=applications[0], outcome=W, actor=english)
    decisions.lottery_record(cohort=cohort, group=[a.pk for a in applications[1:]], actor=english)
    late = submitted_application(cohort=cohort, deck_pages=None)
    services.ranking_compute(cohort=cohort)
    decisions.lottery_draw(cohort=cohort, actor=english, random_bytes=b"\x07" * 32)
    decisions.decision_set(application=late, outcome=R, actor=english)
    first = _publish(cohort, english)

    other = open_cohort()
    manager = staff_member(programs=[other.program], language="en")
    for outcome in [W, R]:
        application = submitted_application(cohort=other, deck_pages=None)
        decisions.decision_set(application=application, outcome=outcome, actor=manager)
    second = _publish(other, manager)
    return SimpleNamespace(cohort=cohort, managers=[english, french], first=first,
                           other=other, other_manager=manager, second=second)  # fmt: skip


world = module_world(build_world)


def _download(client, record, manager, path):
    client.force_login(manager)
    response = client.get(reverse("staff:decision_record_download", args=[record.cohort_id]))
    path.write_bytes(response.content)
    return path


def _verify(*paths, sha256=""):
    out = StringIO()
    call_command("verify_record", *paths, sha256=sha256, stdout=out)
    return out.getvalue()


def _rewritten(record: DecisionRecord, change) -> bytes:
    return _rewritten_bytes(record.content.encode(), change)


def _rewritten_bytes(data: bytes, change) -> bytes:
    content = json.loads(data)
    change(content)
    return canonical_json(content)


# --- The record's own figures


def test_the_lottery_estimates_hash_is_recomputed_from_the_records_own_entries(world):
    content = json.loads(world.first.content)
    lottery = content["lottery"]

    assert estimates_hash_of(lottery["estimates"]) == lottery["estimates_hash"]
    assert lottery["estimates_hash"] == Lottery.objects.get(cohort=world.cohort).estimates_hash
    assert estimates_hash_of(content["estimates"]["entries"]) == content["estimates"]["sha256"]
    # The later fit changed the cohort's estimates: the lottery's are kept apart.
    assert content["estimates"]["sha256"] != lottery["estimates_hash"]
    assert [entry["id"] for entry in content["estimates"]["entries"]] == sorted(
        a.pk for a in world.first.cohort.applications.all()
    )


def test_each_record_names_the_one_before_it(world):
    second = json.loads(world.second.content)

    assert json.loads(world.first.content)["previous"] is None
    assert second["previous"] == {"cohort": world.cohort.pk, "sha256": world.first.sha256}
    assert world.second.previous == world.first


# --- verify_record


def test_verify_record_passes_on_downloaded_records(client, world, tmp_path):
    first = _download(client, world.first, world.managers[0], tmp_path / "first.json")
    second = _download(client, world.second, world.other_manager, tmp_path / "second.json")

    output = _verify(first, second, sha256=world.second.sha256)

    assert f"OK  The record's SHA-256: {world.second.sha256}, as stated." in output
    assert f"OK  The previous record's SHA-256: {world.first.sha256}, as stated." in output
    lottery = json.loads(world.first.content)["lottery"]
    assert f"OK  lottery.estimates_hash: {lottery['estimates_hash']}, as stated." in output
    assert f"OK  lottery.seed: {lottery['seed']}, as stated." in output
    assert f"OK  lottery.result: {json.dumps(lottery['result'])}, as stated." in output
    assert "FAILED" not in output
    assert output.endswith("Every hash, the seed and the draw verify.\n")


def _change_an_estimate(content):
    content["estimates"]["entries"][0]["p_top"] = 0.99


def _change_a_lottery_estimate(content):
    content["lottery"]["estimates"][0]["p_top"] = 0.99


def _change_the_bytes(content):
    content["lottery"]["random_bytes"] = "08" * 32


def _change_the_result(content):
    group = content["lottery"]["group"]
    content["lottery"]["result"] = [next(i for i in group if i not in content["lottery"]["result"])]


@pytest.mark.parametrize(
    ("change", "which"),
    [
        (_change_an_estimate, "estimates.sha256 does not match"),
        (_change_a_lottery_estimate, "lottery.estimates_hash does not match"),
        (_change_the_bytes, "lottery.seed does not match"),
        (_change_the_result, "lottery.result does not match"),
    ],
)
def test_verify_record_fails_on_a_tampered_record_naming_the_hash(world, tmp_path, change, which):
    path = tmp_path / "record.json"
    path.write_bytes(_rewritten(world.first, change))

    with pytest.raises(CommandError, match=re.escape(f"record.json: {which}: recomputed")):
        _verify(path)


def test_verify_record_compares_with_the_published_hash(world, tmp_path):
    path = tmp_path / "record.json"
    path.write_bytes(_rewritten(world.first, lambda content: content.update(published_by=None)))

    with pytest.raises(CommandError) as error:
        _verify(path, sha256=world.first.sha256)

    assert str(error.value).splitlines()[1] == (
        f"{path}: The record's SHA-256 does not match: recomputed {sha256(path.read_bytes())}, "
        f"the record states {world.first.sha256}."
    )


def test_a_rewritten_record_breaks_the_next_one(client, world, tmp_path):
    # Whoever owns the table can unguard it and rewrite a record with a hash of its own...
    forged = _rewritten(world.first, lambda content: content.update(published_by=None))
    _checks_now()
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        cursor.execute(f"UPDATE {TABLE} SET content = %s, sha256 = %s WHERE id = %s",
                       [forged.decode(), sha256(forged), world.first.pk])  # fmt: skip
        cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
    first = _download(client, world.first, world.managers[0], tmp_path / "first.json")
    second = _download(client, world.second, world.other_manager, tmp_path / "second.json")
    assert "FAILED" not in _verify(first)  # alone, the forgery is consistent

    with pytest.raises(CommandError) as error:
        _verify(first, second)

    assert str(error.value).splitlines()[1] == (
        f"{second}: The previous record's SHA-256 does not match: recomputed {sha256(forged)}, "
        f"the record states {world.first.sha256}."
    )


# --- The hash, where it cannot be rewritten


def test_the_publication_emails_every_manager_the_records_hash(world):
    sent = OutgoingEmail.objects.filter(kind=EmailKind.DECISIONS_PUBLISHED)
    first = {e.to_address: e for e in sent.filter(cohort_id=world.cohort.pk)}
    (second,) = sent.filter(cohort_id=world.other.pk)
    managers = world.cohort.program.managers.values_list("email", flat=True)

    assert sorted(first) == sorted(managers)  # the reviewers' inviters too: five
    assert len(first) == 5
    assert {e.state for e in [*first.values(), second]} == {EmailState.QUEUED}
    assert [world.first.sha256 in e.body_text for e in first.values()] == [True] * 5
    assert second.to_address == world.other_manager.email
    assert world.second.sha256 in second.body_text
    ada, rose = first["ada@example.org"], first["rose@example.org"]
    assert ada.subject == f"Decisions published for {world.cohort.name}: keep the record's hash"
    assert rose.subject == (
        f"Décisions publiées pour {world.cohort.name} : gardez l’empreinte du procès-verbal"
    )
    assert "It is the first record of the chain." in ada.body_text
    assert "C’est le premier procès-verbal de la chaîne." in rose.body_text
    assert f"It follows the record whose SHA-256 is {world.first.sha256}." in second.body_text


def test_the_public_cohort_page_shows_the_records_hash(client, world):
    published = client.get(world.cohort.get_absolute_url())
    unpublished = client.get(open_cohort().get_absolute_url())

    assert published.status_code == unpublished.status_code == 200
    assert f"<code>{world.first.sha256}</code>" in published.content.decode()
    assert "decision-record-hash" not in unpublished.content.decode()


# --- PostgreSQL: TRUNCATE, and the app's role


def _checks_now():
    """Django's foreign keys are checked at commit: pending checks forbid ALTER and TRUNCATE
    in the same transaction, so run them now."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_postgresql_refuses_truncate(world):
    _checks_now()
    for statement in [f"TRUNCATE {TABLE}", "TRUNCATE cohorts_cohort CASCADE"]:
        with (
            pytest.raises(DatabaseError, match=r"A decision record never changes \(TRUNCATE\)"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)

    assert DecisionRecord.objects.count() == 2


def test_the_app_role_may_only_insert_and_select_records(world):
    from selection.app_role import app_role_grant

    role = f"app_test_{uuid4().hex[:12]}"  # rolled back with the test's transaction
    cohort = open_cohort()
    denied = {
        "UPDATE": f"UPDATE {TABLE} SET content = '{{}}'",
        "DELETE": f"DELETE FROM {TABLE}",
        "TRUNCATE": f"TRUNCATE {TABLE}",
        "DISABLE TRIGGER": f"ALTER TABLE {TABLE} DISABLE TRIGGER USER",
    }
    app_role_grant(role=role)
    _checks_now()
    with connection.cursor() as cursor:
        # The owner could unguard the table: what the app's role must not be able to do.
        with transaction.atomic():
            cursor.execute(denied["DISABLE TRIGGER"])
            transaction.set_rollback(True)
        cursor.execute(f'GRANT "{role}" TO CURRENT_USER')
        cursor.execute(f'SET ROLE "{role}"')
        refused = {}
        for name, statement in denied.items():
            try:
                with transaction.atomic():
                    cursor.execute(statement)
            except DatabaseError as error:
                refused[name] = str(error).splitlines()[0]
        cursor.execute(
            f"INSERT INTO {TABLE} (cohort_id, content, sha256, created_at, previous_id)"
            " VALUES (%s, '{}', %s, now(), %s)",
            [cohort.pk, hashlib.sha256(b"{}").hexdigest(), world.second.pk],
        )
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        count = cursor.fetchone()[0]
        cursor.execute("RESET ROLE")

    assert refused == {
        "UPDATE": f"permission denied for table {TABLE}",
        "DELETE": f"permission denied for table {TABLE}",
        "TRUNCATE": f"permission denied for table {TABLE}",
        "DISABLE TRIGGER": f"must be owner of table {TABLE}",
    }
    assert count == 3


def test_a_version_1_record_still_verifies(tmp_path):
    """Published before the chain (main at 34c07b3): no previous record, only the decided
    applications' estimates, no lottery estimates; its seed and draw still check."""
    path = Path(__file__).parent / "records" / "version_1.json"
    tampered = tmp_path / "version_1.json"
    tampered.write_bytes(_rewritten_bytes(path.read_bytes(), _change_the_result))

    output = _verify(path, sha256=sha256(path.read_bytes()))
    failure = re.escape("version_1.json: lottery.result does not match")
    with pytest.raises(CommandError, match=failure):
        _verify(tampered)

    assert output.splitlines()[2:] == [
        "  OK  estimates.sha256: f6738d927224e2066f30b806afde6abd1665cd07cad71b2e07025e1788f088c8,"
        " as stated.",
        "  NOT CHECKED  lottery.estimates_hash is not checked: the lottery was recorded before it"
        " kept its estimates.",
        "  OK  lottery.seed: 7c61926abe72b566a900cbcd70cf7034054614805e31f523c749dc32435c417e,"
        " as stated.",
        "  OK  lottery.result: [2], as stated.",
        "Every hash, the seed and the draw verify.",
    ]
