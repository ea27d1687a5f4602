"""The word rule of near copies (streams/dedupe/word_sketch.py): an agency text with an edit
in nearly every sentence keeps most of its content words but under half of its word pairs."""

from __future__ import annotations

import numpy as np
import pytest

from streams.dedupe import DedupeConfig, DedupeDecision, DedupeInput, Deduplicator, InMemoryDedupeStore
from streams.dedupe.shingles import extract_features
from streams.dedupe.store import StoredArticle
from streams.dedupe.word_sketch import SKETCH_SIZE, sketch, words_contained
from tests.support.dedupe_corpus import AGENCY, AGENCY_TITLE

# AGENCY as another outlet ran it: one or two edits in every sentence (a word order, a
# synonym, a clause recast), so that fewer than 55 % of its word pairs are in the original.
EDITED_THROUGHOUT = [
    "أعلنت وزارة الزراعة التيهامية الأربعاء إطلاق برنامج وطني لتأهيل قنوات الري في سهل وادي الرمان، بعد موسمين من الجفاف الشديد ألحقا أضرارا بمحاصيل القمح والشعير.",
    "وقال الوزير سالم بن راشد الهاشمي للصحفيين إن البرنامج يشمل تبطين 300 كيلومتر من القنوات الترابية، وتركيب بوابات آلية للتحكم تخفض الفاقد من المياه إلى النصف.",
    "وبحسب الوزير فإن المرحلة الأولى تبدأ في قرى الضفة الشرقية للوادي في الربيع المقبل، ويشارك المزارعون عبر لجان محلية تتابع التنفيذ وتوزيع حصص المياه على الحقول.",
    "ويعاني سهل وادي الرمان منذ سنوات من انخفاض منسوب المياه الجوفية جراء حفر الآبار بشكل عشوائي، مما دفع مئات الأسر إلى هجر الزراعة والنزوح نحو المدن القريبة بحثا عن العمل.",
    "ورحب اتحاد المزارعين بالخطوة في بيان أصدره، إلا أنه طالب بتعويض الأسر التي تضررت من الجفاف وتأجيل أقساط القروض الزراعية المستحقة إلى نهاية الموسم القادم.",
]

# The same event told by another outlet in its own sentences, as long: same names, places
# and facts, so it shares many content words, but not most of them.
TOLD_APART = [
    "بعد موسمين من الجفاف خسر فيهما مزارعو سهل وادي الرمان معظم محاصيل القمح والشعير، قررت حكومة تيهامة التدخل ببرنامج لإصلاح قنوات الري التي يعود إنشاء أغلبها إلى عقود مضت.",
    "ويقول مزارعون في قرى الضفة الشرقية إن القنوات الترابية تهدر أكثر من نصف المياه قبل وصولها إلى الحقول، وإن الآبار التي حفروها بأنفسهم جفت واحدا تلو الآخر خلال السنوات الأخيرة.",
    "وتحدث الوزير سالم بن راشد الهاشمي عن تبطين مئات الكيلومترات وتركيب بوابات حديثة، غير أن مهندسين في المنطقة يشككون في إمكان إنجاز الأعمال قبل الموسم المقبل بسبب نقص المعدات والتمويل.",
    "وشهدت مشاريع مماثلة في الوادي تعثرا في الماضي، إذ توقفت أعمال تأهيل شبكة الري الشمالية قبل ستة أعوام بعد إنفاق نصف ميزانيتها، ولم تستأنف حتى اليوم رغم وعود متكررة.",
    "وينتظر اتحاد المزارعين، الذي طالب بتعويض الأسر المتضررة وتأجيل أقساط القروض، أن تنشر الوزارة جدولا زمنيا واضحا للمراحل وأسماء القرى المستفيدة منها قبل بدء التنفيذ.",
]
OTHER_TITLE = "وادي الرمان: برنامج حكومي لقنوات الري بعد الجفاف"


def second_decision(first: list[str], second: list[str], config: DedupeConfig | None = None) -> DedupeDecision:
    config = config or DedupeConfig()
    dedup = Deduplicator(InMemoryDedupeStore(config.store_limits()), config)
    dedup.process(DedupeInput("first", "agency", "", AGENCY_TITLE, "\n\n".join(first), None, 1_700_000_000.0))
    return dedup.process(DedupeInput("second", "outlet", "", OTHER_TITLE, "\n\n".join(second), None, 1_700_000_000.0))


def pair_containment(first: list[str], second: list[str]) -> float:
    a = extract_features(AGENCY_TITLE, "\n\n".join(first), 2).dup_shingles
    b = extract_features(OTHER_TITLE, "\n\n".join(second), 2).dup_shingles
    return np.intersect1d(a, b).size / min(a.size, b.size)


@pytest.mark.parametrize(("first", "second"), [(AGENCY, EDITED_THROUGHOUT), (EDITED_THROUGHOUT, AGENCY)])
def test_a_copy_edited_in_every_sentence_is_found_by_its_content_words(first: list[str], second: list[str]) -> None:
    assert 0.4 < pair_containment(first, second) < 0.55  # word pairs alone do not make it a copy
    decision = second_decision(first, second)
    assert (decision.duplicate_of, decision.kind) == ("first", "near")
    assert decision.similarity is not None and 0.4 <= decision.similarity < 0.55  # below the pairs' own bar
    assert second_decision(first, second, DedupeConfig(words_containment=None)).duplicate_of is None


def test_the_same_event_told_apart_is_a_story_mate_not_a_copy() -> None:
    decision = second_decision(AGENCY, TOLD_APART)
    assert decision.duplicate_of is None and decision.story_id == "first"


def test_short_texts_need_their_word_pairs() -> None:
    """Two sentences have too few content words (37) for the word rule: two short reports of
    one event share most of their words by their topic alone."""
    assert extract_features("", "\n\n".join(EDITED_THROUGHOUT[:2]), 2).content_keys.size < 50
    assert second_decision(AGENCY[:2], EDITED_THROUGHOUT[:2]).duplicate_of is None


def random_keys(rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` distinct word hashes, as an article's ``word_keys`` (sorted) come."""
    return np.unique(rng.integers(1, 2**32, size=count * 2, dtype=np.uint64).astype(np.uint32))[:count]


def test_words_contained_is_exact_for_a_small_stored_text_and_scales_to_the_shorter() -> None:
    rng = np.random.default_rng(3)
    words = rng.permutation(random_keys(rng, 130))
    longer = np.sort(words[:60])  # 60 words: the sketch holds them all
    shorter = np.sort(np.concatenate([words[:30], words[60:70]]))  # 40 words, 30 of them in the longer
    assert words_contained(sketch(longer), longer.size, shorter) == pytest.approx(30 / 40)
    assert words_contained(sketch(shorter), shorter.size, longer) == pytest.approx(30 / 40)
    assert words_contained(sketch(longer), 0, shorter) == 0.0
    assert words_contained(sketch(longer), longer.size, np.empty(0, dtype=np.uint32)) == 0.0


def test_words_contained_estimates_a_large_text_from_its_smallest_hashes() -> None:
    rng = np.random.default_rng(7)
    words = rng.permutation(random_keys(rng, 700))
    stored, new = np.sort(words[:400]), np.sort(np.concatenate([words[120:400], words[400:]]))
    assert sketch(stored).size == SKETCH_SIZE
    # 280 of the stored 400 words are in the new text
    assert words_contained(sketch(stored), 400, new) == pytest.approx(0.7, abs=0.12)


def test_a_stored_record_keeps_its_word_sketch_and_an_older_record_reads_as_none() -> None:
    signature = np.arange(128, dtype=np.uint32)
    with_words = StoredArticle(
        "a", "feed", "a", 1.0, 300, signature, word_count=90, word_sketch=np.arange(1, 65, dtype=np.uint32)
    )
    read = StoredArticle.from_bytes(with_words.to_bytes())
    assert (read.shingle_count, read.word_count) == (300, 90)
    assert np.array_equal(read.word_sketch, with_words.word_sketch) and np.array_equal(read.signature, signature)
    # a record written before the sketch existed has no flag: it reads with no words
    older = StoredArticle("b", "feed", "a", 1.0, 300, signature, copy_of="a")
    read = StoredArticle.from_bytes(older.to_bytes())
    assert (read.word_count, read.word_sketch.size, read.copy_of, read.shingle_count) == (0, 0, "a", 300)
    assert np.array_equal(read.signature, signature)
