"""Fuzzing dedupe's figure reading: figures in digits are looked for only where a run of
digits starts (one scan of the text, shared with the figure story terms), which must
find exactly what a scan of the whole text with the pattern's look-behind finds."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from streams.dedupe.figures import DIGIT_FIGURE, digit_runs, figure_facts, number_matches
from streams.dedupe.shingles import number_terms
from tests.support.strategies import examples, hostile_text

# the definition: DIGIT_FIGURE anywhere, but not right after a digit, a separator or a Latin letter
FIGURE_BY_DEFINITION = re.compile(r"(?<![\d.,\u066b\u066cA-Za-z])" + DIGIT_FIGURE.pattern)

# text dense in what figures are made of: digits of three scripts, separators, units and
# magnitude words, Latin letters and Arabic و next to numbers
FIGURE_TEXT = st.lists(
    st.sampled_from(
        ["1", "27", "٣", "۴۵", "2024", "1,200", "12.5", "٫", "٬", ",", ".", " ", "  ", "\n", "A", "x", "و"]
        + ["جنديا", "قتيلا", "دولار", "طن", "طنا", "ألف", "آلاف", "مليون", "ملايين", "مليار", "من", "شخص"]
        + ["يناير", "عاما", "people", "million", "killed", "،", "(", ")", "%"]
    ),
    max_size=40,
).map("".join)


@given(st.one_of(FIGURE_TEXT, hostile_text()))
@examples(400)
def test_figures_read_at_digit_runs_equal_the_look_behind_scan(text: str) -> None:
    runs = digit_runs(text)
    found = [match.span() for match in number_matches(text, runs)]
    assert found == [match.span() for match in FIGURE_BY_DEFINITION.finditer(text)]
    # the runs given by the caller are those the functions would find themselves
    assert figure_facts(text, runs) == figure_facts(text)
    assert number_terms(text, runs) == number_terms(text)


def test_figures_after_a_rejected_start_are_still_found() -> None:
    # "A380" is a code (the run after a Latin letter is skipped); the figure after it is read
    text = "طائرة A380 تقل 250 راكبا و12.5 مليون دولار"
    assert [m.group(1) for m in number_matches(text, digit_runs(text))] == ["250", "12.5"]
    assert figure_facts(text) == [("people", 250.0), ("دولار", 12.5e6)]  # passengers are people
