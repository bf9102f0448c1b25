"""``make run``: the production settings, served on this machine over plain HTTP.

Only what HTTP on a loopback address needs is relaxed: no redirect to HTTPS,
no HSTS, cookies without the Secure flag. ``DEBUG`` stays off, static files
come from the collected manifest, the page cache is on, errors show the
archive's own pages. The local users of ``create_local_users`` are allowed.
"""

from .production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = False
ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = False
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
LOCAL_USERS = True
# Uploaded images under /media/; a deployment serves them from its proxy or
# object storage instead.
SERVE_MEDIA = True
