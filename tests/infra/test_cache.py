"""infra.cache.RedisCache: Django's Redis cache, against the Redis server of the machine (CI has
one), with one client per connection pool instead of one per operation."""

import socket
import uuid

import pytest

from infra.cache import RedisCache

REDIS = ("127.0.0.1", 6379)


def redis_answers():
    try:
        with socket.create_connection(REDIS, timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def cache():
    if not redis_answers():
        pytest.skip("no Redis on 127.0.0.1:6379")
    backend = RedisCache("redis://127.0.0.1:6379/13", {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield backend
    backend.clear()


def test_it_behaves_as_djangos_redis_cache(cache):
    assert cache.add("counter", 1) and not cache.add("counter", 5)
    assert cache.incr("counter", 2) == 3
    cache.set_many({"a": {"html": "<p>é</p>"}, "b": b"\x00bytes"}, timeout=60)
    assert cache.get_many(["a", "b", "missing"]) == {"a": {"html": "<p>é</p>"}, "b": b"\x00bytes"}
    cache.delete("a")
    assert cache.get("a", "gone") == "gone"


def test_each_connection_pool_keeps_one_client(cache):
    cache.get("warm")
    client = cache._cache
    assert client.get_client() is client.get_client()
    assert client.get_client(write=True) is client.get_client(write=True)
