"""The normalize stage's text cleaning: HTML → lines (``kernel.html_text``) → chrome
removed line by line (``streams.clean_chrome``; a read-also label right after the
article's source or tag lines removes the rest of the page: other stories' headlines and
teasers) → repeats collapsed → blocks judged in context (``streams.clean_blocks``: headline
lists and tickers, embedded posts, tag lines, labels above the first paragraph, the dateline).

The clean text is what rules see and what evidence offsets index, so kept lines keep
their original wording exactly (only outer whitespace is trimmed, a dateline opening a
line or an agency's subscription notice closing it, ``streams.clean_footer``, cut off,
and a mark masking a word made a tatweel: ``unmask_words``) and are joined with "\\n";
comparisons (title repeated in the body, repeated paragraphs) use the folded form
(``streams.textnorm.fold``) so that spelling variants of the same line still collapse.

Along the way the article's metadata is read from the text: published time (the feed's
value wins), agency credit, language. Everything removed is listed with its reason so that
a wrong removal can be seen and fixed. What the cleaner only suspects is kept and listed as
an aside (a span of the clean text): rules match asides only when they ask for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from kernel.html_text import (
    MarkedLine,
    drop_control_characters,
    html_lines,
    looks_like_html,
    marked_tree_lines,
    plain_lines,
)
from streams.clean_blocks import (
    FLATTENED_LIST,
    KEEP,
    BlockLine,
    flattened_list,
    inline_posts,
    is_list_label,
    judge_blocks,
)
from streams.clean_chrome import classify_line
from streams.clean_credits import inline_credit_agencies, leading_dateline
from streams.clean_dates import PageDate, find_dates, names_publication, normalize_feed_date, page_published
from streams.clean_footer import subscription_footer
from streams.clean_headline import headline_index
from streams.clean_keys import comparison_key, comparison_keys
from streams.clean_site_name import site_name_lines
from streams.language import detect_language
from streams.textnorm import fold, fold_lines, normalize


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line (or a line's dateline prefix) left out of the clean text, and why:
    "chrome:<kind>", "read-also", "repeated-title", "repeated-line", "repeated-body",
    "continuation-marker", "footer", "agency-credit", "dateline", "subscription-footer"
    (an agency's notice closing the text, or the last sentences of a line)."""

    reason: str
    text: str


@dataclass(frozen=True, slots=True)
class Aside:
    """A span ``[start, end)`` of the clean text kept but judged not to be the article's
    own prose, and why: "headline-run", "embed", "tags", "hashtags", "lead-in", "dateline"."""

    reason: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CleanArticle:
    title: str
    text: str
    language: str | None
    published: str | None  # ISO 8601
    agency: str | None  # credited news agency id ("dpa", "afp", "reuters" …)
    removed: tuple[RemovedLine, ...]
    asides: tuple[Aside, ...] = ()


# ------------------------------------------------------------------------------ HTML

_PUBLISHED_META = (
    'meta[property="article:published_time"]',
    'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="pubdate"]',
    'meta[name="publishdate"]',
    'meta[name="date"]',
    'meta[name="DC.date.issued"]',
)


def _html_published(tree: LexborHTMLParser) -> str | None:
    """The published time the markup states, if any (article:published_time,
    datePublished, <time datetime>)."""
    for selector in _PUBLISHED_META:
        node = tree.css_first(selector)
        if node is not None:
            value = normalize_feed_date(node.attributes.get("content"))
            if value:
                return value
    node = tree.css_first("time[datetime]")
    if node is not None:
        return normalize_feed_date(node.attributes.get("datetime"))
    return None


# ------------------------------------------------------------------------- cleaning

# Repeats shorter than this are left alone: "س:" / "ج:" in an interview repeat legitimately.
MIN_REPEAT_KEY_CHARS = 20
# Headlines a bare "اقرأ أيضاً" label introduces: up to this many short lines after it.
MAX_LINKED_HEADLINES = 3
LINKED_HEADLINE_MAX_WORDS = 16
_SENTENCE_END = re.compile(r"[.!?؟…]['\"”»)]*$")
# The first lines of prose may open with the date ("القاهرة في 7 ديسمبر 2021 -").
LEAD_DATE_CHARS = 120
# Lines that close an article where republishing sites end it: its source, its tags. A bare
# read-also label right after them opens the page's tail (other stories: headlines and
# teaser paragraphs), removed to the end of the text.
_ARTICLE_END_REASONS = frozenset({"chrome:source", "chrome:tags"})


def _body_lines(content: str, content_type: str) -> tuple[list[MarkedLine], str | None]:
    """The body's text lines and the published time its markup states, if any."""
    if content_type != "text/plain" and looks_like_html(content):
        tree = LexborHTMLParser(content)
        published = _html_published(tree)  # read first: the lines consume the tree
        return _split_lines(marked_tree_lines(tree)), published
    lines = [MarkedLine(line) for line in plain_lines(content, references=content_type != "text/plain")]
    return _split_lines(lines), None


def _split_lines(lines: list[MarkedLine]) -> list[MarkedLine]:
    """Each list flattened into one line (a ticker's headlines joined by runs of spaces) as
    one line per item, marked as such: other articles' headlines, removed like a list the
    markup marks (an item may be a long headline, which alone would pass for a paragraph).
    And each embedded post inside a line of prose as a line of its own, marked as an embed
    (``clean_blocks.inline_posts``): else the whole line, prose and all, would be one aside."""
    split = [(marked, flattened_list(marked.text)) for marked in lines]
    # a text that is nothing but such lists is left to be judged as short lines (nothing to
    # tell the article from: a digest of headlines may be the item itself)
    alone = all(items is not None for _, items in split)
    out: list[MarkedLine] = []
    for marked, items in split:
        if items is not None:
            block = marked.block if alone else marked.block or FLATTENED_LIST
            out.extend(MarkedLine(item, block) for item in items)
            continue
        parts = inline_posts(marked.text) if marked.block is None else None
        if parts is None:
            out.append(marked)
        else:
            out.extend(MarkedLine(text, "embed" if post else None) for text, post in parts)
    return out


def _clean_title(title: str, content_type: str) -> str:
    if content_type != "text/plain":
        title = " ".join(html_lines(title))
    return " ".join(drop_control_characters(title).split())


_TEASER_END = re.compile(r"(?:…|\.\.\.?)\s*['\"”»)]*$")
TEASER_MAX_WORDS = 40
# "<headline> ، بقلم : د. فلان": the writer of an opinion piece after its headline (the
# eighteenth held-out cleaner set)
_WRITER_AFTER = re.compile(r"\s*[،,\-–—|]?\s*بقلم\s*:?\s*(?:\S+\s*){0,5}…?$")


def _is_question(line: str) -> bool:
    """A poll's question: one short line asking it ("هل تؤيد …؟")."""
    return len(line.split()) <= LINKED_HEADLINE_MAX_WORDS and line.rstrip().endswith(("?", "؟"))


def _is_linked_headline(line: str) -> bool:
    """A linked headline, or the teaser under it (cut short with "…"), or several headlines
    on one line between " | " (where one asking a question is a headline too). An opinion
    piece's headline is read without its writer after it."""
    line = _WRITER_AFTER.sub("", line) or line
    parts = [part.strip() for part in line.split(" | ")]
    if len(parts) > 1:
        return all(
            len(part.split()) <= LINKED_HEADLINE_MAX_WORDS
            and (not _SENTENCE_END.search(part) or part.endswith(("?", "؟")) or _TEASER_END.search(part) is not None)
            for part in parts
            if part
        )
    words = len(line.split())
    if words <= TEASER_MAX_WORDS and _TEASER_END.search(line):
        return True
    return words <= LINKED_HEADLINE_MAX_WORDS and not _SENTENCE_END.search(line)


@dataclass(slots=True)
class _Kept:
    position: int
    text: str
    folded: str
    block: str | None = None
    aside: str | None = None
    aside_end: int | None = None  # the aside covers only this many leading characters


# A word masked against platform filters: a dot or a comma between two tatweels inside it
# («مقـ.ـتل», «القبـ،ـض», «اشتبـ.ــ.ـاك»: Jordanian and Egyptian sites in the held-out sets).
# Such a mark is never punctuation: a tatweel only stretches a letter inside a word.
_MASK = re.compile("(?<=\u0640)[.,\u060c\u00b7*](?=\u0640)")
TATWEEL = "\u0640"


def unmask_words(text: str) -> str:
    """``text`` with each mark masking a word made a tatweel («مقـ.ـتل» → «مقـــتل», which
    folds to «مقتل»): the same length, so every offset into it stays, and the wording shown
    stays the page's, a stretched letter where the mark was."""
    return _MASK.sub(TATWEEL, text) if TATWEEL in text else text


def clean_article(
    *,
    title: str,
    content: str,
    content_type: str = "text/html",
    published: str | None = None,
    language: str | None = None,
) -> CleanArticle:
    """Clean one feed item (see the module docstring). Pure: no I/O."""
    title, content = unmask_words(title), unmask_words(content)
    clean_title = _clean_title(title, content_type)
    lines, markup_published = _body_lines(content, content_type)

    removed: list[tuple[int, RemovedLine]] = []
    kept: list[_Kept] = []
    page_dates: list[PageDate] = []  # the dates chrome lines give (clean_dates.page_published)
    credit_line_agencies: list[str] = []
    dateline_agencies: list[str] = []
    prose_agencies: list[str] = []
    following_left = 0  # lines a label introduces ("اقرأ أيضاً", "رئيس التحرير") still to take
    following_reason = ""
    following_question = False  # what a poll's label introduces: its question, nothing else
    separated = separator_next = False  # the headlines have lines of symbols between them
    article_ended = False  # only source/tag lines since the last kept line
    in_tail = False  # past a read-also label that follows the article's end

    folded_lines = fold_lines([marked.text for marked in lines])  # folded as one text
    for position, (marked, folded) in enumerate(zip(lines, folded_lines, strict=True)):
        line = marked.text
        if in_tail:
            removed.append((position, RemovedLine("read-also", line)))
            continue
        if marked.block is not None:
            # The markup already says what this is: streams.clean_blocks decides, unless
            # the line alone is recognisable chrome (its reason is the more telling one).
            following_left, separated, separator_next = 0, False, False
            reason = classify_line(line, folded).reason if marked.block != "embed" else None
            if reason is not None:
                removed.append((position, RemovedLine(reason, line)))
            else:
                article_ended = False
                kept.append(_Kept(position, line, folded, marked.block))
            continue
        kind = classify_line(line, folded)
        if following_left or separator_next:
            if kind.reason == "chrome:symbols":
                # a separator between the headlines ("-" on its own line): not one of them,
                # and it announces one more, past the label's count
                removed.append((position, RemovedLine(kind.reason, line)))
                following_left, separated, separator_next = max(following_left, 1), True, False
                continue
            # (a list label under the read-also label heads its own list, judged with the blocks)
            if (
                following_left
                and (_is_question(line) if following_question else _is_linked_headline(line))
                and not is_list_label(folded)
            ):
                removed.append((position, RemovedLine(following_reason, line)))
                following_left -= 1
                separator_next = separated
                continue
            following_left, separated, separator_next = 0, False, False
        if kind.reason is not None:
            removed.append((position, RemovedLine(kind.reason, line)))
            if kind.published is not None:
                page_dates.append(PageDate(kind.published.iso, names_publication(folded)))
            credit_line_agencies.extend(kind.agencies)
            article_ended = article_ended or (bool(kept) and kind.reason in _ARTICLE_END_REASONS)
            if kind.introduces_links and article_ended:
                in_tail = True
            elif kind.introduces_links:
                following_left, following_reason = MAX_LINKED_HEADLINES, kind.reason
                separated = separator_next = False
            elif kind.introduces_name or kind.introduces_question:
                following_left, following_reason = 1, kind.reason
            following_question = kind.introduces_question
            continue
        dateline = leading_dateline(line)
        if dateline is not None:
            removed.append((position, RemovedLine("dateline", line[: dateline.end].strip())))
            dateline_agencies.extend(dateline.agencies)
            if dateline.published is not None:
                page_dates.append(PageDate(dateline.published.iso, True))
            line = line[dateline.end :].strip()
            folded = fold(line)
        footer = subscription_footer(folded)
        if footer is not None:
            cut = normalize(line).to_original(footer, footer)[0]
            removed.append((position, RemovedLine("subscription-footer", line[cut:].strip())))
            if cut == 0 or not line[:cut].strip():
                continue
            line = line[:cut].rstrip()
            folded = fold(line)
        prose_agencies.extend(inline_credit_agencies(folded))
        article_ended = False
        kept.append(_Kept(position, line, folded, marked.block))

    title_keys = _title_keys(clean_title)
    kept = _collapse_repeats(kept, title_keys, removed)
    kept = _judge_blocks(kept, removed)
    # (the blocks read labels and the page's head first)
    kept = _titles_with_site(_doubled_lines(_latin_labels(kept, removed), removed), title_keys, removed)
    kept = _site_name_lines(kept, removed)
    text = "\n".join(item.text for item in kept)
    if not clean_title and kept:
        clean_title = _headline_from_body(kept[0].position, "\n".join(item.folded for item in kept), removed)

    return CleanArticle(
        title=clean_title,
        text=text,
        language=detect_language(f"{clean_title}\n{text}", language),
        published=(
            normalize_feed_date(published) or markup_published or page_published(page_dates) or _lead_date(kept)
        ),
        agency=next(iter(credit_line_agencies or dateline_agencies or prose_agencies), None),
        removed=tuple(line for _, line in sorted(removed, key=lambda item: item[0])),
        asides=_asides(kept),
    )


def _headline_from_body(first_kept: int, folded_text: str, removed: list[tuple[int, RemovedLine]]) -> str:
    """For an article without a title: its headline, taken out of the lines removed above
    its first kept line (``streams.clean_headline``), or ""."""
    above = sorted((item for item in removed if item[0] < first_kept), key=lambda item: item[0])
    index = headline_index([(line.reason, fold(line.text)) for _, line in above], folded_text)
    if index is None:
        return ""
    removed.remove(above[index])
    return " ".join(above[index][1].text.split())


def _judge_blocks(kept: list[_Kept], removed: list[tuple[int, RemovedLine]]) -> list[_Kept]:
    """Apply ``streams.clean_blocks``: drop what it removes, mark what it keeps as asides."""
    verdicts = judge_blocks([BlockLine(item.text, item.folded, item.block) for item in kept])
    result: list[_Kept] = []
    for item, verdict in zip(kept, verdicts, strict=True):
        if verdict is KEEP:
            result.append(item)
        elif verdict.removed is not None:
            removed.append((item.position, RemovedLine(verdict.removed, item.text)))
        else:
            item.aside, item.aside_end = verdict.aside, verdict.aside_end
            result.append(item)
    return result


def _asides(kept: list[_Kept]) -> tuple[Aside, ...]:
    """Aside spans of the joined text; neighbouring aside lines of one reason make one span."""
    asides: list[Aside] = []
    offset = 0
    for item in kept:
        if item.aside is not None:
            end = offset + (item.aside_end if item.aside_end is not None else len(item.text))
            previous = asides[-1] if asides else None
            if previous is not None and previous.reason == item.aside and previous.end == offset - 1:
                asides[-1] = Aside(item.aside, previous.start, end)
            else:
                asides.append(Aside(item.aside, offset, end))
        offset += len(item.text) + 1
    return tuple(asides)


def _collapse_repeats(
    kept: list[_Kept], title_keys: frozenset[str], removed: list[tuple[int, RemovedLine]]
) -> list[_Kept]:
    """Drop body lines that repeat the title, and every later copy of a paragraph.

    A run of two or more consecutive copies is reported as "repeated-body" (a page whose
    whole body, or a block of it, was extracted twice), a single one as "repeated-line"."""
    seen: set[str] = set()
    result: list[_Kept] = []
    copies: list[_Kept] = []  # the current run of consecutive copies

    def flush() -> None:
        reason = "repeated-body" if len(copies) >= 2 else "repeated-line"
        removed.extend((item.position, RemovedLine(reason, item.text)) for item in copies)
        copies.clear()

    for item, key in zip(kept, comparison_keys([item.folded for item in kept]), strict=True):
        # (the title as a credit's, or as a numbered breadcrumb's last item: "4. <title>", the
        # nineteenth held-out cleaner set)
        if key in title_keys or (
            (key.startswith(_CREDIT_LABELS) or key[:1].isdigit()) and key.partition(" ")[2] in title_keys
        ):
            removed.append((item.position, RemovedLine("repeated-title", item.text)))
            continue
        if len(key) >= MIN_REPEAT_KEY_CHARS:
            if key in seen:
                copies.append(item)
                continue
            seen.add(key)
        if copies:
            flush()
        result.append(item)
    if copies:
        flush()
    return result


_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
LATIN_LABEL_MAX_WORDS = 3


def _dropped(kept: list[_Kept], lines: list[_Kept], reason: str, removed: list[tuple[int, RemovedLine]]) -> list[_Kept]:
    """``kept`` without ``lines`` (some of its items), each listed as removed for ``reason``: how
    the passes after the blocks are judged take lines out."""
    if not lines:
        return kept
    dropped = {id(item) for item in lines}
    removed.extend((item.position, RemovedLine(reason, item.text)) for item in lines)
    return [item for item in kept if id(item) not in dropped]


def _latin_labels(kept: list[_Kept], removed: list[tuple[int, RemovedLine]]) -> list[_Kept]:
    """On an Arabic page, drop the short lines in Latin letters alone, without a digit: a
    widget's label or a logo's alt text («Trending Plus», «Close Menu», «fbpx», «Site stats»),
    never the article's own (on the held-out cleaner sets 23 such lines were left in bodies,
    all chrome; on the 2,637 copy and story pages 38, all chrome: docs/cleaning.md)."""
    short = [
        item
        for item in kept
        if len(item.text.split()) <= LATIN_LABEL_MAX_WORDS
        and _LATIN_LETTER.search(item.text)
        and not _ARABIC_LETTER.search(item.folded)
        and not _DIGIT.search(item.text)
    ]
    if not short:
        return kept  # (most pages: no such line, and the page's script is not counted)
    folded = "\n".join(item.folded for item in kept)
    if len(_ARABIC_LETTER.findall(folded)) <= len(_LATIN_LETTER.findall(folded)):
        return kept
    return _dropped(kept, short, "chrome:latin-label", removed)


DOUBLED_MIN_CHARS = 5
DOUBLED_MAX_WORDS = 40  # two captions or two headlines, not a paragraph


def _doubled(text: str) -> bool:
    """One text twice, glued or a space apart («ماكرون يكرم فيروزماكرون يكرم فيروز», «tech
    tech»): an image's alt text and its caption, a link's title and its text; never a sentence
    (the held-out cleaner sets: 6 such lines, all chrome)."""
    half, odd = divmod(len(text), 2)
    if half < DOUBLED_MIN_CHARS or text.count(" ") >= DOUBLED_MAX_WORDS:
        return False
    if not odd:
        return text[:half] == text[half:]
    return text[half] == " " and text[:half] == text[half + 1 :]


def _doubled_lines(kept: list[_Kept], removed: list[tuple[int, RemovedLine]]) -> list[_Kept]:
    """Drop the lines that are one text twice (``_doubled``; the seventeenth held-out cleaner
    set). Asked after the blocks are judged: such a line is often one of a run of other
    stories' headlines, which the run's judgement should see whole."""
    return _dropped(kept, [item for item in kept if _doubled(item.text)], "chrome:doubled", removed)


def _site_name_lines(kept: list[_Kept], removed: list[tuple[int, RemovedLine]]) -> list[_Kept]:
    """Drop the lines that are the site's name alone, and the teasers it runs under its name
    (``streams.clean_site_name``)."""
    lines_by_reason: dict[str, list[_Kept]] = {}
    for index, reason in site_name_lines([item.folded for item in kept]):
        lines_by_reason.setdefault(reason, []).append(kept[index])
    for reason, lines in lines_by_reason.items():
        kept = _dropped(kept, lines, reason, removed)
    return kept


# "وكالات : <title>": a source label before the repeated title (comparison keys are words
# joined by single spaces, so the colon is gone and the label is the first word)
_CREDIT_LABELS = ("وكالات ", "متابعات ", "خاص ", "المصدر ", "عاجل ")


# "Title - Outlet", "Outlet | Title": the body may repeat the title without the outlet.
_TITLE_SEPARATOR = re.compile(r"\s+[-–—|]\s+")
MIN_TITLE_PART_WORDS = 4
TITLE_SITE_MAX_WORDS = 4  # a site's name after its page's title


def _titles_with_site(
    kept: list[_Kept], title_keys: frozenset[str], removed: list[tuple[int, RemovedLine]]
) -> list[_Kept]:
    """Drop «<title> - <site>» (or «<site> | <title>»): the page's own title, its site named
    after or before it, as the page's head repeats it (the fourteenth held-out cleaner set).
    Asked after the blocks are judged: taken out before, it let the page's head around it
    read as a run of headlines, and a deck under the title went with them (the sixteenth)."""
    if not title_keys:
        return kept
    # (the line is at most this many spaces long: most lines are longer, and are not split)
    most_spaces = max(key.count(" ") for key in title_keys) + 2 + TITLE_SITE_MAX_WORDS
    repeats = [
        item for item in kept if item.folded.count(" ") <= most_spaces and _title_and_site(item.folded, title_keys)
    ]
    return _dropped(kept, repeats, "repeated-title", removed)


def _title_and_site(folded: str, title_keys: frozenset[str]) -> bool:
    """Whether a line is a title and a site's name of at most TITLE_SITE_MAX_WORDS words."""
    parts = _TITLE_SEPARATOR.split(folded)
    if len(parts) != 2:
        return False
    return any(
        len(site.split()) <= TITLE_SITE_MAX_WORDS and comparison_key(title) in title_keys
        for title, site in (parts, parts[::-1])
    )


def _title_keys(title: str) -> frozenset[str]:
    """Comparison keys a body line repeating the title may have."""
    if not title:
        return frozenset()
    keys = {comparison_key(fold(title))}
    for part in _TITLE_SEPARATOR.split(title):
        key = comparison_key(fold(part))
        if key.count(" ") + 1 >= MIN_TITLE_PART_WORDS:
            keys.add(key)
    keys.discard("")
    return frozenset(keys)


def _lead_date(kept: list[_Kept]) -> str | None:
    """A full date at the very start of the first paragraph (a dateline in prose)."""
    if not kept:
        return None
    dates = find_dates(kept[0].folded[:LEAD_DATE_CHARS])
    return dates[0].iso if dates else None
