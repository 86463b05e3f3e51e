"""Development on one machine: SQLite under var/, e-mail printed to the console."""

from config.env import env_list, env_str

from .base import *  # noqa: F403
from .base import FILE_STORAGE, VAR_DIR

DEBUG = True
# Development only: a fixed key is acceptable because nothing here is deployed.
SECRET_KEY = env_str("SECRET_KEY") or "dev-only-not-secret-" + "x" * 40  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
EMAIL_DELIVERY_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
NEIGHBORHOOD_ALLOW_DEMO = True
STORAGES = {
    "default": FILE_STORAGE,  # the local disk unless AWS_STORAGE_BUCKET_NAME names a bucket
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
VAR_DIR.mkdir(parents=True, exist_ok=True)
# `make run` serves from one process (runserver), so its in-process cache sees every change it
# makes: rendered fragments are kept there too (core/fragment_cache.py). A change made by
# another process (a `manage.py` command) is seen when the entries end, after 5 minutes; with
# REDIS_URL at once.
NEIGHBORHOOD_FRAGMENT_CACHE = "default"
