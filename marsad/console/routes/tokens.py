"""API tokens (admin): create one (shown once), list them with expiry and last use, revoke
one. The same as `marsad tokens create | list | revoke`, audited the same way."""

from __future__ import annotations

from fastapi import APIRouter

from marsad.console.auth import Role, lifetime_seconds
from marsad.console.dependencies import Admin, State
from marsad.console.errors import NotFound
from marsad.console.schemas import TokenCreatedOut, TokenCreateIn, TokenListOut, TokenName, TokenOut, token_out

router = APIRouter(tags=["tokens"])


@router.get("/api/tokens", response_model=TokenListOut)
def list_tokens(user: Admin, state: State) -> TokenListOut:
    last_used = state.tokens.last_used()
    return TokenListOut(tokens=[token_out(record, last_used) for record in state.tokens.list()])


@router.post("/api/tokens", response_model=TokenCreatedOut, status_code=201)
def create_token(body: TokenCreateIn, user: Admin, state: State) -> TokenCreatedOut:
    lifetime = lifetime_seconds(body.expires) if body.expires is not None else None
    token = state.tokens.create(body.name, Role[body.role], lifetime)
    record = state.tokens.get(body.name)
    if record is None:  # revoked between the two calls
        raise NotFound(f"no token {body.name!r}")
    state.console.store.audit(
        user.name, "token.create", f"token:{body.name}", role=body.role, expires_at=token_out(record, {}).expires_at
    )
    return TokenCreatedOut(**token_out(record, {}).model_dump(), token=token)


@router.delete("/api/tokens/{name}", response_model=TokenOut)
def revoke_token(name: TokenName, user: Admin, state: State) -> TokenOut:
    record, last_used = state.tokens.get(name), state.tokens.last_used()
    if record is None or not state.tokens.revoke(name):
        raise NotFound(f"no token {name!r}")
    state.console.store.audit(user.name, "token.revoke", f"token:{name}")
    return token_out(record, last_used)
