"""What the site keeps in Redis comes back as it was stored (pressroom/cache.py's serializer).

On a redis-server of the test's own (tests/processes.py), through the production backend.
"""

import pytest
from django.core.cache.backends.redis import RedisSerializer

from pressroom.cache import PickleFirstRedisSerializer, ResilientRedisCache
from tests.processes import OwnRedis

VALUES = [
    0, 42, -7, 2**70, True, 1.5, "", "7", "a token", b"\x80 bytes", None, [1, "2"], ("a", 1),
    {"status": 200, "headers": [("Content-Type", "text/html; charset=utf-8")], "content": "é".encode() * 20_000},
]


@pytest.fixture
def redis_cache():
    server = OwnRedis()
    server.start()
    yield ResilientRedisCache(server.url, {"OPTIONS": {"socket_timeout": 1}})
    server.kill()


def test_every_kind_of_value_comes_back_as_it_was_stored(redis_cache):
    for n, value in enumerate(VALUES):
        redis_cache.set(f"value-{n}", value)
    found = redis_cache.get_many([f"value-{n}" for n in range(len(VALUES))])
    assert [found[f"value-{n}"] for n in range(len(VALUES))] == VALUES
    assert [type(found[f"value-{n}"]) for n in range(len(VALUES))] == [type(v) for v in VALUES]


def test_counters_are_still_counted_by_redis(redis_cache):
    redis_cache.set("counter", 41)
    assert redis_cache.incr("counter") == 42
    assert redis_cache.get("counter") == 42
    assert redis_cache.add("fresh", 1) and redis_cache.incr("fresh", 9) == 10


def test_it_reads_what_django_s_own_serializer_wrote_and_the_other_way_round():
    """Entries written before the change, or by a process still running the old code, stay readable."""
    ours, django_s = PickleFirstRedisSerializer(), RedisSerializer()
    for value in VALUES:
        written = django_s.dumps(value)
        stored = str(written).encode() if isinstance(written, int) else written  # as Redis keeps an integer
        assert ours.loads(stored) == value
        written = ours.dumps(value)
        stored = str(written).encode() if isinstance(written, int) else written
        assert django_s.loads(stored) == value
