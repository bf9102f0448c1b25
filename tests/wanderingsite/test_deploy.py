"""Production settings: they refuse to start half-configured, pass Django's
deployment checks, and send the headers that protect visitors."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from wagtail.documents import get_document_model

from tests.factories import small_archive
from tests.wanderingsite.editorial_helpers import make_user

BASE_DIR = Path(settings.BASE_DIR)


def _manage(
    *args, env=None, static_root=None, code=None
) -> subprocess.CompletedProcess:
    """A fresh Python process under the production settings."""
    environment = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' conftest allows async-unsafe calls in this process;
        # a deployment never does, and check --deploy says so.
        if key
        not in (
            "SECRET_KEY",
            "SECRET_KEY_FILE",
            "DATABASE_STATEMENT_TIMEOUT",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="wanderingsite.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="archive.example.org",
        STATIC_ROOT=str(static_root or "/nonexistent"),
    )
    environment.update(env or {})
    command = ["-c", code] if code else ["manage.py", *args]
    return subprocess.run(  # noqa: S603
        [sys.executable, *command],
        cwd=BASE_DIR,
        env={k: v for k, v in environment.items() if v is not None},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def collected(tmp_path) -> Path:
    """A static root as collectstatic leaves it (its manifest is what is checked)."""
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {}, "version": "1.1"})
    )
    return tmp_path


def test_production_passes_the_deployment_checks(collected):
    """``check --deploy`` finds nothing, not even a warning."""
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", static_root=collected
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_check_names_uncollected_static_files(tmp_path):
    """Without collectstatic every page would fail: the check says what to run."""
    result = _manage("check", "--deploy", static_root=tmp_path)
    assert result.returncode != 0
    assert "wanderingsite.E001" in result.stderr
    assert "collectstatic" in result.stderr


def test_web_server_refuses_to_start_without_collected_static(tmp_path):
    """The WSGI application will not load (so gunicorn will not serve) before
    static files are collected."""
    result = _manage(code="import wanderingsite.wsgi", static_root=tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "collectstatic" in result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [("SECRET_KEY", "Set SECRET_KEY"), ("ALLOWED_HOSTS", "Set ALLOWED_HOSTS")],
)
def test_production_refuses_to_start_half_configured(collected, missing, message):
    """No secret key or no host names: production settings will not load."""
    result = _manage("check", env={missing: None}, static_root=collected)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_reads_the_secret_key_from_a_file(collected, tmp_path):
    """SECRET_KEY_FILE (a systemd credential, say) holds the key instead of the
    environment."""
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(50) + "\n")
    result = _manage(
        code=(
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SECRET_KEY)"
        ),
        env={"SECRET_KEY": None, "SECRET_KEY_FILE": str(key_file)},
        static_root=collected,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key_file.read_text().strip()


def test_production_settings_refuse_local_users(collected):
    """create_local_users never makes accounts under production settings."""
    result = _manage("create_local_users", static_root=collected)
    assert result.returncode != 0
    assert "Refusing to create users" in result.stderr


def test_database_connections_are_checked_before_use():
    """A connection the database dropped (a restart) is replaced, not used."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def _database_url() -> str:
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"


def _as_web_and_as_command(code: str, *, static_root, database_url=None) -> tuple:
    """``code`` run in a web process (after ``wanderingsite.wsgi``) and in a
    management command's (after ``django.setup()``), on the test database or
    ``database_url``."""
    env = {"DATABASE_URL": database_url or _database_url()}
    return tuple(
        _manage(code=start + code, env=env, static_root=static_root)
        for start in ("import wanderingsite.wsgi\n", "import django; django.setup()\n")
    )


SHOW_TIMEOUT = (
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('SHOW statement_timeout')\n"
    "    print(cursor.fetchone()[0])\n"
)


@pytest.mark.postgres
@pytest.mark.django_db
def test_web_processes_run_under_a_statement_timeout(collected):
    """The web entry point gives its connections a statement timeout; management
    commands (the loader, backups) run without one."""
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is a PostgreSQL setting")
    web, command = _as_web_and_as_command(SHOW_TIMEOUT, static_root=collected)
    assert web.returncode == 0, web.stderr
    assert web.stdout.strip() == "15s"
    assert command.stdout.strip() == "0"


@pytest.mark.postgres
@pytest.mark.django_db
def test_statement_timeout_cancels_a_long_query(collected):
    """A query past the timeout is stopped by the database itself."""
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is a PostgreSQL setting")
    result = _manage(
        code=(
            "import django; django.setup()\n"
            "from django.db import connection, OperationalError\n"
            "try:\n"
            "    connection.cursor().execute('SELECT pg_sleep(5)')\n"
            "except OperationalError as error:\n"
            "    print(type(error.__cause__).__name__)\n"
        ),
        env={"DATABASE_URL": _database_url(), "DATABASE_STATEMENT_TIMEOUT": "100ms"},
        static_root=collected,
    )
    assert result.stdout.strip() == "QueryCanceled", result.stderr


@pytest.fixture
def site(home_page):
    return small_archive(home_page)


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split(" ", 1) for part in header.split(";"))
    return {name: (value[0] if value else "") for name, *value in directives}


@pytest.mark.parametrize("url", ["/", "/films/", "/tags/", "/search/?q=earth"])
def test_public_pages_forbid_framing_and_foreign_scripts(client, site, url):
    """Public pages may not be framed and run no script but the site's own."""
    response = client.get(url)
    policy = _policy(response)
    assert policy["frame-ancestors"] == "'none'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_public_pages_hold_no_inline_script_or_handler(client, site):
    """What the policy forbids is not there to be blocked: no inline script, no
    event-handler or style attributes (structured data is not a script)."""
    for url in ("/", "/films/", site["film"].url, site["essay"].url, "/no-such-page/"):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        for script in soup.find_all("script"):
            assert script.get("type") == "application/ld+json", (url, script)
        for element in soup.find_all(True):
            handlers = [name for name in element.attrs if name.startswith("on")]
            assert not handlers, (url, element.name, handlers)
            assert "style" not in element.attrs, (url, element.name)


def test_admin_allows_its_own_frames_only(client, site):
    """The admin frames its previews from the same origin, and nobody else's."""
    policy = _policy(client.get("/admin/login/"))
    assert policy["frame-ancestors"] == "'self'"
    assert policy["frame-src"] == "'self'"


def test_preview_may_be_framed_by_the_admin(client, site):
    """The preview the editor sees in the admin's panel is allowed in its frame."""
    client.force_login(make_user("editor"))
    film = site["film"]
    response = client.get(f"/admin/pages/{film.pk}/edit/preview/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert _policy(response)["frame-ancestors"] == "'self'"


@pytest.mark.parametrize(
    ("filename", "disposition"),
    [("notes.docx", "attachment"), ("notes.txt", "inline")],
)
def test_documents_are_served_so_that_nothing_in_them_runs(
    client, db, filename, disposition, settings, tmp_path
):
    """A document is a download (text and PDF may open in the browser's viewer),
    under a policy that runs nothing, with its type not to be guessed."""
    settings.MEDIA_ROOT = tmp_path
    document = get_document_model().objects.create(
        title="Notes", file=ContentFile(b"<script>alert(1)</script>", name=filename)
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith(disposition)


COUNT_FIRST_REQUEST_LOOKUPS = """
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site
with CaptureQueriesContext(connection) as queries:
    ContentType.objects.get_for_model(Page)
    Site.get_site_root_paths()
print(len(queries))
"""


@pytest.mark.django_db
def test_web_processes_read_content_types_and_site_roots_at_start(collected, tmp_path):
    """A new web process has read the content types and the sites' root paths
    before its first request, so that request costs what every later one does;
    a management command reads them when it needs them."""
    database_url = None
    if connection.vendor != "postgresql":
        # The suite's SQLite database lives in its own process's memory.
        database_url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
        migrated = _manage("migrate", env={"DATABASE_URL": database_url})
        assert migrated.returncode == 0, migrated.stderr
    web, command = _as_web_and_as_command(
        COUNT_FIRST_REQUEST_LOOKUPS, static_root=collected, database_url=database_url
    )
    assert web.returncode == 0, web.stderr
    assert web.stdout.strip() == "0"
    assert command.stdout.strip() == "2"


def test_every_migration_runs_on_a_fresh_sqlite_database(tmp_path):
    """`make run`'s embedded database migrates from nothing, whichever
    database the suite itself runs on: PostgreSQL-only indexes stay off it."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'archive.sqlite3'}"}
    result = _manage("migrate", "--no-input", env=env)
    assert result.returncode == 0, result.stderr
    plan = _manage("showmigrations", "--plan", env=env).stdout
    assert "[X]  essays.0003_listing_date_indexes" in plan
    assert "[ ]" not in plan
