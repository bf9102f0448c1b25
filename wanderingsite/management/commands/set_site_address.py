"""Point the default site at the address the archive is served from."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site


def address(url: str) -> tuple[str, int]:
    """The host name and port of ``url``; the scheme's port where it names none."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError as error:
        raise CommandError(f"{url!r} has a port that is not a number.") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CommandError(f"{url!r} is not an http:// or https:// address.")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


class Command(BaseCommand):
    help = (
        "Give the default site the host name and port of WAGTAILADMIN_BASE_URL (or "
        "of the URL given): canonical links, OpenGraph, the sitemap and the API "
        "build their absolute URLs from it. 'make run' calls it with HOST and PORT."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", nargs="?", help="default: WAGTAILADMIN_BASE_URL")

    def handle(self, *args, url=None, **options):
        url = url or settings.WAGTAILADMIN_BASE_URL
        hostname, port = address(url)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("There is no default site: run 'migrate' first.")
        if (site.hostname, site.port) == (hostname, port):
            self.stdout.write(f"Site address unchanged: {hostname}:{port}.")
            return
        if Site.objects.exclude(pk=site.pk).filter(hostname=hostname, port=port):
            raise CommandError(
                f"Another site already answers at {hostname}:{port}; change it "
                "under Settings → Sites first."
            )
        old = f"{site.hostname}:{site.port}"
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
        self.stdout.write(
            self.style.SUCCESS(f"Site address: {old} → {hostname}:{port}.")
        )
