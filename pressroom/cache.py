"""Cache backends that never take the site down with them.

The cache only makes pages faster: every answer can be rebuilt from the database.
So when the cache fails (Redis stopped, restarted, out of memory, unreachable; a
cache folder that cannot be written), the site must keep serving from the
database, and the admin must keep saving. Django's own backends raise instead, and
its RedisCache has no "ignore exceptions" option (django-redis has one, but for
Redis only, logging every failed call and with no pause nor recovery hook; the
same thin wrapper over Django's backend is what ansible/awx#14243 did).

One place catches them, for every caller (the page cache, the content cache,
the next-publication time, and anything added later): these subclasses of
Django's backends. A failed call is logged on the `pressroom.cache` logger and
answers like a miss (`get` → default, `add` → False, `get_many` → {}).

After a failure the cache is left alone for `PAUSE_AFTER_ERROR` seconds (an
OPTIONS entry, 5 by default), so a Redis that times out instead of refusing does
not cost each request several timeouts, and the log gets one error per outage
rather than one per call. Then one call probes it; once it answers,
`cache_recovered` is sent before anything is read from it: writes made meanwhile
(an admin save retires every cached page by writing a new content generation)
were lost, and a Redis that was cut off rather than restarted still holds the old
pages, so articles.caching.page_cache retires every page then.
"""

from __future__ import annotations

import logging
import pickle
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient, RedisSerializer
from django.dispatch import Signal

logger = logging.getLogger("pressroom.cache")

#: Sent (sender: the backend instance) by the first successful call after a failure.
cache_recovered = Signal()

try:  # redis is a runtime dependency, but the file cache must not need it
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover
    RedisError = OSError

# What a cache that is down raises: redis-py's errors (connection refused or reset,
# timeouts, OOM and read-only replies), and OSError for a cache folder (disk full,
# permissions). Not Exception: a pickling error or a bad key is a bug, and must show.
CACHE_ERRORS = (RedisError, OSError)


class ResilientCacheMixin:
    """Turns the backend's failures into misses, logged once per outage, with a pause."""

    default_pause_after_error = 5.0
    probe_key = "pressroom:cache-probe"

    def __init__(self, location, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.pause_after_error = float(options.pop("PAUSE_AFTER_ERROR", self.default_pause_after_error))
        params["OPTIONS"] = options
        super().__init__(location, params)
        self._lock = threading.Lock()
        self._outage_started: float | None = None  # None while the cache works
        self._retry_at = 0.0  # during an outage, calls are skipped until then
        self._recovering_thread: int | None = None
        self._failures = 0  # every failed call, ever
        self._skipped = 0  # calls skipped during the current outage

    # --- the guard --------------------------------------------------------------------------

    @property
    def is_available(self) -> bool:
        """False during an outage (calls then answer like misses, until a probe succeeds)."""
        return self._outage_started is None

    def _guard(self, operation: str, call, *args, fallback=None, **kwargs):
        if self._outage_started is not None and not self._back_in_service():
            self._skipped += 1
            return fallback
        try:
            return call(*args, **kwargs)
        except CACHE_ERRORS as error:
            self._failed(operation, error)
            return fallback

    def _failed(self, operation: str, error: Exception) -> None:
        with self._lock:
            first = self._outage_started is None
            now = time.monotonic()
            if first:
                self._outage_started, self._skipped = now, 0
            self._retry_at = now + self.pause_after_error
            self._failures += 1
        if first:
            # ERROR: the technical team is told (mail_admins), once per outage and process.
            logger.error(
                "Cache indisponible (%s: %s) : les pages sont servies depuis la base de données ; "
                "nouvel essai toutes les %g s.",
                operation, error, self.pause_after_error,
            )
        else:
            logger.debug("Cache toujours indisponible (%s: %s).", operation, error)

    def _back_in_service(self) -> bool:
        """After the pause, one thread probes the cache and runs the `cache_recovered` receivers.

        They run *before* the call that found the cache back uses its answer: a page lookup
        must not read, from a cache that kept its data, an entry that a save made during the
        outage should have retired.
        """
        me = threading.get_ident()
        if self._recovering_thread == me:
            return True  # the receivers' own calls
        with self._lock:
            if self._outage_started is None:
                return True
            if self._recovering_thread is not None or time.monotonic() < self._retry_at:
                return False
            self._recovering_thread = me
            failures = self._failures
        try:
            try:
                super().has_key(self.probe_key)
            except CACHE_ERRORS as error:
                self._failed("probe", error)
                return False
            cache_recovered.send(sender=self)
            if self._failures != failures:  # a receiver's call failed: still down
                return False
            with self._lock:
                started, skipped, self._outage_started = self._outage_started, self._skipped, None
        finally:
            self._recovering_thread = None
        logger.warning(
            "Cache de nouveau disponible après %.0f s (%d appels sans cache).", time.monotonic() - started, skipped
        )
        return True

    # --- every public operation of BaseCache that reaches the backend -------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("add", super().add, key, value, timeout, version, fallback=False)

    def get(self, key, default=None, version=None):
        return self._guard("get", super().get, key, default, version, fallback=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", super().set, key, value, timeout, version, fallback=False)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", super().touch, key, timeout, version, fallback=False)

    def delete(self, key, version=None):
        return self._guard("delete", super().delete, key, version, fallback=False)

    def get_many(self, keys, version=None):
        return self._guard("get_many", super().get_many, keys, version, fallback={})

    def has_key(self, key, version=None):
        return self._guard("has_key", super().has_key, key, version, fallback=False)

    def incr(self, key, delta=1, version=None):
        # Django raises ValueError for a missing key; a cache that is down has none.
        result = self._guard("incr", super().incr, key, delta, version, fallback=None)
        if result is None:
            raise ValueError(f"Key '{key}' not found (cache unavailable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set_many", super().set_many, data, timeout, version, fallback=list(data))

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", super().delete_many, keys, version, fallback=None)

    def clear(self):
        return self._guard("clear", super().clear, fallback=False)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one `redis.Redis` per connection pool.

    Django builds a new `redis.Redis` for every operation, and redis-py 5+ fills a table of
    ~200 response callbacks in each one: measured at 0.5 ms per operation, a quarter of a
    page-cache hit. The object is thread-safe and holds no connection of its own (the pool
    does), so one per pool is enough.
    """

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        if index not in clients:
            clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return clients[index]


class PickleFirstRedisSerializer(RedisSerializer):
    """Django's serializer (integers stored as digits, for INCR; anything else pickled), reading a
    pickle as a pickle first.

    Django's `loads` tries `int(data)` on every value and unpickles after the ValueError: for a
    30 kB page that failure alone costs about 2 µs, for the 9 values of a page-cache hit 20 µs,
    a tenth of a hit's CPU (issue #17). A pickle of protocol 2 or later (Django writes the
    highest) starts with the PROTO opcode, 0x80, which no integer's digits do.
    """

    def loads(self, data):
        if data[:1] == b"\x80":
            return pickle.loads(data)
        return super().loads(data)


class ResilientRedisCache(ResilientCacheMixin, RedisCache):
    """Django's RedisCache, failing soft: the production cache (REDIS_URL)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient  # RedisCache sets its own in __init__
        self._options = {"serializer": PickleFirstRedisSerializer, **self._options}

    def validate_key(self, key):
        """No check: Redis takes any key. Django's default warns about keys memcached would
        refuse (over 250 characters, spaces, control characters), walking every character of
        every key: 9 keys per page-cache hit, measured at a tenth of a hit's CPU (issue #17).
        They are only warnings, about a backend this site does not use: nothing stored changes."""


class ResilientFileBasedCache(ResilientCacheMixin, FileBasedCache):
    """Django's FileBasedCache, failing soft: the default cache, shared by every process of one machine."""
