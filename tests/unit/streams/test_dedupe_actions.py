"""An article's event actions, read from its title and lead (streams/dedupe/actions.py)."""

from __future__ import annotations

import pytest

from streams.dedupe.actions import FAMILIES, LEAD_WORDS, action_names, event_actions
from streams.dedupe.shingles import dedupe_tokens


def actions_of(title: str, text: str = "") -> list[str]:
    return action_names(event_actions(dedupe_tokens(title), dedupe_tokens(text)))


@pytest.mark.parametrize(
    ("title", "families"),
    [
        ("تصادم قطارين على خط الصعيد وسقوط مصابين", ["crash"]),
        ("رفع أسعار تذاكر القطارات على خط الصعيد", ["prices"]),
        ("زلزال بقوة 6 درجات يضرب جنوب البلاد", ["earthquake"]),
        ("البنتاغون: شحن الأنظمة الدفاعية الأسبوع الجاري", ["aid"]),
        ("الرئيسان يعقدان قمة عبر الفيديو", ["talks"]),
        ("واشنطن تعلن حزمة مساعدات جديدة وتلوح بعقوبات", ["aid", "sanctions"]),
        ("الحكومة تعلن تشكيل لجنة للتنمية الريفية", []),
    ],
)
def test_the_families_a_title_names(title: str, families: list[str]) -> None:
    assert actions_of(title) == families


def test_attached_clitics_and_suffixes_are_read() -> None:
    # و/ب/ل/ف before the word, ال taken off by dedupe's folding, a short suffix after it
    assert actions_of("وزلزال") == ["earthquake"]
    assert actions_of("بالزلزال") == ["earthquake"]
    assert actions_of("والانفجارات") == ["explosion"]
    assert actions_of("لمحادثاتها") == ["talks"]
    # a family word shorter than STEM_LETTERS is not stretched to longer words
    assert actions_of("خطف") == ["kidnapping"]
    assert actions_of("خطفات") == []


def test_only_the_lead_of_the_text_counts() -> None:
    filler = " ".join(["الحكومة"] * LEAD_WORDS)
    assert actions_of("اجتماع الحكومة", filler + " زلزال") == ["talks"]
    assert actions_of("اجتماع الحكومة", "زلزال " + filler) == ["talks", "earthquake"]


def test_family_order_is_stable() -> None:
    # bit i of a stored profile's mask is the i-th family: appending is the only change allowed
    assert [family for family, _ in FAMILIES[:5]] == ["talks", "attack", "aid", "displacement", "earthquake"]
    assert action_names(event_actions(dedupe_tokens("قمة"), [])) == ["talks"]
    assert event_actions(dedupe_tokens("قمة"), []) == 1
