"""API tokens of the operator console: roles viewer < editor < admin.

A token is 32 random bytes (URL-safe base64), shown once when created. Redis keeps only
its SHA-256, so a copy of the database does not let anyone in. A token may expire; an
expired token is refused like a revoked one. Keys, under the namespace's prefix:

    <prefix>console:tokens              hash  name -> TokenRecord JSON
    <prefix>console:token-hashes        hash  sha256 hex -> name
    <prefix>console:token-last-used     hash  name -> Unix time of the last accepted request
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from enum import IntEnum

import orjson
import redis

from kernel.durations import parse_duration
from kernel.errors import MarsadError

TOKEN_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
# Far enough for any real use, near enough that the expiry is still a valid date.
MAX_TOKEN_LIFETIME_S = 3650 * 86400.0
# The last-used time is written at most this often per token (per API process): one
# Redis write a minute, not one per request.
LAST_USED_RESOLUTION_S = 60.0


class Role(IntEnum):
    """Ordered: a role may do everything the roles below it may."""

    viewer = 1
    editor = 2
    admin = 3

    @classmethod
    def parse(cls, name: str) -> Role:
        try:
            return cls[name]
        except KeyError:
            raise MarsadError(f"unknown role {name!r}: expected one of {', '.join(r.name for r in cls)}") from None


@dataclass(frozen=True)
class TokenRecord:
    name: str
    role: str
    created_at: float
    token_sha256: str
    expires_at: float | None = None  # None: never (records written before expiry existed)

    @property
    def role_level(self) -> Role:
        return Role[self.role]

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at


@dataclass(frozen=True)
class Principal:
    """Who is calling: the token's name is the author recorded on every change."""

    name: str
    role: Role


class Unauthenticated(Exception):
    """No usable token; the message says why, never what the token was."""


def lifetime_seconds(text: str) -> float:
    """A token's lifetime as written (``30d``, ``12h``) in seconds; MarsadError when invalid."""
    try:
        return parse_duration(text, positive=True)
    except ValueError as exc:
        raise MarsadError(f"invalid token lifetime: {exc}") from None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header ("" when there is none)."""
    scheme, _, value = (authorization or "").strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


class TokenStore:
    def __init__(self, client: redis.Redis, prefix: str, clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.clock = clock
        self.tokens_key = f"{prefix}console:tokens"
        self.hashes_key = f"{prefix}console:token-hashes"
        self.last_used_key = f"{prefix}console:token-last-used"
        self._written_last_used: dict[str, float] = {}
        self._written_lock = threading.Lock()

    def create(self, name: str, role: Role, expires_in_s: float | None = None) -> str:
        """Create a token and return it; it cannot be read back later. ``expires_in_s``:
        refused from that many seconds on (None: never)."""
        if not TOKEN_NAME_PATTERN.match(name):
            raise MarsadError(f"invalid token name {name!r}: use 1-64 letters, digits or _ . @ -")
        if expires_in_s is not None and not 0 < expires_in_s <= MAX_TOKEN_LIFETIME_S:
            raise MarsadError(f"a token expires after more than 0 s and at most {MAX_TOKEN_LIFETIME_S / 86400:g} days")
        token = secrets.token_urlsafe(32)
        now = self.clock()
        record = TokenRecord(
            name=name,
            role=role.name,
            created_at=now,
            token_sha256=hash_token(token),
            expires_at=None if expires_in_s is None else now + expires_in_s,
        )
        # HSETNX refuses a duplicate name atomically, even with two creators at once.
        if not self.client.hsetnx(self.tokens_key, name, orjson.dumps(asdict(record))):
            raise MarsadError(f"a token named {name!r} exists already; revoke it first")
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(self.hashes_key, record.token_sha256, name)
        pipe.hdel(self.last_used_key, name)  # a former token of that name was used, not this one
        pipe.execute()
        return token

    def list(self) -> list[TokenRecord]:
        records = [TokenRecord(**orjson.loads(v)) for v in self.client.hvals(self.tokens_key)]
        return sorted(records, key=lambda r: (r.created_at, r.name))

    def get(self, name: str) -> TokenRecord | None:
        raw = self.client.hget(self.tokens_key, name)
        return None if raw is None else TokenRecord(**orjson.loads(raw))

    def last_used(self) -> dict[str, float]:
        """When each token was last accepted (to the minute), by name."""
        return {
            (k.decode() if isinstance(k, bytes) else k): float(v)
            for k, v in self.client.hgetall(self.last_used_key).items()
        }

    def revoke(self, name: str) -> bool:
        record = self.get(name)
        if record is None:
            return False
        pipe = self.client.pipeline(transaction=True)
        pipe.hdel(self.tokens_key, name)
        pipe.hdel(self.hashes_key, record.token_sha256)
        pipe.hdel(self.last_used_key, name)
        pipe.execute()
        return True

    def check(self, token: str) -> Principal:
        """The principal of a valid token; Unauthenticated otherwise. Notes the time of
        use (see LAST_USED_RESOLUTION_S)."""
        if not token:
            raise Unauthenticated("a bearer token is required")
        digest = hash_token(token)
        name = self.client.hget(self.hashes_key, digest)
        raw = self.client.hget(self.tokens_key, name) if name is not None else None
        if raw is None:
            raise Unauthenticated("unknown or revoked token")
        record = TokenRecord(**orjson.loads(raw))
        # Compare digests in constant time: the lookup above was by hash already, this
        # guards against a record replaced between the two reads.
        if not secrets.compare_digest(record.token_sha256, digest):
            raise Unauthenticated("unknown or revoked token")
        now = self.clock()
        if record.expired(now):
            raise Unauthenticated("token expired")
        self._note_use(record.name, now)
        return Principal(name=record.name, role=record.role_level)

    def authenticate(self, token: str) -> Principal | None:
        """The principal of a valid token, else None."""
        try:
            return self.check(token)
        except Unauthenticated:
            return None

    def _note_use(self, name: str, now: float) -> None:
        with self._written_lock:
            if now - self._written_last_used.get(name, float("-inf")) < LAST_USED_RESOLUTION_S:
                return
            self._written_last_used[name] = now
        # Only while the token exists: a revoke racing this write must not leave a time behind.
        self.client.eval(
            "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) end",
            2,
            self.tokens_key,
            self.last_used_key,
            name,
            repr(now),
        )
