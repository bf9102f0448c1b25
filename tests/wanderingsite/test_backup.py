"""``manage.py backup`` and ``restore``: a round trip gives back the archive as
it was, and a restore refuses what it cannot safely restore.

A restore replaces the database under the test, so the round trips run with
``transaction=True`` and first rebuild the rows migrations make (root page,
site, groups), which a transactional test before them (a browser test) may
have flushed.
"""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision

from tests.factories import (
    archive_indexes,
    make_film,
    make_tag,
    rebuild_migrated_site,
)
from tests.module_scope import default_home
from wanderingsite.models import ArchiveTag
from wanderingsite.services import backup as backup_service

ROUND_TRIP = pytest.mark.django_db(transaction=True)
OTHER_ENGINE = {"postgresql": "sqlite", "sqlite": "postgresql"}
ENGINE_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


@pytest.fixture
def migrated_site():
    """The rows migrations make, whatever flushed them before this test."""
    rebuild_migrated_site()


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _state() -> dict:
    """What a restore must give back, row by row where it matters."""
    return {
        "pages": list(Page.objects.order_by("pk").values_list("pk", "title", "live")),
        "revisions": list(
            Revision.objects.order_by("pk").values_list("pk", "object_id")
        ),
        "tags": list(ArchiveTag.objects.order_by("pk").values_list("pk", "name")),
        "users": list(
            get_user_model().objects.order_by("pk").values_list("pk", "username")
        ),
        "page log": list(
            PageLogEntry.objects.order_by("pk").values_list("pk", "action", "page_id")
        ),
        "model log": list(
            ModelLogEntry.objects.order_by("pk").values_list(
                "pk", "action", "object_id"
            )
        ),
        "images": list(
            get_image_model().objects.order_by("pk").values_list("pk", "file")
        ),
    }


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _archive_with(path: Path, manifest: dict, members: dict[str, bytes]) -> Path:
    """A .tar.gz holding ``manifest`` (as manifest.json, first) and ``members``."""
    with tarfile.open(path, "w:gz") as archive:
        for name, data in {
            "manifest.json": json.dumps(manifest).encode(),
            **members,
        }.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def _manifest(**changes) -> dict:
    engine = connection.vendor
    return {
        "format": backup_service.FORMAT,
        "version": backup_service.FORMAT_VERSION,
        "engine": engine,
        "created": "2026-01-01T00:00:00+00:00",
        "database": backup_service.DATABASE_MEMBERS[engine],
        "counts": {},
        "media_files": 0,
        "migrations": [],
        **changes,
    }


def _restore(path: Path, **options) -> str:
    output = io.StringIO()
    call_command("restore", str(path), stdout=output, **options)
    return output.getvalue()


@ROUND_TRIP
def test_backup_restore_round_trip_gives_back_pages_revisions_tags_users_and_log(
    media_root, tmp_path, client, migrated_site
):
    """Whatever changes after a backup, restoring it gives back the same pages,
    revisions, tags, users, log entries, images and media files."""
    films = archive_indexes(default_home())["films"]
    tag = make_tag("Soft power")
    editor = get_user_model().objects.create_superuser("editor", password="x")
    film = make_film(films, title="The Wandering Earth", tags=[tag])
    film.save_revision(user=editor, log_action=True).publish(user=editor)
    draft = make_film(films, title="A draft", live=False)
    log(instance=tag, action="wagtail.edit", user=editor)
    get_image_model().objects.create(title="Poster", file=get_test_image_file())
    before, files_before = _state(), _files(media_root)
    assert files_before

    call_command(
        "backup", output=str(tmp_path / "archive.tar.gz"), stdout=io.StringIO()
    )
    film.delete()
    tag.name = "Hard power"
    tag.save()
    get_user_model().objects.create_user("intruder", password="x")
    draft.save_revision(user=editor).publish(user=editor)
    log(instance=tag, action="wagtail.edit", user=editor)
    (media_root / "stray.txt").write_text("added after the backup")
    next(media_root.rglob("*.png")).unlink()
    assert _state() != before and _files(media_root) != files_before

    output = _restore(tmp_path / "archive.tar.gz", interactive=False)

    assert _state() == before
    assert _files(media_root) == files_before
    assert output.startswith("Restored the backup made ")
    assert client.get(film.url).status_code == 200
    assert client.get(draft.url).status_code == 404
    # The sequences came back with the rows: new rows do not collide.
    assert make_tag("After the restore").pk > max(pk for pk, _ in before["tags"])


@ROUND_TRIP
def test_backup_writes_one_private_archive_with_its_manifest_first(
    media_root, tmp_path, migrated_site
):
    """The backup is one .tar.gz in the folder asked for, readable by its owner
    only: the manifest (format, engine, date, counts, migrations), the
    database, the media."""
    archive_indexes(default_home())
    (media_root / "documents").mkdir(parents=True)
    (media_root / "documents" / "note.txt").write_text("kept")
    output = io.StringIO()

    call_command("backup", output=f"{tmp_path}/backups/", stdout=output)

    (path,) = (tmp_path / "backups").glob("archive-*.tar.gz")
    assert path.stat().st_mode & 0o777 == 0o600
    with tarfile.open(path) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile("manifest.json"))
    database = backup_service.DATABASE_MEMBERS[connection.vendor]
    assert names[:2] == ["manifest.json", database]
    assert "media/documents/note.txt" in names
    assert manifest["format"] == backup_service.FORMAT
    assert manifest["engine"] == connection.vendor
    assert manifest["counts"]["pages"] == Page.objects.count()
    assert manifest["media_files"] == 1
    assert "wanderingsite.0001_initial" in manifest["migrations"]
    assert output.getvalue().startswith(
        f"Backed up the {ENGINE_NAMES[connection.vendor]} database and the media "
        f"folder to {path}: {Page.objects.count()} pages"
    )


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@ROUND_TRIP
def test_restore_that_fails_part_way_changes_nothing_on_postgresql(
    media_root, tmp_path, monkeypatch, migrated_site
):
    """The restore runs in one transaction: a failure after every table was
    dropped rolls back to the database as it was."""
    archive_indexes(default_home())
    call_command(
        "backup", output=str(tmp_path / "archive.tar.gz"), stdout=io.StringIO()
    )
    make_tag("Made after the backup")
    before = _state()
    failing = backup_service._DROP_RELATIONS + "SELECT 1 / 0;\n"
    monkeypatch.setattr(backup_service, "_DROP_RELATIONS", failing)

    with pytest.raises(CommandError, match="rolled back: nothing changed"):
        _restore(tmp_path / "archive.tar.gz", interactive=False)

    assert _state() == before


def test_restore_refuses_a_backup_of_another_engine(db, media_root, tmp_path):
    """A PostgreSQL backup is not restored into SQLite, nor the other way."""
    other = OTHER_ENGINE[connection.vendor]
    path = _archive_with(
        tmp_path / "other.tar.gz",
        _manifest(engine=other),
        {backup_service.DATABASE_MEMBERS[other]: b"..."},
    )
    before = _state()

    with pytest.raises(CommandError) as caught:
        _restore(path, interactive=False)

    assert str(caught.value) == (
        f"Nothing was restored: {path} is a backup of a {ENGINE_NAMES[other]} "
        f"database, and this site uses {ENGINE_NAMES[connection.vendor]}: restore "
        f"it on a site that uses {ENGINE_NAMES[other]}"
    )
    assert _state() == before


NOT_BACKUPS = {
    "not a .tar.gz": (None, "is not a backup (.tar.gz)"),
    "no manifest": ({}, "has no manifest.json: it is not a backup"),
    "another format": (
        {"format": "something-else"},
        "is not a backup made by manage.py backup",
    ),
    "a later format version": (
        _manifest(version=2),
        "is a backup of format version 2; this version of the archive reads version 1",
    ),
    "a newer schema": (
        _manifest(migrations=["wanderingsite.9999_from_the_future"]),
        "was made by a newer version of the archive (migrations "
        "wanderingsite.9999_from_the_future are unknown here)",
    ),
}


@pytest.mark.parametrize("case", NOT_BACKUPS.values(), ids=NOT_BACKUPS.keys())
def test_restore_refuses_what_it_cannot_read(db, media_root, tmp_path, case):
    """A file that is not a backup this site can restore is refused, and
    neither the database nor the media folder is touched."""
    manifest, expected = case
    path = tmp_path / "backup.tar.gz"
    if manifest is None:
        path.write_text("not an archive")
    elif manifest:
        _archive_with(path, manifest, {})
    else:
        with tarfile.open(path, "w:gz") as archive:
            archive.addfile(tarfile.TarInfo("database.dump"), io.BytesIO(b""))
    (media_root / "images").mkdir(parents=True)
    (media_root / "images" / "kept.png").write_bytes(b"png")
    before, files = _state(), _files(media_root)

    with pytest.raises(CommandError, match="^Nothing was restored: ") as caught:
        _restore(path, interactive=False)

    assert expected in str(caught.value)
    assert _state() == before
    assert _files(media_root) == files


DAMAGED = {
    "a database copy that is not one": (
        {backup_service.DATABASE_MEMBERS[connection.vendor]: b"not a database"},
        {"postgresql": "pg_restore failed", "sqlite": "is not SQLite"}[
            connection.vendor
        ],
    ),
    "no database": ({"media/images/a.png": b"png"}, "has no database."),
    "a member no backup holds": (
        {
            backup_service.DATABASE_MEMBERS[connection.vendor]: b"...",
            "settings.py": b"DEBUG = True",
        },
        "holds 'settings.py', which no backup holds",
    ),
}


@pytest.mark.parametrize("case", DAMAGED.values(), ids=DAMAGED.keys())
def test_restore_of_a_damaged_backup_changes_nothing(db, media_root, tmp_path, case):
    """A backup whose contents do not hold up fails before anything is
    replaced: the database and the media folder stay as they were."""
    members, expected = case
    path = _archive_with(tmp_path / "backup.tar.gz", _manifest(), members)
    (media_root / "images").mkdir(parents=True)
    (media_root / "images" / "kept.png").write_bytes(b"png")
    before, files = _state(), _files(media_root)

    with pytest.raises(CommandError, match="^Restore failed: ") as caught:
        _restore(path, interactive=False)

    assert expected in str(caught.value)
    assert _state() == before
    assert _files(media_root) == files
    assert [p.name for p in media_root.parent.iterdir() if p.name.startswith(".")] == []


def test_restore_asks_before_replacing_anything(db, media_root, tmp_path, monkeypatch):
    """Without --no-input, restore says what it replaces and goes on only on
    'yes'; any other answer changes nothing."""
    path = _archive_with(
        tmp_path / "backup.tar.gz",
        _manifest(),
        {backup_service.DATABASE_MEMBERS[connection.vendor]: b"..."},
    )
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or "no")
    before = _state()

    with pytest.raises(CommandError, match="^Restore cancelled; nothing was changed"):
        _restore(path)

    (prompt,) = prompts
    assert prompt.startswith(
        f"This replaces everything in the database {connection.settings_dict['NAME']}"
        f" and in the media folder {media_root} with the backup made "
        "2026-01-01T00:00:00+00:00"
    )
    assert prompt.endswith("Type 'yes' to restore it: ")
    assert _state() == before
