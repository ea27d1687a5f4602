"""Each canonical-URL rule, one case apiece, plus URLs that must stay different."""

from __future__ import annotations

import pytest

from streams.dedupe.urls import canonical_url

BASE = "https://example.com/news/2024/story-1"


@pytest.mark.parametrize(
    "variant",
    [
        "HTTPS://EXAMPLE.COM/news/2024/story-1",  # scheme and host case
        "http://example.com/news/2024/story-1",  # http and https copies
        "https://example.com:443/news/2024/story-1",  # default port
        "http://example.com:80/news/2024/story-1",
        "https://www.example.com/news/2024/story-1",  # www. host
        "https://m.example.com/news/2024/story-1",  # mobile host
        "https://amp.example.com/news/2024/story-1",  # amp. host
        "https://example.com/news/2024/story-1/",  # trailing slash
        "https://example.com/news/2024/story-1#comments",  # fragment
        "https://example.com/news/2024/story-1?utm_source=tw&utm_medium=social&utm_campaign=x",
        "https://example.com/news/2024/story-1?fbclid=IwAR0abc",
        "https://example.com/news/2024/story-1?gclid=abc&msclkid=def&mc_cid=1&_ga=2",
        "https://example.com/news/2024/story-1/amp",  # AMP path suffix
        "https://example.com/amp/news/2024/story-1",  # AMP path prefix
        "https://example.com/news/2024/story-1?amp=1",  # ?amp=1
        "https://example.com/news/2024/story-1?outputType=amp",
        "https://example.com/news/2024/story-1.amp",
        "https://example.com/news/2024/story-1/index.html",  # index leaf
        "https://example.com/news//2024/./story-1",  # duplicate slashes, dot segment
        "https://user:pw@example.com/news/2024/story-1",  # credentials
        "  https://example.com/news/2024/story-1  ",
    ],
)
def test_variants_share_one_canonical_url(variant: str) -> None:
    assert canonical_url(variant) == BASE


def test_canonical_form_is_exact() -> None:
    assert canonical_url("HTTP://WWW.Example.COM:80/a/b/?utm_source=x&z=2&a=1#top") == "https://example.com/a/b?a=1&z=2"


def test_meaningful_query_parameters_are_kept_and_sorted() -> None:
    assert (
        canonical_url("https://example.com/article.php?id=42&page=2") == "https://example.com/article.php?id=42&page=2"
    )
    assert (
        canonical_url("https://example.com/article.php?page=2&id=42") == "https://example.com/article.php?id=42&page=2"
    )
    assert canonical_url("https://example.com/article.php?id=42") != canonical_url(
        "https://example.com/article.php?id=43"
    )


def test_percent_encoded_and_raw_arabic_paths_are_one() -> None:
    raw = "https://example.com/أخبار/غزو"
    encoded = "https://example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/%D8%BA%D8%B2%D9%88"
    assert canonical_url(raw) == canonical_url(encoded) == encoded


def test_non_default_port_and_path_case_are_kept() -> None:
    assert canonical_url("https://example.com:8443/News") == "https://example.com:8443/News"
    assert canonical_url("https://example.com/News") != canonical_url("https://example.com/news")


def test_amp_inside_a_word_is_not_an_amp_path() -> None:
    assert canonical_url("https://example.com/camp/ample-story") == "https://example.com/camp/ample-story"


def test_host_prefix_removal_keeps_a_domain() -> None:
    assert canonical_url("https://m.example/story") == "https://m.example/story"


def test_empty_and_schemeless() -> None:
    assert canonical_url("") == ""
    assert canonical_url("example.com/a/") == "https://example.com/a"
