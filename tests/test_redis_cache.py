"""The Redis cache (production's, with REDIS_URL) keeps one client per connection pool, and
that client serves every thread."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from config.cache import SharedClientRedisCache

pytestmark = pytest.mark.integration


@pytest.fixture
def redis_cache():
    cache = SharedClientRedisCache(
        "redis://127.0.0.1:6379/13", {"KEY_PREFIX": "nq23-test-shared-client"}
    )
    cache.clear()
    yield cache
    cache.clear()


def test_one_client_serves_every_call(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    redis_cache.set("k", {"giá trị": 1})
    assert redis_cache.get("k") == {"giá trị": 1}
    assert redis_cache._cache.get_client() is client


def test_threads_share_it_without_mixing_answers(redis_cache):
    def round_trip(n: int) -> bool:
        for i in range(50):
            redis_cache.set(f"k{n}:{i}", n * 1000 + i)
            if redis_cache.get(f"k{n}:{i}") != n * 1000 + i:
                return False
        return True

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(round_trip, range(8)))
    assert redis_cache.get_many([f"k3:{i}" for i in range(3)]) == {
        "k3:0": 3000,
        "k3:1": 3001,
        "k3:2": 3002,
    }
