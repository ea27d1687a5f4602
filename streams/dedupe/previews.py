"""Whether a report was written before the event it tells: a preview.

On the day of an announced event (a final, a launch, a vote, an inauguration) outlets
publish previews in the event's own words and names: «تتجه أنظار عشاق الكرة مساء اليوم إلى
...», «هل يوافق وزراء الخارجية العرب على ...؟», «الرئيس المنتخب يستعد لحفل تنصيبه». A preview
and a report of the outcome hours later are as close as two reports of one event, yet they
tell different things: if they share a story, an alert on the outcome is grouped, and may be
throttled, with the alert on the preview (issue 15: a new event never throttled as part of an
old story). So a preview and a report that is not one never join one story (stories.py).

Only cues a report of the outcome does not use are read, in the title and the lead's first
LEAD_CHARS characters: looking ahead (eyes turn to, awaits, a lead opening on the waiting, is
due to meet, prepares for, is getting ready, before its launch, how to watch, is expected to
announce, the date set for a launch, an announcement or a launch next Saturday or next
October) and a yes-no question for a title.
Future verbs («سيلتقي») and «من المقرر أن» are not: outcome reports use them for what comes
next. Measured on real pages (docs/dedupe.md, "Previews"): the first cues marked 10 of 25
previews and, of about 1,080 other pages, three, previews too; the other previews are told in
words any report uses. The later ones ("Previews: an announcement expected") marked 5 more of
2,823 held-out pages, all written ahead of their event.
"""

from __future__ import annotations

import re

from streams.textnorm import fold

LEAD_CHARS = 300
# (on folded text) a cue of a report written ahead of its event
_AHEAD = re.compile(
    r"^هل\s"  # a yes-no question for a title (the title comes first): "will ... approve?"
    r"|(?<!\w)[وف]?[تي]تجه\s+(?:ال)?(?:انظار|اعين)(?!\w)"
    r"|(?<!\w)[وف]?(?:يترقب|تترقب|يترقبون)(?!\w)"
    r"|(?<!\w)علي\s+موعد\s+مع(?!\w)"
    # "prepares for" (not "was preparing to", as a crash report says of a plane)
    r"|(?<!كان\s)(?<!كانت\s)(?<!\w)[وف]?[يت]ستعد(?:ون|ان)?\s+(?:ل|الي)"
    # "is getting ready" («يتأهب الرئيس … لحضور إطلاق»: story set 43), whatever follows
    r"|(?<!كان\s)(?<!كانت\s)(?<!\w)[وف]?[يت]تاهب(?:ون|ان)?(?!\w)"
    # a lead that opens on the waiting ("وسط ترقب …، تحسم غداً المحكمة": story set 42)
    r"|(?:^|\n)(?:وسط|في\s+ظل)\s+(?:حاله\s+من\s+)?(?:ال)?ترقب(?!\w)"
    r"|(?<!\w)قبل\s+(?:انطلاق|انطلاقه|انطلاقها)(?!\w)"
    r"|(?<!\w)كيف\s+(?:تشاهد|تتابع)(?!\w)"
)
# a cue's letters as written (before folding): most leads hold none, and are not folded
_HINTS = ("هل", "تجه", "ترقب", "موعد", "ستعد", "تأهب", "تاهب", "نطلاق", "كيف")
_LATER = re.compile(
    # an announcement expected, a launch's date set, an announcement or a launch on a weekday
    # or in a month still to come («يُتوقع أن تعلن الوزارة اليوم», «أعلن المركز الموعد الرسمي
    # لإطلاق», «تعلن الوزارة - السبت المقبل، عن», «عن إطلاق القمر في شهر أكتوبر المقبل»: story
    # sets 31 and 38)
    r"(?<!\w)(?:يتوقع|من\s+المتوقع)\s+ان\s+[تي]علن(?!\w)"
    r"|(?<!\w)(?:ال)?موعد\s+(?:ال)?(?:رسمي\s+)?ل(?:اطلاق|انطلاق)"
    r"|(?<!\w)[وف]?[تي](?:علن|عقد|نطلق|طلق)\s+(?:\S+\s+){0,5}?(?:يوم\s+)?(?:ال)?"
    r"(?:سبت|احد|اثنين|ثلاثاء|اربعاء|خميس|جمعه)\s+(?:ال)?مقبل(?!\w)"
    r"|(?<!\w)(?:اطلاق|انطلاق)\s+(?:\S+\s+){0,8}?في\s+(?:شهر\s+)?\S+\s+(?:ال)?مقبل(?!\w)"
)
# the later cues' letters: an expectation, a date, a time still to come
_LATER_HINTS = ("توقع أن", "توقع ان", "موعد", "مقبل")


def is_preview(title: str, text: str) -> bool:
    """Whether the title or the lead reads as written ahead of the event it tells."""
    head = title + "\n" + text[:LEAD_CHARS]
    folded = None
    if any(hint in head for hint in _HINTS):
        folded = fold(head)
        if _AHEAD.search(folded) is not None:
            return True
    if any(hint in head for hint in _LATER_HINTS):
        return _LATER.search(fold(head) if folded is None else folded) is not None
    return False
