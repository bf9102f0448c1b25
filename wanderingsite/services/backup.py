"""Back up and restore the whole archive: its database and its media folder.

A backup is one ``.tar.gz``: ``manifest.json`` first (format, engine, date,
counts and applied migrations), then the database (``database.dump``, a
PostgreSQL custom-format dump, or ``database.sqlite3``, a copy made with
SQLite's backup API) and the media tree under ``media/``. Both engines copy a
consistent snapshot while the site keeps running. ``docs/backup.md`` says how
to use them; ``restore_backup`` explains why it restores the way it does.
"""

import datetime
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision

from wanderingsite.models import ArchiveTag

FORMAT = "wandering-earth-archive-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
ENGINE_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
DEFAULT_DIR = Path(settings.BASE_DIR) / "var" / "backups"
# In the listing `pg_restore --list` prints: "218; 1259 16390 TABLE public name owner".
_LISTED_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) ")
# Only an extension's owner may comment on it; the comment is not worth
# failing a restore for, and the extension itself is kept.
_LISTED_EXTENSION_COMMENT = re.compile(r"^\d+; \d+ \d+ COMMENT - EXTENSION ")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass
class Manifest:
    engine: str
    created: str
    counts: dict[str, int]
    media_files: int
    migrations: list[str]

    @property
    def engine_name(self) -> str:
        return ENGINE_NAMES.get(self.engine, self.engine)

    def as_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "engine": self.engine,
            "created": self.created,
            "database": DATABASE_MEMBERS[self.engine],
            "counts": self.counts,
            "media_files": self.media_files,
            "migrations": self.migrations,
        }
        return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


@dataclass
class RestoreResult:
    manifest: Manifest
    pending_migrations: int


def _counted_models() -> dict[str, type]:
    return {
        "pages": Page,
        "revisions": Revision,
        "users": get_user_model(),
        "tags": ArchiveTag,
        "page log entries": PageLogEntry,
        "model log entries": ModelLogEntry,
        "images": get_image_model(),
        "documents": get_document_model(),
    }


def _read_state(cursor) -> tuple[dict[str, int], list[str]]:
    """Row counts and applied migrations, through any DB-API ``cursor``."""
    counts = {}
    for name, model in _counted_models().items():
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (a table name)
        counts[name] = cursor.fetchone()[0]
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return counts, [f"{app}.{name}" for app, name in cursor.fetchall()]


def summary(counts: dict[str, int], media_files: int) -> str:
    parts = [f"{number} {name}" for name, number in counts.items()]
    return f"{', '.join(parts)}; {media_files} media files"


def default_backup_path(now: datetime.datetime | None = None) -> Path:
    now = now or datetime.datetime.now(datetime.UTC)
    return DEFAULT_DIR / f"archive-{connection.vendor}-{now:%Y%m%d-%H%M%S}.tar.gz"


# --- The database, engine by engine -----------------------------------------


def _pg_command(program: str, *options: str) -> tuple[list[str], dict]:
    """``program`` with the connection the site actually uses (in tests, the
    test database), the password passed in the environment, not the arguments."""
    args, env = connection.client.settings_to_cmd_args_env(
        connection.settings_dict, list(options)
    )
    return [program, *args[1:]], {**os.environ, **(env or {})}


def _run(args: list[str], env: dict | None = None) -> str:
    try:
        done = subprocess.run(  # noqa: S603 (arguments, never a shell)
            args, env=env, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as error:
        raise BackupError(
            f"{args[0]} is not installed: the PostgreSQL client tools are needed"
        ) from error
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def _dump_postgresql(target: Path) -> tuple[dict[str, int], list[str]]:
    if connection.in_atomic_block:
        raise BackupError(
            "a backup takes its own snapshot: run it outside a transaction"
        )
    # pg_dump reads the snapshot this transaction exports, so the counts in the
    # manifest are those of the dump even while editors keep working.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        state = _read_state(cursor)
        args, env = _pg_command(
            "pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"
        )
        _run(args, env)
    return state


def _dump_sqlite(target: Path) -> tuple[dict[str, int], list[str]]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # Online and consistent: the copy is one state of the database even
        # while others write to it.
        connection.connection.backup(copy)
        return _read_state(copy.cursor())
    finally:
        copy.close()


def _prepare_postgresql(dump: Path, work: Path) -> list[Path]:
    """The SQL that replaces the database with ``dump``, written out in full
    (so a damaged dump fails here, before anything is touched)."""
    listing = _run(["pg_restore", "--list", str(dump)])
    schemas = sorted(
        {m.group(1) for m in map(_LISTED_TABLE.match, listing.splitlines()) if m}
    )
    if not schemas:
        raise BackupError("the database dump holds no tables")
    kept = [
        line
        for line in listing.splitlines()
        if not _LISTED_EXTENSION_COMMENT.match(line)
    ]
    (work / "restore.list").write_text("\n".join(kept) + "\n", "utf-8")
    script = work / "restore.sql"
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            f"--use-list={work / 'restore.list'}",
            f"--file={script}",
            str(dump),
        ]
    )
    prelude = work / "prelude.sql"
    literal = ", ".join("'" + name.replace("'", "''") + "'" for name in schemas)
    prelude.write_text(_DROP_RELATIONS.replace("SCHEMAS", literal), "utf-8")
    return [prelude, script]


def _restore_postgresql(scripts: list[Path]) -> None:
    """Run ``scripts`` in one transaction: the whole backup, or nothing.

    The prelude drops every table and view in the dump's schemas, then the
    dump's SQL recreates them, stopping at the first error; any failure rolls
    the lot back and leaves the database exactly as it was. ``pg_restore
    --clean`` would instead keep a table the backup does not have (one a
    later migration made) and commit object by object; dropping the schema
    would need its owner and lose its privileges.
    """
    # This process must hold no lock on what the restore drops.
    connection.close()
    args, env = _pg_command(
        "psql",
        "--no-psqlrc",
        "--quiet",
        "--single-transaction",
        "--set=ON_ERROR_STOP=1",
        *(f"--file={script}" for script in scripts),
    )
    try:
        _run(args, env)
    except BackupError as error:
        message = f"{error}\nThe restore was rolled back: nothing changed."
        raise BackupError(message) from error


_DROP_RELATIONS = """
DO $$
DECLARE relation record;
BEGIN
    FOR relation IN
        SELECT format('%I.%I', n.nspname, c.relname) AS name,
               CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                              WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                              ELSE 'TABLE' END AS kind
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN (SCHEMAS) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          -- Not an extension's, nor a sequence that goes with its column.
          AND NOT EXISTS (
              SELECT 1 FROM pg_depend d
              WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                AND d.deptype IN ('e', 'a', 'i')
          )
    LOOP
        EXECUTE format('DROP %s IF EXISTS %s CASCADE', relation.kind, relation.name);
    END LOOP;
END $$;
"""


def _check_sqlite(copy_path: Path) -> None:
    copy = sqlite3.connect(copy_path)
    try:
        (result,) = copy.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"the database copy is not SQLite: {error}") from error
    finally:
        copy.close()
    if result != "ok":
        raise BackupError(f"the database copy is damaged: {result}")


def _restore_sqlite(copy_path: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(copy_path)
    try:
        # The backup API writes the copy into the live database page by page
        # under one write lock: readers see the old database or the new one.
        copy.backup(connection.connection)
    finally:
        copy.close()


# --- Backup ------------------------------------------------------------------


def create_backup(output: Path) -> Manifest:
    """Write a backup of the database and the media folder to ``output``."""
    engine = connection.vendor
    if engine not in DATABASE_MEMBERS:
        raise BackupError(f"cannot back up a {engine} database")
    output.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
        database = Path(work) / DATABASE_MEMBERS[engine]
        dump = _dump_postgresql if engine == "postgresql" else _dump_sqlite
        # The database first, then the files: a file uploaded meanwhile is
        # only an extra file, never a row without its file.
        counts, migrations = dump(database)
        files = [p for p in media_root.rglob("*") if p.is_file()]
        manifest = Manifest(
            engine=engine,
            created=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            counts=counts,
            media_files=len(files),
            migrations=migrations,
        )
        partial = Path(work) / output.name
        with tarfile.open(partial, "w:gz") as archive:
            data = manifest.as_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(datetime.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, arcname=database.name)
            if media_root.is_dir():
                archive.add(media_root, arcname=MEDIA)
        # It holds password hashes and sessions: for its owner's eyes only.
        partial.chmod(0o600)
        # Only a complete backup ever carries the final name.
        os.replace(partial, output)
    return manifest


# --- Restore -----------------------------------------------------------------


def _known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    return {f"{app}.{name}" for app, name in known}


def read_manifest(path: Path) -> Manifest:
    """The manifest of the backup at ``path``, checked against this site."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            first = archive.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError(f"{path} has no {MANIFEST}: it is not a backup")
            data = json.loads(archive.extractfile(first).read())
    except (tarfile.TarError, OSError, EOFError, UnicodeDecodeError) as error:
        raise BackupError(f"{path} is not a backup (.tar.gz): {error}") from error
    except json.JSONDecodeError as error:
        raise BackupError(f"{path}: {MANIFEST} is not JSON: {error}") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup made by manage.py backup")
    if data.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a backup of format version {data.get('version')!r}; this "
            f"version of the archive reads version {FORMAT_VERSION}"
        )
    try:
        manifest = Manifest(
            engine=data["engine"],
            created=data["created"],
            counts=dict(data["counts"]),
            media_files=int(data["media_files"]),
            migrations=list(data["migrations"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError(f"{path}: {MANIFEST} is incomplete ({error})") from error
    if manifest.engine != connection.vendor:
        here = ENGINE_NAMES.get(connection.vendor, connection.vendor)
        raise BackupError(
            f"{path} is a backup of a {manifest.engine_name} database, and this "
            f"site uses {here}: restore it on a site that uses "
            f"{manifest.engine_name}"
        )
    unknown = sorted(set(manifest.migrations) - _known_migrations())
    if unknown:
        raise BackupError(
            f"{path} was made by a newer version of the archive (migrations "
            f"{', '.join(unknown[:3])} are unknown here): restore it with that version"
        )
    return manifest


def _extract(path: Path, manifest: Manifest, work: Path) -> None:
    database = DATABASE_MEMBERS[manifest.engine]
    with tarfile.open(path, "r:gz") as archive:
        members = archive.getmembers()
        names = {member.name for member in members}
        for name in names:
            if name not in (MANIFEST, database, MEDIA) and not name.startswith(
                f"{MEDIA}/"
            ):
                raise BackupError(f"{path} holds {name!r}, which no backup holds")
        if database not in names:
            raise BackupError(f"{path} has no {database}")
        # The "data" filter refuses absolute paths, "..", links out of the
        # folder and device files.
        archive.extractall(work, members=members, filter="data")
    (work / MEDIA).mkdir(exist_ok=True)


def _replace_media(new: Path, work: Path) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    try:
        if media_root.exists():
            os.replace(media_root, work / "media-before-restore")
        os.replace(new, media_root)
    except OSError:
        # MEDIA_ROOT is a mount point or on another file system: replace what
        # it holds instead of the folder itself.
        media_root.mkdir(parents=True, exist_ok=True)
        for child in media_root.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
        for child in new.iterdir():
            shutil.move(child, media_root / child.name)


def restore_backup(path: Path, manifest: Manifest) -> RestoreResult:
    """Replace the database and the media folder with the backup at ``path``.

    Nothing is changed until the whole backup has been unpacked and checked;
    the database is replaced in one step (one transaction on PostgreSQL, the
    backup API on SQLite), then the media folder, then the caches are emptied
    so that no page from before the restore is served.
    """
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restore-") as tmp:
        work = Path(tmp)
        _extract(path, manifest, work)
        database = work / DATABASE_MEMBERS[manifest.engine]
        if manifest.engine == "postgresql":
            scripts = _prepare_postgresql(database, work)
        else:
            _check_sqlite(database)
        if connection.in_atomic_block:
            raise BackupError(
                "a restore replaces the whole database: run it outside a transaction"
            )
        if manifest.engine == "postgresql":
            _restore_postgresql(scripts)
        else:
            _restore_sqlite(database)
        _replace_media(work / MEDIA, work)
    ContentType.objects.clear_cache()
    for alias in settings.CACHES:
        caches[alias].clear()
    with connection.cursor() as cursor:
        counts, _ = _read_state(cursor)
    if counts != manifest.counts:
        raise BackupError(
            f"the restored database does not match the backup's manifest: "
            f"restored {summary(counts, manifest.media_files)}, manifest "
            f"{summary(manifest.counts, manifest.media_files)}"
        )
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return RestoreResult(manifest=manifest, pending_migrations=len(pending))
