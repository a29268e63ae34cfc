"""A world of rows built once for a whole test module, each test running in a savepoint of it.

The access tables ask hundreds of (page, persona) questions of one world. Building it for every
case cost most of their time; built once, inside a transaction that is rolled back when the
module ends, each case still starts from the very same rows: pytest-django runs every test of
a `django_db` module in an atomic block, which here nests as a savepoint rolled back after it,
so what a case writes (a resend, a screening, a revoked reviewer) never reaches the next one.

Every test of the module that runs after the world is built sees it, whether it asks for it
or not (the transaction stays open until the module ends): a test that needs an empty
database goes before the first test that asks for the world. No test of such a module may be
`transaction=True`.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction


@contextmanager
def world_for_the_module(django_db_blocker, build: Callable[[], object]) -> Iterator[object]:
    """Builds the world in a transaction kept open for the module and rolled back after it.
    Use it from a module-scoped fixture that depends on `django_db_setup`."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


def module_world(build: Callable[[], object], name: str = "world"):
    """The module-scoped fixture a module assigns to a name (`world = module_world(build)`):
    `build()`'s world, built once for the module in a transaction rolled back after it, each
    test of the module running in a savepoint of it."""

    @pytest.fixture(scope="module", name=name)
    def world(django_db_setup, django_db_blocker):
        with world_for_the_module(django_db_blocker, build) as built:
            yield built

    return world
