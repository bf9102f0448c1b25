from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wanderingsite.services.archive import (
    DEFAULT_FIXTURES_DIR,
    ArchiveFixtureError,
    load_archive,
)


class Command(BaseCommand):
    help = (
        "Load the films, essays, events, people and tags in fixtures/ into the "
        "archive, publishing through revisions. Validates everything first and "
        "writes nothing on bad input; never overwrites an editor's work; safe to "
        "run again."
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
        try:
            result = load_archive(fixtures_dir=fixtures, check=check)
        except ArchiveFixtureError as error:
            raise CommandError(
                "The archive fixtures are invalid; nothing was written.\n"
                + "\n".join(error.problems)
            ) from error
        for line in result.kept:
            self.stdout.write(self.style.WARNING(line))
        self.stdout.write(self.style.SUCCESS(result.summary_line()))
