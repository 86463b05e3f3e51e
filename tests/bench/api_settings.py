"""Settings for `make bench` (tests/bench/api.py): the test settings, plus stock Wagtail API v2
mounted at /api/stock/ so both APIs answer on the same data in the same run."""

from config.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.api.stock_urls"
DEBUG = False
WAGTAILAPI_TOKEN_LAST_USED_INTERVAL = None  # no write per request while measuring
# The files under NEIGHBORHOOD_VAR_DIR, which every child process of a benchmark shares (the
# test settings' own directory is new in each process: the demo's images would be missing).
MEDIA_ROOT = VAR_DIR / "media"  # noqa: F405
