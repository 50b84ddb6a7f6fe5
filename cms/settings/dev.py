"""Settings for a developer's machine: `make run`."""

from .base import *  # noqa: F403
from .base import API_RATE_LIMIT_ANONYMOUS, API_RATE_LIMITS, SECRET_KEY

DEBUG = True
# A fixed key lets admin sessions survive restarts on a laptop; production.py needs a real one.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
LOCAL_ADMIN_ENABLED = True
# Webhook receivers on this machine (127.0.0.1, plain http) are how webhooks are tried out
# and tested; base.py refuses them.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = WEBHOOK_ALLOW_HTTP = True
# Someone trying the API from `make run` (by hand, a script, or the docs page's "Try it out")
# is never refused; API_RATE_LIMIT_ANONYMOUS still sets a real limit to try the 429 with.
API_RATE_LIMITS = {**API_RATE_LIMITS, "anonymous": API_RATE_LIMIT_ANONYMOUS or "10000/minute"}
# The page tree rendered as HTML, to look at what editors made (production serves no HTML).
SERVE_HTML_PAGES = True
