import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wanderingsite.services.backup import (
    BackupError,
    create_backup,
    default_backup_path,
    summary,
)


class Command(BaseCommand):
    help = (
        "Back up the archive: the database (a PostgreSQL custom-format dump, or "
        "a copy made with SQLite's backup API) and the media folder, in one "
        ".tar.gz with a manifest. Safe while the site is serving."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help=(
                "Where to write the backup: a file, or a folder to write it in "
                "(an existing one, or a path ending in /; default: "
                "var/backups/archive-<engine>-<UTC time>.tar.gz)."
            ),
        )

    def handle(self, *args, output: str | os.PathLike | None, **options):
        path = default_backup_path()
        if output:
            output = os.fspath(output)
            folder = output.endswith(os.sep) or Path(output).is_dir()
            path = Path(output) / path.name if folder else Path(output)
        try:
            manifest = create_backup(path)
        except BackupError as error:
            raise CommandError(f"No backup was written: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {manifest.engine_name} database and the media "
                f"folder to {path}: {summary(manifest.counts, manifest.media_files)}."
            )
        )
