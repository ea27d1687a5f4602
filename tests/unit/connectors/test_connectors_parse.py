"""Parsing the hostile and normal feed corpus in tests/data/feeds/, and `marsad feeds parse`."""

from __future__ import annotations

import codecs
import subprocess
import sys
import time

import orjson
import pytest

from connectors import parse as parse_module
from connectors.encoding import decode_body, guess_legacy_encoding
from connectors.html_depth import MAX_HTML_DEPTH, bound_depth
from connectors.parse import (
    FeedParseError,
    ParseBudgetExceeded,
    ParseLimits,
    content_text,
    items_by_id,
    parse_feed,
)
from connectors.sanitize import sanitize_html
from connectors.xml_safety import MAX_ENTITY_CHARS, MAX_EXPANDED_CHARS, harden_xml
from kernel.html_text import html_to_text
from kernel.messages import article_id
from tests.support.stack import FEEDS_DATA

FEEDS = FEEDS_DATA
ARABIC_TITLES = ["الكرملين يعلن عن مناورات جديدة", "وزير الخارجية يلتقي نظيره الفرنسي"]


def parse_file(name: str, **kwargs):
    return parse_feed((FEEDS / name).read_bytes(), **kwargs)


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("ar-windows-1256-declared.xml", "cp1256"),
        ("ar-windows-1256-undeclared.xml", "cp1256"),
        ("ar-iso-8859-6-declared.xml", "iso8859-6"),
        ("ar-iso-8859-6-undeclared.xml", "iso8859-6"),
        ("ar-utf8-bom.xml", "utf-8"),
        ("ar-utf8-bom-undeclared.xml", "utf-8"),
        ("ar-utf16.xml", "utf-16-le"),
    ],
)
def test_arabic_encodings_declared_and_undeclared(name: str, encoding: str) -> None:
    feed = parse_file(name)
    assert feed.encoding == encoding
    assert feed.format == "rss20"
    assert feed.title == "مرصد الأخبار"
    assert [i.title for i in feed.items] == ARABIC_TITLES
    first = feed.items[0]
    assert first.key == "akhbar-1" and first.url == "https://akhbar.example/a/1"
    assert first.published == "2026-11-21T05:30:00Z"
    assert content_text(first.content, first.content_type) == (
        "قال المتحدث باسم الكرملين إن القوات الروسية ستجري مناورات في الشمال."
    )


def test_http_charset_header_is_used_and_a_wrong_one_falls_back() -> None:
    body = (FEEDS / "ar-windows-1256-undeclared.xml").read_bytes()
    assert decode_body(body, "application/rss+xml; charset=windows-1256")[1] == "cp1256"
    # A header claiming UTF-8 for windows-1256 bytes cannot decode them: the guess wins.
    assert decode_body(body, "text/xml; charset=utf-8")[1] == "cp1256"
    feed = parse_feed(body, content_type="text/xml; charset=windows-1256")
    assert [i.title for i in feed.items] == ARABIC_TITLES


def test_legacy_guess_separates_the_two_arabic_code_pages_and_latin() -> None:
    sentence = "قال الرئيس إن الحكومة ستعلن القرار"
    assert guess_legacy_encoding(sentence.encode("cp1256")) == "cp1256"
    assert guess_legacy_encoding(sentence.encode("iso8859_6")) == "iso8859-6"
    assert guess_legacy_encoding("Le café était très animé".encode("cp1252")) == "cp1252"


def test_atom_relative_links_resolve_against_xml_base() -> None:
    feed = parse_file("atom-xml-base.xml", base_url="https://news.example/feeds/world.atom")
    assert feed.format == "atom10" and feed.language == "en"
    talks, markets = feed.items
    assert talks.url == "https://news.example/europe/geneva-talks.html"
    assert 'href="https://news.example/asia/context.html"' in talks.content
    assert talks.published == "2026-11-20T07:15:00Z"
    assert markets.url == "https://news.example/world/markets/rally"
    assert markets.title == "Markets rally"  # type="html" title → text
    assert markets.content == "Stocks rose on Friday."


def test_rss10_and_rss091_with_html_entities() -> None:
    rdf = parse_file("rss10-rdf.xml")
    assert rdf.format == "rss10"
    assert [(i.url, i.title, i.published) for i in rdf.items] == [
        ("https://rdf.example/one", "One", "2026-11-19T12:00:00Z")
    ]
    old = parse_file("rss091-netscape-entities.xml")
    assert old.format == "rss091n"
    assert old.items[0].title == "Café © news today"  # no-break space normalized
    assert content_text(old.items[0].content, old.items[0].content_type) == "Price £5 — cheap"


def test_entity_bombs_are_not_expanded() -> None:
    started = time.monotonic()
    feed = parse_file("entity-bomb.xml")
    item = feed.items[0]
    assert item.title == "Laughs &lol9; end ©"  # the safe character entity survives
    assert len(item.content) < 100
    assert any("unsafe entity" in p for p in feed.problems)
    blowup = parse_file("quadratic-blowup.xml")
    assert len(blowup.items[0].content) < 200_000  # 20,000 × 50,000 characters if expanded
    assert time.monotonic() - started < 10


def test_external_entities_are_never_resolved() -> None:
    feed = parse_file("external-entity.xml")
    assert feed.items[0].title == "Secret: &xxe;"
    assert "root:" not in feed.items[0].content


def test_harden_xml_keeps_only_character_entities() -> None:
    text = (
        '<?xml version="1.0" encoding="windows-1256"?>\n'
        '<!DOCTYPE rss [<!ENTITY a "x&b;"><!ENTITY c "&#169;">]>\n<rss>&c;&a;&nbsp;&amp;</rss>'
    )
    hardened, problems = harden_xml(text)
    assert hardened == '<?xml version="1.0" encoding="utf-8"?>\n\n<rss>&#169;&amp;a;&#160;&amp;</rss>'
    assert problems == ["dropped 1 unsafe entity declaration(s)"]


def test_malformed_xml_yields_what_is_recoverable() -> None:
    feed = parse_file("malformed-unclosed.xml")
    assert [i.url for i in feed.items] == [f"https://broken.example/{n}" for n in (1, 2, 3)]
    assert [i.title for i in feed.items] == ["First bold", "Second", "Third"]
    assert feed.problems
    ctl = parse_file("malformed-control-chars.xml")
    assert ctl.items[0].title == "Bell and null here"
    assert "removed characters not allowed in XML" in ctl.problems


def test_item_html_is_sanitized() -> None:
    item = parse_file("sanitize-scripts.xml").items[0]
    for forbidden in ("SCRIPTTEXT", "STYLETEXT", "NOSCRIPTTEXT", "<script", "<style", "onclick", "javascript:"):
        assert forbidden not in item.content
    assert content_text(item.content, item.content_type).splitlines()[:2] == ["Visible text.", "Second link."]


def test_sanitize_and_text_helpers() -> None:
    dirty = (
        '<p onclick="x()">One<script>bad()</script></p><style>p{}</style>'
        '<a href=" javascript:alert(1)">two</a><img src="a.png" onerror="x()"><br>three &amp; four'
    )
    clean = sanitize_html(dirty)
    assert clean == '<p>One</p><a>two</a><img src="a.png"><br>three &amp; four'
    assert html_to_text(dirty, fold_spaces=True) == "One\ntwo\nthree & four"
    assert html_to_text("  plain\u00a0 text \n\n second ", fold_spaces=True) == "plain text\nsecond"


def test_json_feed_1_1() -> None:
    feed = parse_file("jsonfeed-1.1.json", base_url="https://json.example/feed.json")
    assert feed.format == "json1.1" and feed.language == "ar" and feed.title == "نشرة JSON"
    first, second, third, fourth = feed.items
    assert (first.key, first.url, first.title) == ("j-1", "https://json.example/posts/1", "خبر أول")
    assert first.content == "<p>نص الخبر الأول</p>" and first.content_type == "text/html"
    assert first.published == "2026-11-20T08:00:00Z"
    assert (second.key, second.url, second.content_type) == ("2", "https://other.example/x", "text/plain")
    assert second.content == "Plain body\nwith two lines" and second.published == "2026-11-20T11:00:00Z"
    assert (third.key, third.content, third.url) == ("j-3", "Only a summary", "")
    assert fourth.key == "42"  # no id or url: the title identifies it
    assert "skipped an item that is not an object" in feed.problems


def test_json_feed_1_0_and_non_feeds() -> None:
    old = parse_file("jsonfeed-1.0.json")
    assert old.format == "json1" and old.items[0].published is None  # "not a date"
    with pytest.raises(FeedParseError, match="no 'items' list"):
        parse_file("json-not-a-feed.json")
    with pytest.raises(FeedParseError, match="empty body"):
        parse_file("empty.xml")
    assert parse_file("not-a-feed.html").items == []
    assert parse_file("binary-garbage.bin").items == []


def test_every_corpus_file_parses_or_fails_cleanly_in_bounded_time() -> None:
    for path in sorted(FEEDS.iterdir()):
        started = time.monotonic()
        try:
            parse_feed(path.read_bytes())
        except FeedParseError:
            pass
        assert time.monotonic() - started < 10, path.name


def test_items_by_id_dedupes_repeated_items() -> None:
    body = (
        b"<rss version='2.0'><channel><item><guid>a</guid><title>1</title></item>"
        b"<item><guid>a</guid><title>2</title></item><item><link>http://x/b</link></item></channel></rss>"
    )
    ids = items_by_id("f", parse_feed(body))
    assert list(ids) == [article_id("f", "a"), article_id("f", "http://x/b")]
    assert ids[article_id("f", "a")].title == "1"


# --- the command ----------------------------------------------------------------------------


def marsad(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marsad", *args], capture_output=True, text=True, timeout=120)


def test_feeds_parse_prints_one_json_line_per_article() -> None:
    run = marsad("feeds", "parse", str(FEEDS / "ar-windows-1256-undeclared.xml"), "--feed-id", "akhbar")
    assert run.returncode == 0, run.stderr
    rows = [orjson.loads(line) for line in run.stdout.splitlines()]
    assert rows[0] == {
        "id": article_id("akhbar", "akhbar-1"),
        "url": "https://akhbar.example/a/1",
        "title": ARABIC_TITLES[0],
        "published": "2026-11-21T05:30:00Z",
        "language": "ar",
        "text": "قال المتحدث باسم الكرملين إن القوات الروسية ستجري مناورات في الشمال.",
    }
    assert len(rows) == 2


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.xml", "not a feed: empty body"),
        ("not-a-feed.html", "no feed items found"),
        ("binary-garbage.bin", "no feed items found"),
        ("deep-nesting.json", "no feed items found"),
        ("missing.xml", "file not found"),
    ],
)
def test_feeds_parse_fails_with_one_clear_line(name: str, message: str) -> None:
    run = marsad("feeds", "parse", str(FEEDS / name))
    assert run.returncode != 0 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and message in run.stderr and "Traceback" not in run.stderr


# --- encodings: a stray byte, undeclared legacy encodings ------------------------------------


def test_utf8_with_one_stray_byte_stays_utf8() -> None:
    body = (FEEDS / "ar-utf8-stray-byte.xml").read_bytes()
    assert b"\xff" in body and not body.startswith(codecs.BOM_UTF8)
    text, encoding = decode_body(body)
    assert encoding == "utf-8"
    assert "أخبار \ufffd تجريبية" in text  # only the bad byte is replaced
    feed = parse_feed(body)
    assert feed.encoding == "utf-8" and feed.title == "مرصد الأخبار"
    assert [i.title for i in feed.items] == ARABIC_TITLES
    assert "Ø" not in text and "Ù" not in text  # no windows-1252 mojibake anywhere


@pytest.mark.parametrize(
    ("name", "title", "item_title"),
    [
        ("zh-big5-undeclared.xml", "新聞頻道", "台北市政府宣布新的交通政策"),
        ("zh-gb2312-undeclared.xml", "新闻频道", "北京市政府宣布新的交通政策"),
        ("ja-euc-jp-undeclared.xml", "ニュース", "東京都が新しい交通政策を発表"),
        ("ja-shift-jis-undeclared.xml", "ニュース", "東京都が新しい交通政策を発表"),
        ("ko-euc-kr-undeclared.xml", "뉴스", "서울시 새 교통 정책 발표"),
        ("ru-koi8-r-undeclared.xml", "Новости", "Москва объявила новую транспортную политику"),
    ],
)
def test_undeclared_legacy_encodings_are_detected(name: str, title: str, item_title: str) -> None:
    body = (FEEDS / name).read_bytes()
    assert _strict_utf8_fails(body)
    feed = parse_feed(body)
    assert feed.encoding != "cp1252"
    assert feed.title == title
    assert [i.title for i in feed.items] == [item_title]


def test_line_noise_is_read_as_windows_1252_not_a_rare_code_page() -> None:
    # charset-normalizer calls these bytes cp1125 (Ukrainian DOS); only the legacy
    # encodings feeds really use are taken from it.
    noise = b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">\n<channel>\n<item>\n'
    noise += b"<description><![CDATA[ \xe2\x80\x99<>\xe2\x80\x9d\xa9 ]]></description>\n</item>\n</channel>\n</rss>\n"
    assert decode_body(noise)[1] == "cp1252"


def _strict_utf8_fails(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


# --- XML safety ----------------------------------------------------------------------------------


def test_a_doctype_inside_a_comment_before_the_root_keeps_the_feed() -> None:
    feed = parse_file("doctype-in-comment.xml")
    assert [(i.key, i.title) for i in feed.items] == [("comment-1", "Still here")]
    assert feed.problems == []


def test_internal_text_entities_are_expanded_and_nested_ones_refused() -> None:
    feed = parse_file("entity-text-guid.xml")
    assert feed.title == "Marsad — Daily"
    [item] = feed.items
    assert item.key == "https://entities.example/news/1"  # the guid, not "&site;/1"
    assert item.url == "https://entities.example/news/1"
    assert item.title == "First from Marsad — Daily"
    # "bomb" refers to other entities: refused, it stays a literal reference (feedparser's
    # HTML sanitizer drops the ";" of a reference it does not know).
    assert content_text(item.content, item.content_type) == "&bomb"
    assert feed.problems == ["dropped 1 unsafe entity declaration(s)"]


def test_entity_expansion_has_a_total_budget() -> None:
    refs = "&e;" * (MAX_EXPANDED_CHARS // MAX_ENTITY_CHARS + 50)
    text = f'<!DOCTYPE rss [<!ENTITY e "{"y" * MAX_ENTITY_CHARS}">]><rss>{refs}</rss>'
    hardened, problems = harden_xml(text)
    assert len(hardened) < MAX_EXPANDED_CHARS + len(text)
    assert hardened.endswith("&amp;e;</rss>")
    assert any("left unexpanded" in p for p in problems)
    oversized, problems = harden_xml(f'<!DOCTYPE rss [<!ENTITY e "{"y" * (MAX_ENTITY_CHARS + 1)}">]><rss>&e;</rss>')
    assert oversized == "<rss>&amp;e;</rss>" and problems == ["dropped 1 unsafe entity declaration(s)"]


def test_xml_safety_leaves_cdata_and_comments_as_written() -> None:
    text = '<!DOCTYPE rss [<!ENTITY s "v">]><rss><![CDATA[&s; &nbsp;]]><!-- &s; --><a b="&s;">&s;</a></rss>'
    assert harden_xml(text)[0] == '<rss><![CDATA[&s; &nbsp;]]><!-- &s; --><a b="v">v</a></rss>'


# --- items: the cap, ids that are not links, deep HTML, the time budget -----------------------------


def rss_items(count: int) -> bytes:
    items = "".join(f"<item><guid>g{n}</guid><title>t{n}</title></item>" for n in range(count))
    return f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


def test_items_beyond_the_cap_are_counted_not_silently_dropped() -> None:
    feed = parse_feed(rss_items(5), limits=ParseLimits(max_items=3))
    assert [i.key for i in feed.items] == ["g0", "g1", "g2"]  # newest first: the first ones
    assert feed.dropped_items == 2
    assert "dropped 2 items beyond the cap of 3 per feed" in feed.problems
    json_feed = b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1"}, {"id": "2"}]}'
    assert parse_feed(json_feed, limits=ParseLimits(max_items=1)).dropped_items == 1
    assert parse_feed(rss_items(5)).dropped_items == 0


def test_a_guid_that_is_not_a_url_is_an_id_never_a_link() -> None:
    feed = parse_file("guid-not-a-url.xml", base_url="https://ids.example/feed.xml")
    assert [(i.key, i.url) for i in feed.items] == [
        ("12345", ""),  # not https://ids.example/12345
        ("https://ids.example/a/2", "https://ids.example/a/2"),
        ("67890", "https://ids.example/a/3"),
    ]
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        b"<entry><id>tag:ids.example,2026:7</id><title>t</title></entry></feed>"
    )
    [entry] = parse_feed(atom, base_url="https://ids.example/feed.atom").items
    assert (entry.key, entry.url) == ("tag:ids.example,2026:7", "")


def test_deeply_nested_escaped_html_is_bounded_in_depth_and_time() -> None:
    depth = 50_000
    nested = "<div>" * depth + "deep text" + "</div>" * depth
    escaped = nested.replace("<", "&lt;").replace(">", "&gt;")
    body = (
        f'<rss version="2.0"><channel><item><title>t</title><description>{escaped}</description></item></channel></rss>'
    )
    started = time.monotonic()
    [item] = parse_feed(body.encode()).items
    assert time.monotonic() - started < 20
    assert item.content.count("<div>") <= MAX_HTML_DEPTH
    assert content_text(item.content, item.content_type) == "deep text"
    assert bound_depth("<b>" * 3 + "x" + "</b>" * 3, limit=2) == "<b><b>x</b></b>"
    assert bound_depth("<p>" * 10 + "<br>" * 10, limit=2) == "<p>" * 10 + "<br>" * 10  # they do not nest


def test_parsing_past_its_time_budget_raises() -> None:
    with pytest.raises(ParseBudgetExceeded, match="longer than 1e-09s"):
        parse_feed(rss_items(50), limits=ParseLimits(time_budget_s=1e-9))
    assert len(parse_feed(rss_items(50), limits=ParseLimits(time_budget_s=60)).items) == 50


# --- links: http(s) only ------------------------------------------------------------------------

SCRIPT_LINKS = [
    "javascript:alert(document.cookie)",
    " JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("link", SCRIPT_LINKS)
def test_item_links_that_are_not_http_are_dropped(link: str) -> None:
    escaped = link.replace("&", "&amp;").replace("<", "&lt;")
    rss = (
        "<rss version='2.0'><channel><title>t</title>"
        f"<item><guid isPermaLink='false'>g1</guid><title>One</title><link>{escaped}</link></item>"
        "<item><guid isPermaLink='false'>g2</guid><title>Two</title><link>https://n.example/2</link></item>"
        "</channel></rss>"
    ).encode()
    for base_url in ("", "https://n.example/feed"):
        one, two = parse_feed(rss, base_url=base_url).items
        assert (one.key, one.url) == ("g1", "") and two.url == "https://n.example/2"
    atom = (
        "<feed xmlns='http://www.w3.org/2005/Atom'><title>t</title>"
        f"<entry><id>tag:n,2026:1</id><title>One</title><link rel='alternate' href='{escaped}'/></entry></feed>"
    ).encode()
    [entry] = parse_feed(atom, base_url="https://n.example/feed.atom").items
    # In Atom, feedparser turns the tab into a space and resolves the result as a path on the
    # feed's own site: harmless.
    assert entry.url == ("https://n.example/java script:alert(1)" if "\t" in link else "")
    jsonfeed = orjson.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [
                {"id": "1", "url": link, "content_text": "x"},
                {"id": "2", "url": link, "external_url": "https://other.example/2", "content_text": "y"},
            ],
        }
    )
    first, second = parse_feed(jsonfeed, base_url="https://n.example/feed.json").items
    assert first.url == "" and second.url == "https://other.example/2"


def test_html_is_sanitized_against_an_allowlist() -> None:
    dirty = (
        "<h2>Head</h2><p>Text <em>em</em> <strong>strong</strong><br></p>"
        '<a href="https://n.example/a" target="_blank" data-x="1">ok</a>'
        '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">d</a>'
        '<a href="java&#x09;script:alert(1)">t</a><a href="vbscript:x">v</a><a href="/rel">rel</a>'
        '<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="i"><img src="https://n.example/i.png" alt="j">'
        "<ul><li>a</li></ul><ol><li>b</li></ol><blockquote>q</blockquote>"
        '<table><tr><th>h</th><td colspan="2">c</td></tr></table>'
        "<marquee>m</marquee><details open ontoggle=alert(1)>dt</details><video src=x>V</video>"
        "<math><mi>MATHTEXT</mi></math><form><input value=FORMTEXT>F</form><!-- comment -->"
    )
    assert sanitize_html(dirty) == (
        "<h2>Head</h2><p>Text <em>em</em> <strong>strong</strong><br></p>"
        '<a href="https://n.example/a">ok</a><a>d</a><a>t</a><a>v</a><a href="/rel">rel</a>'
        '<img alt="i"><img src="https://n.example/i.png" alt="j">'
        "<ul><li>a</li></ul><ol><li>b</li></ol><blockquote>q</blockquote>"
        '<table><tbody><tr><th>h</th><td colspan="2">c</td></tr></tbody></table>'
        "mdtV"
    )


def test_item_bodies_are_sanitized_on_first_use_only(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counting(html: str) -> str:
        calls.append(html)
        return sanitize_html(html)

    monkeypatch.setattr(parse_module, "sanitize_html", counting)
    items = "".join(
        f"<item><guid>g{n}</guid><title>t{n}</title><description>&lt;p&gt;body {n}&lt;script&gt;x&lt;/script&gt;"
        "&lt;/p&gt;</description></item>"
        for n in range(5)
    )
    json_feed = orjson.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [{"id": "j", "content_html": "<p>j<script>x</script>"}],
        }
    )
    rss_feed = parse_feed(f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode())
    [json_item] = parse_feed(json_feed).items
    assert [i.key for i in rss_feed.items] == [f"g{n}" for n in range(5)] and calls == []
    second = rss_feed.items[1]
    assert second.content == "<p>body 1</p>" and second.summary == "<p>body 1</p>"
    assert second.summary_type == "text/html" and len(calls) == 1  # the summary is the content: once
    assert json_item.content == "<p>j</p>" and len(calls) == 2
