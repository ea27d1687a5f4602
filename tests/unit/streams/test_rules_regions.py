"""Regions: evidence says whether it lies in the title, the body or an aside the cleaner
kept, and a rule's leaves match asides only when its ``regions`` name them."""

from __future__ import annotations

from kernel.messages import Article, RuleSetMessage, StoryRef, TextSpan, document_text
from streams.pipeline import match as pipeline_match
from streams.rules import compile_ruleset, ruleset_from_message
from streams.rules.regions import document_spans

RUSSIA = {"id": "russia", "when": {"terms": ["روسيا"]}}
RUSSIA_ANYWHERE = {"id": "russia-anywhere", "regions": ["title", "body", "aside"], "when": {"terms": ["روسيا"]}}
RUSSIA_BODY = {"id": "russia-body", "regions": ["body"], "when": {"terms": ["روسيا"]}}
NOT_RUSSIA = {"id": "no-russia", "when": {"terms": ["القمح"], "not": {"terms": ["روسيا"]}}}

PROSE = "ارتفعت أسعار القمح في الأسواق هذا الأسبوع."
TAG_LINE = "- روسيا - أوكرانيا - اقتصاد"
HASHTAGS = "#روسيا #القمح"


def _with_aside(*lines: str) -> tuple[str, list[tuple[int, int]]]:
    """The prose followed by ``lines``, each an aside."""
    body, asides = PROSE, []
    for line in lines:
        body += "\n"
        asides.append((len(body), len(body) + len(line)))
        body += line
    return body, asides


def _match(rules: list[dict], title: str, body: str, asides: list[tuple[int, int]]) -> dict[str, list[tuple[str, str]]]:
    ruleset = compile_ruleset(rules, {})
    title_end, shifted = document_spans(title, asides)
    text = document_text(title, body)
    return {
        m.rule.id: [(e.text, e.region) for e in m.evidence]
        for m in ruleset.match(text, title_end=title_end, asides=shifted)
    }


def test_a_tag_line_or_hashtag_aside_alone_does_not_fire_a_rule() -> None:
    rules = [RUSSIA, RUSSIA_ANYWHERE, NOT_RUSSIA]
    for lines in ((TAG_LINE,), (HASHTAGS,), (TAG_LINE, HASHTAGS)):
        body, asides = _with_aside(*lines)
        got = _match(rules, "", body, asides)
        assert "russia" not in got, lines
        assert "no-russia" in got  # the aside's mention does not count against it either
        assert got["russia-anywhere"] == [("روسيا", "aside")] * len(lines)
        # the same text with no asides: Russia is in the body
        got = _match(rules, "", body, [])
        assert got["russia"] == [("روسيا", "body")] * len(lines)
        assert "no-russia" not in got


def test_evidence_names_title_body_and_aside() -> None:
    body = "قالت روسيا إن المحادثات مستمرة.\nروسيا - سياسة"
    aside = (body.index("\nروسيا") + 1, len(body))
    got = _match([RUSSIA, RUSSIA_ANYWHERE, RUSSIA_BODY], "روسيا تحذر", body, [aside])
    assert got["russia"] == [("روسيا", "title"), ("روسيا", "body")]
    assert got["russia-anywhere"] == [("روسيا", "title"), ("روسيا", "body"), ("روسيا", "aside")]
    assert got["russia-body"] == [("روسيا", "body")]
    # a title mention alone does not fire a body-only rule
    assert "russia-body" not in _match([RUSSIA_BODY], "روسيا تحذر", "قال المتحدث إن المحادثات مستمرة", [])


def test_offsets_of_regions_survive_folding() -> None:
    """Diacritics before an aside shift folded offsets: regions are mapped, not copied."""
    body = "قَالَتْ مَصَادِرُ إِنَّ الوَفْدَ وَصَلَ.\n#روسيا"
    aside = (body.index("#"), len(body))
    assert _match([RUSSIA], "", body, [aside]) == {}
    assert _match([RUSSIA_ANYWHERE], "", body, [aside]) == {"russia-anywhere": [("روسيا", "aside")]}


def test_the_pipeline_passes_the_article_asides() -> None:
    ruleset = ruleset_from_message(
        RuleSetMessage(ruleset_version="x", published_at=0.0, rules=[RUSSIA, RUSSIA_ANYWHERE], entities={})
    )
    body, asides = _with_aside(TAG_LINE)
    article = Article(
        id="a",
        feed="f",
        url="https://example.test/a",
        title="أسعار القمح",
        text=body,
        language="ar",
        story=StoryRef(id="s"),
        asides=[TextSpan(start=start, end=end) for start, end in asides],
        first_seen_at=0.0,
        normalized_at=0.0,
    )
    events = pipeline_match(article, ruleset)
    assert [(e.rule.id, [ev.region for ev in e.evidence]) for e in events] == [("russia-anywhere", ["aside"])]
    document = document_text(article.title, article.text)
    (evidence,) = events[0].evidence
    assert document[evidence.start : evidence.end] == "روسيا"


def test_a_word_masked_against_filters_matches_after_cleaning() -> None:
    """A rule on «مقتل» fires on a page that wrote «مقـ.ـتل», and its evidence quotes the clean
    text (the mark a tatweel: the same offsets)."""
    from streams.clean import clean_article

    article = clean_article(title="", content="أعلن الجيش مقـ.ـتل أحد ضباطه على الحدود.", content_type="text/plain")
    found = _match([{"id": "killed", "when": {"terms": ["مقتل"]}}], "", article.text, [])
    assert found == {"killed": [("مقـــتل", "body")]}
