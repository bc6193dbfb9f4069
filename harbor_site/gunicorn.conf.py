"""gunicorn settings for the web process (sync workers: measured fastest here for
small requests, and they sendfile() blob downloads). See docs/architecture.md."""

import os

bind = f"{os.environ.get('HARBOR_BIND', '0.0.0.0')}:{os.environ.get('HARBOR_PORT', '8080')}"
workers = int(os.environ.get("HARBOR_WEB_WORKERS", "4"))
worker_class = "sync"
# Large blob uploads stream for a long time on one request.
timeout = int(os.environ.get("HARBOR_WEB_TIMEOUT", "600"))
graceful_timeout = 30
accesslog = "-" if os.environ.get("HARBOR_ACCESS_LOG", "true").lower() == "true" else None
# The path without its query string: an OIDC callback's query carries an authorization code.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms %(p)s'
errorlog = "-"
control_socket_disable = True
# Import the app once in the master and fork: workers share its pages (measured: PSS of
# master + 4 workers 232 -> 187 MiB). Nothing opens a database connection at import time.
preload_app = True
