from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from selection.record import verify


class Command(BaseCommand):
    help = (
        "Verify downloaded decision records from the files alone (no database): recompute the "
        "record's SHA-256, the estimates' hashes, the lottery's seed and draw. Given several "
        "files in the chain's order, also check that each names the one before it."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="decision-record-<id>.json")
        parser.add_argument(
            "--sha256",
            default="",
            help="the SHA-256 published for the last file (its email, its cohort's page)",
        )

    def handle(self, *args, files: list[Path], sha256: str = "", **options):
        failures = []
        previous = None
        for number, path in enumerate(files, start=1):
            try:
                data = path.read_bytes()
            except OSError as error:
                raise CommandError(
                    gettext("Cannot read %(file)s: %(error)s")
                    % {"file": path, "error": error.strerror}
                ) from error
            expected = sha256.strip().lower() if number == len(files) else ""
            self.stdout.write(str(path))
            for check in verify(data, previous=previous, expected_sha256=expected):
                mark = {True: "OK", False: "FAILED", None: "NOT CHECKED"}[check.ok]
                self.stdout.write(f"  {mark}  {check.message}")
                if check.ok is False:
                    failures.append(f"{path}: {check.message}")
            previous = data
        if failures:
            raise CommandError(gettext("The record does not verify:") + "\n" + "\n".join(failures))
        self.stdout.write(gettext("Every hash, the seed and the draw verify."))
