"""Production: everything from the environment, nothing insecure by default.

``manage.py check --deploy`` passes with these settings and no warnings
(tests/wanderingsite/test_deploy.py).
"""

import os
from email.utils import getaddresses
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _secret_key() -> str:
    """``SECRET_KEY``, or the contents of the file ``SECRET_KEY_FILE`` names."""
    if key := os.environ.get("SECRET_KEY", ""):
        return key
    if path := os.environ.get("SECRET_KEY_FILE", ""):
        return Path(path).read_text().strip()
    return ""


SECRET_KEY = _secret_key()
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "Set SECRET_KEY (or SECRET_KEY_FILE, a file holding it) in the environment "
        "to run in production."
    )
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set ALLOWED_HOSTS in the environment (comma-separated host names) to run "
        "in production: without it every request is refused."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
# A proxy or load balancer asks over plain HTTP whether a server is up.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "0") == "1"
if not SECURE_HSTS_PRELOAD:
    # Preloading is a commitment browsers keep for months after it is undone,
    # so the operator opts in (SECURE_HSTS_PRELOAD=1); check --deploy would
    # otherwise warn (security.W021) on every deployment that has not.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

ADMINS = getaddresses([os.environ.get("ADMINS", "")])
ADMINS = [(name, address) for name, address in ADMINS if address]
MANAGERS = ADMINS
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "The Wandering Earth Archive <archive@localhost>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
