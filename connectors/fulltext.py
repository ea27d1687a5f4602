"""Full text for feeds marked ``full_text: true``: fetch the item's page (same limits as
feeds) and extract its main text with trafilatura; the feed's own content is the
fallback whenever the page cannot be fetched or yields too little text.

An item's link is chosen by whoever writes the feed, so its page is fetched under the
feed's ``TargetPolicy``: internal addresses are refused on every hop unless the feed
allows them (``allow_networks``)."""

from __future__ import annotations

import asyncio
import logging

import trafilatura

from connectors.fetch import Fetcher
from kernel.errors import FetchError
from kernel.net_guard import TargetPolicy
from kernel.redact import mask_credentials

log = logging.getLogger(__name__)

ACCEPT_HTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
MIN_TEXT_CHARS = 200  # below this the extractor most likely found chrome, not an article


def extract_main_text(html: bytes | str, url: str | None = None) -> str | None:
    """The main text of an article page, or None when nothing article-like is found."""
    try:
        text = trafilatura.extract(
            html,
            url=url,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=True,
            deduplicate=False,
        )
    except Exception as exc:  # trafilatura raises assorted lxml/parser errors on hostile pages
        log.debug("extraction failed for %s: %s", url, exc)
        return None
    if not text or len(text.strip()) < MIN_TEXT_CHARS:
        return None
    return text.strip()


async def fetch_full_text(fetcher: Fetcher, url: str, policy: TargetPolicy = TargetPolicy()) -> str | None:
    """Main text of the page at ``url``, or None (the caller falls back to the summary).
    ``policy`` is the feed's (``FeedConfig.item_policy``); by default nothing internal."""
    if not url.lower().startswith(("http://", "https://")):
        return None
    try:
        result = await fetcher.fetch(url, accept=ACCEPT_HTML, policy=policy)
    except FetchError as exc:
        log.info("full text of %s not fetched: %s", mask_credentials(url), exc)
        return None
    if not result.body:
        return None
    return await asyncio.to_thread(extract_main_text, result.body, result.url)
