"""HTML → plain text, the one conversion every stage uses (feed titles and ``feeds parse``
in the connectors, article bodies in the normalize stage).

What a reader sees, one line per paragraph: block elements and <br> end lines, <pre>
keeps its lines, table cells are kept apart by a space; script, style, navigation,
asides, footers, forms, hidden and other active or non-content elements are dropped with
their text; when the page has an <article> element only the longest one is read. Inside
a line, HTML whitespace collapses to one space, as a browser shows it. Text that holds no
markup keeps its own line breaks (character references are still decoded).
"""

from __future__ import annotations

import html as html_lib
import re

from selectolax.lexbor import LexborHTMLParser

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
_HTML_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_LOOKS_LIKE_HTML = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*(?:[\s/>]|$)|/[a-zA-Z]|!--|!doctype)", re.I)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")
# What ``normalize_space`` folds: spacing a feed uses for layout, not for meaning.
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")


def looks_like_html(text: str) -> bool:
    """Whether ``text`` holds a tag, an end tag, a comment or a doctype."""
    return _LOOKS_LIKE_HTML.search(text) is not None


def tree_lines(tree: LexborHTMLParser) -> list[str]:
    """The text lines of a parsed document or fragment. The tree is consumed (dropped
    elements are removed from it, break markers inserted)."""
    # Innermost first: a node is never touched after an ancestor of it was destroyed.
    for node in reversed(tree.css(DROPPED_ELEMENTS)):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        return []
    articles = root.css("article")
    if articles:
        # The article element holds the story; the rest of the page is navigation.
        root = max(articles, key=lambda node: len(node.text(deep=True)))
    for node in root.css("pre"):
        node.replace_with(_BLOCK_BREAK + node.text(deep=True).replace("\n", _LINE_BREAK) + _BLOCK_BREAK)
    for node in root.css("br"):
        node.replace_with(_LINE_BREAK)
    for node in root.css("td, th"):
        node.insert_after(" ")
    for node in root.css(BLOCK_ELEMENTS):
        node.insert_before(_BLOCK_BREAK)
        node.insert_after(_BLOCK_BREAK)
    text = _HTML_SPACE.sub(" ", root.text(deep=True, separator=""))
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in lines if line]


def plain_lines(text: str, *, references: bool = True) -> list[str]:
    """The non-empty lines of text without markup, trimmed; character references
    (``&amp;``, ``&#1594;``) decoded when ``references``."""
    if references and _ENTITY.search(text):
        text = html_lib.unescape(text)
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
