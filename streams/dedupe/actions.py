"""What an article reports happening — its event *actions* — read from its title and lead.

Reports of one event by different outlets share its actors and places, but so do reports
of other events of the same topic on the same day: the railway fares raised the morning a
train crashed on the same line, the Pentagon's shipment announced the afternoon of the
summit. Word overlap cannot tell them apart; what happened can. An article's actions are
the families of event words (a crash, a quake, talks, an aid package, ...) that its title
and first LEAD_WORDS words use. Two dated reports hours apart that tell the same set of
actions may join on weaker evidence than other pairs (``stories.best_story``); reports
whose actions differ, or that name none, are judged as before.

The word list is ours, kept small and general: a family is a kind of news event, not a
topic, and a word goes in only when its usual news sense is that event.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from itertools import chain
from operator import or_

from streams.dedupe.memo import BoundedMemo
from streams.dedupe.shingles import dedupe_tokens

# Family order is part of the stored profile (bit i of a stored mask is the i-th family):
# append new families, never reorder or remove.
FAMILIES: tuple[tuple[str, str], ...] = (
    ("talks", "قمة لقاء يلتقي التقى اجتماع محادثات مباحثات مكالمة مفاوضات"),
    ("attack", "غزو هجوم اجتياح قصف غارات غارة اقتحام توغل"),
    ("aid", "مساعدات مساعدة حزمة شحن شحنة أسلحة"),
    ("displacement", "لاجئ لاجئين نازح نازحين نزوح"),
    ("earthquake", "زلزال هزة هزات"),
    ("explosion", "انفجار تفجير انفجر"),
    ("flood", "فيضان فيضانات سيول إعصار عاصفة"),
    ("crash", "تصادم اصطدام تحطم"),
    ("fire", "حريق حرائق"),
    ("prices", "أسعار تذاكر تضخم فائدة"),
    ("sanctions", "عقوبات"),
    ("elections", "انتخابات اقتراع"),
    ("arrest", "اعتقال القبض احتجاز"),
    ("trial", "محاكمة محكمة"),
    ("protest", "احتجاج احتجاجات تظاهرات مظاهرات"),
    ("resignation", "استقالة"),
    ("assassination", "اغتيال"),
    ("strike", "إضراب"),
    ("truce", "هدنة"),
    ("visit", "زيارة"),
    ("kidnapping", "اختطاف خطف"),
)
LEAD_WORDS = 40
# A word of a family may carry a suffix of up to this many letters (ات, ها, ه, ...) when the
# family's word has at least STEM_LETTERS letters (shorter ones would catch other words).
SUFFIX_LETTERS, STEM_LETTERS = 2, 4
_CLITICS = ("و", "ب", "ل", "ف")  # dedupe_tokens has already taken ال and وال/بال/... off


def _lexicon() -> dict[str, int]:
    """Each family word, folded as dedupe folds tokens, to its family's bit."""
    words: dict[str, int] = {}
    for bit, (_family, listed) in enumerate(FAMILIES):
        for token in dedupe_tokens(listed):
            words[token] = words.get(token, 0) | 1 << bit
    return words


_WORDS = _lexicon()


def _bits_of(token: str) -> int:
    forms = [token]
    forms.extend(token[1:] for clitic in _CLITICS if token.startswith(clitic) and len(token) > 4)
    bits = 0
    for form in forms:
        bits |= _WORDS.get(form, 0)
        for cut in range(1, SUFFIX_LETTERS + 1):
            stem = form[:-cut]
            if len(stem) >= STEM_LETTERS:
                bits |= _WORDS.get(stem, 0)
    return bits


# per distinct token, as shingles.py memoizes its word tables (~50 lead tokens an article)
_BITS_OF: BoundedMemo[str, int] = BoundedMemo(_bits_of, 200_000)


def event_actions(title_tokens: Sequence[str], text_tokens: Sequence[str]) -> int:
    """The actions of an article (a bit per family of FAMILIES) from its title's and its
    text's tokens (``dedupe_tokens``); only the first LEAD_WORDS of the text count."""
    return reduce(or_, map(_BITS_OF.__getitem__, chain(title_tokens, text_tokens[:LEAD_WORDS])), 0)


def action_names(bits: int) -> list[str]:
    """The families of ``bits``, in FAMILIES order (for explanations and tests)."""
    return [family for i, (family, _words) in enumerate(FAMILIES) if bits >> i & 1]
