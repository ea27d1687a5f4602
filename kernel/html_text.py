"""HTML → plain text, the one conversion every stage uses (feed titles and ``feeds parse``
in the connectors, article bodies in the normalize stage).

What a reader sees, one line per paragraph: block elements and <br> end lines, <pre>
keeps its lines, table cells are kept apart by a space; script, style, navigation,
asides, footers, forms, hidden and other active or non-content elements are dropped with
their text; when the page has an <article> element only the longest one is read. Inside
a line, HTML whitespace collapses to one space, as a browser shows it. Text that holds no
markup keeps its own line breaks (character references are still decoded). Control
characters (C0 and C1 but tab and line breaks) never reach the text: the ones that break
lines (form feed, vertical tab, NEL …) end a line, the others are dropped.

``marked_tree_lines`` also says which lines come from blocks the markup marks as not the
article's prose: a widget whose class or id names it (share bar, related links, tags,
breadcrumbs, comments …), a list of links (a list whose text is nearly all link text), or
an embedded post (a tweet, an Instagram post). The normalize stage decides what to do with
them; ``tree_lines`` returns every line as before.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

DROPPED_ELEMENTS = (
    "script, style, noscript, template, nav, iframe, frame, frameset, svg, math, canvas, form, "
    "button, select, textarea, object, embed, applet, aside, footer, head, title, link, meta, base, "
    "[hidden], [aria-hidden=true]"
)
BLOCK_ELEMENTS = (
    "p, div, li, ul, ol, h1, h2, h3, h4, h5, h6, blockquote, section, article, header, main, "
    "figure, figcaption, table, tr, dl, dt, dd, address, details, summary, hr, caption, center"
)
# Private separators: a block boundary and a <br>. Neither occurs in real article text
# once whitespace is collapsed, and both count as line breaks for str.splitlines().
_BLOCK_BREAK = "\u2029"
_LINE_BREAK = "\u2028"
# Runs of HTML whitespace other than a lone space (the only ones collapsing changes).
_HTML_SPACE = re.compile(r" [ \t\n\r\f\v]+|[\t\n\r\f\v][ \t\n\r\f\v]*")
_HTML_SPACE_SIGNS = ("  ", "\n", "\t", "\r", "\f", "\v")
_LOOKS_LIKE_HTML = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*(?:[\s/>]|$)|/[a-zA-Z]|!--|!doctype)", re.I)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")
# What ``normalize_space`` folds: spacing a feed uses for layout, not for meaning.
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")


# Controls that str.splitlines() takes for line ends become "\n"; the other C0/C1 controls go.
_LINE_BREAK_CONTROLS = "\x0b\x0c\x1c\x1d\x1e\x85"
_CONTROLS = dict.fromkeys(
    [code for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if chr(code) not in "\t\n\r"], None
) | {ord(ch): "\n" for ch in _LINE_BREAK_CONTROLS}
_HAS_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def drop_control_characters(text: str) -> str:
    """``text`` without C0/C1 control characters (tab, "\n" and "\r" stay; controls that
    end a line become "\n")."""
    if _HAS_CONTROL.search(text) is None:
        return text
    return text.translate(_CONTROLS)


def collapse_html_space(text: str) -> str:
    """``text`` with each run of HTML whitespace made one space, as a browser shows it."""
    # A page's text is mostly words and single spaces: substring tests find that out
    # several times faster than the pattern scans the text.
    if any(sign in text for sign in _HTML_SPACE_SIGNS):
        return _HTML_SPACE.sub(" ", text)
    return text


def looks_like_html(text: str) -> bool:
    """Whether ``text`` holds a tag, an end tag, a comment or a doctype."""
    return _LOOKS_LIKE_HTML.search(text) is not None


@dataclass(frozen=True, slots=True)
class MarkedLine:
    """A text line and the kind of block the markup puts it in: None (ordinary text),
    "embed" (an embedded post), "link-list" (a list of links), or the widget a class or
    id names ("share", "related", "tags", "breadcrumb", "comments", "newsletter", "ad")."""

    text: str
    block: str | None = None


# Class/id words (split on "-", "_" and spaces) that name a widget, by kind.
WIDGET_WORDS: dict[str, str] = {
    **dict.fromkeys(("share", "sharing", "social", "sharethis", "addthis", "sharebar", "share-buttons"), "share"),
    **dict.fromkeys(
        ("related", "relatedposts", "mostread", "most-read", "popular", "trending", "recommended"), "related"
    ),
    **dict.fromkeys(("outbrain", "taboola", "readmore", "read-more", "ticker", "newsticker"), "related"),
    **dict.fromkeys(("tags", "tagcloud", "tag-list", "taglist", "keywords"), "tags"),
    **dict.fromkeys(("breadcrumb", "breadcrumbs"), "breadcrumb"),
    **dict.fromkeys(("comments", "comment-form", "disqus"), "comments"),
    **dict.fromkeys(("newsletter", "subscribe", "subscription"), "newsletter"),
    **dict.fromkeys(("ads", "advert", "advertisement", "sponsored"), "ad"),
}
_CLASS_WORD = re.compile(r"[^\s_-]+(?:-(?:read|list|buttons|form))?")
EMBEDS = (
    "blockquote.twitter-tweet, blockquote.instagram-media, blockquote.tiktok-embed, div.fb-post, blockquote.x-tweet"
)
# A class word may also sit on the article's own wrapper ("post social-enabled"): a block
# with this much text, or a paragraph this long, is not a widget.
WIDGET_MAX_CHARS = 2000
WIDGET_MAX_PARAGRAPH_CHARS = 300
LINK_LIST_MIN_LINKS = 3
LINK_LIST_SHARE = 0.8
# Widget and link-list checks read each candidate's text: a bound keeps a page of
# thousands of nested lists linear.
MAX_MARK_CANDIDATES = 300
_MARK = "\ue000marsad-block:"
_MARK_END = "\ue000marsad-block-end\ue000"


def _widget_kind(node: LexborNode) -> str | None:
    attributes = node.attributes
    names = f"{attributes.get('class') or ''} {attributes.get('id') or ''}".lower()
    if not names.strip():
        return None
    kind = next((WIDGET_WORDS[word] for word in _CLASS_WORD.findall(names) if word in WIDGET_WORDS), None)
    if kind is None or len(node.text(deep=True)) > WIDGET_MAX_CHARS:
        return None
    if any(len(paragraph.text(deep=True)) >= WIDGET_MAX_PARAGRAPH_CHARS for paragraph in node.css("p")):
        return None
    return kind


def _is_link_list(node: LexborNode) -> bool:
    links = node.css("a")
    if len(links) < LINK_LIST_MIN_LINKS:
        return False
    text = "".join(node.text(deep=True).split())
    link_text = sum(len("".join(link.text(deep=True).split())) for link in links)
    return bool(text) and link_text >= LINK_LIST_SHARE * len(text)


def _mark_blocks(root: LexborNode, block_nodes: list[LexborNode]) -> None:
    """Put a start and an end line around every marked block (see ``MarkedLine``) of
    ``block_nodes`` (the root's block elements) and every embedded post."""
    marked: list[tuple[LexborNode, str]] = [(node, "embed") for node in root.css(EMBEDS)]
    for node in block_nodes[:MAX_MARK_CANDIDATES]:
        kind = _widget_kind(node)
        if kind is None and node.tag in ("ul", "ol"):
            kind = "link-list" if _is_link_list(node) else None
        if kind is not None:
            marked.append((node, kind))
    for node, kind in marked:
        node.insert_before(f"{_BLOCK_BREAK}{_MARK}{kind}{_BLOCK_BREAK}")
        node.insert_after(f"{_BLOCK_BREAK}{_MARK_END}{_BLOCK_BREAK}")


def marked_tree_lines(tree: LexborHTMLParser) -> list[MarkedLine]:
    """The text lines of a parsed document or fragment, each with its block (see
    ``MarkedLine``). The tree is consumed (dropped elements are removed from it, break
    markers inserted)."""
    # Innermost first: a node is never touched after an ancestor of it was destroyed.
    for node in reversed(tree.css(DROPPED_ELEMENTS)):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        return []
    articles = root.css("article")
    if articles:
        # The article element holds the story; the rest of the page is navigation.
        root = articles[0] if len(articles) == 1 else max(articles, key=lambda node: len(node.text(deep=True)))
    block_nodes = root.css(BLOCK_ELEMENTS)
    _mark_blocks(root, block_nodes)
    preformatted = root.css("pre")
    for node in preformatted:
        node.replace_with(_BLOCK_BREAK + node.text(deep=True).replace("\n", _LINE_BREAK) + _BLOCK_BREAK)
    if preformatted:  # block elements inside a <pre> went with it
        block_nodes = root.css(BLOCK_ELEMENTS)
    for node in root.css("br"):
        node.replace_with(_LINE_BREAK)
    for node in root.css("td, th"):
        node.insert_after(" ")
    for node in block_nodes:
        node.insert_before(_BLOCK_BREAK)
        node.insert_after(_BLOCK_BREAK)
    text = drop_control_characters(collapse_html_space(root.text(deep=True, separator="")))
    lines: list[MarkedLine] = []
    blocks: list[str] = []  # open marked blocks, outermost first
    for raw in text.splitlines():
        line = raw.strip()
        if line == _MARK_END:
            if blocks:
                blocks.pop()
            continue
        if line.startswith(_MARK):
            blocks.append(line[len(_MARK) :])
            continue
        if line:
            lines.append(MarkedLine(line, blocks[0] if blocks else None))
    return lines


def tree_lines(tree: LexborHTMLParser) -> list[str]:
    """The text lines of a parsed document or fragment (``marked_tree_lines`` without the
    marks). The tree is consumed."""
    return [line.text for line in marked_tree_lines(tree)]


def plain_lines(text: str, *, references: bool = True) -> list[str]:
    """The non-empty lines of text without markup, trimmed; character references
    (``&amp;``, ``&#1594;``) decoded when ``references``; control characters dropped."""
    text = drop_control_characters(text)
    if references and _ENTITY.search(text):
        text = drop_control_characters(html_lib.unescape(text))
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in lines if line]


def html_lines(markup: str) -> list[str]:
    """The visible text lines of HTML, or of text that holds no markup (see the module)."""
    if looks_like_html(markup):
        return tree_lines(LexborHTMLParser(markup))
    return plain_lines(markup)


def normalize_space(text: str) -> str:
    """Each line with its runs of spaces, tabs, no-break and zero-width spaces made one
    space and trimmed; empty lines dropped."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(html: str, *, fold_spaces: bool = False) -> str:
    """The visible text of ``html``, one line per paragraph, block or <br>.

    ``fold_spaces`` also folds no-break and zero-width spaces and runs of spaces within a
    line (``normalize_space``): feed titles and listings want that; article text keeps
    every character that rules and evidence offsets may point at."""
    text = "\n".join(html_lines(html))
    return normalize_space(text) if fold_spaces else text
