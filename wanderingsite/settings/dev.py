from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
LOCAL_USERS = True
SERVE_MEDIA = True
# runserver reloads code; a page cache would keep serving the old pages.
WAGTAIL_CACHE = False
