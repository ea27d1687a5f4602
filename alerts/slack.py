"""Slack incoming-webhook messages in Block Kit — pure: payload in, message dict out.

Arabic inside a left-to-right line ("Source: الساحل نيوز") is wrapped in a right-to-left
isolate (U+2067 … U+2069) so that neutral characters around it (digits, punctuation,
Slack's own link brackets) keep their places; a line that starts with Arabic gets a
leading RIGHT-TO-LEFT MARK so that Slack lays the whole line out right to left. Bidi
controls already present in feed text are removed first: they could otherwise reorder
the message (a known spoofing trick).

Block Kit limits honoured here (api.slack.com/reference/block-kit): at most 50 blocks;
header text plain_text ≤ 150 characters; section text ≤ 3000; a section's fields ≤ 10
of ≤ 2000 each; context ≤ 10 elements; button text ≤ 75 and url ≤ 3000.
"""

from __future__ import annotations

import re
from typing import Any

MAX_BLOCKS = 50
MAX_HEADER = 150
MAX_SECTION = 3000
MAX_FIELD = 2000
MAX_FIELDS = 10
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_TEXT = 75
MAX_URL = 3000
MAX_EVIDENCE_LINES = 12
MAX_OUTLET_LINES = 20

RLI, PDI, RLM = "\u2067", "\u2069", "\u200f"
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_BIDI_CONTROLS = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
_STRONG_LTR = re.compile(r"[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]")

SEVERITY_MARK = {
    "critical": ":rotating_light:",
    "high": ":red_circle:",
    "medium": ":large_orange_circle:",
    "low": ":large_yellow_circle:",
    "info": ":large_blue_circle:",
}


def has_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text))


def starts_rtl(text: str) -> bool:
    """True when the first strongly directional letter of ``text`` is Arabic."""
    arabic, latin = _ARABIC.search(text), _STRONG_LTR.search(text)
    return arabic is not None and (latin is None or arabic.start() < latin.start())


def clean(text: str) -> str:
    """Feed text without bidi controls and with whitespace runs (newlines too) collapsed."""
    return " ".join(_BIDI_CONTROLS.sub("", text or "").split())


def isolate(text: str) -> str:
    """``text`` as a right-to-left isolate when it contains Arabic, else unchanged."""
    return f"{RLI}{text}{PDI}" if has_arabic(text) else text


def rtl_line(text: str) -> str:
    """A line whose base direction follows its first visible letter: RLM in front of a line
    that starts with Arabic (Slack's markup characters and URLs are not visible text, so
    callers that know better prefix RLM themselves)."""
    return f"{RLM}{text}" if starts_rtl(text) else text


def escape_mrkdwn(text: str) -> str:
    """Slack's three control characters; everything else is literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def _evidence_line(ev: dict[str, Any]) -> str:
    quote = isolate(escape_mrkdwn(truncate(clean(ev.get("text", "")), 200)))
    detail = [ev.get("leaf", "")]
    if ev.get("entity"):
        detail.append(str(ev["entity"]))
    if ev.get("value") is not None:
        value = ev["value"]
        detail.append(f"{value:,.0f}" if isinstance(value, (int, float)) and float(value).is_integer() else str(value))
    if ev.get("unit"):
        detail.append(str(ev["unit"]))
    # Bold is the highlight; the isolate sits inside the asterisks so Slack still sees
    # the bold markers next to non-space characters.
    return f"• *{quote}*  _{escape_mrkdwn(' '.join(d for d in detail if d))}_"


def _outlets_text(story: dict[str, Any], outlets: list[dict[str, Any]]) -> str:
    """The sites that carried the story, each with its first report, and the story's first
    and last seen times (a breaking-story alert has no words to show: this is its evidence)."""
    header = f"*Outlets ({len(outlets)})*"
    if story.get("first_seen") and story.get("last_seen"):
        header += f" · first seen {escape_mrkdwn(str(story['first_seen']))} · last seen {escape_mrkdwn(str(story['last_seen']))}"
    lines = [
        f"• {isolate(escape_mrkdwn(truncate(clean(str(o.get('name', ''))), 200)))}  "
        f"_{escape_mrkdwn(str(o.get('first_seen', '')))}_"
        for o in outlets[:MAX_OUTLET_LINES]
    ]
    text = _fit_lines(header, lines, MAX_SECTION - 40)
    if len(outlets) > MAX_OUTLET_LINES:
        text += f"\n… {len(outlets) - MAX_OUTLET_LINES} more"
    return text


def _fit_lines(header: str, lines: list[str], limit: int) -> str:
    """``header`` plus as many whole ``lines`` as fit in ``limit`` characters."""
    text = header
    for index, line in enumerate(lines):
        candidate = f"{text}\n{line}"
        remaining = len(lines) - index - 1
        tail = f"\n… {remaining} more" if remaining else ""
        if len(candidate) + len(tail) > limit:
            return f"{text}\n… {len(lines) - index} more"
        text = candidate
    return text


def build_message(payload: dict[str, Any]) -> dict[str, Any]:
    """The Slack message (``text`` fallback + ``blocks``) for a v1 alert payload."""
    rule, article, story = payload["rule"], payload["article"], payload["story"]
    group = payload.get("group") or {}
    severity = str(rule.get("severity", "medium"))
    rule_title = clean(rule.get("title") or rule["id"])
    article_title = clean(article.get("title") or article.get("url") or article["id"])
    url = article.get("url") or ""
    step = int(group.get("escalation_step", 0) or 0)

    prefix = f"{SEVERITY_MARK.get(severity, ':white_circle:')} {severity.upper()}"
    if step:
        prefix += f" · escalation {step}"
    header = f"{prefix} · {isolate(truncate(rule_title, MAX_HEADER - len(prefix) - 5))}"

    title_text = escape_mrkdwn(truncate(article_title, 500))
    if url.startswith(("http://", "https://")) and len(url) <= MAX_URL and "|" not in url and ">" not in url:
        title_line = f"*<{url}|{isolate(title_text)}>*"
    else:
        title_line = f"*{isolate(title_text)}*"
    feed = clean(article.get("feed") or "")
    fields = [
        _mrkdwn(f"*Severity*\n{escape_mrkdwn(severity)}"),
        _mrkdwn(f"*Source*\n{isolate(escape_mrkdwn(truncate(feed, 200))) or '—'}"),
        _mrkdwn(f"*Story sources*\n{int(story.get('sources', 1))}"),
        _mrkdwn(f"*Rule*\n`{escape_mrkdwn(rule['id'])}`"),
    ]
    if group.get("count", 1) > 1:
        fields.append(_mrkdwn(f"*Matches in this story*\n{int(group['count'])}"))
    story_outlets = story.get("outlets") or []
    if group.get("feeds") and not story_outlets:
        outlets = ", ".join(isolate(escape_mrkdwn(clean(f))) for f in group["feeds"][:20])
        fields.append(_mrkdwn(truncate(f"*Outlets*\n{outlets}", MAX_FIELD)))
    if article.get("published"):
        fields.append(_mrkdwn(f"*Published*\n{escape_mrkdwn(str(article['published']))}"))

    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": _plain(truncate(header, MAX_HEADER))},
        {
            "type": "section",
            "text": _mrkdwn(f"{RLM}{title_line}" if starts_rtl(article_title) else title_line),
            "fields": fields[:MAX_FIELDS],
        },
    ]
    if story_outlets:
        blocks.append({"type": "section", "text": _mrkdwn(_outlets_text(story, story_outlets))})
    evidence = payload.get("evidence") or []
    if evidence:
        lines = [rtl_line(_evidence_line(ev)) for ev in evidence[:MAX_EVIDENCE_LINES]]
        text = _fit_lines("*Evidence*", lines, MAX_SECTION - 40)
        if len(evidence) > MAX_EVIDENCE_LINES:
            text += f"\n… {len(evidence) - MAX_EVIDENCE_LINES} more"
        blocks.append({"type": "section", "text": _mrkdwn(text)})
    if url.startswith(("http://", "https://")) and len(url) <= MAX_URL:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {"type": "button", "text": _plain("Open article"), "url": url, "action_id": "open_article"}
                ],
            }
        )
    blocks.append(
        {
            "type": "context",
            "elements": [
                _mrkdwn(
                    f"Marsad alert `{escape_mrkdwn(payload['alert_id'])}` · fired {escape_mrkdwn(payload['fired_at'])}"
                )
            ],
        }
    )
    fallback = f"[{severity.upper()}] {isolate(truncate(rule_title, 150))}: {isolate(truncate(article_title, 300))}"
    return {"text": fallback, "blocks": blocks[:MAX_BLOCKS], "unfurl_links": False, "unfurl_media": False}
