"""The default site's address comes from ``WAGTAILADMIN_BASE_URL``.

Canonical links, OpenGraph URLs, the sitemap and the API's ``html_url`` are
built from the Wagtail site's host name and port. Migration 0002 gave the site
the placeholder ``localhost:80``, so a site served at the configured base URL
(``http://127.0.0.1:8000`` by default) pointed every absolute link at a port
nothing listens on. The placeholder is replaced; an address someone has set
in the admin is left alone.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations

PLACEHOLDER = ("localhost", 80)


def _address(base_url: str) -> tuple[str, int] | None:
    parts = urlsplit(base_url)
    if not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def use_base_url(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    address = _address(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "")
    if address is None or address == PLACEHOLDER:
        return
    hostname, port = address
    if Site.objects.filter(hostname=hostname, port=port).exists():
        return
    Site.objects.filter(
        is_default_site=True, hostname=PLACEHOLDER[0], port=PLACEHOLDER[1]
    ).update(hostname=hostname, port=port)


class Migration(migrations.Migration):
    dependencies = [
        ("wanderingsite", "0004_search_indexes"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(use_base_url, migrations.RunPython.noop)]
