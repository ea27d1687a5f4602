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
affair's stage is (``figures.conflicting``'s ``decisive``). A term is read in digits or in
words («خمس سنوات», «خمسة عشر عاما», «سنتين»); a range only in digits.
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


# (folded) the numbers a term is written with in words («خمس سنوات», «خمسة عشر عاما», «عشرين
# عاما»), and a dual that is the term itself («سنتين»)
_UNITS_IN_WORDS = {"ثلاث": 3, "اربع": 4, "خمس": 5, "ست": 6, "سبع": 7, "ثماني": 8, "ثمان": 8, "تسع": 9}
_TENS_IN_WORDS = {"عشرين": 20, "ثلاثين": 30, "اربعين": 40, "خمسين": 50}
_DUALS = {"سنتين": 2.0, "عامين": 2.0, "شهرين": 2 / 12}
_WORDS = rf"(?:(?:{'|'.join(_UNITS_IN_WORDS)})ه?(?:\s+عشره?)?|عشره?|{'|'.join(_TENS_IN_WORDS)})"


def _number(name: str) -> str:
    """A term's number in digits (group ``name``) or in words (``name``_words), and its unit
    (``name``_unit); or a dual that is both (``name``_dual); «ب» may lead («بخمس سنوات»)."""
    return (
        rf"(?:ب?(?:(?P<{name}>\d{{1,3}})|(?P<{name}_words>{_WORDS}))\s*(?P<{name}_unit>{_UNIT})"
        rf"|ب?(?P<{name}_dual>{'|'.join(_DUALS)}))(?!\w)"
    )


_TERM = re.compile(
    # the penalty, then within a few words the term: «السجن على الرئيسة السابقة 24 عاما»
    rf"(?<!\w){_PENALTY}\s+(?:\S+\s+){{0,8}}?{_range('low')}{_number('term')}"
    # the term, then the penalty: «15 سنة سجنا», «خمس سنوات سجنا نافذا», «20 عاما من السجن»
    rf"|(?<!\w){_range('low_after')}{_number('term_after')}"
    r"\s+(?:سجنا|حبسا|(?:من\s+)?ب?(?:ال)?سجن|نافذا|نافذه)(?!\w)"
)
_IN_MONTHS = re.compile(_MONTHS)
# a word every penalty holds, looked for first (as written, before folding): most texts
# name none, and are not folded
_HINTS = ("سجن", "حبس", "شاق", "حكام")


def _in_words(words: str) -> int:
    """«خمسه» 5, «خمسه عشر» 15, «عشره» 10, «عشرين» 20 (folded)."""
    first, _, teen = words.partition(" ")
    if first in _TENS_IN_WORDS:
        return _TENS_IN_WORDS[first]
    stem = first.removesuffix("ه")
    return 10 if stem == "عشر" else _UNITS_IN_WORDS[stem] + (10 if teen else 0)


def _terms(match: re.Match[str]) -> list[float]:
    """The terms a match names, in years: the term, and a range's first term too («بين 15 و20
    سنة»: each defendant's; a change, «من 24 إلى 25 عاما», names the new term only)."""
    name = "term_after" if match["term_after"] or match["term_after_words"] or match["term_after_dual"] else "term"
    low = "low_after" if name == "term_after" else "low"
    dual = match[name + "_dual"]
    if dual:
        return [_DUALS[dual]]
    per_year = 12 if _IN_MONTHS.fullmatch(match[name + "_unit"]) else 1
    words = match[name + "_words"]
    terms = [(_in_words(words) if words else int(match[name])) / per_year]
    if match[low + "_between"]:
        terms.append(int(match[low]) / per_year)
    return terms


def sentence_facts(title: str, text: str) -> list[tuple[str, float]]:
    """[(SENTENCE, years)] for the first prison term the title names and the first its lead
    names (a range's two ends), [] when neither names one."""
    facts: list[tuple[str, float]] = []
    for match in title_and_lead_matches(title, text, _HINTS, _TERM):
        for years in _terms(match):
            if (SENTENCE, years) not in facts:
                facts.append((SENTENCE, years))
    return facts
