"""Settings shared by every environment; secure by default."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "wanderingsite",
    "films",
    "essays",
    "wagtail.api.v2",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]

# The page cache stores a response as UpdateCacheMiddleware sees it. A visitor
# without a session or CSRF cookie gets a hit from CachedPageMiddleware, just
# above it; anyone else's from FetchFromCacheMiddleware. The middleware above
# both adds headers to every response, hit or miss; a hit skips what is below.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wanderingsite.middleware.ArchiveCSPMiddleware",
    "wanderingsite.middleware.PermissionsPolicyMiddleware",
    "wanderingsite.middleware.BrowserCacheMiddleware",
    # A visitor's hit, before sessions and everything below (page_cache.py).
    "wanderingsite.page_cache.CachedPageMiddleware",
    "wagtailcache.cache.UpdateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    "wagtailcache.cache.FetchFromCacheMiddleware",
    # After the page cache, so that a hit asks no database anything.
    "wanderingsite.replicas.ReplicaMiddleware",
]

ROOT_URLCONF = "wanderingsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "wanderingsite.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        # A connection PostgreSQL dropped (a restart) is replaced before the
        # request uses it, instead of failing that request.
        conn_health_checks=True,
    )
}
# A streaming replica of PostgreSQL for visitors' reads (wanderingsite/replicas.py);
# the admin and every write use the primary.
if replica_url := os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        replica_url, conn_max_age=60, conn_health_checks=True
    )
DATABASE_ROUTERS = ["wanderingsite.replicas.ReplicaRouter"]
# How long a replica that stopped answering is left alone; how long after a
# purge the page cache is emptied again, for pages built from a replica that
# had not yet replayed the change.
REPLICA_RETRY_SECONDS = 5
REPLICA_PURGE_DELAY = float(os.environ.get("REPLICA_PURGE_DELAY", 1.0))
for database in DATABASES.values():
    # Web processes set DATABASE_STATEMENT_TIMEOUT (wsgi.py): a query that runs
    # past it is cancelled by the server, even after the client has gone.
    timeout = os.environ.get("DATABASE_STATEMENT_TIMEOUT")
    if timeout and database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("OPTIONS", {})["options"] = (
            f"-c statement_timeout={timeout}"
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The admin autosaves while an editor presses submit; taking the write lock
    # at the start makes the two wait for each other instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", timeout=20
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The page cache ("pagecache") is purged whole on every public change
# (wanderingsite/cache.py), so give it a Redis database of its own. Without
# REDIS_URL it lives in files under var/, which every worker on the machine shares.
# In front of that shared cache, each process keeps its most used pages
# (wanderingsite/page_cache.py): at most PAGE_CACHE_LOCAL_ENTRIES entries and
# PAGE_CACHE_LOCAL_BYTES bytes, checked against the shared cache's generation,
# which every purge replaces, at most every PAGE_CACHE_CHECK_SECONDS.
REDIS_URL = os.environ.get("REDIS_URL", "")
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", 60 * 60))
PAGE_CACHE_LAYERS = {
    "BACKEND": "wanderingsite.page_cache.LayeredCache",
    "LOCATION": "pagecache_shared",
    "TIMEOUT": PAGE_CACHE_TIMEOUT,
    "OPTIONS": {
        "MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_LOCAL_ENTRIES", 200)),
        "MAX_BYTES": int(os.environ.get("PAGE_CACHE_LOCAL_BYTES", 8 * 1024 * 1024)),
        "CHECK_INTERVAL": float(os.environ.get("PAGE_CACHE_CHECK_SECONDS", 0.25)),
    },
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "default",
        },
        "pagecache": PAGE_CACHE_LAYERS,
        "pagecache_shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("PAGE_CACHE_REDIS_URL", REDIS_URL),
            "KEY_PREFIX": "page",
            "TIMEOUT": PAGE_CACHE_TIMEOUT,
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pagecache": PAGE_CACHE_LAYERS,
        "pagecache_shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": BASE_DIR / "var" / "cache" / "pages",
            "TIMEOUT": PAGE_CACHE_TIMEOUT,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
# wagtail-cache's middleware and purge, without its app: the app's admin view
# would let any editor empty the cache with a GET.
WAGTAIL_CACHE = os.environ.get("PAGE_CACHE", "1") == "1"
WAGTAIL_CACHE_BACKEND = "pagecache"
WAGTAIL_CACHE_HEADER = "X-Page-Cache"
# Browsers revalidate every page, so a visitor never keeps a page the page
# cache has purged; a proxy or CDN in front may keep one this long, purged by
# Wagtail's front-end cache invalidation (WAGTAILFRONTENDCACHE).
PROXY_CACHE_SECONDS = int(os.environ.get("PROXY_CACHE_SECONDS", 0))
# A Varnish in front that takes BAN requests: every purge of the page cache
# empties it too, listings included (wanderingsite/cache.py).
PROXY_BAN_URL = os.environ.get("PROXY_BAN_URL", "")
if frontend_cache_url := os.environ.get("FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": frontend_cache_url,
        }
    }

# Axes' backend refuses a locked-out sign-in and authenticates nobody itself;
# it comes first, and is a ModelBackend so that sessions and force_login work.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (django-axes), on every login form: a username is locked
# for one address after a few failures, for a while; other addresses are not.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "wanderingsite/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "wanderingsite.middleware.client_ip"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# How many proxies in front append to X-Forwarded-For; 0 trusts REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Wagtail's preview views allow their own frame from the same origin.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Public pages run no script of their own and are never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The admin and its previews: Wagtail 7.4's admin runs inline scripts (the
# explorer, page forms, history) and frames its previews from the same origin.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, "'unsafe-inline'"],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "frame-src": [SELF],
        "base-uri": [SELF],
        "frame-ancestors": [SELF],
    }
}
ADMIN_URL_PREFIXES = ("/admin/",)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)

TAGGIT_CASE_INSENSITIVE = True

WAGTAIL_SITE_NAME = "The Wandering Earth Archive"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
# Review is one step and editors cannot edit a page while it is in review, so
# approving publishes the page as it stands. With re-approval on, the edit
# screen's Approve re-saves any draft that adds a credit or a cited fact as a
# new revision, and the review restarts instead of publishing.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = False
# Autosave on a new page creates it in the background; a "Submit" pressed while
# that request is in flight posts the create form again and fails on the slug
# the autosave just took (a 500 in Wagtail 7.4). Editors save drafts by hand.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# Avatars without a third-party request from every admin page.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx"]
# Documents go through Django, as downloads, under a policy that runs nothing
# (Content-Security-Policy: default-src 'none'; nosniff); PDFs and text files
# may still open in the browser's own viewer.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100

# Local users (create_local_users) and media served by Django itself only where
# a settings module for one machine allows them (dev, local, test).
LOCAL_USERS = False
SERVE_MEDIA = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    },
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false"],
            "level": "ERROR",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"handlers": ["console", "mail_admins"], "propagate": False},
        "django.security": {"handlers": ["console", "mail_admins"], "propagate": False},
    },
}
