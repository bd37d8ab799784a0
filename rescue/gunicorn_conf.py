"""Production serving with gunicorn: `gunicorn -c python:rescue.gunicorn_conf wsgi:app`.

Every setting can be changed from the environment. Threads let one worker wait on the database or a
document render while another request runs; a worker is replaced after a couple of thousand requests
so that memory stays flat. The access log keeps paths without query strings (searches hold names)."""
import multiprocessing
import os

bind = os.environ.get("RESCUE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("RESCUE_WEB_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("RESCUE_WEB_THREADS", 4))
timeout = int(os.environ.get("RESCUE_WEB_TIMEOUT", 120))  # a long document render, not a stuck worker
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("RESCUE_WEB_MAX_REQUESTS", 2000))
max_requests_jitter = 200
accesslog = os.environ.get("RESCUE_ACCESS_LOG", "-")
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
