"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's RedisCacheClient builds a new redis.Redis object for every cache operation, and redis-py
fills a table of about 160 response callbacks in each: a measurable share of a page served from the
page cache, which costs one cache round trip. A client is safe to share between threads (it takes
a connection from its pool for each command), so each pool keeps one.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
