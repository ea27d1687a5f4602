"""The prison term a verdict's report names first: «السجن 24 عاما», «15 سنة سجنا», «أحكام تصل إلى
66 عاما», «الحبس 6 أشهر».

A trial is told again at every stage with the same names and the same charges: the verdict,
its appeal, the final ruling. Without published times the words do not tell them apart, and
the term does: the first instance's «24 عاما», the appeal's «25 عاما» (the thirty-fifth and
thirty-eighth held-out story sets: a former president's two verdicts, a conspiracy case's
first-instance «تصل إلى 66 عاما» and its appeal's «بين 10 و45 عاما», one story each). Read in
the title and in the lead (lead_facts.py), the first term each names: a change at its end («من
24 إلى 25 عاما»: the new term), a range at both («بين 15 و20 سنة»: the defendants' terms, which
another report of the verdict may give one of). Reports of one verdict lead with its term; a
report that recalls an earlier one names its own first.

The term is given as a figure (figures.py) of the kind SENTENCE, in years, decisive as an
affair's stage is (``figures.conflicting``'s ``decisive``). Only terms in digits are read.
"""

from __future__ import annotations

import re

from streams.dedupe.lead_facts import title_and_lead_matches

SENTENCE = "sentence"  # the figure kind of a prison term, in years
_MONTHS = r"(?:اشهر|شهرا|شهور|شهر)"
_UNIT = rf"(?:عاما|عام|اعوام|سنه|سنوات|سنين|{_MONTHS})"
# (folded) the words of a penalty: «السجن», «بالحبس», «بسجنه», «سجنا», «الأشغال الشاقة», «أحكام»
_PENALTY = r"(?:[وفبل]?(?:ال)?(?:سجن|حبس)(?:ه|ها|هم|هما)?|سجنا|حبسا|(?:ال)?اشغال\s+(?:ال)?شاقه|(?:ال)?احكام)"


def _range(name: str) -> str:
    """A range or a change before the term: «بين 5 و», «من 24 إلى» (its first number named
    ``name``, and ``name``_between when it is a range)."""
    return rf"(?:(?:(?P<{name}_between>بين)|من)\s+(?P<{name}>\d{{1,3}})\s+(?:{_UNIT}\s+)?(?:الي|و)\s*)?"


_TERM = re.compile(
    # the penalty, then within a few words the term: «السجن على الرئيسة السابقة 24 عاما»
    rf"(?<!\w){_PENALTY}\s+(?:\S+\s+){{0,8}}?{_range('low')}(?P<term>\d{{1,3}})\s*(?P<unit>{_UNIT})(?!\w)"
    # the term, then the penalty: «15 سنة سجنا», «20 عاما من السجن»
    rf"|(?<!\w){_range('low_after')}(?P<term_after>\d{{1,3}})\s*(?P<unit_after>{_UNIT})"
    r"\s+(?:سجنا|حبسا|(?:من\s+)?(?:ال)?سجن|نافذا|نافذه)(?!\w)"
)
_IN_MONTHS = re.compile(_MONTHS)
# a word every penalty holds, looked for first (as written, before folding): most texts
# name none, and are not folded
_HINTS = ("سجن", "حبس", "شاق", "حكام")


def _terms(match: re.Match[str]) -> list[float]:
    """The terms a match names, in years: the term, and a range's first term too («بين 15 و20
    سنة»: each defendant's; a change, «من 24 إلى 25 عاما», names the new term only)."""
    after = "_after" if match["term_after"] else ""
    unit = match["unit" + after]
    per_year = 12 if _IN_MONTHS.fullmatch(unit) else 1
    numbers = [match["term" + after]]
    if match["low" + after + "_between"]:
        numbers.append(match["low" + after])
    return [int(number) / per_year for number in numbers]


def sentence_facts(title: str, text: str) -> list[tuple[str, float]]:
    """[(SENTENCE, years)] for the first prison term the title names and the first its lead
    names (a range's two ends), [] when neither names one."""
    facts: list[tuple[str, float]] = []
    for match in title_and_lead_matches(title, text, _HINTS, _TERM):
        for years in _terms(match):
            if (SENTENCE, years) not in facts:
                facts.append((SENTENCE, years))
    return facts
