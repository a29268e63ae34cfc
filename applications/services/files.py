"""Files in the private storage: deleted once nothing refers to them."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cohorts.enums import QuestionKind

from ..models import Answer, Application, Submission
from ..models.applications import storages_private
from ..snapshots import submission_files

# Where the app stores files (decks.deck_file_name, decks.answer_file_name).
PRIVATE_FOLDERS = ("decks", "answers")
# A file this young may belong to an upload whose transaction has not committed yet.
ORPHAN_MIN_AGE = timedelta(hours=1)


def files_delete_after_commit(names: set[str]) -> None:
    """Delete these files once the transaction commits: a rollback must not leave rows pointing
    at files already gone, and a storage that fails is logged, never raised (robust)."""
    storage = storages_private()
    for name in sorted(names):

        def file_delete(name: str = name) -> None:
            storage.delete(name)

        transaction.on_commit(file_delete, robust=True)


def files_held_by_submissions(application: Application) -> set[str]:
    """The files the application's submitted versions refer to: kept while those exist."""
    names: set[str] = set()
    for content in Submission.objects.filter(application=application).values_list(
        "content", flat=True
    ):
        names |= submission_files(content)
    return names


def files_referenced() -> set[str]:
    """Every file a row refers to: current decks, file answers, submitted versions."""
    names = set(Application.objects.exclude(pitch_deck="").values_list("pitch_deck", flat=True))
    for value in Answer.objects.filter(question__kind=QuestionKind.FILE).values_list(
        "value", flat=True
    ):
        if isinstance(value, dict) and value.get("file"):
            names.add(value["file"])
    for content in Submission.objects.values_list("content", flat=True).iterator(chunk_size=500):
        names |= submission_files(content)
    return names


def private_files_sweep(*, now: datetime | None = None) -> list[str]:
    """Delete every file of the private storage that nothing refers to, older than
    ORPHAN_MIN_AGE (younger ones may be uploads still in their transaction). Run after the
    commit of an account deletion or of retention. Returns the names deleted."""
    now = now or timezone.now()
    storage = storages_private()
    referenced = files_referenced()
    deleted = []
    for folder in PRIVATE_FOLDERS:
        try:
            file_names = storage.listdir(folder)[1]
        except FileNotFoundError:  # nothing stored there yet
            continue
        for file_name in file_names:
            name = f"{folder}/{file_name}"
            if name in referenced or storage.get_modified_time(name) > now - ORPHAN_MIN_AGE:
                continue
            storage.delete(name)
            deleted.append(name)
    return sorted(deleted)


def private_files_sweep_after_commit() -> None:
    def files_sweep() -> None:
        private_files_sweep()

    transaction.on_commit(files_sweep, robust=True)
