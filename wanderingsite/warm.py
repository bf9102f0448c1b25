"""What a web process reads once, read before its first visitor.

Django keeps content types and Wagtail keeps the sites' root paths for the
life of a process; left to the first requests, they cost each of those up to
two queries more than every later one. ``wsgi.py`` reads them at start-up.
"""

import logging

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError
from wagtail.models import Site

logger = logging.getLogger(__name__)


def warm_process() -> None:
    """Read every content type and the sites' root paths into their caches; a
    database that does not answer yet is left to the first request."""
    try:
        ContentType.objects.get_for_models(*apps.get_models())
        Site.get_site_root_paths()
    except DatabaseError:
        logger.warning("Could not warm the process; its first requests will.")
