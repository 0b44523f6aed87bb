import os

import pytest

REDIS_URL = os.environ.get("REDIS_URL", "")

requires_redis = pytest.mark.skipif(
    not REDIS_URL,
    reason="REDIS_URL is unset: Redis integration runs in CI (.ci/run) or with REDIS_URL exported",
)
