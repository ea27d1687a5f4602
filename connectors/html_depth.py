"""A bound on how deeply feed HTML nests, applied before any HTML parser sees it.

An HTML parser's tree building is quadratic in nesting depth (each start tag checks the
stack of open elements), so 400,000 nested ``<div>`` in one escaped description cost
minutes of CPU. Real articles nest a few dozen levels. Tags that would open an element
beyond ``MAX_HTML_DEPTH``, and the end tags that would close them, are removed in one
linear pass; the text between them is kept.
"""

from __future__ import annotations

import re

MAX_HTML_DEPTH = 256

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,63})\b[^<>]*?(/?)>")
# Elements that never hold content, and elements whose end tag may be left out (the
# parser closes an open <p> or <li> at the next one, so they do not nest when unclosed).
_NOT_NESTING = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    "p li dt dd tr td th thead tbody tfoot option optgroup rb rt rp colgroup html head body".split()
)


def bound_depth(html: str, limit: int = MAX_HTML_DEPTH) -> str:
    """``html`` with the tags nested deeper than ``limit`` removed (their text kept)."""
    if html.count("<") <= limit:  # fewer tags than levels: nothing can be too deep
        return html
    depth = 0

    def keep_or_drop(match: re.Match[str]) -> str:
        nonlocal depth
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _NOT_NESTING:
            return match.group(0)
        if closing:
            depth = max(0, depth - 1)
            return "" if depth >= limit else match.group(0)
        depth += 1
        return "" if depth > limit else match.group(0)

    return _TAG.sub(keep_or_drop, html)
