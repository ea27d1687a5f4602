"""An agency's notice closing its dispatches, found at the end of the article's last lines.

What an agency's public page shows is part of the service its subscribers receive, and how
to subscribe: not the article's words. The notice may share the article's last line (pages
that run the whole dispatch as one paragraph), so it is found sentence by sentence from the
end of a line. Pure functions on folded lines (``streams.textnorm.fold``).
"""

from __future__ import annotations

import re

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")  # folded: "؟" is "?"
_SUBSCRIBER_NOTICE = re.compile(
    r"(?=.*\b(?:للمشتركين|المشتركين|لمشتركي|مشتركي|subscribers)\b)"
    r"(?=.*(?:وكاله|الوكاله|خدمه|الخدمه|agency|service))"
    r"(?=.*\b(?:الاخبار|اخبار|الخبر|المحتوي|news|content)\b)"
    r"(?=.*\b(?:اختصار|مختصر|ملخص|لجزء|جزء|summary|part|excerpt)\b)"
)
_SUBSCRIBE_INVITE = re.compile(r"^(?:و?من\s+اجل\s+الاشتراك|و?للاشتراك|to\s+subscribe)\b")
_LINK_PROMPT = re.compile(
    r"^(?:يمكنكم|يمكنك|يرجي|الرجاء|please)\s+(?:الضغط|النقر|الاتصال|التواصل|الدخول|click|visit|contact)\b"
)
# An invitation counts only with a way to act on it: "وللاشتراك في الخدمة يدفع العميل …" is prose.
_CONTACT = re.compile(
    r"\b(?:يرجي|الرجاء|يمكنكم|الضغط|اضغط|النقر|انقر|الاتصال|التواصل|بالرابط|الرابط|please|click|contact)\b"
)
FOOTER_SENTENCE_MAX_WORDS = 45


def subscription_footer(folded: str) -> int | None:
    """Where a trailing run of subscription-notice sentences starts in the folded line
    (0: the whole line), else None."""
    if "مشترك" not in folded and "اشتراك" not in folded and "subscri" not in folded:
        return None  # most lines: no need to split them into sentences
    starts = [0, *(match.end() for match in _SENTENCE_BREAK.finditer(folded))]
    ends = [*starts[1:], len(folded)]
    start: int | None = None
    notice = invite = contact = False
    for sentence_start, sentence_end in zip(reversed(starts), reversed(ends), strict=True):
        sentence = folded[sentence_start:sentence_end].strip()
        if len(sentence.split()) > FOOTER_SENTENCE_MAX_WORDS:
            break
        if _SUBSCRIBER_NOTICE.match(sentence):
            notice = True
        elif _SUBSCRIBE_INVITE.match(sentence):
            invite = True
        elif not _LINK_PROMPT.match(sentence):
            break
        contact = contact or _CONTACT.search(sentence) is not None
        start = sentence_start
    return start if notice or (invite and contact) else None
