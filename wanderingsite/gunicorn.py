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
# Recycled now and then, so that no worker grows without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The proxy in front of gunicorn (nginx, Varnish) on this machine tells it the
# request was HTTPS; nobody else may.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
