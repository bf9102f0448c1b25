"""The old name of tests/sample_archive.py, kept while modules still import it.

The search, feed, sitemap and API tests now share that archive with the page
tests through the ``sample_archive`` fixture of tests/conftest.py. This
``build_archive`` gives it with the names this module used to give its pages.
"""

from types import SimpleNamespace

from tests import sample_archive

HIDDEN_WORD = sample_archive.HIDDEN


def build_archive(home) -> SimpleNamespace:
    archive = sample_archive.build_archive(home)
    hidden = archive.hidden
    archive.indexes = {
        "films": archive.films,
        "essays": archive.essays,
        "timeline": archive.timeline,
    }
    archive.essay = archive.kokas_essay
    archive.second_essay = archive.world_essay
    archive.event = archive.plan
    archive.edited = archive.cabinet
    archive.draft = hidden.draft_film
    archive.withdrawn = hidden.withdrawn_essay
    archive.private = hidden.private_event
    return archive
