"""The web entry point (gunicorn ``wanderingsite.wsgi``): production settings
unless ``DJANGO_SETTINGS_MODULE`` says otherwise."""

import os

from django.core.wsgi import get_wsgi_application

from wanderingsite.checks import require_collected_static

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wanderingsite.settings.production")
# Web requests, not management commands, run under a statement timeout.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "15s")

application = get_wsgi_application()
require_collected_static()

# Models can be imported once the application has loaded Django's apps.
from wanderingsite.warm import warm_process  # noqa: E402

warm_process()
