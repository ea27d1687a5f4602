"""Whether two articles' figures tell different events, as stored profiles keep them.

An article's figures (figures.py: amounts, tolls, shares, ages, editions, a quake's
magnitude, a decision's move, an affair's stage, a verdict's term, the day a warning lasts
until, the weekday its lead reports, the years its start names) are stored under their
kinds' hashes (term_hashes.py). The copy check (core.py) asks ``other_figures`` of a
candidate; the story choice (stories.py) asks ``conflicting_story`` of the articles a
story's candidates were fetched with.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from typing import Any

from streams.dedupe.directions import DIRECTION
from streams.dedupe.figures import AGE, PERCENT, TOLL_KINDS, conflicting
from streams.dedupe.ordinals import ANNIVERSARY, EDITION
from streams.dedupe.profile import StoryProfile
from streams.dedupe.quakes import QUAKE, QUAKE_POINTS
from streams.dedupe.sentences import SENTENCE
from streams.dedupe.stages import STAGE
from streams.dedupe.term_hashes import term_hash
from streams.dedupe.weekdays import UNTIL_DAY, WEEKDAY
from streams.dedupe.years import LEAD_HIJRI_YEAR, LEAD_YEAR

TOLL_HOURS = 24.0  # tolls of one event are updated within a day (figures.TOLL_KINDS)

_TOLL_HASHES = frozenset(map(term_hash, TOLL_KINDS))
_BY_POINTS_HASHES = frozenset((term_hash(PERCENT), term_hash(AGE)))  # figures.conflicting
_EXACT_HASHES = frozenset((term_hash(EDITION), term_hash(ANNIVERSARY)))  # likewise
_APART = {term_hash(QUAKE): QUAKE_POINTS}  # likewise
_DECISIVE_HASHES = frozenset(
    map(term_hash, (DIRECTION, STAGE, SENTENCE, UNTIL_DAY, LEAD_YEAR, LEAD_HIJRI_YEAR))
)  # likewise
_conflicting = functools.partial(conflicting, exact=_EXACT_HASHES, apart=_APART, decisive=_DECISIVE_HASHES)
# The weekday a lead names (weekdays.py) and the years its start names (years.py) are
# compared only when at least one of two articles has no published time: between two dated
# ones the gap says more (_compared_facts). The copy check leaves the years to years.py.
_LEAD_YEAR_HASHES = frozenset((term_hash(LEAD_YEAR), term_hash(LEAD_HIJRI_YEAR)))
_UNDATED_ONLY = frozenset((term_hash(WEEKDAY), *_LEAD_YEAR_HASHES))


def _by_kind(facts: Iterable[tuple[int, float]]) -> dict[int, set[float]]:
    """(kind hash, value) pairs grouped: kind hash → values."""
    kinds: dict[int, set[float]] = {}
    for kind, value in facts:
        kinds.setdefault(kind, set()).add(value)
    return kinds


def facts_by_kind(facts: Iterable[tuple[str, float]]) -> dict[int, set[float]]:
    """An article's figures (figures.py) as stored profiles key them: kind hash → values."""
    return _by_kind((term_hash(kind), value) for kind, value in facts)


def other_figures(kinds: Mapping[int, set[float]], profile: StoryProfile, *, dated: bool = False) -> bool:
    """Whether a stored article's figures contradict these (``facts_by_kind``), tolls
    aside: one text filled in with other amounts or shares (a central bank's statement of
    another meeting) tells another event, while a republished copy keeps its figures (all
    of them, or those of the paragraphs it kept) or updates a toll. The copy check
    (core.py) asks it, as it asks years.py. ``dated``: these figures' article has a
    published time (the lead's weekday is then compared only with an undated one's)."""
    if not kinds or not profile.facts:
        return False
    compared = _compared_facts(profile, dated and profile.time_known)
    theirs = _by_kind(fact for fact in compared if fact[0] not in _LEAD_YEAR_HASHES)
    return _conflicting(kinds, theirs, _TOLL_HASHES, _BY_POINTS_HASHES, every_value=True)


def _compared_facts(profile: StoryProfile, both_dated: bool) -> Iterable[tuple[int, float]]:
    """A stored article's figures to compare with another article's: all of them, less the
    lead's weekday and years when both have a published time."""
    facts = profile.facts
    return [fact for fact in facts if fact[0] not in _UNDATED_ONLY] if both_dated else facts


def conflicting_story(
    mine: Mapping[int, set[float]], time_known: bool, members: Iterable[tuple[Any, float]], report_day: int = 0
) -> bool:
    """Whether a story's fetched articles (with how far apart each is), their figures
    taken together, contradict an article's (``mine``: its figures by kind hash;
    ``time_known``: it has a published time); the weekday a lead names only where one of
    the two has no published time. Tolls (figures.TOLL_KINDS) that differ count only when
    the story's nearest report is at least TOLL_HOURS away, both dated: within a day a toll
    is updated from report to report (and an undated report may be of the same hour).

    ``report_day``, the day the article's lead reports as its news's (weekdays.lead_days'
    narrow reading, 0 for none), decides alone where one of the two has no published time:
    a story whose articles report other days, none this one, is of another day, whatever
    figures they share (a report that recalls the earlier event's toll in its lead: «شب حريق
    … ظهر الثلاثاء … بعد 48 ساعة فقط من حريق كنيسة أبو سيفين», story set 47). The weekday
    the lead merely names (any weekday, a coming one included) stays one figure among others."""
    if not mine and not report_day:
        return False
    theirs: dict[int, set[float]] = {}  # only the kinds this article gives can conflict
    their_days: set[int] = set()
    nearest = math.inf
    for candidate, gap in members:
        profile = candidate.profile
        dated = time_known and profile.time_known
        nearest = min(nearest, gap if dated else 0.0)
        for kind, value in _compared_facts(profile, dated):
            if kind in mine:
                theirs.setdefault(kind, set()).add(value)
        if report_day and not dated and profile.report_day:
            their_days.add(profile.report_day)
    if their_days and report_day not in their_days:
        return True
    tolls = () if nearest >= TOLL_HOURS * 3600 else _TOLL_HASHES
    return bool(theirs) and _conflicting(mine, theirs, tolls, _BY_POINTS_HASHES)
