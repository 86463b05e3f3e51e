"""The test suite: SQLite in memory unless DATABASE_URL names a database; fast hashing."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "y" * 40  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_DELIVERY_BACKEND = EMAIL_BACKEND
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="neighborhood-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
NEIGHBORHOOD_ALLOW_DEMO = True
# Each test rolls back its database changes; a cached rendition would outlive its row.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
# No rendered fragments kept between requests unless a test asks for them (tests that check the
# fragment cache set "default"): a test's rolled-back rows must not live on in another test's
# page.
NEIGHBORHOOD_FRAGMENT_CACHE = None
