"""gunicorn settings for production (`make serve` runs exactly this).

On 2 cores, 2–3 sync workers are the sweet spot (platform-notes.md); set
WEB_CONCURRENCY for bigger machines.
"""

import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
wsgi_app = "civiccenter.wsgi:application"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows unbounded.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# Behind the reverse proxy, trust its X-Forwarded-* headers (set FORWARDED_ALLOW_IPS).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
