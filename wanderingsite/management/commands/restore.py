from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from wanderingsite.services.backup import (
    BackupError,
    read_manifest,
    restore_backup,
    summary,
)


class Command(BaseCommand):
    help = (
        "Replace the archive's database and media folder with a backup made by "
        "manage.py backup. Refuses a backup of another database engine or "
        "format; asks first unless --no-input."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup (.tar.gz) to restore.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, path: Path, interactive: bool, **options):
        try:
            manifest = read_manifest(path)
        except BackupError as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        if interactive:
            answer = input(
                f"This replaces everything in the database "
                f"{connection.settings_dict['NAME']} and in the media folder "
                f"{settings.MEDIA_ROOT} with the backup made {manifest.created} "
                f"({summary(manifest.counts, manifest.media_files)}).\n"
                "Type 'yes' to restore it: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            result = restore_backup(path, manifest)
        except BackupError as error:
            raise CommandError(f"Restore failed: {error}") from error
        line = (
            f"Restored the backup made {manifest.created} from {path}: "
            f"{summary(manifest.counts, manifest.media_files)}."
        )
        if pending := result.pending_migrations:
            migrations = "migration" if pending == 1 else "migrations"
            line += f" It predates {pending} {migrations}: run manage.py migrate."
        self.stdout.write(self.style.SUCCESS(line))
