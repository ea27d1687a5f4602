"""A fact read where a report names its event: the first match in its title and the first in
its lead. A decision's move (directions.py), an affair's stage (stages.py) and a verdict's
term (sentences.py) are read so: the title and the lead each name the report's own, a recalled
one comes later if at all."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from streams.textnorm import fold

LEAD_CHARS = 300


def title_and_lead_matches(
    title: str, text: str, hints: Sequence[str], pattern: re.Pattern[str]
) -> list[re.Match[str]]:
    """The first match of ``pattern`` (on folded text) in the title and the first in the lead
    (its first LEAD_CHARS characters), each when there is one. A part holding none of
    ``hints`` (as written, before folding) is not folded: most texts name no such fact."""
    matches = []
    for part in (title, text[:LEAD_CHARS]):
        if any(hint in part for hint in hints):
            match = pattern.search(fold(part))
            if match is not None:
                matches.append(match)
    return matches


def title_and_lead_facts(
    kind: str,
    title: str,
    text: str,
    hints: Sequence[str],
    pattern: re.Pattern[str],
    value: Callable[[re.Match[str]], float],
) -> list[tuple[str, float]]:
    """[(kind, value of the match)] for ``title_and_lead_matches``, one entry when they
    agree, [] when neither part holds one."""
    facts: list[tuple[str, float]] = []
    for match in title_and_lead_matches(title, text, hints, pattern):
        fact = (kind, value(match))
        if fact not in facts:
            facts.append(fact)
    return facts
