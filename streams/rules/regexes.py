"""Regex leaves: patterns rewritten for folded text, and the RE2 options they compile with."""

from __future__ import annotations

import re2

from streams.textnorm import fold_char


def fold_regex(pattern: str) -> str:
    """A pattern that runs on folded text: Arabic letters are folded like the text (أ → ا);
    ASCII is left alone (escapes such as \\D must not be lower-cased; matching is
    case-insensitive instead)."""
    out = []
    for ch in pattern:
        if ch.isascii():
            out.append(ch)
            continue
        folded = fold_char(ch)
        # Arabic punctuation folds to ASCII punctuation, which must stay a literal (؟ → \?).
        out.append("".join(c if c.isalnum() or c.isspace() else re2.escape(c) for c in folded))
    return "".join(out)


def regex_options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.max_mem = 64 << 20
    options.log_errors = False  # errors are reported as file:line issues instead
    return options
