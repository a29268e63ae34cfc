"""The decision record's canonical form and its verification, from a downloaded record alone
(no database): what `manage.py verify_record` runs, and what publication and the lottery
compute their hashes with, so both always agree.

The canonical form, exactly:

- **Bytes.** A record is the UTF-8 bytes of `canonical_json(content)`: JSON with keys sorted,
  no spaces (`,` and `:` as separators), non-ASCII characters as themselves (not `\\u`
  escapes), numbers as Python writes them (an int as digits, a float as its shortest
  round-trip `repr`, e.g. `0.1`, `1e-05`), `null` for nothing. The record's hash is the
  SHA-256 (lowercase hex) of those bytes: the file as downloaded.
- **An estimate entry** (one per application the ranking estimated): `{"id": application id,
  "raw_mean", "calibrated_score", "quality_sd", "rank", "expected_rank", "rank_50": [low,
  high], "rank_90": [low, high], "p_top"}` (a figure the fit did not give is `null`).
- **An estimates hash** is the SHA-256 hex of `canonical_json(entries)`, the entries listed
  by increasing id. `estimates.sha256` is that of `estimates.entries` (the estimates at
  publication); `lottery.estimates_hash` is that of `lottery.estimates` (the estimates when
  the lottery's group was recorded, before any random byte existed; a later fit may change
  the cohort's estimates, not these).
- **The lottery's seed** is SHA-256 of the concatenation of: the estimates hash as ASCII hex
  (64 bytes), `canonical_json(sorted(group))`, and the 32 random bytes (hex in the record).
- **The draw** (`lottery.draw`, 1 when absent): version 1 orders the whole group with
  `random.Random(int.from_bytes(seed, "big")).sample(sorted(group), len(group))` (CPython's
  Mersenne Twister) and takes the first `places` as `result`. A new way to draw gets a new
  number here, and the old ones stay, so every record ever published still verifies.
- **The chain** (version 2 on): `previous` is `{"cohort": id, "sha256": hex}` of the record
  published just before this one, any cohort (`null` for the first). Rewriting a record
  changes its hash, which no longer matches what the next one holds, nor what was emailed to
  the managers and shown on the cohort's public page.

Version 1 records (before the chain) hold no `previous`, and only the decided applications'
estimates, with their decisions mixed in: their `estimates.sha256` is recomputed from those
when they were all the estimates, else said not checkable; the seed and the draw are checked
from the lottery's stated estimates hash.
"""

import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext

RECORD_VERSION = 2
VERSIONS = (1, 2)
ESTIMATE_KEYS = (
    "id",
    "raw_mean",
    "calibrated_score",
    "quality_sd",
    "rank",
    "expected_rank",
    "rank_50",
    "rank_90",
    "p_top",
)


def canonical_json(content) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same content always gives the same bytes."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def estimates_hash_of(entries: list[dict]) -> str:
    return sha256(canonical_json(sorted(entries, key=lambda entry: entry["id"])))


def lottery_seed(*, estimates_hash: str, group: list[int], random_bytes: bytes) -> bytes:
    return hashlib.sha256(
        estimates_hash.encode() + canonical_json(sorted(group)) + random_bytes
    ).digest()


def _draw_v1(seed: bytes, group: list[int]) -> list[int]:
    return random.Random(int.from_bytes(seed, "big")).sample(sorted(group), len(group))


# How each version of the draw orders the group from the seed; never change an entry.
DRAWS: dict[int, Callable[[bytes, list[int]], list[int]]] = {1: _draw_v1}
LOTTERY_DRAW = 1  # the one lottery_draw uses now


def lottery_order(*, seed: bytes, group: list[int], draw: int = LOTTERY_DRAW) -> list[int]:
    """The whole group in the draw's order; the first `places` are drawn."""
    return DRAWS[draw](seed, group)


@dataclass(frozen=True)
class Check:
    ok: bool | None  # None: could not be checked (said why)
    message: str


def verify(data: bytes, *, previous: bytes | None = None, expected_sha256: str = "") -> list[Check]:
    """Every hash, the seed and the draw of the record `data` (the downloaded bytes),
    recomputed from the record alone; `previous`: the record before it in the chain, to check
    the link; `expected_sha256`: the hash published (email, cohort page) to compare with."""
    checks: list[Check] = []
    digest = sha256(data)
    try:
        content = json.loads(data.decode())
    except (UnicodeDecodeError, ValueError):
        return [Check(False, gettext("The file is not a decision record: it is not JSON."))]
    if not isinstance(content, dict) or not isinstance(content.get("version"), int):
        return [Check(False, gettext("The file is not a decision record: it has no version."))]
    version = content["version"]
    if version not in VERSIONS:
        return [
            Check(
                False,
                gettext("Unknown record version %(version)s: this copy reads versions %(known)s.")
                % {"version": version, "known": ", ".join(map(str, VERSIONS))},
            )
        ]
    if canonical_json(content) != data:
        checks.append(
            Check(
                False,
                gettext(
                    "The file is not the record as downloaded: its bytes are not the record's "
                    "canonical JSON, so its SHA-256 cannot match."
                ),
            )
        )
    checks.append(
        _compare(gettext("The record's SHA-256"), digest, expected_sha256)
        if expected_sha256
        else Check(
            True,
            gettext(
                "The record's SHA-256 is %(sha256)s: compare it with the "
                "one emailed to the managers and shown on the cohort's "
                "page."
            )
            % {"sha256": digest},
        )
    )
    try:
        if version >= 2:
            checks.append(_check_previous(content.get("previous"), previous))
        elif previous is not None:
            checks.append(Check(False, gettext("A version 1 record names no previous record.")))
        checks.extend(_check_estimates(content, version))
        checks.extend(_check_lottery(content.get("lottery")))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        checks.append(
            Check(
                False,
                gettext("The record is incomplete or malformed (%(error)s).")
                % {"error": f"{type(error).__name__}: {error}"},
            )
        )
    return checks


def _compare(what: str, recomputed: str, stated) -> Check:
    if recomputed == stated:
        return Check(
            True, gettext("%(what)s: %(value)s, as stated.") % {"what": what, "value": recomputed}
        )
    return Check(
        False,
        gettext("%(what)s does not match: recomputed %(recomputed)s, the record states %(stated)s.")
        % {"what": what, "recomputed": recomputed, "stated": stated},
    )


def _check_previous(named, previous: bytes | None) -> Check:
    if previous is None:
        if named is None:
            return Check(True, gettext("This record is the first of the chain."))
        return Check(
            None,
            gettext(
                "This record follows the record of cohort %(cohort)s, "
                "SHA-256 %(sha256)s (give that file too to check the link)."
            )
            % {"cohort": named["cohort"], "sha256": named["sha256"]},
        )
    if named is None:
        return Check(False, gettext("This record names no previous record."))
    return _compare(gettext("The previous record's SHA-256"), sha256(previous), named["sha256"])


def _check_estimates(content: dict, version: int) -> list[Check]:
    estimates = content["estimates"]
    if version == 1:
        # Only the decided applications, with their decisions mixed into each entry.
        entries = [
            {key: entry[key] for key in ESTIMATE_KEYS}
            for entry in content["applications"]
            if "rank" in entry
        ]
        recomputed = estimates_hash_of(entries)
        if recomputed == estimates["sha256"]:
            return [_compare("estimates.sha256", recomputed, estimates["sha256"])]
        return [
            Check(
                None,
                gettext(
                    "estimates.sha256 is not checked: a version 1 record holds "
                    "only the decided applications' estimates."
                ),
            )
        ]
    entries = estimates["entries"]
    checks = [_compare("estimates.sha256", estimates_hash_of(entries), estimates["sha256"])]
    by_id = {entry["id"]: entry for entry in entries}
    for application in content["applications"]:
        if "rank" not in application:
            continue  # never estimated
        stated = {key: application[key] for key in ESTIMATE_KEYS}
        if by_id.get(application["id"]) != stated:
            checks.append(
                Check(
                    False,
                    gettext(
                        "Application %(id)s: its figures differ from its "
                        "entry in estimates.entries."
                    )
                    % {"id": application["id"]},
                )
            )
    return checks


def _check_lottery(lottery) -> list[Check]:
    if lottery is None:
        return []
    checks = []
    estimates_hash = lottery["estimates_hash"]
    if lottery.get("estimates") is not None:
        checks.append(
            _compare(
                "lottery.estimates_hash",
                estimates_hash_of(lottery["estimates"]),
                estimates_hash,
            )
        )
    else:
        checks.append(
            Check(
                None,
                gettext(
                    "lottery.estimates_hash is not checked: the lottery "
                    "was recorded before it kept its estimates."
                ),
            )
        )
    group = lottery["group"]
    seed = lottery_seed(
        estimates_hash=estimates_hash,
        group=group,
        random_bytes=bytes.fromhex(lottery["random_bytes"]),
    )
    checks.append(_compare("lottery.seed", seed.hex(), lottery["seed"]))
    draw = lottery.get("draw", 1)
    if draw not in DRAWS:
        checks.append(
            Check(
                False,
                gettext("Unknown draw %(draw)s: this copy knows draws %(known)s.")
                % {"draw": draw, "known": ", ".join(map(str, DRAWS))},
            )
        )
        return checks
    result = lottery_order(seed=seed, group=group, draw=draw)[: lottery["places"]]
    checks.append(_compare("lottery.result", json.dumps(result), json.dumps(lottery["result"])))
    return checks
