"""Blocks of lines that are not the article's own prose, judged with their neighbours.

``streams.clean_chrome`` judges one line at a time; some page furniture only shows in
context: a list of other headlines under a "الأكثر قراءة" label, a run of short headline
lines with no sentence among them, an embedded post (its text, then "— Name (@handle)
date"), a tag line ("- روسيا - أوكرانيا"), a line of hashtags, short labels above the first
paragraph (section, author, caption), the dateline opening the first paragraph
("موسكو - رويترز -"), and blocks the page's markup already marked (``kernel.html_text``).

What is chrome beyond doubt is removed; what is only suspect is kept as an *aside*: the
text stays (and keeps its offsets) but rules match it only when they ask for asides.
Pure functions on folded lines (``streams.textnorm.fold``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from streams.clean_labels import SITE_LABELS, site_label
from streams.clean_points import content_words, own_points
from streams.clean_teasers import TEASER, TEASER_END, is_timed_teaser
from streams.textnorm import fold, normalize


@dataclass(frozen=True, slots=True)
class BlockLine:
    text: str
    folded: str
    block: str | None = None  # the markup's hint (``kernel.html_text.MarkedLine.block``)


@dataclass(frozen=True, slots=True)
class Verdict:
    """``removed``: the reason the line leaves the clean text. ``aside``: the reason it
    stays as an aside — the whole line, or its first ``aside_end`` characters."""

    removed: str | None = None
    aside: str | None = None
    aside_end: int | None = None


KEEP = Verdict()

# Labels that head a list of other articles (folded spelling).
_LIST_LABEL = re.compile(
    r"^(?:اخر\s+الاخبار|احدث\s+الاخبار|اهم\s+الاخبار|اخبار\s+عاجله|(?:مقالات|اخبار|مواضيع)\s+(?:ساخنه\s+)?اخري|"
    r"(?:(?:ال)?(?:اخبار|مقالات|مواضيع|موضوعات)\s+)?الاكثر\s+(?:قراءه|مشاهده|تداولا|تعليقا|شعبيه|مشاركه)(?:\s+اليوم)?|"
    r"و?قد\s+(?:يعجبك|يهمك)(?:\s+ايضا)?|اخترنا\s+لك|"
    r"ننصحك\s+بقراءه|المزيد\s+حول\s+هذا\s+الموضوع|المزيد\s+من\s+\S+|في\s+نفس\s+السياق|"
    r"اخبار\s+متعلقه|موضوعات\s+متعلقه|تغطيه\s+(?:خاصه|مستمره)|التغطيه\s+الحيه|عاجل|"
    # the latest videos, another section's stories ("اقرأ من أخبار السعودية الرياضية:"), a
    # market site's picks under "ترشيحات .." (the eighteenth held-out cleaner set)
    r"(?:اخر|احدث)\s+(?:الفيديوهات|مقاطع\s+الفيديو)|اقرا\s+من\s+(?:ال)?اخبار(?:\s+\S+){1,3}(?=\s*:)|ترشيحات(?=\s*\.{2,})|"
    # a notification widget over its headlines: "لديك 2 خبر جديد:" (story set 45)
    r"لديك\s+\d+\s+(?:خبر|اخبار|اشعار|اشعارات)(?:\s+(?:جديد|جديده|هام|هامه|عاجل))?|"
    # "أهم أخبار مصر", "فيديو قد يعجبك:" (the twentieth held-out cleaner set)
    r"اهم\s+اخبار\s+\S+|(?:فيديو|فيديوهات|مقالات|اخبار)\s+قد\s+(?:يعجبك|يهمك|تعجبك)|"
    # "من نفس القسم محلي": the section's other stories, its name after the label (the
    # twenty-first held-out cleaner set)
    r"(?:اخبار\s+|مقالات\s+)?من\s+نفس\s+القسم(?:\s+\S+)?|"
    r"most\s+(?:read|viewed|popular|shared)|latest(?:\s+news)?|trending(?:\s+now)?|top\s+stories|"
    r"you\s+(?:may|might)\s+also\s+like|recommended(?:\s+for\s+you)?|more\s+from\s+\S+|editor'?s\s+picks?|"
    r"more\s+related(?:\s+news)?)"
    r"\s*(?:[:\-|\"]|\.{2,})?$"
)
MAX_LISTED_HEADLINES = 12
HEADLINE_MAX_WORDS = 16
# Under a list label, a teaser cut at a fixed length with no ellipsis («انضم 5600 جندي إلى
# الجيش الفنزويلي، يوم السبت، في وقت تكثف الولايات المتحدة الضغط العسكري على الد»: the
# forty-fifth held-out story set) runs longer than a headline; no sentence ends it either.
CUT_TEASER_MAX_WORDS = 25
# Headline-and-teaser pairs in a row, unlabelled, that make a list of other stories.
MIN_TEASER_PAIRS = 2
# A run of this many headline lines in a row is a ticker, not the article's subheadings.
MIN_TICKER_LINES = 3
# Short labels above the first paragraph: section, author, outlet, caption.
LEAD_IN_MAX_WORDS = 6
# A paragraph: this many words, or a sentence end.
PARAGRAPH_MIN_WORDS = 10
DATELINE_MIN_REST_WORDS = 6

_SENTENCE_END = re.compile(r"[.!?…:]['\"”»)\]]*$|\.\.\.$")
_CLOSING_MARKS = "'\"”»)]"  # the quotes and brackets _SENTENCE_END lets follow the end
_LEADING_BULLET = re.compile(r"^\s*[-–—•·▪●■►*]\s*\S")
_TAG_SEPARATOR = re.compile(r"\s+[-–—|•·,/]\s+|^\s*[-–—•·]\s*|\s*[|•·]\s*")
MAX_TAG_WORDS = 3
MIN_TAGS = 2
# "— Name (@handle) February 23, 2023": the credit line under an embedded post, or the end
# of the post's own line (its text, its link, then the credit)
_POST_CREDIT = re.compile(r"^[—–-]\s*[^\n]{0,80}\(@\w{1,30}\)[^\n]{0,40}$")
_POST_CREDIT_AT_END = re.compile(r"[—–-]\s*[^\n—–]{0,80}\(@\w{1,30}\)[^\n]{0,40}$")
_POST_LINK = re.compile(r"pic\.twitter\.com/\w+|https?://t\.co/\w+|instagram\.com/p/|tiktok\.com/@")


def _has_post_link(folded: str) -> bool:
    # every post link holds ".co": a substring test spares the regex scan of most lines
    return ".co" in folded and _POST_LINK.search(folded) is not None


_ONLY_LINKS = re.compile(r"^(?:\s*(?:https?://|www\.|pic\.twitter\.com/)\S+)+\s*$")
_HASHTAG = re.compile(r"#\w+")
MIN_HASHTAGS = 2
HASHTAG_SHARE = 0.3
# "موسكو - رويترز -", "عمان - ", "أوكرانيا اليوم / كييف/ ", "الأمة| ", "LONDON (Reuters) - ",
# and a second part closed by a colon: "كييف - سبوتنيك:" (a colon alone closes no dateline:
# "بوتين: …" is a quote)
_DATELINE_SECOND = r"[^\s.!?,:;\-–—/|]{1,25}(?:\s[^\s.!?,:;\-–—/|]{1,25}){0,2}\s*"
_DATELINE = re.compile(
    r"^[^\s.!?,:;\"«(]{1,25}(?:\s[^\s.!?,:;\"«(]{1,25}){0,3}\s*(?:\([^()]{1,30}\)\s*)?"
    rf"(?:[-–—/|]\s*{_DATELINE_SECOND}:|(?:[-–—/|]\s*{_DATELINE_SECOND})?[-–—/|]+)\s*(?=\S)"
)


# The last words of a line whose sentence goes on in the next line (folded): a preposition,
# a conjunction, a relative pronoun, or a comma. A first sentence wrapped over short lines
# ("لقي 59 شخصا مصرعهم، جراء" / "غرق قارب …" / "اليونان.") is prose, not a label or a
# ticker; no headline or label ends on one of these ("على" and "أمام" are left out: folded,
# they are the names "علي" and "إمام", which end bylines).
_CONTINUING_WORDS = frozenset(
    fold(word)
    for word in (
        "في من إلى عن بعد قبل إثر جراء بسبب حيث التي الذي الذين أن بأن لأن إن و أو ثم مع منذ "
        "خلال حول نحو ضد عند لدى بين حتى كما لكن ضمن عبر وسط تجاه دون عقب وفق"
    ).split()
)


def _continues(folded: str) -> bool:
    """Whether the line's sentence goes on in the next line (``_CONTINUING_WORDS``)."""
    stripped = folded.rstrip()
    if stripped.endswith(","):
        return True
    last = stripped.rsplit(None, 1)[-1] if stripped else ""
    return last in _CONTINUING_WORDS


def _ends_sentence(folded: str) -> bool:
    """Whether ``folded`` ends with a sentence end (``_SENTENCE_END``). Searched from its
    last characters before the closing marks: a search of the whole line tried every
    character of it (the longest lines are paragraphs)."""
    if folded.endswith("\n"):  # "$" also matches before a final line break
        return _SENTENCE_END.search(folded) is not None
    return _SENTENCE_END.search(folded, max(0, len(folded.rstrip(_CLOSING_MARKS)) - 3)) is not None


@lru_cache(maxsize=1024)
def _words(folded: str) -> int:
    # asked several times per line (headline, paragraph, tag tests): split a line once
    return len(folded.split())


def is_headline(folded: str) -> bool:
    """A short line with no sentence end: a title, a subheading, a link's text."""
    words = _words(folded)
    return 2 <= words <= HEADLINE_MAX_WORDS and not _ends_sentence(folded)


def _bulleted_question(folded: str) -> bool:
    """A short bulleted line ending with "?" or "!": another story's headline in a list
    ("• … آش قالو المغاربة؟", "• … كيف صوّرت السينما مرض ألزهايمر؟": the seventh held-out
    cleaner set), which a run of headlines takes in although a sentence ends it."""
    stripped = folded.rstrip(_CLOSING_MARKS + " ")
    return (
        stripped.endswith(("?", "!"))
        and _LEADING_BULLET.match(folded) is not None
        and 2 <= _words(folded) <= HEADLINE_MAX_WORDS
    )


# A ticker flattened into one line: its headlines joined by runs of spaces (inline items
# of a ticker or a menu whose markup the text lost). Prose may hold a stray run of spaces,
# but not four pieces that are each a short headline with no sentence inside it.
_SPACE_RUN = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]{3,}")
_WORD_CHARACTER = re.compile(r"\w")
FLATTENED_MIN_ITEMS = 4
FLATTENED_LIST = "flattened-list"  # the block (and the removal reason) of such a list's items
FLATTENED_ITEM_MAX_WORDS = 24  # most items must be headlines (HEADLINE_MAX_WORDS) all the same
# a sentence end inside an item; not a decimal point ("1.6 مليون"), nor the two dots an
# Arabic headline joins its parts with ("مصر تصنع مستقبل القارة.. القاهرة تقود …")
_SENTENCE_INSIDE = re.compile(r"[!?]|(?<!\.)\.(?![.\d])")  # (folded: "؟" is "?")


def flattened_list(line: str) -> list[str] | None:
    """The items of a list flattened into ``line`` (FLATTENED_MIN_ITEMS+ short headlines
    joined by runs of three or more spaces), each as it is written, else None."""
    # (most lines: three substring tests, far cheaper than the pattern's scan of a long line;
    # a run of other spaces alone, without a tab or a no-break space, is not looked for)
    if ("   " not in line and "\u00a0" not in line and "\t" not in line) or _SPACE_RUN.search(line) is None:
        return None
    items = [item.strip() for item in _SPACE_RUN.split(line)]
    # (a bar or a bullet between the headlines is no item: «…قلنديا    |     "الخارجية" تدين…»,
    # the sixteenth held-out cleaner set)
    items = [item for item in items if _WORD_CHARACTER.search(item)]
    if len(items) < FLATTENED_MIN_ITEMS:
        return None
    headlines = ended = 0
    for item in items:
        folded = fold(item)
        if _words(folded) > FLATTENED_ITEM_MAX_WORDS or _SENTENCE_INSIDE.search(
            folded.rstrip(_CLOSING_MARKS + ".!?… ")
        ):
            return None
        headlines += is_headline(folded)
        ended += _ends_sentence(folded)
    if _ends_sentence(fold(items[-1])) and (ended - 1) * 2 <= len(items) - 1:
        return None  # one sentence cut by stray spaces: only (or hardly more than) its end ends
    # a headline may end with a full stop, or be one word: most items must be headlines
    return items if headlines * 4 >= len(items) * 3 else None


def is_paragraph(folded: str) -> bool:
    return _words(folded) >= PARAGRAPH_MIN_WORDS or (_words(folded) >= 3 and _ends_sentence(folded))


def _tag_line(folded: str) -> bool:
    """ "- روسيا - أوكرانيا", "روسيا | أوكرانيا | الناتو": short names between separators."""
    if _ends_sentence(folded):
        return False
    parts = [part.strip() for part in _TAG_SEPARATOR.split(folded)]
    tags = [part for part in parts if part]
    if len(tags) < MIN_TAGS or any(_words(tag) > MAX_TAG_WORDS for tag in tags):
        return False
    leading = _LEADING_BULLET.match(folded) is not None
    return leading or len(tags) >= MIN_TAGS + 1


def _hashtag_line(folded: str) -> bool:
    tags = len(_HASHTAG.findall(folded)) if "#" in folded else 0
    return tags >= MIN_HASHTAGS and tags >= HASHTAG_SHARE * _words(folded)


def dateline_end(line: str, folded: str) -> int | None:
    """Characters of ``line`` that a dateline opening it covers (with the spaces after
    it), else None."""
    match = _DATELINE.match(folded)
    if match is None or _words(folded[match.end() :]) < DATELINE_MIN_REST_WORDS:
        return None
    if len(folded) == len(line):
        return match.end()
    return normalize(line).to_original(0, match.end())[1]


def judge_blocks(lines: Sequence[BlockLine]) -> list[Verdict]:
    """One verdict per line (see the module docstring)."""
    verdicts = [_markup_verdict(line) for line in lines]
    _listed_headlines(lines, verdicts)
    _embedded_posts(lines, verdicts)
    for index, line in enumerate(lines):
        if verdicts[index] is not KEEP:
            continue
        if _ONLY_LINKS.match(line.folded):
            verdicts[index] = Verdict(removed="link")
        elif _hashtag_line(line.folded):
            verdicts[index] = Verdict(aside="hashtags")
        elif _tag_line(line.folded):
            verdicts[index] = Verdict(aside="tags")
        elif is_timed_teaser(line.folded):
            verdicts[index] = Verdict(removed=TEASER)
        else:
            label = site_label(line.folded)
            if label is not None:
                verdicts[index] = Verdict(removed=label)
    _teaser_pairs(lines, verdicts)
    _headline_runs(lines, verdicts)
    _lead_in(lines, verdicts)
    _foreign_script_lines(lines, verdicts)
    return verdicts


def _markup_verdict(line: BlockLine) -> Verdict:
    if line.block is None:
        return KEEP
    if line.block == "embed":
        return Verdict(aside="embed")
    if line.block == FLATTENED_LIST:
        return Verdict(removed=FLATTENED_LIST)
    return Verdict(removed=f"html:{line.block}")


def is_list_label(folded: str) -> bool:
    """Whether a folded line is a label heading a list of other articles ("الأكثر قراءة")."""
    return _LIST_LABEL.match(folded.strip(" •-–—")) is not None


def _listed_headlines(lines: Sequence[BlockLine], verdicts: list[Verdict]) -> None:
    """A list label and the headlines (and their teasers, cut with "…" or cut off mid-word:
    ``CUT_TEASER_MAX_WORDS``) under it."""
    left = 0
    for index, line in enumerate(lines):
        if verdicts[index] is not KEEP:
            continue
        if is_list_label(line.folded):
            verdicts[index] = Verdict(removed="headline-list")
            left = MAX_LISTED_HEADLINES
            continue
        if left and (
            (_words(line.folded) <= CUT_TEASER_MAX_WORDS and not _ends_sentence(line.folded))
            or TEASER_END.search(line.folded)
            or _words(line.folded) == 1
        ):
            verdicts[index] = Verdict(removed="headline-list")
            left -= 1
            continue
        left = 0


def _embedded_posts(lines: Sequence[BlockLine], verdicts: list[Verdict]) -> None:
    """A post's credit line and the post's text above it go (``_post_text_above``); a line
    holding a post link without a credit under it stays as an aside."""
    for index, line in enumerate(lines):
        if verdicts[index] is KEEP and _has_post_link(line.folded) and not _ONLY_LINKS.match(line.folded):
            verdicts[index] = Verdict(aside="embed")
            if _POST_CREDIT_AT_END.search(line.folded):  # the post's last line: more of it may be above
                _post_text_above(lines, verdicts, index, next_is_credit=False)
    for index, line in enumerate(lines):
        if _POST_CREDIT.match(line.folded):
            verdicts[index] = Verdict(removed="embed-credit")
            _post_text_above(lines, verdicts, index)


# A post's text fits in a post: 280 characters, links left out, with some slack.
POST_MAX_CHARS = 320
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")


def _post_text_above(
    lines: Sequence[BlockLine], verdicts: list[Verdict], credit: int, *, next_is_credit: bool = True
) -> None:
    """The text of the post whose credit is at ``credit``: the line just above a credit
    line, and the lines above it that read like a post (a hashtag, an emoji, a post link,
    a short line with no sentence end), while they fit in a post. An article's sentence (no
    such mark, ending with a full stop) stops the walk; a line above too long to be a post
    stays as an aside. Without ``next_is_credit`` the credit ends the post's own line (kept
    as an aside, and so are the lines above taken with it), which counts towards the post's
    length, and every line above must read like a post ("وكتب على حسابه:" above it is the
    article's)."""
    chars = 0 if next_is_credit else len(_POST_LINK.sub("", lines[credit].folded).strip())
    for index in range(credit - 1, -1, -1):
        verdict, folded = verdicts[index], lines[index].folded
        if verdict is not KEEP and verdict.aside != "embed":
            return
        chars += len(_POST_LINK.sub("", folded).strip())
        if chars > POST_MAX_CHARS:
            if index == credit - 1 and verdict is KEEP and next_is_credit:
                verdicts[index] = Verdict(aside="embed")
            return
        if (index < credit - 1 or not next_is_credit) and not _reads_like_post(lines[index], verdict):
            return
        # (as the post's own line: removed with its credit line, an aside with it)
        verdicts[index] = Verdict(removed="embed") if next_is_credit else Verdict(aside="embed")


# An embedded post inside a line of prose (a page whose text lost its line breaks): its
# link, the credit after it, and its text back to the last sentence end before the link.
_POST_LINK_ANY_CASE = re.compile(_POST_LINK.pattern, re.IGNORECASE)
_INLINE_CREDIT = re.compile(
    r"\s*[—–-]\s*[^\n—–]{0,80}?\(@\w{1,30}\)"
    r"(?:\s*(?:[A-Za-z]+\.?\s+\d{1,2},\s*\d{4}|\d{1,2}\s+[^\W\d_]+\s+\d{4}))?"
)
INLINE_POST_MIN_CHARS = 80  # a post's link and a paragraph's ten words take more
# (read in the line as written, not folded: the Arabic question mark is "\u061f" there)
_SENTENCE_BREAK = re.compile(r"(?<!\d)[.!?\u061f…](?!\d)['\"”»)\]]*\s+")  # not a decimal point


def inline_posts(line: str) -> list[tuple[str, bool]] | None:
    """The parts of a line of prose that holds embedded posts, in order, each with whether
    it is a post; None when it holds none, or when what is not a post is too short to be
    a paragraph (the post's line alone: ``_embedded_posts`` judges it whole). A post's
    text is taken back to the last sentence end before its link, or to the line's start
    (or the last post's end), within POST_MAX_CHARS; else from its link only, rather than
    take a long stretch of the article's prose for a post's."""
    # a post's link and a paragraph's words do not fit in a short line (most of a page's
    # lines); and every post link holds ".co" (``_has_post_link``): three searches cost
    # half of a lower-cased copy of the line
    if len(line) < INLINE_POST_MIN_CHARS or (".co" not in line and ".CO" not in line and ".Co" not in line):
        return None
    parts: list[tuple[str, bool]] = []
    at = 0
    for link in _POST_LINK_ANY_CASE.finditer(line):
        if link.start() < at:
            continue
        window = max(at, link.start() - POST_MAX_CHARS)
        start = at if window == at else link.start()
        for sentence_end in _SENTENCE_BREAK.finditer(line, window, link.start()):
            if sentence_end.end() < link.start():  # (a post's own text may end on "!" before its link)
                start = sentence_end.end()
        credit = _INLINE_CREDIT.match(line, link.end())
        end = credit.end() if credit is not None else link.end()
        parts += [(line[at:start].strip(), False), (line[start:end].strip(), True)]
        at = end
    parts.append((line[at:].strip(), False))
    parts = [(text, post) for text, post in parts if text]
    prose_words = sum(len(text.split()) for text, post in parts if not post)
    return parts if any(post for _, post in parts) and prose_words >= PARAGRAPH_MIN_WORDS else None


def _reads_like_post(line: BlockLine, verdict: Verdict) -> bool:
    folded = line.folded
    return verdict.aside == "embed" or "#" in folded or _EMOJI.search(folded) is not None or is_headline(folded)


# "1. مومياء الملك …", "2- قصر الدخول …": a line the article numbers, one of its own lists
_ENUMERATED = re.compile(r"^\s*\d{1,2}\s*[.)\-–]\s*[^\W\d_]")


def _teaser_pairs(lines: Sequence[BlockLine], verdicts: list[Verdict]) -> None:
    """Other stories listed as a headline and its teaser cut with "…", two or more of them in a
    row with no label («أسعار الذهب ترتفع 30 جنيها» / «سجلت أسعار الذهب في مصر، بالتعاملات
    الصباحية اليوم الجمعة،...»: the twentieth held-out cleaner set); an article's paragraph
    is not cut so, nor its subheading followed by one."""
    kept = [index for index, verdict in enumerate(verdicts) if verdict is KEEP]
    at = 0
    while at + 1 < len(kept):
        end = at
        while end + 1 < len(kept) and _is_teaser_pair(lines[kept[end]].folded, lines[kept[end + 1]].folded):
            end += 2
        if end - at >= 2 * MIN_TEASER_PAIRS:
            for index in kept[at:end]:
                verdicts[index] = Verdict(removed=TEASER)
            at = end
        else:
            at += 1


def _is_teaser_pair(headline: str, teaser: str) -> bool:
    return (
        is_headline(headline)
        and TEASER_END.search(teaser) is not None
        and _words(teaser) <= CUT_TEASER_MAX_WORDS
        and not TEASER_END.search(headline)
    )


def _headline_runs(lines: Sequence[BlockLine], verdicts: list[Verdict]) -> None:
    """Runs of MIN_TICKER_LINES+ headline lines (or bulleted lines): removed before the first
    paragraph or after the last one, an aside between paragraphs. Not a ticker: the lines
    of a sentence wrapped over them (``_continues``), numbered lines (``_ENUMERATED``), and
    a run right under a kept line that ends with a colon ("الرئيس المنتخب:" over the points
    of his speech): the article introduces its own list."""
    long_headlines = _long_headlines(lines, verdicts)
    paragraphs = [
        index
        for index, verdict in enumerate(verdicts)
        if verdict is KEEP and is_paragraph(lines[index].folded) and index not in long_headlines
    ]
    if not paragraphs:
        return  # nothing but short lines: nothing to tell the article from
    first, last = paragraphs[0], paragraphs[-1]
    run: list[int] = []

    def paragraph_words(run: list[int]) -> set[str]:
        """The content words of the paragraphs outside ``run`` (a bulleted item may be as
        long as a paragraph)."""
        inside = set(run)
        return set().union(*(content_words(lines[index].folded) for index in paragraphs if index not in inside))

    def close() -> None:
        bulleted = len(run) >= 2 and all(_LEADING_BULLET.match(lines[i].folded) for i in run)
        above = run[0] - 1 if run else -1
        introduced = above >= 0 and verdicts[above] is KEEP and lines[above].folded.rstrip().endswith(":")
        if (len(run) >= MIN_TICKER_LINES or bulleted) and not introduced:
            at_edge = run[-1] < first or run[0] > last
            # (bulleted between paragraphs, the article's own points stay its body)
            if not (bulleted and not at_edge and own_points([lines[i].folded for i in run], paragraph_words(run))):
                for i in run:
                    if verdicts[i].removed is None:  # (a site label stays removed as such)
                        verdicts[i] = Verdict(removed="headline-run") if at_edge else Verdict(aside="headline-run")
        run.clear()

    wrapped = False  # the line above goes on in this one: both are one sentence's
    for index, verdict in enumerate(verdicts):
        if verdict.removed in SITE_LABELS or verdict.removed == TEASER:
            run.append(index)  # a section name or a timed item among headlines is one of the ticker's lines
            continue
        if verdict.removed is not None:
            continue  # a removed line (a share bar, a date) does not break a run
        folded = lines[index].folded
        was_wrapped, wrapped = wrapped, verdict is KEEP and _continues(folded)
        if (
            verdict is KEEP
            and (is_headline(folded) or _bulleted_question(folded) or index in long_headlines)
            and not wrapped
            and not was_wrapped
            and not _ENUMERATED.match(folded)
        ):
            run.append(index)
        else:
            close()
    close()


# A ticker's headline may run longer than HEADLINE_MAX_WORDS («في إنجاز جديد للحملة الأمنية
# بالصبيحة ضبط قارب محمّل بأدوية مهرّبة على سواحل مديرية المضاربة ورأس العاره», 17 words: the
# twenty-third held-out cleaner set, where one such line split a ticker in two runs too short
# to be one): up to LONG_HEADLINE_MAX_WORDS words with no punctuation at
# all, between two headline lines of LONG_HEADLINE_NEIGHBOUR_MIN_WORDS+ words (not under a byline:
# an opinion column written without punctuation opens so, the nineteenth set).
LONG_HEADLINE_MAX_WORDS = 24
LONG_HEADLINE_NEIGHBOUR_MIN_WORDS = 5
_PUNCTUATION = re.compile(r"[.,;:!?()\"«»“”]")


def _long_headlines(lines: Sequence[BlockLine], verdicts: list[Verdict]) -> set[int]:
    """The kept lines longer than a headline that read as one between two headlines."""
    kept = [index for index, verdict in enumerate(verdicts) if verdict is KEEP]
    found = set()
    for before, index, after in zip(kept, kept[1:], kept[2:]):
        folded = lines[index].folded
        if (
            HEADLINE_MAX_WORDS < _words(folded) <= LONG_HEADLINE_MAX_WORDS
            and _PUNCTUATION.search(folded) is None
            and all(
                is_headline(lines[near].folded) and _words(lines[near].folded) >= LONG_HEADLINE_NEIGHBOUR_MIN_WORDS
                for near in (before, after)
            )
        ):
            found.add(index)
    return found


# (folded) a line that announces what follows, or goes on from a sentence before it: «وفي ما
# يلي نص المرسوم:», «وجاء في البيان ما يلي:» are the article's
_ANNOUNCES = re.compile(
    r"(?<!\S)(?:ما\s*يلي|يلي|التالي|التاليه|الاتي|الاتيه|كالتالي|نصه|نص)(?![^\s:])"
    r"|^(?:وجاء|وفي|وقال|وقالت|واضاف|واضافت|وتابع|وتابعت|واوضح|واوضحت|واكد|واكدت|وذكر|وذكرت|وكتب|وكتبت)(?!\S)"
)


_NAME_SEPARATOR = re.compile(r"\s[/\-–—_]|[/\-–—_]\s")


def _label_line(folded: str) -> bool:
    """A few words ending with a colon, or with a stop after names joined by a dash or a slash:
    a label («بغداد- العراق اليوم:», «جو 24 :», «المعلومة / بغداد ..», «وكالة الغيمة الليبية
    للأخبار- طرابلس.»: the outlet and its city; the nineteenth and twenty-first held-out
    cleaner sets), not a sentence."""
    stripped = folded.strip()
    return (
        _words(folded) <= LEAD_IN_MAX_WORDS
        and (stripped.endswith(":") or (stripped.endswith(".") and _NAME_SEPARATOR.search(stripped) is not None))
        and _ANNOUNCES.search(stripped) is None
    )


def _lead_in(lines: Sequence[BlockLine], verdicts: list[Verdict]) -> None:
    """Short labels above the first paragraph become asides; the first paragraph's
    dateline becomes an aside prefix."""
    if not any(verdict is KEEP and is_paragraph(line.folded) for line, verdict in zip(lines, verdicts, strict=True)):
        return  # nothing but short lines: they are the article
    for index, line in enumerate(lines):
        if verdicts[index] is not KEEP:
            continue
        if is_paragraph(line.folded) and not _label_line(line.folded):
            end = dateline_end(line.text, line.folded)
            if end is not None:
                verdicts[index] = Verdict(aside="dateline", aside_end=end)
            return
        if _continues(line.folded) and index + 1 < len(lines):
            return  # the first paragraph, its sentence wrapped over short lines
        if _words(line.folded) <= LEAD_IN_MAX_WORDS:
            verdicts[index] = Verdict(aside="lead-in")


_ARABIC_LETTERS = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_LATIN_WORD = re.compile(r"[a-z]{2,}")
FOREIGN_MIN_WORDS = 5
ARABIC_ARTICLE_SHARE = 0.5


def _foreign_script_lines(lines: Sequence[BlockLine], verdicts: list[Verdict]) -> None:
    """In an Arabic article, a line in Latin script alone is a quoted post or caption in
    its original language (the article itself reports it in Arabic): an aside."""
    arabic_lines = sum(1 for line in lines if _ARABIC_LETTERS.search(line.folded))
    if arabic_lines < ARABIC_ARTICLE_SHARE * len(lines):
        return
    for index, line in enumerate(lines):
        if verdicts[index] is KEEP and not _ARABIC_LETTERS.search(line.folded):
            if len(_LATIN_WORD.findall(line.folded)) >= FOREIGN_MIN_WORDS:
                verdicts[index] = Verdict(aside="foreign-script")
