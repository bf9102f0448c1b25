import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wanderingsite.services.archive import (
    DEFAULT_FIXTURES_DIR,
    ArchiveFixtureError,
    load_archive,
)


class ProgressReport:
    """Shows a load's phases as it goes: a line that counts up on a terminal,
    one line per finished phase elsewhere (a log, a pipe)."""

    def __init__(self, stdout, *, live: bool):
        self.stdout = stdout
        self.live = live
        self.phase = ""
        self.phase_started = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase != self.phase:
            self.phase, self.phase_started = phase, now
        if self.live:
            self.stdout.write(f"\r\033[K  {phase}: {done}/{total}", ending="")
            self.stdout.flush()
        if done == total:
            if self.live:
                self.stdout.write("\r\033[K", ending="")
            self.stdout.write(
                f"  {phase}: {total} in {now - self.phase_started:.1f} s"
                if total > 1
                else f"  {phase}: done in {now - self.phase_started:.1f} s"
            )


class Command(BaseCommand):
    help = (
        "Load the films, essays, events, people and tags in fixtures/ into the "
        "archive, publishing through revisions. Validates everything first and "
        "writes nothing on bad input; never overwrites an editor's work; safe to "
        "run again. Shows its progress and says how long it took."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures",
            type=Path,
            default=DEFAULT_FIXTURES_DIR,
            help="The fixtures directory (default: fixtures/ of the project).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Validate the fixtures and documents only; write nothing.",
        )

    def handle(self, *args, fixtures: Path, check: bool, **options):
        started = time.monotonic()
        quiet = options["verbosity"] == 0
        progress = ProgressReport(self.stdout, live=self.stdout.isatty())
        try:
            result = load_archive(
                fixtures_dir=fixtures,
                check=check,
                **({} if quiet else {"progress": progress}),
            )
        except ArchiveFixtureError as error:
            raise CommandError(
                "The archive fixtures are invalid; nothing was written.\n"
                + "\n".join(error.problems)
            ) from error
        for line in result.kept:
            self.stdout.write(self.style.WARNING(line))
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.summary_line()} Took {time.monotonic() - started:.1f} s."
            )
        )
