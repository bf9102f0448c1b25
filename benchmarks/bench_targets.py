"""What ``make bench`` measures, read from the archive it serves.

Run by ``bench.py`` under the servers' own settings and database; prints one
JSON object: the URLs to load (the static file, a real film, essay and event
where there are any, the indexes, the largest and the smallest tag page...)
and what the archive holds. It also empties the page cache, so that no page
cached from another archive is served.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanderingsite.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.storage import staticfiles_storage  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from wagtailcache.cache import clear_cache  # noqa: E402

from essays.models import EssayIndexPage, EssayPage, EssayPageTag  # noqa: E402
from films.models import (  # noqa: E402
    FilmIndexPage,
    FilmPage,
    FilmPageTag,
    PolicyEventPage,
    PolicyEventPageTag,
    TimelinePage,
)
from wanderingsite.models import ArchiveTag  # noqa: E402
from wanderingsite.services.synthetic import SYNTHETIC_PREFIX  # noqa: E402

SEARCH_MISS = "qzxvjwk"


def first_url(model) -> str:
    """The first page of the type in the tree, a real one if there is one: the
    same page at 30 pages and at 20,000."""
    pages = model.objects.live().public().order_by("path")
    page = pages.exclude(slug__startswith=SYNTHETIC_PREFIX).first() or pages.first()
    return page.url if page else ""


def tag_uses() -> dict[int, int]:
    """How many live pages carry each tag."""
    uses: dict[int, int] = {}
    for through in (FilmPageTag, EssayPageTag, PolicyEventPageTag):
        rows = (
            through.objects.filter(content_object__live=True)
            .values("tag")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            uses[row["tag"]] = uses.get(row["tag"], 0) + row["n"]
    return uses


def stylesheet() -> str:
    static_root = Path(settings.STATIC_ROOT)
    source = next(
        path.relative_to(static_root).as_posix()
        for path in sorted(static_root.glob("css/*.css"))
        if path.name.count(".") == 1  # site.css, not its hashed copies
    )
    return staticfiles_storage.url(source)


def page_cache_backends() -> str:
    """The page cache's backend, and the shared one behind its per-process layer."""
    config = settings.CACHES["pagecache"]
    backend = config["BACKEND"].rsplit(".", 1)[-1]
    shared = settings.CACHES.get(str(config.get("LOCATION", "")))
    if shared:
        backend += f" over {shared['BACKEND'].rsplit('.', 1)[-1]}"
    return backend


def main() -> None:
    uses = tag_uses()
    tags = ArchiveTag.objects.in_bulk(list(uses))
    ranked = sorted(uses, key=lambda pk: (-uses[pk], tags[pk].name.lower()))
    large, small = tags[ranked[0]], tags[ranked[-1]]
    targets = [
        ("static", stylesheet(), "served by whitenoise"),
        ("home", "/", ""),
        ("film", first_url(FilmPage), ""),
        ("essay", first_url(EssayPage), ""),
        ("event", first_url(PolicyEventPage), ""),
        ("film index", first_url(FilmIndexPage), ""),
        ("essay index", first_url(EssayIndexPage), ""),
        ("timeline", first_url(TimelinePage), ""),
        ("tags", "/tags/", f"{len(uses)} tags in use"),
        ("large tag", large.get_absolute_url(), f"{uses[large.pk]} pages"),
        ("small tag", small.get_absolute_url(), f"{uses[small.pk]} pages"),
        ("search, one word", "/search/?q=earth", ""),
        ("search, two words", "/search/?q=wandering+earth", ""),
        ("search, a miss", f"/search/?q={SEARCH_MISS}", "a word nothing holds"),
        ("sitemap", "/sitemap.xml", ""),
        ("feed", "/feeds/latest/", ""),
        ("API listing", "/api/v2/pages/?type=essays.EssayPage", ""),
    ]
    synthetic = {"slug__startswith": SYNTHETIC_PREFIX}
    models = (FilmPage, EssayPage, PolicyEventPage)
    archive = {
        "engine": connection.vendor,
        "database": Path(str(connection.settings_dict["NAME"])).name,
        "films": FilmPage.objects.live().count(),
        "essays": EssayPage.objects.live().count(),
        "events": PolicyEventPage.objects.live().count(),
        "synthetic pages": sum(m.objects.filter(**synthetic).count() for m in models),
        "tags": len(uses),
        "page cache": page_cache_backends(),
    }
    clear_cache()
    print(
        json.dumps(
            {
                "targets": [
                    {"name": name, "url": url, "note": note}
                    for name, url, note in targets
                    if url
                ],
                "archive": archive,
            }
        )
    )


if __name__ == "__main__":
    main()
