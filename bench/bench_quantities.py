"""Quantity parser throughput (streams/rules/quantities/).

- quantities.mentions_per_s: mentions found per second on generated sentences, each holding
  one quantity (Arabic and English, digits and number words, qualifiers, من/of);
- quantities.sentences_per_s: the same sentences per second, normalization included;
- quantities.articles_per_s: generated ~2,500-character articles per second on the
  already-normalized text (what the rule engine pays per article).

Run alone: `.venv/bin/python -m bench.bench_quantities [--quick]`.
"""

from __future__ import annotations

import random
import sys
import time

from streams.rules.quantities import (
    find_quantities,
    find_quantities_normalized,
    load_unit_classes,
)
from streams.textnorm import normalize

_QUALIFIERS_AR = ["", "أكثر من ", "نحو ", "قرابة ", "ما يقارب ", "حوالي ", "ما يزيد على ", "زهاء "]
_QUALIFIERS_EN = ["", "more than ", "about ", "some ", "nearly ", "over ", "up to "]
_NUMBERS_AR = [
    "{d} ألف",
    "{d}",
    "{d},000",
    "{d}.5 مليون",
    "خمسين ألف",
    "مئة وخمسة وسبعين ألفاً",
    "ألفي",
    "عشرات الآلاف من",
    "مئات",
    "ثلاثة آلاف",
    "مليوني",
    "{arabic_indic} ألف",
]
_UNITS_AR = ["جندي", "عسكري", "مقاتل", "دبابة", "طائرة", "قتيل", "دولار"]
_NUMBERS_EN = ["{d},000", "{d} thousand", "{d}.5 million", "tens of thousands of", "{d}"]
_UNITS_EN = ["troops", "soldiers", "tanks", "aircraft", "killed", "dollars"]
_FILLER = [
    "وقال المتحدث باسم الوزارة في مؤتمر صحفي يوم 7 ديسمبر 2021 إن المحادثات مستمرة",
    "بموجب المادة 5 من ميثاق الحلف، وأكد أن الدول الثلاثين متفقة على الموقف",
    "The meeting took place in 2021 at 15:00 GMT, officials said on Tuesday.",
    "وأضاف أن الجنود منتشرون على الحدود منذ عام 2014 وأن القوات في حالة تأهب",
]
_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _sentence(rng: random.Random) -> str:
    digits = str(rng.randint(2, 999))
    if rng.random() < 0.7:
        number = rng.choice(_NUMBERS_AR).format(d=digits, arabic_indic=digits.translate(_INDIC))
        unit = rng.choice(_UNITS_AR)
        if number.endswith("من") or number == "مئات":
            unit = "ال" + ("جنود" if unit == "جندي" else unit)
        return f"وحشدت روسيا {rng.choice(_QUALIFIERS_AR)}{number} {unit} قرب الحدود."
    number = rng.choice(_NUMBERS_EN).format(d=digits)
    return f"Russia massed {rng.choice(_QUALIFIERS_EN)}{number} {rng.choice(_UNITS_EN)} near the border."


def _article(rng: random.Random) -> str:
    parts: list[str] = []
    while sum(map(len, parts)) < 2500:
        parts.append(_sentence(rng) if rng.random() < 0.15 else rng.choice(_FILLER))
    return " ".join(parts)


def run(quick: bool = False) -> dict[str, float]:
    rng = random.Random(7)
    units = load_unit_classes()
    sentences = [_sentence(rng) for _ in range(1000 if quick else 5000)]
    started = time.perf_counter()
    mentions = sum(len(find_quantities(sentence, units)) for sentence in sentences)
    sentence_seconds = time.perf_counter() - started

    articles = [normalize(_article(rng)) for _ in range(100 if quick else 500)]
    started = time.perf_counter()
    for article in articles:
        find_quantities_normalized(article, units)
    article_seconds = time.perf_counter() - started
    return {
        "quantities.sentences": float(len(sentences)),
        "quantities.mentions": float(mentions),
        "quantities.mentions_per_s": mentions / sentence_seconds,
        "quantities.sentences_per_s": len(sentences) / sentence_seconds,
        "quantities.articles_per_s": len(articles) / article_seconds,
    }


if __name__ == "__main__":
    for key, value in run(quick="--quick" in sys.argv).items():
        print(f"{key:35s} {value:12.1f}")
