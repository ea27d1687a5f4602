"""Credentials never reach an error or a log line: URLs with a password are masked.

Redis URLs (``redis://user:secret@host``), Kafka bootstrap lists (``SASL_SSL://user:secret@
host:9092``), feed URLs with a token in their userinfo: ``safe_url`` and ``safe_servers``
mask one value, ``mask_credentials`` every URL in a text, and ``install_log_masking`` makes
every log record of the process go through ``mask_credentials`` (message and traceback).
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

MASK = "***"
# scheme://user:password@ — the password ends at the last "@" before the host part.
URL_USERINFO = re.compile(
    r"(?P<scheme>\b[A-Za-z][A-Za-z0-9_+.-]*://)(?P<user>[^\s:/@'\"<>]*):(?P<password>[^\s/'\"<>]*)@"
)
# user:password@host:port, as a Kafka bootstrap entry may be written without a scheme.
BARE_USERINFO = re.compile(r"^(?P<user>[^\s:/@]*):(?P<password>[^\s/@]*)@")


def safe_url(url: str) -> str:
    """``url`` with any password replaced by ``***``, for errors and logs."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "<unparsable URL>"
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if port is not None:
        host = f"{host}:{port}"
    return urlunsplit(parts._replace(netloc=f"{user}:{MASK}@{host}"))


def safe_servers(servers: str) -> str:
    """A comma-separated server list (Kafka's bootstrap servers) with passwords masked."""
    out = []
    for entry in servers.split(","):
        item = entry.strip()
        if "://" in item:
            item = mask_credentials(item)
        else:
            item = BARE_USERINFO.sub(lambda m: f"{m['user']}:{MASK}@", item)
        out.append(item)
    return ",".join(out)


def mask_credentials(text: str) -> str:
    """``text`` with the password of every URL in it replaced by ``***``."""
    if "@" not in text:
        return text
    return URL_USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)


def mask_record(record: logging.LogRecord) -> None:
    """Mask ``record``'s message and traceback in place (formatted once, here)."""
    message = record.getMessage()
    masked = mask_credentials(message)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and not record.exc_text:
        record.exc_text = mask_credentials(logging.Formatter().formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = mask_credentials(record.exc_text)


def install_log_masking() -> None:
    """Mask every log record this process creates, whichever handler writes it (Faust and
    the libraries add handlers of their own). Idempotent."""
    current = logging.getLogRecordFactory()
    if getattr(current, "masks_credentials", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        mask_record(record)
        return record

    factory.masks_credentials = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
