"""A central bank's statements of two meetings, one template, are no copies of each other
when one raises the rate and the other cuts or holds it (streams/dedupe/directions.py).
Texts written for this project reproduce what real rate statements and their
republications do: every sentence the same but the move, and fixed figures (the margin
over the base rate, the reserve ratio) in each, which agree."""

from __future__ import annotations

import pytest

from streams.dedupe import DedupeDecision, DedupeInput, Deduplicator, InMemoryDedupeStore
from streams.dedupe.directions import DIRECTION, DOWN, HOLD, UP, direction_facts
from streams.dedupe.figures import conflicting


@pytest.mark.parametrize(
    ("title", "text", "moves"),
    [
        ("قرر المصرف المركزي رفع «سعر الأساس» بمقدار 50 نقطة أساس", "", [UP]),
        ("المركزي يخفض سعر الفائدة بواقع 25 نقطة أساس", "", [DOWN]),
        ("المصرف المركزي يبقي سعر الفائدة دون تغيير", "", [HOLD]),
        ("", "قرر المصرف المركزي الإبقاء على سعر الأساس عند 3.65%", [HOLD]),
        ("", "أعلن البنك زيادة أسعار الفائدة ربع نقطة", [UP]),
        # the title's move and the lead's, when they differ: both
        ("المصرف المركزي يبقي سعر الفائدة", "وجاء القرار بعد أن قرر مجلس الاحتياطي رفع سعر الفائدة", [HOLD, UP]),
        # a move of something else, or a rate with no move: none
        ("", "قررت الوزارة رفع الحظر عن الصادرات الزراعية", []),
        ("", "ارتفع سعر صرف الدولار أمام العملة المحلية", []),
        ("", "أعلن الوزير زيادة عدد المدارس في الإقليم", []),
    ],
)
def test_the_move_a_title_and_lead_name(title: str, text: str, moves: list[float]) -> None:
    assert direction_facts(title, text) == [(DIRECTION, move) for move in moves]


def test_moves_that_differ_conflict_and_their_agreement_outweighs_nothing() -> None:
    decisive = {DIRECTION}
    assert conflicting({DIRECTION: {UP}, "نقطه": {50.0}}, {DIRECTION: {DOWN}, "نقطه": {50.0}}, decisive=decisive)
    assert not conflicting({DIRECTION: {UP}}, {DIRECTION: {UP}}, decisive=decisive)
    # one move named alike does not outweigh figures that differ
    assert conflicting({DIRECTION: {UP}, "نقطه": {75.0}}, {DIRECTION: {UP}, "نقطه": {50.0}}, decisive=decisive)


STATEMENT = (
    "قرر المصرف المركزي لجمهورية الساحل {move} سعر الأساس على تسهيلات الإيداع لليلة واحدة، "
    "اعتبارا من يوم غد، وذلك إثر قرار مماثل لمجلس الاحتياطي في اجتماعه الذي عقد مساء أمس.\n"
    "كما قرر المصرف المركزي الإبقاء على السعر الذي ينطبق على اقتراض السيولة قصيرة الأجل من "
    "المصرف من خلال كافة التسهيلات الائتمانية القائمة عند 50 نقطة أساس فوق سعر الأساس، وعلى "
    "نسبة الاحتياطي الإلزامي عند 14 في المئة من الودائع.\n"
    "ويحدد سعر الأساس، الذي يرتبط بسعر الفائدة على أرصدة الاحتياطي، الموقف العام للسياسة "
    "النقدية للمصرف المركزي، ويوفر حدا أدنى فعالا لأسعار الفائدة لليلة واحدة في السوق."
)
TITLE = "المصرف المركزي {move} سعر الأساس"


def _decisions(*statements: tuple[str, str, str]) -> list[DedupeDecision]:
    """The decisions on (id, move in the text, move in the title), none dated, one store."""
    dedup = Deduplicator(InMemoryDedupeStore())
    return [
        dedup.process(
            DedupeInput(key, key, "", TITLE.format(move=title_move), STATEMENT.format(move=move), None, 1.8e9 + n)
        )
        for n, (key, move, title_move) in enumerate(statements)
    ]


def test_a_statement_of_another_meeting_moving_the_rate_otherwise_is_no_copy() -> None:
    raised, cut, held = _decisions(("raise", "رفع", "يرفع"), ("cut", "خفض", "يخفض"), ("hold", "تثبيت", "يثبت"))
    assert (raised.duplicate_of, cut.duplicate_of, held.duplicate_of) == (None, None, None)


def test_a_republished_statement_is_still_a_copy() -> None:
    _, copy = _decisions(("agency", "رفع", "يرفع"), ("site", "زيادة", "يرفع"))
    assert copy.duplicate_of == "agency"
