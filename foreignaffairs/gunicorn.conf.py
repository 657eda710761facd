"""gunicorn settings for `make serve`; each can be overridden from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
worker_class = "gthread"
# Long enough for the largest export the admin streams.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# Secret links (a partner's confirmation, a calendar feed) are logged as [secret].
logger_class = "foreignaffairs.access_log.RedactingLogger"
errorlog = "-"
# Forwarded headers (X-Forwarded-Proto...) are believed only from our own proxies:
# none unless DJANGO_TRUSTED_PROXIES says there are (then, by default, the one on
# this machine). Otherwise a client's "X-Forwarded-Proto: https" would make pages
# with https links.
_proxies = int(os.environ.get("DJANGO_TRUSTED_PROXIES") or 0)
forwarded_allow_ips = os.environ.get(
    "GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1" if _proxies else ""
)
if not _proxies:
    secure_scheme_headers = {}

# Request lines and headers are capped here; bodies are capped by address in
# Django's first middleware, before any of them is read
# (foreignaffairs/requests.py, DJANGO_REQUEST_MAX_*_BYTES).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
