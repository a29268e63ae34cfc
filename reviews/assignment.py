"""Automatic assignment of reviewers to applications, on plain data (no database): reviewers
with their partner, maximum and current load; applications with the reviewers they need and
those they already have; the pairs that may not be made. The result is a plan: new pairs,
loads before and after, the slots it cannot fill and why.

The rules, in order of precedence (issue #14):
1. never a pair with a confirmed conflict (nor one the reviewer handed back or was taken off);
2. never above a reviewer's maximum;
3. every existing assignment kept;
4. as many slots filled as rules 1–3 allow;
5. even loads: no move of new assignments can bring a reviewer's load closer to another's
   (among reviewers below their maximum, loads then differ by at most 1 unless rules 1–3
   forbid it);
6. no application with two reviewers of one partner where a swap keeping 1–5 avoids it;
7. the reviewers form one connected group through shared applications when swaps allow it
   (scores of separate groups cannot be compared).

How: a greedy pass fills each slot with the least loaded reviewer allowed (most constrained
applications first), then augmenting paths (as in a max-flow) fill what the greedy pass
left, balancing paths move new assignments from the most to the least loaded (a load vector
with no such path is the most even one possible, as in semi-matching), and load-neutral
exchanges remove same-partner pairs and join separate groups. Reviewers are few (tens) and
applications many (thousands): every search runs on the reviewers' graph, where an edge
r → s means "r holds a new assignment s could take", counted with one matrix product.
"""

from collections import deque
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

# Why a slot stays empty.
TOO_FEW_FREE_REVIEWERS = "conflicts"  # conflicts and hand-backs leave too few reviewers
NO_ROOM = "capacity"  # every reviewer who could take it is at their maximum


@dataclass(frozen=True)
class ReviewerLoad:
    id: int
    partner_id: int | None
    max_assignments: int
    load: int  # active assignments now


@dataclass(frozen=True)
class ApplicationNeed:
    id: int
    needed: int  # reviewers it should have in all
    reviewer_ids: tuple[int, ...] = ()  # its active assignments, kept


@dataclass(frozen=True)
class Unfilled:
    application_id: int
    missing: int
    reason: str


@dataclass
class Plan:
    pairs: list[tuple[int, int]]  # new (reviewer id, application id)
    loads_before: dict[int, int]
    loads_after: dict[int, int]
    unfilled: list[Unfilled] = field(default_factory=list)
    groups: list[list[int]] = field(default_factory=list)  # reviewer ids, after the plan
    same_partner: list[int] = field(default_factory=list)  # application ids, after the plan

    @property
    def unfilled_slots(self) -> int:
        return sum(item.missing for item in self.unfilled)


def reviewer_groups(pairs) -> list[list[int]]:
    """The connected groups of reviewers through shared applications, from (reviewer id,
    application id) pairs: largest first, each sorted."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_of: dict[int, int] = {}
    for reviewer_id, application_id in pairs:
        parent.setdefault(reviewer_id, reviewer_id)
        other = first_of.setdefault(application_id, reviewer_id)
        root_a, root_b = find(reviewer_id), find(other)
        if root_a != root_b:
            parent[root_a] = root_b
    groups: dict[int, list[int]] = {}
    for reviewer_id in parent:
        groups.setdefault(find(reviewer_id), []).append(reviewer_id)
    return sorted((sorted(group) for group in groups.values()), key=lambda g: (-len(g), g[0]))


class _State:
    """The matrices the passes share: rows are applications, columns reviewers."""

    def __init__(self, reviewers, applications, conflicts, excluded):
        self.reviewers = list(reviewers)
        self.applications = list(applications)
        self.r_index = {r.id: i for i, r in enumerate(self.reviewers)}
        self.a_index = {a.id: i for i, a in enumerate(self.applications)}
        n_apps, n_rev = len(self.applications), len(self.reviewers)
        self.existing = np.zeros((n_apps, n_rev), dtype=bool)
        self.blocked = np.zeros((n_apps, n_rev), dtype=bool)
        self.conflicted = np.zeros((n_apps, n_rev), dtype=bool)
        for pairs, target in ((conflicts, self.conflicted), (excluded, self.blocked)):
            for reviewer_id, application_id in pairs:
                r, a = self.r_index.get(reviewer_id), self.a_index.get(application_id)
                if r is not None and a is not None:
                    target[a, r] = True
        self.blocked |= self.conflicted
        self.need = np.zeros(n_apps, dtype=np.int64)
        for a, application in enumerate(self.applications):
            for reviewer_id in application.reviewer_ids:
                r = self.r_index.get(reviewer_id)
                if r is not None:
                    self.existing[a, r] = True
            self.need[a] = max(0, application.needed - len(set(application.reviewer_ids)))
        self.new = np.zeros((n_apps, n_rev), dtype=bool)
        self.load = np.array([r.load for r in self.reviewers], dtype=np.int64)
        self.cap = np.array([r.max_assignments for r in self.reviewers], dtype=np.int64)
        partners = sorted({r.partner_id for r in self.reviewers if r.partner_id is not None})
        p_index = {p: i for i, p in enumerate(partners)}
        self.partner = np.array(
            [p_index.get(r.partner_id, -1) if r.partner_id is not None else -1
             for r in self.reviewers],
            dtype=np.int64,
        )  # fmt: skip
        self.partner_count = np.zeros((n_apps, max(1, len(partners))), dtype=np.int64)
        for p in range(len(partners)):
            self.partner_count[:, p] = self.existing[:, self.partner == p].sum(axis=1)
        # May r newly take a? Not blocked, not already on it.
        self.free = ~self.blocked & ~self.existing

    # --- changes -------------------------------------------------------------------------
    def add(self, a: int, r: int) -> None:
        self.new[a, r] = True
        self.free[a, r] = False
        self.load[r] += 1
        self.need[a] -= 1
        if self.partner[r] >= 0:
            self.partner_count[a, self.partner[r]] += 1

    def remove(self, a: int, r: int) -> None:
        self.new[a, r] = False
        self.free[a, r] = True
        self.load[r] -= 1
        self.need[a] += 1
        if self.partner[r] >= 0:
            self.partner_count[a, self.partner[r]] -= 1

    def move(self, a: int, from_r: int, to_r: int) -> None:
        self.remove(a, from_r)
        self.add(a, to_r)

    # --- reads ---------------------------------------------------------------------------
    def would_duplicate(self, a: int, r: int, leaving: int = -1) -> bool:
        """Would r joining a (while `leaving` leaves it) put two reviewers of a partner on a?"""
        p = self.partner[r]
        if p < 0:
            return False
        count = self.partner_count[a, p] - (1 if leaving >= 0 and self.partner[leaving] == p else 0)
        return count > 0

    def edges(self) -> np.ndarray:
        """edges[r, s]: how many of r's new assignments s could take instead."""
        return self.new.T.astype(np.float32) @ self.free.astype(np.float32) > 0

    def room(self) -> np.ndarray:
        return self.load < self.cap

    def path_app(self, r: int, s: int, avoid_duplicates: bool = True) -> int:
        """One application r holds (new) that s could take, one creating no same-partner
        pair if there is one."""
        candidates = np.flatnonzero(self.new[:, r] & self.free[:, s])
        if avoid_duplicates:
            for a in candidates:
                if not self.would_duplicate(a, s, leaving=r):
                    return int(a)
        return int(candidates[0])

    def shift_along(self, path: list[int]) -> None:
        """Each reviewer of the path hands one new assignment to the next."""
        for r, s in pairwise(path):
            self.move(self.path_app(r, s), r, s)


def _bfs(edges: np.ndarray, starts, targets: np.ndarray) -> list[int] | None:
    """Shortest path along edges from one of `starts` to a reviewer where `targets` holds,
    preferring the target reached first; None when there is none."""
    parent = {int(s): -1 for s in starts}
    queue = deque(parent)
    while queue:
        r = queue.popleft()
        if targets[r]:
            path = [r]
            while parent[path[-1]] != -1:
                path.append(parent[path[-1]])
            return path[::-1]
        for s in np.flatnonzero(edges[r]):
            s = int(s)
            if s not in parent:
                parent[s] = r
                queue.append(s)
    return None


def _greedy(state: _State, tie: np.ndarray) -> None:
    """Each slot to the least loaded reviewer allowed with room, one of another partner than
    the application's reviewers when loads tie; the applications with the fewest reviewers
    allowed first."""
    allowed_count = state.free.sum(axis=1)
    order = np.lexsort((np.arange(len(state.applications)), allowed_count))
    for a in order:
        for _slot in range(int(state.need[a])):
            candidates = state.free[a] & (state.load < state.cap)
            if not candidates.any():
                break
            p = state.partner
            duplicate = (p >= 0) & (state.partner_count[a, np.maximum(p, 0)] > 0)
            score = state.load * 4.0 + duplicate * 2.0 + tie[a]
            score[~candidates] = np.inf
            state.add(a, int(np.argmin(score)))


def _fill(state: _State) -> None:
    """Augmenting paths: an application with an empty slot takes a reviewer allowed on it
    who, if full, hands one of their new assignments on, and so on to a reviewer with room.
    An application that finds no path now never will (as in a max-flow)."""
    edges = state.edges()
    for a in np.flatnonzero(state.need > 0):
        while state.need[a] > 0:
            starts = np.flatnonzero(state.free[a])
            path = _bfs(edges, starts, state.room()) if len(starts) else None
            if path is None:
                break
            state.add(a, path[0])
            state.shift_along(path)
            edges = state.edges()


def _balance(state: _State) -> None:
    """Move new assignments from the most loaded reviewers to reviewers at least two below,
    along paths, until there is no such path."""
    while True:
        edges = state.edges()
        holders = np.flatnonzero(state.new.any(axis=0))
        moved = False
        for high in sorted(holders, key=lambda r: -state.load[r]):
            low = state.room() & (state.load <= state.load[high] - 2)
            if not low.any():
                continue
            path = _bfs(edges, [high], low)
            if path is not None:
                state.shift_along(path)
                moved = True
                break
        if not moved:
            return


def _duplicated(state: _State) -> np.ndarray:
    return np.flatnonzero((state.partner_count >= 2).any(axis=1))


def _separate_partners(state: _State) -> None:
    """For each application with two reviewers of one partner, one of them new: hand that
    new assignment to a reviewer one below them (loads stay even), or exchange it with
    another application's new reviewer (loads unchanged)."""
    for a in _duplicated(state):
        for p in np.flatnonzero(state.partner_count[a] >= 2):
            for r in np.flatnonzero(state.new[a] & (state.partner == p)):
                if state.partner_count[a, p] < 2:
                    break
                _replace_or_exchange(state, int(a), int(r))


def _replace_or_exchange(state: _State, a: int, r: int) -> bool:
    others = np.flatnonzero(state.free[a])
    for s in others:
        if state.would_duplicate(a, s, leaving=r):
            continue
        if state.load[s] < state.load[r] and state.load[s] < state.cap[s]:
            state.move(a, r, int(s))
            return True
    p_r = state.partner[r]
    for s in others:
        if state.would_duplicate(a, s, leaving=r):
            continue
        # Applications where s is new, r could go, and r's partner is absent (s leaving).
        candidates = state.new[:, s] & state.free[:, r]
        candidates[a] = False
        partner_there = state.partner_count[:, p_r] - (state.partner[s] == p_r)
        candidates &= partner_there == 0
        found = np.flatnonzero(candidates)
        if len(found):
            b = int(found[0])
            state.move(a, r, int(s))
            state.move(b, int(s), r)
            return True
    return False


def _groups(state: _State) -> list[list[int]]:
    rows, cols = np.nonzero(state.existing | state.new)
    return reviewer_groups(zip(cols.tolist(), rows.tolist(), strict=True))


def _connect(state: _State) -> None:
    """Join separate groups of reviewers by exchanging two new assignments between an
    application of each (each keeping another reviewer, so the exchange links the groups)."""
    for _attempt in range(len(state.reviewers)):
        groups = _groups(state)
        if len(groups) < 2:
            return
        main = np.zeros(len(state.reviewers), dtype=bool)
        main[groups[0]] = True
        reviewers_on = (state.existing | state.new).sum(axis=1)
        joined = False
        for group in groups[1:]:
            inside = np.zeros(len(state.reviewers), dtype=bool)
            inside[group] = True
            if _exchange_between(state, main, inside, reviewers_on):
                joined = True
                break
        if not joined:
            return


def _exchange_between(state: _State, main, inside, reviewers_on) -> bool:
    shared = reviewers_on >= 2
    for r in np.flatnonzero(main):
        apps_r = np.flatnonzero(state.new[:, r] & shared)
        if not len(apps_r):
            continue
        p_r = state.partner[r]
        for s in np.flatnonzero(inside):
            apps_s = state.new[:, s] & shared & state.free[:, r]
            if p_r >= 0:
                apps_s &= state.partner_count[:, p_r] - (state.partner[s] == p_r) == 0
            found = np.flatnonzero(apps_s)
            if not len(found):
                continue
            for a in apps_r:
                if state.free[a, s] and not state.would_duplicate(a, s, leaving=r):
                    state.move(int(a), int(r), int(s))
                    state.move(int(found[0]), int(s), int(r))
                    return True
    return False


def _unfilled(state: _State) -> list[Unfilled]:
    result = []
    for a in np.flatnonzero(state.need > 0):
        application = state.applications[a]
        possible = int((~state.blocked[a]).sum())
        reason = TOO_FEW_FREE_REVIEWERS if possible < application.needed else NO_ROOM
        result.append(Unfilled(application.id, int(state.need[a]), reason))
    return result


def plan_assignments(
    *,
    reviewers,
    applications,
    conflicts=(),
    excluded=(),
    seed: int = 0,
) -> Plan:
    """The new assignments that fill the applications' empty slots under the rules above.
    `conflicts` and `excluded` are (reviewer id, application id) pairs never to make: confirmed
    conflicts; assignments that ended (handed back, unassigned). Same input, same plan."""
    state = _State(reviewers, applications, conflicts, excluded)
    loads_before = {r.id: r.load for r in state.reviewers}
    if len(state.reviewers) and len(state.applications):
        # Ties broken in a fixed pseudo-random order, so that reviewers of equal load mix.
        tie = np.random.default_rng(seed).random((len(state.applications), len(state.reviewers)))
        _greedy(state, tie)
        _fill(state)
        _balance(state)
        _separate_partners(state)
        _connect(state)
    rows, cols = np.nonzero(state.new)
    pairs = sorted(
        (state.reviewers[c].id, state.applications[r].id)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
    )
    return Plan(
        pairs=pairs,
        loads_before=loads_before,
        loads_after={r.id: int(state.load[i]) for i, r in enumerate(state.reviewers)},
        unfilled=_unfilled(state),
        groups=[[state.reviewers[r].id for r in group] for group in _groups(state)],
        same_partner=[state.applications[a].id for a in _duplicated(state)],
    )
