"""Item HTML → the HTML an article may carry: an allowlist (nh3, the Ammonia sanitizer).

Only what feeds legitimately carry survives: paragraphs, links and images (http(s) or
relative), lists, headings, tables, quotes, emphasis, line breaks and a few text-level
elements. Everything else is unwrapped (its text kept), and the elements whose text is
never article text (scripts, styles, embedded documents, forms) go with their text.
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "a", "img", "figure", "figcaption",
        "ul", "ol", "li", "dl", "dt", "dd",
        "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
        "blockquote", "q", "cite", "pre", "code",
        "em", "strong", "b", "i", "u", "s", "small", "sub", "sup", "mark", "abbr", "time", "span", "div",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "abbr": {"title"},
    "time": {"datetime"},
}
# Dropped with their text: it is code, styling or another document, never the article.
DROPPED_WITH_TEXT = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
        "applet", "form", "select", "textarea", "svg", "math", "title", "head",
    }
)  # fmt: skip
URL_SCHEMES = frozenset({"http", "https"})


def sanitize_html(html: str) -> str:
    """``html`` reduced to the allowlist above; links and images keep http(s) or relative
    URLs only (``javascript:``, ``data:`` and the like are removed with the attribute)."""
    if "<" not in html:
        return html
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_TEXT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
