"""Deterministic generated articles for benchmarks and fault tests.

Each article is a distinct random sequence of everyday Arabic (or English) words, so no
two are near-duplicates; ``with_term`` plants a watch-rule term so that it alerts.
"""

from __future__ import annotations

import random
import time

from kernel.messages import RawArticle, article_id

AR_WORDS = (
    "قال أعلن أكد أضاف أوضح المسؤول الوزير الحكومة البرلمان المدينة القرية الشارع السوق "
    "المدرسة الجامعة المستشفى الطريق الجسر النهر البحر الجبل الصحراء المطر الشمس الرياح "
    "الاقتصاد الميزانية الضرائب الأسعار التجارة الصادرات الواردات الزراعة القمح الأرز "
    "الكهرباء المياه النفط الغاز الطاقة المصنع العمال النقابة الإضراب الاتفاق المفاوضات "
    "الاجتماع المؤتمر القمة الزيارة الوفد السفير الرئيس رئيس الوزراء المجلس اللجنة القرار "
    "التقرير الدراسة البيانات الأرقام النسبة الارتفاع الانخفاض الأسبوع الشهر العام اليوم "
    "أمس غدا صباح مساء الليلة المواطنين السكان الأطفال النساء الشباب الطلاب المعلمين "
    "الأطباء الممرضين المرضى اللاعبين الفريق المباراة البطولة الملعب الجمهور الفنان الفيلم "
    "المسرح المعرض الكتاب المكتبة المتحف التراث الثقافة العلوم التقنية الهاتف الإنترنت "
    "الشركة البنك المستثمرين الأسهم البورصة العملة الدولار الذهب الفضة الحديد البناء "
    "المشروع الخطة البرنامج الخدمة الجودة المستوى التعاون الشراكة التنمية الاستثمار "
    "الحدود الطقس الحرارة البرد الثلج العاصفة الفيضان الجفاف الغابات الحدائق السياحة "
    "الفندق المطار القطار الحافلة السيارة الدراجة الميناء السفينة الطائرة الرحلة المسافرين"
).split()
EN_WORDS = (
    "said announced confirmed added official minister government parliament city village "
    "street market school university hospital road bridge river sea mountain desert rain "
    "economy budget taxes prices trade exports imports farming wheat rice electricity water "
    "oil gas energy factory workers union strike agreement talks meeting conference summit "
    "visit delegation ambassador president council committee decision report study data "
    "figures rate rise fall week month year today yesterday tomorrow morning evening people "
    "children students teachers doctors patients players team match league stadium fans "
    "artist film theatre exhibition book library museum heritage culture science phone "
    "company bank investors shares currency gold silver steel building project plan service"
).split()


def article_text(rng: random.Random, words: list[str], n_words: int) -> str:
    sentences = []
    remaining = n_words
    while remaining > 0:
        k = min(remaining, rng.randint(8, 16))
        sentences.append(" ".join(rng.choice(words) for _ in range(k)) + ".")
        remaining -= k
    return "\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))


def generate(
    n: int,
    *,
    seed: int = 7,
    feed: str = "bench",
    with_term: str | None = None,
    term_every: int = 1,
    english_every: int = 0,
    words: int = 120,
) -> list[RawArticle]:
    """``n`` distinct raw articles; every ``term_every``-th one carries ``with_term``."""
    rng = random.Random(seed)
    now = time.time()
    out = []
    for i in range(n):
        english = english_every and i % english_every == 0
        text = article_text(rng, EN_WORDS if english else AR_WORDS, words)
        if with_term and i % term_every == 0:
            text = f"{text}\nوأشار التقرير إلى احتمال {with_term} في المنطقة."
        title = " ".join(rng.choice(AR_WORDS) for _ in range(7))
        out.append(
            RawArticle(
                id=article_id(feed, f"{seed}-{i}"),
                feed=f"{feed}-{i % 20}",
                url=f"https://{feed}.example/{seed}/{i}",
                title=title,
                content=text,
                content_type="text/plain",
                language="en" if english else "ar",
                first_seen_at=now,
            )
        )
    return out
