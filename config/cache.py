"""Django's Redis cache, with one Redis client per connection pool instead of a new one for
each cache call.

Django builds a `redis.Redis` object on every get and set (RedisCacheClient.get_client), and
building one sets up its table of about 170 response callbacks: measured here, it was a third
of a cache read's time, and a page makes several (the session, the user, the header). A
client is safe to share between threads: it takes a connection from its pool per command.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
