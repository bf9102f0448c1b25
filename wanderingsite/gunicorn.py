"""gunicorn's settings, for ``gunicorn -c python:wanderingsite.gunicorn``.

Everything can be set from the environment: ``HOST``/``PORT`` or ``BIND``,
``WEB_CONCURRENCY`` (workers, default two per core plus one), ``WEB_TIMEOUT``.
"""

import multiprocessing
import os

bind = os.environ.get(
    "BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("WEB_TIMEOUT", 30))
graceful_timeout = 20
# Recycled now and then, so that no worker grows without bound; at different
# times, so that the workers never all restart at once (a pause for every
# visitor while they boot), and seldom, since a page cache hit takes about a
# millisecond and a restart a second of a core.
max_requests = 20_000
max_requests_jitter = 10_000
accesslog = "-"
errorlog = "-"
# The proxy in front of gunicorn (nginx, Varnish) on this machine tells it the
# request was HTTPS; nobody else may.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
