"""The one door to Redis: every process builds its client here.

One place for timeouts and for the "Redis is not reachable" error, whose text never
carries the URL's password (see ``kernel.redact.safe_url``).
"""

from __future__ import annotations

import redis
import redis.asyncio as aioredis

from kernel.errors import StackUnavailable
from kernel.redact import safe_url
from kernel.settings import Settings

# A blocking call that waits longer than this is a dead Redis, not a slow one.
DEFAULT_TIMEOUT_S = 10.0
CONNECT_TIMEOUT_S = 5.0
HEALTH_CHECK_INTERVAL_S = 30


def unreachable(settings: Settings, exc: BaseException) -> StackUnavailable:
    """The error for a Redis that could not be reached, with what to do about it."""
    return StackUnavailable(
        f"Redis is not reachable at {safe_url(settings.redis_url)} ({type(exc).__name__}); "
        "start the local stack with `marsad stack up`"
    )


def redis_client(settings: Settings, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> redis.Redis:
    """A blocking client (connections are made lazily; see ``connected_redis``)."""
    return redis.Redis.from_url(
        settings.redis_url,
        socket_timeout=timeout_s,
        socket_connect_timeout=min(timeout_s, CONNECT_TIMEOUT_S),
        health_check_interval=HEALTH_CHECK_INTERVAL_S,
    )


def connected_redis(settings: Settings, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> redis.Redis:
    """A blocking client whose server answered a PING, or StackUnavailable."""
    client = redis_client(settings, timeout_s=timeout_s)
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        client.close()
        raise unreachable(settings, exc) from None
    return client


def redis_answers(settings: Settings, *, timeout_s: float = 2.0) -> bool:
    """Whether Redis answers a PING within ``timeout_s`` (for health checks)."""
    client = redis_client(settings, timeout_s=timeout_s)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


async def connected_async_redis(settings: Settings, *, timeout_s: float = CONNECT_TIMEOUT_S) -> aioredis.Redis:
    """An asyncio client whose server answered a PING, or StackUnavailable."""
    client = aioredis.Redis.from_url(
        settings.redis_url,
        socket_timeout=timeout_s,
        socket_connect_timeout=timeout_s,
        health_check_interval=HEALTH_CHECK_INTERVAL_S,
    )
    try:
        await client.ping()
    except (redis.RedisError, OSError) as exc:
        await client.aclose()
        raise unreachable(settings, exc) from None
    return client
