"""Redis for the tests that need a real shared cache (docs/deploy.md, "Cache").

NEIGHBORHOOD_TEST_REDIS_URL names it (default: the local server's database 1). Without a
reachable Redis those tests are skipped, unless CI=true, where they fail.
"""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

REDIS_URL = os.environ.get("NEIGHBORHOOD_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


def require_redis() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")


def redis_cache(prefix: str | None = None):
    """A new Redis cache client (its own connection pool), as another app server would have."""
    return RedisCache(REDIS_URL, {"KEY_PREFIX": prefix or f"test-{uuid.uuid4().hex}"})
