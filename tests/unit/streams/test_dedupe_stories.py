"""Stories: one event told by several outlets shares a story; the same people, places or
institutions in another event on the same day do not; decisions say why; document
frequencies are learned from the stream, bounded, and change what counts as rare."""

from __future__ import annotations

import dataclasses
import itertools
import re
from datetime import datetime, timedelta

import pytest

from streams.dedupe import DedupeConfig, DedupeInput, Deduplicator, InMemoryDedupeStore, StoreLimits
from streams.dedupe.figures import TALLY_AT, TOLL_KINDS, conflicting, figure_facts
from streams.dedupe.profile import StoryProfile
from streams.dedupe.shingles import extract_features
from streams.dedupe.stories import similarity, story_vector
from streams.event_time import gap_seconds
from tests.support.dedupe_corpus import (
    EVENTS,
    SAME_DAY_OTHER_EVENT,
    SAME_ENTITIES,
    STORY_CLUSTERS,
    TOLL_OTHER_DAY,
    TOLL_UPDATES,
    Report,
    corpus_item,
    corpus_stream,
)
from tests.support.stack import SEEDS_DIR


@pytest.mark.parametrize("cluster", STORY_CLUSTERS, ids=[c[0].key for c in STORY_CLUSTERS])
def test_one_event_told_by_several_outlets_shares_a_story(cluster: tuple[Report, ...]) -> None:
    dedup = Deduplicator(InMemoryDedupeStore())
    decisions = [dedup.process(corpus_item(report, f"outlet-{i}")) for i, report in enumerate(cluster)]
    assert all(d.duplicate_of is None for d in decisions)  # rewrites, not copies
    assert {d.story_id for d in decisions} == {cluster[0].key}
    assert [d.story_sources for d in decisions] == list(range(1, len(cluster) + 1))
    for d in decisions[1:]:
        assert d.story_reason.startswith("similarity ") and " h apart, needs " in d.story_reason
        assert "; shared: " in d.story_reason


@pytest.mark.parametrize("pair", SAME_DAY_OTHER_EVENT, ids=[k for k, _ in SAME_DAY_OTHER_EVENT])
def test_same_names_same_day_another_event_stays_apart(pair: tuple[str, Report]) -> None:
    key, other = pair
    [cluster] = [c for c in STORY_CLUSTERS if c[0].key == key]
    dedup = Deduplicator(InMemoryDedupeStore())
    # the other event arrives between the reports of the event, in published order
    reports = sorted([*cluster, other], key=lambda r: r.published)
    decisions = {r.key: dedup.process(corpus_item(r, f"outlet-{i}")) for i, r in enumerate(reports)}
    assert decisions[other.key].story_id == other.key and decisions[other.key].story_reason is None
    assert decisions[other.key].story_sources == 1
    assert all(decisions[r.key].story_id == key for r in cluster)


def _labelled_pairs() -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    same = {frozenset((a.key, b.key)) for a, b in EVENTS}
    for cluster in STORY_CLUSTERS:
        same |= {frozenset((a.key, b.key)) for a, b in itertools.combinations(cluster, 2)}
    different = {frozenset((key, other.key)) for key, other in SAME_ENTITIES}
    for key, other in SAME_DAY_OTHER_EVENT:
        [cluster] = [c for c in STORY_CLUSTERS if c[0].key == key]
        different |= {frozenset((r.key, other.key)) for r in cluster}
    return same, different


def test_story_recall_and_precision_on_the_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    """The whole corpus as one stream, in published order: frequencies are learned as it
    goes. Before the present story model (top-32 term Jaccard >= 0.14 with 2 shared
    prominent terms) 7 of the 20 same-event pairs joined (16 with one threshold for
    dated and undated reports, 18 since dated reports hours apart need less); 0 of the
    16 different-event pairs did, and none may now."""
    dedup = Deduplicator(InMemoryDedupeStore())
    decisions = {r.key: dedup.process(corpus_item(r, f"outlet-{i % 5}")) for i, r in enumerate(corpus_stream())}
    same, different = _labelled_pairs()
    joined = {p for p in same | different if len({decisions[k].story_id for k in p}) == 1}
    with capsys.disabled():
        print(
            f"\nstories: {len(joined & same)}/{len(same)} same-event pairs joined, "
            f"{len(joined & different)}/{len(different)} different-event pairs joined"
        )
        for key, d in decisions.items():
            if d.story_reason:
                print(f"  {key} -> {d.story_id}: {d.story_reason}")
    assert not joined & different
    assert len(joined & same) >= 18


def test_dated_reports_hours_apart_need_less_similarity() -> None:
    """Two reports of one wildfire, 3 h apart, in a stream that has learned the corpus's
    frequencies: their similarity (0.16) is under the undated threshold (0.17). With both
    published times they join; with the second undated (placed when seen), or 13 h after
    the first, they do not."""
    [(first, second)] = [pair for pair in EVENTS if pair[0].key == "en-wildfire"]
    start = datetime.fromisoformat(first.published.replace("Z", "+00:00"))

    def story_of_second(published: str | None, hours_later: float) -> str:
        dedup = Deduplicator(InMemoryDedupeStore())
        for i, report in enumerate(corpus_stream()):
            if report.key not in (first.key, second.key):
                dedup.process(corpus_item(report, f"outlet-{i % 5}"))
        dedup.process(corpus_item(first, "outlet-a"))
        at = start + timedelta(hours=hours_later)
        item = dataclasses.replace(corpus_item(second, "outlet-b"), published=published, seen_at=at.timestamp())
        return dedup.process(item).story_id

    assert story_of_second((start + timedelta(hours=3)).isoformat(), 3) == first.key
    assert story_of_second(None, 3) == second.key
    assert story_of_second((start + timedelta(hours=13)).isoformat(), 13) == second.key


def test_seed_stories() -> None:
    """SEEDS_DIR-EXPECTED: 000 and 002 report the Putin-Biden video summit and share a story;
    001 and 003 cover its aftermath. Dates as feeds would give them where the text has
    none: 001 says Thursday (9 December), 003 is placed the same afternoon as the summit,
    the hardest case for it; 004 (Russia-US contacts on the guarantees) is that day too."""
    from streams.clean import clean_article

    published = {"001": "2021-12-09T10:00:00Z", "003": "2021-12-07T16:00:00Z", "004": "2021-12-07T15:00:00Z"}
    dedup = Deduplicator(InMemoryDedupeStore())
    decisions = {}
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        key, text = path.name[:3], path.read_text(encoding="utf-8")
        clean = clean_article(
            title=text.splitlines()[0],
            content=text,
            content_type="text/plain",
            published=published.get(key),
            language=None,
        )
        decisions[key] = dedup.process(
            DedupeInput(key, f"outlet-{key}", "", clean.title, clean.text, clean.published, 1_638_900_000.0)
        )
    assert all(d.duplicate_of is None for d in decisions.values())
    summit = decisions["002"]
    assert summit.story_id == "000" and summit.story_sources == 2
    similarity_, needed = (
        float(x) for x in re.findall(r"similarity ([\d.]+) .* needs ([\d.]+)\)", summit.story_reason)[0]
    )
    assert similarity_ >= needed + 0.05  # no longer at the edge (it was 0.14 against 0.14)
    assert decisions["001"].story_id == "001" and decisions["003"].story_id == "003"
    assert decisions["004"].story_id == "000" and decisions["004"].story_sources == 3


def test_a_multi_word_name_is_one_shared_unit_in_the_explanation() -> None:
    dedup = Deduplicator(InMemoryDedupeStore())
    first, rewrite = STORY_CLUSTERS[2]  # the visit: "الأمير فيصل بن فرحان" in both
    dedup.process(corpus_item(first, "a"))
    decision = dedup.process(corpus_item(rewrite, "b"))
    units = decision.story_reason.split("; shared: ")[1].split(", ")
    assert "فيصل فرحان امير" in units  # one unit, in the order of the text (بن passed over)
    assert not {"فيصل", "فرحان"} & set(units)


# --- document frequencies ---------------------------------------------------------------------


def test_words_the_stream_has_seen_often_weigh_less() -> None:
    counts = {"حصبه": 2, "زاويه": 2, "بيان": 2, "وزاره": 2}
    cold = story_vector(counts, (), {}, 0)
    assert len(set(cold.weights.values())) == 1  # nothing learned yet: all alike
    warm = story_vector(counts, (), {"بيان": 300, "وزاره": 200, "حصبه": 2}, 1000)
    by_word = {warm.words[h]: w for h, w in warm.weights.items()}
    assert by_word["زاويه"] > by_word["حصبه"] > by_word["وزاره"] > by_word["بيان"]
    # two statements of one ministry about different things: what they share is common
    other = {"تغذيه": 2, "مسح": 2, "بيان": 2, "وزاره": 2, "حكوميه": 1}
    mine = {"حصبه": 2, "تطعيم": 2, "بيان": 2, "وزاره": 2, "حكوميه": 1}
    df = {"بيان": 300, "وزاره": 200, "حكوميه": 150}
    cold_score = similarity(story_vector(mine, (), {}, 0), story_vector(other, (), {}, 0).profile())[0]
    warm_score = similarity(story_vector(mine, (), df, 1000), story_vector(other, (), df, 1000).profile())[0]
    assert cold_score > 0.3 and warm_score < 0.1


def test_the_store_counts_stored_articles_terms_in_two_bounded_halves() -> None:
    store = InMemoryDedupeStore(StoreLimits(df_docs=3))
    dedup = Deduplicator(store)
    reports = [r for pair in EVENTS for r in pair]
    prepared = dedup.prepare(corpus_item(reports[0], "x"))
    assert store.lookup(prepared.query).docs == 0
    for i, r in enumerate(reports[:7]):
        dedup.process(corpus_item(r, f"f{i}"))
    # 7 articles in halves of 3: the first 3 were dropped when the third half started
    found = store.lookup(prepared.query)
    assert found.docs == 4
    assert len(found.df) == len(prepared.query.terms) and max(found.df) <= 4
    copy = corpus_item(reports[6], "copy")
    again = dedup.process(DedupeInput("copy", "copy", "", copy.title, copy.text, copy.published, copy.seen_at))
    # a duplicate is not counted
    assert again.duplicate_of == reports[6].key and store.lookup(prepared.query).docs == 4


def test_boilerplate_the_stream_has_seen_moves_down_the_explanation() -> None:
    # two outlets report one outbreak, each ending with its own promotional line
    tails = (
        "تابعوا قناة الأفق الإخبارية على منصات التواصل للحصول على آخر الأخبار العاجلة من مراسلينا.",
        "لمزيد من الأخبار المحلية والدولية زوروا موقع صحيفة المساء واشتركوا في نشرتنا اليومية العاجلة.",
    )
    first = (
        "تفشي الحصبة في قرية الزاوية وتسجيل 40 إصابة بين الأطفال",
        "سجلت السلطات الصحية 40 إصابة بالحصبة بين أطفال قرية الزاوية خلال أسبوع، "
        "وأرسلت فرقا لتطعيم من لم يتلقوا اللقاح. " + tails[0],
    )
    second = (
        "الحصبة تنتشر في الزاوية: أربعون طفلا مصابا وحملة تطعيم عاجلة",
        "أطلقت مديرية الصحة حملة تطعيم عاجلة في قرية الزاوية بعد إصابة 40 طفلا بالحصبة، "
        "وأغلقت مدرسة القرية مؤقتا. " + tails[1],
    )
    topics = [
        "افتتاح جسر جديد فوق النهر",
        "ارتفاع أسعار الخضار في الأسواق",
        "فوز فريق المدينة بكأس الدوري",
        "انقطاع الكهرباء عن أحياء شرقية",
        "مهرجان للكتاب في العاصمة",
        "أمطار غزيرة تغلق طرقا جبلية",
    ]

    def shared_units(background: int) -> list[str]:
        dedup = Deduplicator(InMemoryDedupeStore())
        start = 1_720_000_000.0
        for i in range(background):  # earlier news from both outlets, each with its line
            topic = topics[i % len(topics)]
            dedup.process(
                DedupeInput(
                    f"bg{i}",
                    f"o{i % 2}",
                    "",
                    topic,
                    f"{topic} في المنطقة بحسب مسؤولين محليين تحدثوا للمراسل {i * 7}. {tails[i % 2]}",
                    seen_at=start - 86400 * 10 + i,
                )
            )
        dedup.process(DedupeInput("a", "o0", "", *first, seen_at=start))
        decision = dedup.process(DedupeInput("b", "o1", "", *second, seen_at=start + 3 * 3600))
        assert decision.story_id == "a"
        return decision.story_reason.split("; shared: ")[1].split(", ")

    cold, warm = shared_units(0), shared_units(12)
    assert cold.index("عاجله") < cold.index("#40")  # nothing learned: the promo word ranks high
    assert warm.index("#40") < warm.index("عاجله")  # learned: it is common, the figure is not


def test_texts_from_one_everyday_vocabulary_do_not_become_one_story() -> None:
    """Generated articles draw ~120 words from the same ~200 everyday words: they share
    many terms, all of them common. Cosine alone called them one story (and the dispatcher
    would have throttled their alerts as one); the rare-shared-terms rule keeps them apart,
    apart from the very first few, when every word is still rare."""
    from bench.generate import generate
    from streams import pipeline
    from streams.dedupe import DedupeConfig

    config = DedupeConfig()
    deduplicator = Deduplicator(InMemoryDedupeStore(config.store_limits()), config)
    sizes: dict[str, int] = {}
    for raw in generate(300, seed=13, with_term="غزو"):
        _, decision = pipeline.dedupe(raw, pipeline.normalize(raw), deduplicator)
        assert decision.duplicate_of is None
        sizes[decision.story_id] = sizes.get(decision.story_id, 0) + 1
    assert len(sizes) >= 280
    assert max(sizes.values()) <= 12


# --- tolls, tallies and undated reports -------------------------------------------------------


def _kinds(report: Report) -> dict[str, set[float]]:
    kinds: dict[str, set[float]] = {}
    for kind, value in extract_features(report.title, report.text, 3).facts:
        kinds.setdefault(kind, set()).add(value)
    return kinds


def test_a_toll_updated_through_the_day_does_not_split_the_event() -> None:
    """Three outlets give the toll they had when they wrote (12, 19, 27 dead): one event.
    Counted as figures of one kind, the last report's toll would contradict the story's
    (the check below: it gives no fixed figure to outweigh it), and the figures rule would
    split the story."""
    first, second, late = TOLL_UPDATES
    story = _kinds(first)
    for kind, values in _kinds(second).items():
        story.setdefault(kind, set()).update(values)
    assert conflicting(_kinds(late), story) and not conflicting(_kinds(late), story, TOLL_KINDS)
    dedup = Deduplicator(InMemoryDedupeStore())
    decisions = [dedup.process(corpus_item(r, f"outlet-{i}")) for i, r in enumerate(TOLL_UPDATES)]
    assert [d.story_id for d in decisions] == ["port-blast"] * 3
    assert all(d.duplicate_of is None for d in decisions)
    # a fire at the same port the next day, with its own toll, is another event
    other = dedup.process(corpus_item(TOLL_OTHER_DAY, "outlet-9"))
    assert other.story_id == "port-fire" and other.story_reason is None


def test_tolls_count_as_figures_only_when_the_caller_says_and_tallies_always() -> None:
    people = "people"
    assert people in TOLL_KINDS and "قتيل" in TOLL_KINDS and "دولار" not in TOLL_KINDS
    assert conflicting({people: {76.0}}, {people: {2200.0}})
    assert not conflicting({people: {76.0}}, {people: {2200.0}}, TOLL_KINDS)
    # running tallies (refugees, in millions) that differ are different days, even then
    assert conflicting({people: {1.5e6}}, {people: {3.7e6}}, TOLL_KINDS) and TALLY_AT <= 1.5e6
    # a fixed figure they agree on outweighs a toll they differ on; money never is a toll
    assert not conflicting({people: {100.0}, "طن": {2750.0}}, {people: {137.0}, "طن": {2750.0}})
    assert conflicting({"دولار": {8e8}}, {"دولار": {1e9}}, TOLL_KINDS)
    assert figure_facts("انفجار 2750 طنا من نترات الأمونيوم") == [("طن", 2750.0)]


def test_a_unit_written_with_a_mark_inside_is_read_whole() -> None:
    # "مشرّعاً" was read "مشر" (the shadda, a combining mark, ended the word), so two reports
    # of one vote, with and without the mark, gave two kinds (story set 42)
    assert figure_facts("بموافقة 287 مشرّعاً مقابل 55 صوتاً") == figure_facts("بموافقة 287 مشرعا مقابل 55 صوتا")
    assert figure_facts("شارك ألف مشيّع") == [("مشيع", 1000.0)]


def test_a_word_that_joins_two_numbers_is_no_unit() -> None:
    # "من عام 1353 حتى 1391": read as 1353 of "حتى", and a copy that wrote the years the
    # other way round gave another figure of that "kind" (copy set 51)
    assert figure_facts("حكم البلاد من عام 1353 حتى 1391 قبل الميلاد") == []
    assert figure_facts("ارتفع العدد من 20 إلى 25 قتيلا") == [("قتيل", 25.0)]


def test_a_bracketed_figure_reads_as_written() -> None:
    """Gulf agencies bracket the number: "(15) مليون دولار" is 15 million dollars, not one
    million (which made an agency's copy conflict with the same text in plain digits)."""
    assert figure_facts("بلغت نحو (15) مليون دولار") == [("دولار", 15e6)]
    assert figure_facts("نشر (250) جنديا") == figure_facts("نشر 250 جنديا") == [("جندي", 250.0)]
    assert figure_facts("بلغت [3] مليارات دولار") == [("دولار", 3e9)]


def test_refugee_tallies_of_other_days_stay_apart_without_times() -> None:
    """Without published times (all seen at once) two tallies of one agency, in millions,
    are kept apart by their figures; the same reports with one tally join (so it can fail)."""

    def tallies(second: str) -> tuple[str, str]:
        first = Deduplicator(InMemoryDedupeStore())
        first.process(
            DedupeInput(
                "t1",
                "a",
                "",
                "المفوضية: 1.5 مليون لاجئ فروا من بلاد الرافدين منذ بدء الحرب",
                "قالت المفوضية السامية للأمم المتحدة لشؤون اللاجئين إن 1.5 مليون لاجئ فروا من بلاد الرافدين "
                "منذ اندلاع الحرب، معظمهم عبر المعابر الحدودية الشمالية إلى الدول المجاورة.",
                None,
                1_700_000_000.0,
            )
        )
        decision = first.process(
            DedupeInput(
                "t2",
                "b",
                "",
                f"عدد الفارين من حرب بلاد الرافدين يبلغ {second} مليون لاجئ",
                f"أعلنت مفوضية اللاجئين أن {second} مليون لاجئ غادروا بلاد الرافدين هربا من الحرب، "
                "وأن المخيمات في الدول المجاورة تجاوزت طاقتها، داعية المانحين إلى تمويل عاجل.",
                None,
                1_700_000_000.0,
            )
        )
        return decision.story_id, decision.duplicate_of or ""

    assert tallies("3.7") == ("t2", "")
    assert tallies("1.5") == ("t1", "")


def _death_notice(name: str, age: str, wording: int) -> tuple[str, str]:
    """(title, text) of a church's death notice, in one of two outlets' wordings."""
    if wording == 0:
        return (
            f"رحيل البطريرك {name} عن عمر يناهز {age} عاما",
            f"أعلنت البطريركية في بيان صباح اليوم وفاة البطريرك {name} عن عمر يناهز {age} عاما بعد صراع طويل "
            "مع المرض، وقالت إن مراسم الجنازة ستقام في الكاتدرائية الكبرى بحضور رؤساء الكنائس الشرقية، ودعت "
            "المؤمنين إلى الصلاة.",
        )
    return (
        f"البطريركية تنعى البطريرك {name}",
        f"نعت البطريركية البطريرك {name} الذي توفي عن {age} عاماً بعد صراع مع المرض، وأوضحت أن جنازته ستقام "
        "في الكاتدرائية الكبرى بمشاركة رؤساء الكنائس الشرقية، داعية المؤمنين إلى الصلاة من أجله.",
    )


@pytest.mark.parametrize(
    ("name", "age", "same_story"),
    [("يوحنا الثالث", "88", True), ("يوحنا الثالث", "87", True), ("مرقس الثاني", "95", False)],
)
def test_death_notices_of_one_template_stay_apart_by_the_age(name: str, age: str, same_story: bool) -> None:
    """Two outlets' notices of one death join, undated, even when one counts the birthday
    and the other not (87 and 88); a notice of another patriarch's death, told in the same
    words but for his name and age, is another event. Without the age as a figure the
    last one joins (similarity 0.32: the template's words)."""
    assert figure_facts(_death_notice(name, age, 1)[1]) == [("age", float(age))]
    assert figure_facts("أصيب 3 أشخاص عن غير قصد، وتوفي رجل عمره 40 عاما") == []  # no age at death
    dedup = Deduplicator(InMemoryDedupeStore())
    first = dedup.process(DedupeInput("n1", "a", "", *_death_notice("يوحنا الثالث", "88", 0), None, 1_700_000_000.0))
    second = dedup.process(DedupeInput("n2", "b", "", *_death_notice(name, age, 1), None, 1_700_000_000.0))
    assert first.story_id == "n1" and second.duplicate_of is None
    assert (second.story_id == "n1") is same_story


def test_a_running_store_asks_more_similarity_than_a_young_one() -> None:
    """The bar rises from story_threshold to story_threshold_warm with the logarithm of the
    articles the store has counted: flat weights in a young store, sharp ones in a running
    store, where two reports of one topic score higher (docs/dedupe.md, "A warm store")."""
    config = DedupeConfig()
    assert config.story_bar(0) == config.story_bar(200) == config.story_threshold == 0.17
    assert config.story_bar(400) == pytest.approx(0.17 + 0.05 / 2)
    assert config.story_bar(800) == config.story_bar(100_000) == config.story_threshold_warm == 0.22
    with pytest.raises(ValueError, match="story_warm_docs"):
        DedupeConfig(story_warm_docs=(800.0, 200.0))
    with pytest.raises(ValueError, match="num_perm"):  # (the config checks itself whole)
        DedupeConfig(num_perm=100)

    # the same two notices of one death (similarity 0.32) join under a store's young bar,
    # and not under a bar of 0.5 reached at its first article
    def joined(config: DedupeConfig) -> bool:
        dedup = Deduplicator(InMemoryDedupeStore(config.store_limits()), config)
        dedup.process(DedupeInput("n1", "a", "", *_death_notice("يوحنا الثالث", "88", 0), None, 1_700_000_000.0))
        second = dedup.process(DedupeInput("n2", "b", "", *_death_notice("يوحنا الثالث", "87", 1), None, 1.7e9))
        return second.story_id == "n1"

    assert joined(DedupeConfig())
    assert not joined(DedupeConfig(story_threshold_warm=0.5, story_warm_docs=(0.5, 1.0)))


def test_an_undated_report_is_as_old_as_the_dated_story_it_may_belong_to() -> None:
    """A page without a published time (no date in its text either) is placed when it was
    seen: it was published then or earlier. Replayed from an archive years later it still
    joins the dated reports of its event; a dated report published well after an undated
    one was seen is a gap the window applies to."""
    hour, day = 3600.0, 86400.0
    assert gap_seconds(1000 * day, False, 10 * day, True) == 0.0  # seen later: may be as old
    assert gap_seconds(10 * day, False, 13 * day, True) == 3 * day  # dated after it was seen
    assert gap_seconds(10 * day, True, 10 * day + 5 * hour, True) == 5 * hour
    first, rewrite = STORY_CLUSTERS[0][:2]
    for undated_seen_at, joins in ((1_900_000_000.0, True), (1_500_000_000.0, False)):
        dedup = Deduplicator(InMemoryDedupeStore())
        dedup.process(corpus_item(first, "a"))
        undated = DedupeInput("undated", "b", "", rewrite.title, rewrite.text, None, undated_seen_at)
        assert (dedup.process(undated).story_id == first.key) is joins


def test_stored_profiles_say_whether_their_time_is_a_published_time() -> None:
    for known in (True, False):
        profile = StoryProfile([7, 9], [255, 10], [(0, 1)], [(3, 800.0)], time_known=known)
        again, end = StoryProfile.from_bytes(profile.to_bytes())
        assert again.time_known is known and again == profile and end == len(profile.to_bytes())
        assert again.facts == profile.facts
    bare = StoryProfile([7], [255], time_known=False)
    assert StoryProfile.from_bytes(bare.to_bytes())[0].time_known is False


def test_a_frequency_above_the_stores_count_weighs_nothing_rather_than_less_than_nothing() -> None:
    """When the store empties its older half, its document count drops by half, and a
    frequency read before may exceed it: the term's weight is 0, not negative (a negative
    weight made the stored profile unencodable: found by the dedupe bench at 1M articles)."""
    from streams.dedupe.stories import weigh

    weights = weigh({"مشترك": 3, "نادر": 1}, {"مشترك": 150_000, "نادر": 2}, 100_001)
    assert weights["مشترك"] == 0.0 and weights["نادر"] > 0
    vector = story_vector({"مشترك": 3, "نادر": 1, "اخر": 1}, [], {"مشترك": 150_000, "نادر": 2}, 100_001)
    assert min(vector.weights.values()) >= 0 and min(vector.shared_weights.values()) >= 0
    assert StoryProfile.from_bytes(vector.profile().to_bytes())[0] == vector.profile()


# Two outlets' reports of one event, neither with a title (a `dedupe test` line, a feed item
# without one): the same lead, each its own background (texts written for this project).
LEAD_ONE = (
    "اقتحم آلاف المتظاهرين في مدينة سيلان القصر الرئاسي للرئيس أرجان فيلاسكو بعد فراره منه "
    "صباح اليوم السبت، وسط احتجاجات على الأزمة الاقتصادية.\n"
)
LEAD_TWO = (
    "اقتحم متظاهرون غاضبون القصر الرئاسي في سيلان صباح اليوم السبت بعد فرار الرئيس أرجان "
    "فيلاسكو، مطالبين باستقالته بسبب الأزمة الاقتصادية.\n"
)
BACKGROUND_ONE = (
    "وتعاني البلاد منذ شهور من نقص حاد في الوقود والدواء والغذاء، وارتفعت أسعار السلع الأساسية "
    "إلى مستويات غير مسبوقة، فيما تراجعت قيمة العملة المحلية أمام الدولار. وكانت الحكومة قد "
    "أعلنت عجزها عن سداد ديونها الخارجية، وبدأت مفاوضات مع صندوق النقد الدولي للحصول على قرض."
)
BACKGROUND_TWO = (
    "وأظهرت مقاطع مصورة تداولها ناشطون على مواقع التواصل الاجتماعي حشودا تسبح في حوض القصر "
    "وتتجول في غرفه، بينما رفع آخرون الأعلام الوطنية على شرفاته. وقالت الشرطة إن عشرات أصيبوا "
    "في مواجهات عند بوابات المقر، وإن قواتها انسحبت لتفادي سقوط ضحايا."
)


def test_with_no_title_the_leads_first_words_weigh_as_a_titles() -> None:
    untitled = extract_features("", LEAD_ONE + BACKGROUND_ONE, 2)
    titled = extract_features("اقتحام القصر الرئاسي في سيلان", LEAD_ONE + BACKGROUND_ONE, 2)
    assert untitled.story_counts["متظاهرين"] == 3 and titled.story_counts["متظاهرين"] == 1
    # (dedupe's spelling: ق as ج) "الاقتصادية", the lead's 22nd word, is past its first words
    assert untitled.story_counts["اجتصاديه"] == 1


def test_two_untitled_reports_of_one_event_share_a_story() -> None:
    dedup = Deduplicator(InMemoryDedupeStore())
    first = dedup.process(DedupeInput("one", "outlet-1", "", "", LEAD_ONE + BACKGROUND_ONE, None, 1.8e9))
    second = dedup.process(DedupeInput("two", "outlet-2", "", "", LEAD_TWO + BACKGROUND_TWO, None, 1.8e9 + 60))
    assert first.story_id == "one" and second.duplicate_of is None and second.story_id == "one"
