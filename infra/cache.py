"""Django's Redis cache, with one Redis client per connection pool instead of one per call; the
database cache that never evicts a live counter.

Django's RedisCacheClient builds a new redis.Redis object for every cache operation, and redis-py
fills a table of about 160 response callbacks in each: a measurable share of a page served from the
page cache, which costs one cache round trip. A client is safe to share between threads (it takes
a connection from its pool for each command), so each pool keeps one.
"""

from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import connections


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


class CounterDatabaseCache(DatabaseCache):
    """The database cache for counters that protect (CACHES["security"]): sign-in lockouts, rate
    limits. Django's cull deletes a share of the live keys in key order once the table holds
    MAX_ENTRIES, which would lift lockouts; here only expired rows are ever deleted. Every counter
    expires within its window (a day at most), so the table stays as large as recent abuse."""

    def _cull(self, db, cursor, now, num):
        connection = connections[db]
        table = connection.ops.quote_name(self._table)  # the LOCATION setting, never user input
        cursor.execute(
            f"DELETE FROM {table} WHERE expires < %s",  # noqa: S608
            [connection.ops.adapt_datetimefield_value(now)],
        )
