"""API tokens of the operator console: roles viewer < editor < admin.

A token is 32 random bytes (URL-safe base64), shown once when created. Redis keeps only
its SHA-256, so a copy of the database does not let anyone in. Keys, under the
namespace's prefix:

    <prefix>console:tokens              hash  name -> TokenRecord JSON
    <prefix>console:token-hashes        hash  sha256 hex -> name
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import asdict, dataclass
from enum import IntEnum

import orjson
import redis

from kernel.errors import MarsadError

TOKEN_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


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

    @property
    def role_level(self) -> Role:
        return Role[self.role]


@dataclass(frozen=True)
class Principal:
    """Who is calling: the token's name is the author recorded on every change."""

    name: str
    role: Role


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenStore:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.tokens_key = f"{prefix}console:tokens"
        self.hashes_key = f"{prefix}console:token-hashes"

    def create(self, name: str, role: Role) -> str:
        """Create a token and return it; it cannot be read back later."""
        if not TOKEN_NAME_PATTERN.match(name):
            raise MarsadError(f"invalid token name {name!r}: use 1-64 letters, digits or _ . @ -")
        token = secrets.token_urlsafe(32)
        record = TokenRecord(name=name, role=role.name, created_at=time.time(), token_sha256=hash_token(token))
        # HSETNX refuses a duplicate name atomically, even with two creators at once.
        if not self.client.hsetnx(self.tokens_key, name, orjson.dumps(asdict(record))):
            raise MarsadError(f"a token named {name!r} exists already; revoke it first")
        self.client.hset(self.hashes_key, record.token_sha256, name)
        return token

    def list(self) -> list[TokenRecord]:
        records = [TokenRecord(**orjson.loads(v)) for v in self.client.hvals(self.tokens_key)]
        return sorted(records, key=lambda r: (r.created_at, r.name))

    def revoke(self, name: str) -> bool:
        raw = self.client.hget(self.tokens_key, name)
        if raw is None:
            return False
        record = TokenRecord(**orjson.loads(raw))
        pipe = self.client.pipeline(transaction=True)
        pipe.hdel(self.tokens_key, name)
        pipe.hdel(self.hashes_key, record.token_sha256)
        pipe.execute()
        return True

    def authenticate(self, token: str) -> Principal | None:
        """The principal of a valid token, else None."""
        if not token:
            return None
        name = self.client.hget(self.hashes_key, hash_token(token))
        if name is None:
            return None
        raw = self.client.hget(self.tokens_key, name)
        if raw is None:
            return None
        record = TokenRecord(**orjson.loads(raw))
        # Compare digests in constant time: the lookup above was by hash already, this
        # guards against a record replaced between the two reads.
        if not secrets.compare_digest(record.token_sha256, hash_token(token)):
            return None
        return Principal(name=record.name, role=record.role_level)
