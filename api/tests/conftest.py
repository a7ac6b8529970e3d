import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Each test starts with every token's allowance whole: the throttle counts in the cache."""
    cache.clear()
    yield
    cache.clear()
