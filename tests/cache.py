"""The tests' Redis cache, shared by pytest-xdist's worker processes.

The workers use one Redis database, so each keeps its keys under a prefix of its own (the
settings give it the worker's name) and `clear()` empties only those: a worker's responses
and rate-limit counts never reach another, and a test that empties the cache leaves the
other worker's test running at the same time alone.
"""

from cms.cache import ResilientRedisCache


class WorkerRedisCache(ResilientRedisCache):
    def clear(self):
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*"))
        if keys:
            client.delete(*keys)
        return True
