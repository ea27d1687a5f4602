"""Which way a decision moves a rate or a price: raised, cut or held («رفع سعر الفائدة»,
«خفض سعر الأساس», «الإبقاء على سعر الفائدة»).

A central bank's decision is one statement filled in at every meeting: the same sentences,
the same fixed figures (the 50 basis points over the base rate that each one repeats), the
move and the rate changed. A raise and a cut, or a cut and a hold, are two meetings, and a
copy keeps its original's verb: two texts that both name a move and share none are never
copies, nor reports of one event. Read in the title and in the lead (lead_facts.py), the
first move of each: a verb or noun of moving followed, within a few words, by what it moves.
On the nineteenth held-out copy set the UAE central bank's raise of May 2022, its cuts and
its holds were copies of each other without published times (their figures agree: the rate
of one is the "from" of the next); docs/dedupe.md, "Directions".

The move is given as a figure (figures.py) of the kind DIRECTION, and a kind whose values
two texts do not share is a conflict whatever else they agree on (``figures.conflicting``'s
``decisive``).
"""

from __future__ import annotations

import re

from streams.dedupe.lead_facts import title_and_lead_facts

DIRECTION = "direction"  # the figure kind of a decision's move
UP, DOWN, HOLD = 1.0, 2.0, 3.0
_MOVES = {
    **dict.fromkeys("رفع يرفع ترفع رفعت رفعه زياده يزيد تزيد زاد زادت".split(), UP),
    **dict.fromkeys("خفض يخفض تخفض خفضت تخفيض".split(), DOWN),
    **dict.fromkeys("ابقاء الابقاء يبقي تبقي ابقي ابقت تثبيت يثبت تثبت ثبت".split(), HOLD),
}
# (folded) a move, then what it moves within three words («الإبقاء على سعر الأساس»,
# «رفع "سعر الأساس"», «خفض أسعار الفائدة»); a clitic may stand before the move
_MOVE = re.compile(
    r"(?<!\w)[وفبل]?(" + "|".join(sorted(_MOVES, key=len, reverse=True)) + r")(?!\w)"
    r"(?:\s+\S+){0,3}?\s+[\"'«“]?(?:ال)?(?:سعر|اسعار|فايده|معدل|معدلات)(?!\w)"
)
# what a move is of, as written (before folding), looked for first: most texts move no rate,
# and are not folded
_MOVED = ("سعر", "سعار", "فائد", "فايد", "معدل")


def direction_facts(title: str, text: str) -> list[tuple[str, float]]:
    """[(DIRECTION, move)] for the first move the title names and the first its lead
    names (one entry when they agree), [] when neither names one."""
    return title_and_lead_facts(DIRECTION, title, text, _MOVED, _MOVE, lambda match: _MOVES[match.group(1)])
