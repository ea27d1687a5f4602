"""A statement template filled in for another country is no copy (streams/dedupe/countries.py)."""

from __future__ import annotations

import pytest

from streams.dedupe import DedupeDecision
from streams.dedupe.countries import _NAMES, MAX_COUNTRIES, name_other_countries, named_countries
from streams.dedupe.months import LEAD_CHARS
from streams.dedupe.profile import StoryProfile
from tests.support.dedupe_pair import second_decision


def _names(title: str, text: str) -> set[str]:
    return {_NAMES[country].split("|")[0].strip() for country in named_countries(title, text)}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("أدانت دولة الإمارات الهجوم الذي استهدف مسجدا في بيشاور شمال غربي باكستان", {"الإمارات", "باكستان"}),
        ("وصل الوفد إلى وباكستان ثم بالسودان", {"باكستان", "السودان"}),  # clitics and the article
        ("اجتمعت اللجنة القطرية البحرينية في العاصمة السعودية", {"قطر", "البحرين", "السعودية"}),  # adjectives
        ("وأعلنت الحكومة الباكستانية والمسؤولون الأمريكيون", {"باكستان", "الولايات المتحدة"}),
        ("اشتباكات في جنوب السودان", {"جنوب السودان"}),  # not also السودان
        ("قدمت الوزارة دعما ماليا وتحدث عن الوضع المالي", set()),  # مالي: financial
        ("هجوم على مراكز أمنية في جمهورية مالي", {"جمهورية مالي"}),
        ("تغير مجرى النهر قرب مقر البلدية", set()),  # no Hungary in a course or a seat
        ("بيان بلا بلد", set()),
    ],
)
def test_named_countries(text: str, names: set[str]) -> None:
    assert _names("", text) == names


def test_only_the_title_and_the_lead_are_read() -> None:
    lead = "وقالت الوزارة في بيانها إن الأوضاع مستقرة. " * 12
    assert len(lead) > LEAD_CHARS
    assert _names("", lead + "وكان الوزير قد زار تونس") == set()
    assert _names("الوزير في تونس", lead) == {"تونس"}


def test_a_round_up_names_none() -> None:
    countries = ["مصر", "الأردن", "الكويت", "قطر", "تونس", "المغرب"][: MAX_COUNTRIES + 1]
    assert named_countries("", "رحبت " + " و".join(countries) + " بالاتفاق") == frozenset()


def test_other_countries_and_shared_ones() -> None:
    uae, pakistan, burkina, qatar, bahrain, saudi = (0, 1, 2, 3, 4, 5)
    assert name_other_countries(frozenset({uae, pakistan}), frozenset({uae, burkina}))
    # a copy whose lead also names the host of the meeting keeps its original's countries
    assert not name_other_countries(frozenset({qatar, bahrain}), frozenset({saudi, qatar, bahrain}))
    assert not name_other_countries(frozenset(), frozenset({pakistan}))  # naming none says nothing


STATEMENT = (
    "أدانت دولة الإمارات بشدة الهجوم الإرهابي الذي استهدف {target} في {country}، وأسفر عن سقوط عدد من "
    "القتلى والجرحى. وأكدت وزارة الخارجية في بيان أن دولة الإمارات تعرب عن استنكارها الشديد لهذه "
    "الأعمال الإجرامية ورفضها الدائم لجميع أشكال العنف والإرهاب التي تستهدف زعزعة الأمن والاستقرار "
    "وتتنافى مع القيم والمبادئ الإنسانية. وأعربت الوزارة عن خالص تعازيها ومواساتها لحكومة {country} "
    "وشعبها الصديق ولأهالي وذوي ضحايا هذه الجريمة النكراء، وتمنياتها بالشفاء العاجل لجميع المصابين."
)


def _second(first: str, second: str) -> DedupeDecision:
    return second_decision(first, second, "الإمارات تدين الهجوم")


def test_the_statement_filled_in_for_another_country_is_no_copy() -> None:
    pakistan = STATEMENT.format(target="مسجدا في مدينة بيشاور", country="باكستان")
    nigeria = STATEMENT.format(target="قرية في ولاية بورنو", country="نيجيريا")
    assert _second(pakistan, nigeria).duplicate_of is None


def test_the_statement_republished_under_a_new_lead_is_a_copy() -> None:
    pakistan = STATEMENT.format(target="مسجدا في مدينة بيشاور", country="باكستان")
    # a new lead naming the neighbour the attackers came from: one country more, none lost
    republished = "أبوظبي (وام) - في أعقاب هجوم تبنته جماعة تنشط على الحدود مع أفغانستان، " + pakistan
    decision = _second(pakistan, republished)
    assert (decision.duplicate_of, decision.kind) == ("first", "near")


def test_a_profile_keeps_its_countries() -> None:
    profile = StoryProfile([1, 2], [200, 100], (), (), months=(9,), countries=(4, 17))
    read, _ = StoryProfile.from_bytes(profile.to_bytes())
    assert read.countries == frozenset({4, 17}) and read.months == frozenset({9})
    assert read == profile
    older, _ = StoryProfile.from_bytes(StoryProfile([1, 2], [200, 100], ()).to_bytes())
    assert older.countries == frozenset()
