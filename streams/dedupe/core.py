"""The duplicate detector: exact (URL, content hash), near (MinHash + LSH) and stories."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

from kernel.messages import StoryOutlet, StoryRef
from streams.dedupe.actions import event_actions
from streams.dedupe.countries import name_other_countries
from streams.dedupe.fact_checks import facts_by_kind, other_figures
from streams.dedupe.lsh import KEY_WIDTH, band_keys
from streams.dedupe.memo import BoundedMemo
from streams.dedupe.minhash import (
    MinHasher,
    estimate_jaccard,
    estimate_jaccard_many,
    minima_held,
)
from streams.dedupe.months import name_other_months
from streams.dedupe.shingles import (
    Features,
    content_hash,
    extract_features,
)
from streams.dedupe.store import (
    ANCHOR_TAG,
    DedupeStore,
    Lookup,
    LookupResult,
    Outlet,
    StoredArticle,
    StoreLimits,
    StoryState,
)
from streams.dedupe.stories import (
    DF_TERMS,
    PROMINENT_TERMS,
    QUERY_TERMS,
    StoryVector,
    best_story,
    ranked_terms,
    story_vector,
    strongest,
    weigh,
)
from streams.dedupe.term_hashes import df_key
from streams.dedupe.urls import canonical_url, outlet_name
from streams.dedupe.weekdays import WEEKDAY, report_other_days
from streams.dedupe.years import name_other_years
from streams.event_time import gap_seconds, published_time

_DUP_TAG, _STORY_TAG = b"d", b"s"


def story_bucket_key(term: str) -> bytes:
    # as wide as a band key (lsh.KEY_WIDTH): a store may pass all keys as one string
    return _STORY_TAG + hashlib.blake2b(term.encode(), digest_size=KEY_WIDTH - 1).digest()


_STORY_KEY: BoundedMemo[str, bytes] = BoundedMemo(story_bucket_key, 100_000)


def _anchor_keys(hashes: np.ndarray) -> list[bytes]:
    """A bucket key per shingle hash: the anchor tag, a zero byte, the 8 hash bytes."""
    raw = hashes.astype(">u8").tobytes()
    prefix = bytes((ANCHOR_TAG, 0))
    return [prefix + raw[i : i + 8] for i in range(0, len(raw), 8)]


def filed_copy(record: StoredArticle, query: Lookup, *, story_id: str, first: str) -> tuple[StoredArticle, Lookup]:
    """A near copy as the store files it: in its original's story, naming the first
    version, and without terms, so that it is not counted as a document for the
    frequencies (its words are its original's: counting them again would make the story's
    own words look common)."""
    return dataclasses.replace(record, story_id=story_id, copy_of=first), dataclasses.replace(query, terms=())


@dataclass(frozen=True)
class DedupeConfig:
    num_perm: int = 128
    # word pairs of the folded text: a copy with small edits in every sentence keeps more
    # of its pairs than of its 3-grams (real agency copies: docs/dedupe.md)
    shingle_size: int = 2
    threshold: float = 0.45  # estimated Jaccard at or above which an article is a copy
    # an article joins a story when its tf-idf cosine with one of the story's articles
    # (shared names counted once: stories.py) reaches story_threshold, plus
    # story_per_day for each day between them
    story_threshold: float = 0.17
    # used instead when both reports carry a published time and are at most
    # stories.DATED_HOURS apart: reports of one event come within hours of each other
    # (measured on real pages: docs/dedupe.md)
    story_threshold_dated: float = 0.15
    # used instead when such reports also tell the same event actions (actions.py: a crash
    # and a crash, not a crash and a fare rise), with rarity floored (stories.py); None:
    # actions are not weighed
    story_threshold_same_actions: float | None = 0.11
    story_per_day: float = 0.08
    # A running store's bar instead of story_threshold. In a young store the prior flattens
    # the weights (every word about equally common) and story_threshold suits it; once the
    # store has counted thousands of other reports, the words of one topic weigh far more
    # than everyday ones and any two reports of a topic score higher: measured on real
    # pages with a store first fed 800 reports of other events, 0.17 joined different
    # events (dated precision 0.76-0.94), 0.22 did not (0.82-1.00; docs/dedupe.md, "A warm
    # store"). The bar rises with the logarithm of the count between the two counts, and
    # stays at story_threshold_warm beyond (not measured past ~1,000 articles).
    story_threshold_warm: float = 0.22
    story_warm_docs: tuple[float, float] = (200.0, 800.0)
    window_seconds: float = 7 * 86400
    # A copy is republished within days (on the held-out sets of real pages still on hand,
    # 155 labelled copy pairs, every one was at most 2 days apart); a text near another but
    # published further apart is one template filled in again (a ministry's condemnation
    # for the next attack, a bulletin for the next month: 19 to 1,160 days apart on the
    # eleventh set), never a copy of it. Exact copies (same URL, same text) are copies
    # whenever they come.
    copy_window_seconds: float = 7 * 86400
    # reports further apart never join; past stories.STRONG_HOURS only with strong shared
    # identifiers (issue 15: 36-48 h)
    story_window_seconds: float = 48 * 3600
    max_signatures: int = 200_000
    lsh_bands: int = 32  # 32 bands x 4 rows: P(candidate) 0.87 at s=0.5, 0.98 at s=0.6
    # A shorter text that is mostly inside a longer one is a copy too: a copy wrapped in a
    # headline ticker the cleaner missed, with a paragraph dropped or added, or an agency
    # story with a changed first or last paragraph. Containment is measured, not derived
    # from Jaccard: the share of the stored article's MinHash minima found among the new
    # article's shingles (minhash.minima_held), with at least min_minima of them held.
    containment: float = 0.55
    min_size_ratio: float = 0.05  # the longer may be up to 20 times the shorter
    # A text a fifth to two fifths of the other's length must be more of it inside: a flash,
    # or an official text quoted, inside a longer report of its own wording shares most of
    # itself without being a copy (0.58-0.62 on real pages), while a republished excerpt
    # is nearly whole. Shorter still, the longer is chrome more than a report (a ticker the
    # cleaner missed), and the estimate too coarse to ask more (docs/dedupe.md, "Fifth
    # held-out sets").
    short_in_long_ratios: tuple[float, float] = (0.2, 0.4)
    short_in_long_containment: float = 0.7
    min_minima: int = 8
    # Candidates for containment: LSH bands find sets of similar size only, so every
    # article is also filed under its `anchors` smallest shingle hashes and looks up its
    # `anchor_queries` smallest; a text inside another shares its smallest ones.
    anchors: int = 24
    anchor_queries: int = 48
    # Below this many shingles an estimate is too coarse: demand a closer match.
    short_shingles: int = 12
    short_threshold: float = 0.75

    def __post_init__(self) -> None:
        if self.num_perm % self.lsh_bands:
            raise ValueError("num_perm must be a multiple of lsh_bands")
        young, warm = self.story_warm_docs
        if not 0 < young < warm:
            raise ValueError(
                f"story_warm_docs must be two counts, the first above 0 and below the second: {young}, {warm}"
            )
        low, high = self.short_in_long_ratios
        if not 0 <= low <= high <= 1:
            raise ValueError(f"short_in_long_ratios must be two size ratios in order: {low}, {high}")

    def story_bar(self, docs: int) -> float:
        """story_threshold for a store that has counted ``docs`` articles."""
        young, warm = self.story_warm_docs
        if docs <= young:
            return self.story_threshold
        share = min(1.0, math.log(docs / young) / math.log(warm / young))
        return self.story_threshold + share * (self.story_threshold_warm - self.story_threshold)

    def store_limits(self) -> StoreLimits:
        return StoreLimits(window_seconds=self.window_seconds, max_signatures=self.max_signatures)


@dataclass(frozen=True)
class DedupeInput:
    id: str
    feed: str
    url: str
    title: str
    text: str
    published: str | None = None
    seen_at: float = 0.0


@dataclass(frozen=True)
class DedupeDecision:
    duplicate_of: str | None
    kind: str | None  # "exact-url" | "exact-content" | "near" | None
    similarity: float | None
    story_id: str
    story_sources: int
    content_hash: str
    canonical_url: str
    story_reason: str | None
    # the story's distinct outlets (sites), each with when it first reported the story
    story_outlets: tuple[Outlet, ...] = ()

    def story_ref(self) -> StoryRef:
        """The story as messages carry it (kernel.messages.StoryRef)."""
        return StoryRef(
            id=self.story_id,
            sources=self.story_sources,
            outlets=[StoryOutlet(name=o.name, first_seen=o.first_seen) for o in self.story_outlets],
        )


@dataclass(frozen=True, slots=True)
class _Prepared:
    canonical_url: str
    content_hash: str
    features: Features
    record: StoredArticle  # without its story profile (it needs the lookup's frequencies)
    query: Lookup
    story_counts: dict[str, int]  # the DF_TERMS most used story terms, as query.terms
    read: list[str]  # those whose frequency the lookup reads, as query.read
    time_known: bool  # record.event_time is a published time, not when it was seen


@dataclass
class Deduplicator:
    store: DedupeStore
    config: DedupeConfig = field(default_factory=DedupeConfig)

    def __post_init__(self) -> None:
        self._hasher = MinHasher(self.config.num_perm)
        # Document frequencies last read from the store: term -> (frequency, documents
        # counted then). They choose an article's story cells before its lookup, and a
        # lookup reads only the terms whose value is missing or stale (the store has
        # counted over a tenth more documents since, at most 2,000): most of an article's
        # words were read for an earlier one, and a frequency that grew a little changes
        # nothing (a young stream is read every time). A cold cache ranks terms by use
        # alone, and reads every term.
        self._df: dict[str, tuple[int, int]] = {}
        self._docs = 0
        # below this estimated Jaccard is_near_duplicate says None whatever the sizes:
        # the least of its thresholds (containment's floor is least at the smallest size
        # ratio it accepts), less a margin for rounding
        cfg = self.config
        floor = 0.5 * cfg.containment * cfg.min_size_ratio / (1.0 + cfg.min_size_ratio)
        self.least_copy_estimate = min(cfg.threshold, cfg.short_threshold, floor) * (1 - 1e-9)

    def story_vector(self, prepared: _Prepared, found: LookupResult) -> StoryVector:
        """The article's story vector, with the frequencies its lookup read (and the
        recent ones it did not need to read); remembers what was read."""
        if len(self._df) > 200_000:
            self._df.clear()
        docs = found.docs
        if len(found.df) == len(prepared.read):
            self._df.update(zip(prepared.read, zip(found.df, repeat(docs))))
        self._docs = docs
        known = self._df
        df = {term: known[term][0] for term in prepared.story_counts if term in known}
        return story_vector(
            prepared.story_counts,
            prepared.features.story_links,
            df,
            docs,
            prepared.features.facts,
            prepared.time_known,
            event_actions(prepared.features.title_tokens, prepared.features.body_tokens),
            prepared.features.years,
            prepared.features.months,
            prepared.features.countries,
            prepared.features.report_day,
            prepared.features.preview,
        )

    # -- preparation (no I/O) -----------------------------------------------------------
    def prepare(self, article: DedupeInput) -> _Prepared:
        cfg = self.config
        canonical = canonical_url(article.url)
        features = extract_features(article.title, article.text, cfg.shingle_size)
        published = published_time(article.published)
        # the weekday the lead names, read dated or not: a published time may come from a
        # date in the text, and is then compared with undated reports' weekdays (stories.py)
        if features.lead_day:
            # (a stored profile keeps MAX_FACTS figures: an undated report's weekday first, as
            # it tells most; a dated one's last, kept when there is room)
            day = (WEEKDAY, float(features.lead_day))
            facts = (day, *features.facts) if published is None else (*features.facts, day)
            features = dataclasses.replace(features, facts=facts)
        # the body decides exact identity; a title-only item is identified by its title
        hashed_tokens = features.body_tokens or features.title_tokens
        digest = content_hash(hashed_tokens) if hashed_tokens else ""
        signature = self._hasher.signature(features.dup_shingles)
        seen_at = article.seen_at or time.time()
        record = StoredArticle(
            id=article.id,
            feed=article.feed,
            story_id=article.id,
            event_time=seen_at if published is None else published,
            shingle_count=features.shingle_count,
            signature=signature,
        )
        counts = features.story_counts
        story_counts = {term: counts[term] for term in ranked_terms(counts, DF_TERMS)}
        # story cells: look up the QUERY_TERMS strongest terms (by the last frequencies
        # read), file under the PROMINENT_TERMS strongest of them
        get, docs = self._df.get, self._docs
        cached, read = {}, []
        for term in story_counts:
            value = get(term)
            if value is None:
                read.append(term)
                continue
            frequency, counted = value
            cached[term] = frequency
            # read again when the store has counted a tenth more documents since (at most
            # 2,000 more): see __post_init__
            # (or fewer: when the store empties its older half, the count drops by half and a
            # frequency read before would exceed it)
            stale = counted // 10
            if abs(docs - counted) > (stale if stale < 2000 else 2000):
                read.append(term)
        story_terms = strongest(weigh(story_counts, cached, docs), QUERY_TERMS)
        buckets: list[bytes] = []
        anchors: list[bytes] = []
        if features.dup_shingles.size:
            buckets += band_keys(signature, cfg.lsh_bands, _DUP_TAG)
            # dup_shingles is sorted: its first hashes are the smallest
            anchors = _anchor_keys(features.dup_shingles[: cfg.anchor_queries])
        filed_anchors = anchors[: cfg.anchors]
        buckets += filed_anchors
        story_keys = list(map(_STORY_KEY.__getitem__, story_terms))
        # filed first (bands, anchors, prominent story terms), then what is only looked up
        index = len(buckets) + min(PROMINENT_TERMS, len(story_keys))
        buckets += story_keys[:PROMINENT_TERMS]
        buckets += anchors[cfg.anchors :]
        buckets += story_keys[PROMINENT_TERMS:]
        url_key = hashlib.sha256(canonical.encode()).hexdigest()[:32] if canonical else None
        query = Lookup(
            url_key=url_key,
            content_key=digest or None,
            buckets=buckets,
            index=index,
            terms=list(map(df_key, story_counts)),
            read=list(map(df_key, read)),
        )
        return _Prepared(canonical, digest, features, record, query, story_counts, read, published is not None)

    def is_near_duplicate(
        self,
        record: StoredArticle,
        other: StoredArticle,
        similarity: float | None = None,
        values: Callable[[], np.ndarray] | None = None,
    ) -> float | None:
        """The estimated similarity when ``record`` is a copy of ``other``, else None.
        ``similarity``, when given, is their estimated Jaccard (computed in bulk);
        ``values`` gives ``record``'s shingles under every MinHash function
        (``MinHasher.values``), to measure containment when Jaccard is not enough."""
        cfg = self.config
        if record.shingle_count == 0 or other.shingle_count == 0:
            return None
        if similarity is None:
            similarity = estimate_jaccard(record.signature, other.signature)
        smaller = min(record.shingle_count, other.shingle_count)
        if smaller < cfg.short_shingles:
            return similarity if similarity >= cfg.short_threshold else None
        if similarity >= cfg.threshold:
            return similarity
        ratio = smaller / max(record.shingle_count, other.shingle_count)
        # containment of the shorter in the longer needs Jaccard of at least about
        # containment x ratio / (1 + ratio); far below that (most candidates) it cannot be
        floor = 0.5 * cfg.containment * ratio / (1.0 + ratio)
        if values is None or ratio < cfg.min_size_ratio or similarity < floor:
            return None
        held = minima_held(values(), other.signature)  # other's minima among record's shingles
        share = held / other.signature.size  # of other's shingles, found in record
        if other.shingle_count <= record.shingle_count:
            contained = share
        else:
            # the shorter is the new text: its containment is the share over the size ratio,
            # whose sampling error the division multiplies; half a standard error of what the
            # division adds is taken off (real pages: a four-sentence retelling that shares
            # 0.38 of itself measured 0.57 against a copy three times its length; half, not
            # one: one lost a fifth of the short copies sharing 0.65; docs/dedupe.md)
            spread = math.sqrt(share * (1.0 - share) / other.signature.size)
            contained = share / ratio - 0.5 * spread * (1.0 / ratio - 1.0)
        low, high = cfg.short_in_long_ratios
        needed = cfg.short_in_long_containment if low <= ratio < high else cfg.containment
        if held >= cfg.min_minima and contained >= needed:
            return min(1.0, contained)
        return None

    # -- decision (one lookup, one write) --------------------------------------------------
    def process(self, article: DedupeInput) -> DedupeDecision:
        prepared = self.prepare(article)
        record = prepared.record
        found = self.store.lookup(prepared.query)

        def earlier(match: StoredArticle | None) -> bool:
            # not the article itself, nor a copy of it: both are found when it is processed
            # again after a crash (stored, its decision not kept yet), and must not make it
            # a duplicate of itself
            return match is not None and match.id != record.id and match.copy_of != record.id

        def another_filling(match: StoredArticle) -> bool:
            # a template filled in for another event: the same words, other years, months,
            # countries, day or figures (the content hash leaves figures out)
            features = prepared.features
            return (
                name_other_years(features.years, match.profile.years)
                or name_other_months(features.months, match.profile.months)
                or name_other_countries(features.countries, match.profile.countries)
                or report_other_days(features.report_day, match.profile.report_day)
                or other_figures(facts_by_kind(features.facts), match.profile, dated=prepared.time_known)
            )

        original, kind, similarity = None, None, None
        if found.url_match is not None and earlier(found.url_match):
            original, kind = found.url_match, "exact-url"
            similarity = estimate_jaccard(record.signature, original.signature)
        elif (
            found.content_match is not None
            and earlier(found.content_match)
            and not another_filling(found.content_match)
        ):
            original, kind, similarity = found.content_match, "exact-content", 1.0
        else:
            estimates = estimate_jaccard_many(record.signature, [c.signature for c in found.candidates])
            computed: list[np.ndarray] = []

            def values() -> np.ndarray:  # computed once, and only for a containment check
                if not computed:
                    computed.append(self._hasher.values(prepared.features.dup_shingles))
                return computed[0]

            least = self.least_copy_estimate
            window = self.config.copy_window_seconds
            for candidate, estimate in zip(found.candidates, estimates):
                if estimate < least or not earlier(candidate):
                    continue  # (most candidates share no minimum: no call for those)
                apart = gap_seconds(
                    record.event_time, prepared.time_known, candidate.event_time, candidate.profile.time_known
                )
                if apart > window:
                    continue  # not republished but written again (copy_window_seconds)
                score = self.is_near_duplicate(record, candidate, estimate, values)
                # (another_filling is asked of the few candidates that pass the copy rule)
                if score is None or another_filling(candidate):
                    continue  # not a copy, or a template filled in for another event
                if similarity is None or score > similarity:
                    original, kind, similarity = candidate, "near", score

        # a copy names the first version, even when it matched a later copy of it: the one
        # article of the chain that was published and matched by every rule
        first = None if original is None else original.first_version

        def decision(story_id: str, story: StoryState, reason: str | None) -> DedupeDecision:
            return DedupeDecision(
                duplicate_of=first,
                kind=kind,
                similarity=round(similarity, 4) if similarity is not None else None,
                story_id=story_id,
                story_sources=story.sources,
                content_hash=prepared.content_hash,
                canonical_url=prepared.canonical_url,
                story_reason=reason,
                story_outlets=story.outlets,
            )

        outlet = Outlet(outlet_name(article.url, article.feed), record.event_time)
        if original is not None:
            reason = f"{kind} duplicate of {original.id}"
            if original.id != first:
                reason += f" (a copy of {first})"
            if kind != "near":  # an exact copy adds nothing to find: its story counts it
                joined = self.store.join(original.story_id, article.feed, outlet)
                return decision(original.story_id, joined, reason)
            # A near copy is filed too, so that a later copy meets the closest version
            # seen, not only the first (whose chrome or cuts may hide the text they
            # share). The store adds its feed and outlet to the story once, as joining would.
            vector = self.story_vector(prepared, found)
            # it is filed as a version of its original, so it carries what the original
            # names and it does not (years, months, countries, the day its lead reports, being
            # a preview): a bulletin of another year must not reach the first version through
            # a copy that names none, nor an outcome a preview through a copy under a new title
            vector = dataclasses.replace(
                vector,
                **{
                    name: getattr(original.profile, name)
                    for name in ("years", "months", "countries", "report_day", "preview")
                    if not getattr(vector, name) and getattr(original.profile, name)
                },
            )
            if not vector.time_known and original.profile.time_known:
                # and, undated, its original's published time: when it was only seen, it
                # counts as close to every dated report, so a template filled in again
                # months later reached the first filling through it (docs/dedupe.md)
                vector = dataclasses.replace(vector, time_known=True)
                record = dataclasses.replace(record, event_time=original.event_time)
            profiled = dataclasses.replace(record, profile=vector.profile())
            copy, query = filed_copy(profiled, prepared.query, story_id=original.story_id, first=original.first_version)
            filed = self.store.insert(copy, query, outlet)
            return decision(original.story_id, filed, reason)

        vector = self.story_vector(prepared, found)
        link = best_story(
            vector,
            record.event_time,
            [c for c in found.candidates if earlier(c)],
            threshold=self.config.story_bar(found.docs),
            dated_threshold=self.config.story_threshold_dated,
            same_actions_threshold=self.config.story_threshold_same_actions,
            per_day=self.config.story_per_day,
            window_seconds=self.config.story_window_seconds,
        )
        record = StoredArticle(
            record.id,
            record.feed,
            link.story_id if link else record.story_id,
            record.event_time,
            record.shingle_count,
            record.signature,
            vector.profile(),
        )
        stored = self.store.insert(record, prepared.query, outlet)
        self._docs += 1  # counted by the store, as the next lookup will say
        return decision(record.story_id, stored, link.reason if link else None)
