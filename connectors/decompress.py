"""Undo a response's Content-Encoding (gzip, deflate) a bounded piece at a time.

httpx decodes each network chunk in one go, so 64 KB of gzip can become 64 MB in memory
before any size check sees it (a 10 MB body limit cost 132 MB). Here no piece is larger
than ``piece_bytes``, so a body limit holds for memory too.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

PIECE_BYTES = 64 * 1024


class UndecodableBody(ValueError):
    """The body is not valid for its declared Content-Encoding."""


class ZlibStage:
    """One gzip or deflate layer. Deflate is zlib-wrapped by the standard, raw by some
    servers: the first bytes decide (as browsers and httpx do)."""

    def __init__(self, coding: str, piece_bytes: int) -> None:
        self.coding = coding
        self.piece_bytes = piece_bytes
        self.started = False
        self.inflate = zlib.decompressobj(zlib.MAX_WBITS | 16 if coding == "gzip" else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data and not self.inflate.eof:
            try:
                out = self.inflate.decompress(data, self.piece_bytes)
            except zlib.error as exc:
                if self.coding == "deflate" and not self.started:
                    self.started = True
                    self.inflate = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise UndecodableBody(f"invalid {self.coding} data: {exc}") from None
            self.started = True
            data = self.inflate.unconsumed_tail
            if out:
                yield out

    def flush(self) -> Iterator[bytes]:
        # Input is consumed piece by piece, so what is left inside zlib is at most a window.
        try:
            out = self.inflate.flush()
        except zlib.error as exc:
            raise UndecodableBody(f"invalid {self.coding} data: {exc}") from None
        if out:
            yield out


class BoundedDecoder:
    """Decodes the codings named in a Content-Encoding header, innermost last; codings it
    does not know are passed through untouched (we only ask for gzip and deflate)."""

    def __init__(self, content_encoding: str | None, piece_bytes: int = PIECE_BYTES) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        codings = ["gzip" if c == "x-gzip" else c for c in codings]
        # Applied in the order listed, so undone in reverse.
        self.stages = [ZlibStage(c, piece_bytes) for c in reversed(codings) if c in ("gzip", "deflate")]

    def feed(self, data: bytes) -> Iterator[bytes]:
        pieces: Iterable[bytes] = [data]
        for stage in self.stages:
            pieces = _through(stage, pieces)
        yield from pieces

    def flush(self) -> Iterator[bytes]:
        pieces: Iterable[bytes] = []
        for stage in self.stages:
            pieces = _chain_flush(stage, pieces)
        yield from pieces


def _through(stage: ZlibStage, pieces: Iterable[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield from stage.feed(piece)


def _chain_flush(stage: ZlibStage, pieces: Iterable[bytes]) -> Iterator[bytes]:
    yield from _through(stage, pieces)
    yield from stage.flush()
