"""HTML → lines (kernel.html_text): whitespace as a browser collapses it, the article
element, <pre> and marked blocks."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from kernel.html_text import collapse_html_space, marked_tree_lines


def lines(markup: str) -> list[tuple[str, str | None]]:
    return [(line.text, line.block) for line in marked_tree_lines(LexborHTMLParser(markup))]


@pytest.mark.parametrize(
    ("text", "collapsed"),
    [
        ("one two", "one two"),  # nothing to collapse: returned as it is
        ("one  two", "one two"),
        ("one\ntwo", "one two"),
        ("one \t\r\n\f\v two", "one two"),
        ("\tone two ", " one two "),
        ("one\u00a0 two\u2028", "one\u00a0 two\u2028"),  # no-break space and U+2028 are no HTML space
    ],
)
def test_html_space_collapses_to_one_space(text: str, collapsed: str) -> None:
    assert collapse_html_space(text) == collapsed


def test_lines_collapse_spacing_within_blocks() -> None:
    assert lines("<div>a \n\t b</div><p>c  d</p><p>e f</p>") == [("a b", None), ("c d", None), ("e f", None)]


def test_block_elements_inside_pre_go_with_it() -> None:
    """A <pre> is replaced by its text: a block element inside it is no longer in the tree
    when the other blocks get their line breaks."""
    markup = "<body><pre>x\n  <div>y</div>\nz</pre><p>after</p></body>"
    assert lines(markup) == [("x", None), ("y", None), ("z", None), ("after", None)]


def test_the_longest_article_element_is_read() -> None:
    markup = (
        "<body><p>nav</p><article><p>short</p></article>"
        "<article><p>the longer story</p><div class='share'>tweet it</div></article></body>"
    )
    assert lines(markup) == [("the longer story", None), ("tweet it", "share")]
    single = (
        "<body><p>nav</p><article><h1>title</h1><p>only one</p>"
        "<ul><li><a>a</a></li><li><a>b</a></li><li><a>c</a></li></ul></article></body>"
    )
    assert lines(single) == [("title", None), ("only one", None)] + [(x, "link-list") for x in "abc"]
