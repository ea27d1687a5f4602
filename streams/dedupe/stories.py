"""Stories: different articles about the same event, grouped explainably.

An article is a vector of its *story terms* (content words and figures such as "#27"),
weighted tf-idf: a term weighs more the more often the article uses it (title words count
extra) and the rarer it is in the stream. Document frequencies are learned from the
stream itself: the store counts the terms of every stored article (bounded: see
``StoreLimits.df_docs``), and a prior of ``DF_PRIOR`` documents without the term keeps a
young stream from calling every word rare.

An article joins the story of an earlier one (within the story window) when

* the cosine of their vectors reaches ``threshold`` (the new article's shared terms are
  weighed leave-one-out: as if the earlier article had not been counted, so that two
  reports do not make the words they share look common), raised by ``per_day`` for each day
  between them (reports of one event come within hours; the same people in the news a day
  later are usually another event), and
* they share at least ``MIN_SHARED_UNITS`` *units*. A unit is a shared term, or a run of
  shared terms that follow each other in both articles, such as a multi-word name
  ("البنك المركزي الأردني", "فيصل بن فرحان"). A unit counts once, with its strongest term:
  two reports about different events that name the same institution share one unit, not
  three, while reports of one event share several (the place, what happened, the figures).

The decision records the similarity, the threshold it had to reach, the time between the
articles and the shared units. Candidates come from story cells: an article is filed
under its ``PROMINENT_TERMS`` strongest terms and looks up its ``QUERY_TERMS`` strongest.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import mul
from typing import Any

from streams.dedupe.fact_checks import conflicting_story, facts_by_kind
from streams.dedupe.profile import EMPTY_PROFILE, MAX_FACTS, MAX_LINKS, StoryProfile, link_pair
from streams.dedupe.term_hashes import term_hash
from streams.event_time import gap_seconds

PROMINENT_TERMS = 8  # an article is filed under this many of its strongest terms
QUERY_TERMS = 24  # and looks up this many
PROFILE_TERMS = 48  # kept per stored article: its vector, for later comparisons
DF_TERMS = 64  # terms whose document frequency is read and, once stored, counted
DF_PRIOR = 20.0  # documents assumed not to hold a term, besides those counted
MIN_SHARED_UNITS = 3
# Of the shared terms, at least MIN_RARE_SHARED must be rare: in at most RARE_SHARE of the
# stream's documents (at least one), the stored article compared with included. Cosine is
# blind to how common the shared words are when all are equally common: texts drawn from one everyday
# vocabulary would otherwise all be "one story", and their alerts throttled as one.
MIN_RARE_SHARED = 2
RARE_SHARE = 0.02
# Reports more than STRONG_HOURS apart join only when they share at least STRONG_RARE rare
# terms (the same names and places of one event, not only of its topic): the same two
# leaders meeting again, or a tally of another day, is another event.
STRONG_HOURS = 36.0
CHAIN_SHARE = 0.5
STRONG_RARE = 4
# Two dated reports at most this far apart need only DedupeConfig.story_threshold_dated.
DATED_HOURS = 12.0
# Two such reports that also tell the same event actions (actions.py) need only
# DedupeConfig.story_threshold_same_actions, and a shared term counts as rare when at most
# SAME_ACTIONS_RARE_DOCS stored articles hold it (or RARE_SHARE of them, when more): in a
# young stream RARE_SHARE means "in no other article", stricter than in a running one,
# and the event's own names are soon in several of its reports (docs/dedupe.md).
SAME_ACTIONS_RARE_DOCS = 4
# Rarity against one story leaves the story's own articles out of the count (those
# best_story fetched): the names of an event told by five outlets are in five stored
# articles, too many to be rare in a young stream, yet held by no other story, so the sixth
# report could join only through details shared with one report. Reports within
# STRONG_HOURS only (the same names days apart stay the strong guard's), and only for a
# story holding at most this share of the stream's documents: in a stream of one everyday
# vocabulary, the first story would otherwise make every word "rare" and take everything.
STORY_OWN_SHARE = 0.1


def idf(df: int, docs: int) -> float:
    """Inverse document frequency with a prior of DF_PRIOR documents without the term."""
    return math.log((docs + DF_PRIOR) / (df + 1.0))


def ranked_terms(counts: Mapping[str, int], limit: int) -> list[str]:
    """The ``limit`` most used terms, ties in order of first use (``counts`` is ordered
    by first use: title, then body; news puts what matters first)."""
    return sorted(counts, key=counts.__getitem__, reverse=True)[:limit]  # stable: ties keep their order


_LOG = [0.0] + [math.log(n) for n in range(1, 4096)]


def weigh(counts: Mapping[str, int], df: Mapping[str, int], docs: int) -> dict[str, float]:
    """tf-idf: (1 + log count) x idf, as ``idf`` defines it."""
    prior = math.log(docs + DF_PRIOR)
    get, table, limit, log = df.get, _LOG, len(_LOG), math.log
    weights = {}
    for term, count in counts.items():
        seen = get(term, 0) + 1
        idf = prior - (table[seen] if seen < limit else log(seen))
        # never below 0: a frequency read before the store's count dropped may exceed it
        # (a conditional, not max(0.0, idf): the same value, without a call)
        weights[term] = (1.0 + (table[count] if count < limit else log(count))) * (idf if idf > 0.0 else 0.0)
    return weights


def strongest(weights: Mapping[str, float], limit: int) -> list[str]:
    """The ``limit`` heaviest terms, ties in the order of ``weights``."""
    return sorted(weights, key=weights.__getitem__, reverse=True)[:limit]


@dataclass(frozen=True, slots=True)
class StoryVector:
    """A new article's story vector, exact, with its words (to name shared units)."""

    weights: dict[int, float]  # term hash -> weight, strongest PROFILE_TERMS terms
    # term hash -> weight with one document fewer holding the term: compared with a stored
    # article, a term they share is weighed as if that article had not been counted (the
    # two articles do not make their shared words common; leave-one-out)
    shared_weights: dict[int, float]
    words: dict[int, str]  # term hash -> term
    first_use: dict[int, int]  # term hash -> rank of first use (to name a unit in text order)
    links: set[tuple[str, str]]  # pairs of those terms (words) that follow each other
    norm: float
    rare: frozenset[int] = frozenset()  # term hashes rare in the stream (see MIN_RARE_SHARED)
    facts: Mapping[int, set[float]] = field(default_factory=dict)  # kind hash -> values (figures.py)
    time_known: bool = True  # its event time is a published time (see event_time.gap_seconds)
    actions: int = 0  # its event actions (actions.py: a bit per family)
    # term hashes rare by the floor of SAME_ACTIONS_RARE_DOCS documents (a superset of rare)
    rare_floored: frozenset[int] = frozenset()
    years: frozenset[int] = frozenset()  # the years it names (years.py), kept for copy checks
    months: frozenset[int] = frozenset()  # the months it dates by (months.py), likewise
    countries: frozenset[int] = frozenset()  # the countries its lead names (countries.py), likewise
    report_day: int = 0  # the weekday its lead reports (weekdays.lead_days), likewise
    # term hash -> stored articles holding it beyond what rare allows, for the terms not
    # rare (see STORY_OWN_SHARE)
    excess: Mapping[int, float] = field(default_factory=dict)
    docs: int = 0  # the stream's documents counted when it was weighed
    preview: bool = False  # written ahead of the event it tells (previews.py)

    def profile(self) -> StoryProfile:
        """What the store keeps: weights scaled to 1..255 (the cosine ignores the scale)."""
        if not self.weights:
            if self.time_known and not (self.years or self.months or self.countries or self.report_day or self.preview):
                return EMPTY_PROFILE
            return StoryProfile(
                (),
                (),
                (),
                (),
                self.time_known,
                years=self.years,
                months=self.months,
                countries=self.countries,
                report_day=self.report_day,
                preview=self.preview,
            )
        top = max(self.weights.values())
        scale = 255 / top if top > 0 else 0.0
        terms = list(self.weights)
        scaled = [int(w * scale + 0.5) or 1 for w in self.weights.values()]  # 1..255
        index = {self.words[h]: i for i, h in enumerate(terms)}
        links = sorted(link_pair(index[a], index[b]) for a, b in self.links)[:MAX_LINKS]
        facts = [(kind, value) for kind, values in self.facts.items() for value in sorted(values)]
        return StoryProfile(
            terms,
            scaled,
            links,
            facts[:MAX_FACTS],
            self.time_known,
            self.actions,
            self.years,
            self.months,
            self.countries,
            self.report_day,
            self.preview,
        )


def story_vector(
    counts: Mapping[str, int],
    links: Callable[[Collection[str]], set[tuple[str, str]]] | Iterable,
    df: Mapping[str, int],
    docs: int,
    facts: Iterable[tuple[str, float]] = (),
    time_known: bool = True,
    actions: int = 0,
    years: frozenset[int] = frozenset(),
    months: frozenset[int] = frozenset(),
    countries: frozenset[int] = frozenset(),
    report_day: int = 0,
    preview: bool = False,
) -> StoryVector:
    """The vector of an article whose story terms occur ``counts`` times (only the terms
    whose document frequency was read: see DF_TERMS). ``links`` gives the pairs of chosen
    terms that follow each other (``Features.story_links``), or is those pairs."""
    weights = weigh(counts, df, docs)
    top = strongest(weights, PROFILE_TERMS)
    hashes = list(map(term_hash, top))
    chosen = set(top)
    pairs = links(chosen) if callable(links) else {(a, b) for a, b in links if a in chosen and b in chosen}
    vector = dict(zip(hashes, map(weights.__getitem__, top)))
    prior = math.log(docs + DF_PRIOR)
    loo = {}
    rare_at_most = max(1.0, RARE_SHARE * docs)
    floored_at_most = max(rare_at_most, SAME_ACTIONS_RARE_DOCS)
    rare, floored = set(), set()
    excess = {}
    for h, term in zip(hashes, top):
        seen = df.get(term, 0)
        loo[h] = vector[h] if seen < 1 else (1.0 + math.log(counts[term])) * max(0.0, prior - math.log(seen))
        if seen <= rare_at_most:
            rare.add(h)
        else:
            excess[h] = seen - rare_at_most
        if seen <= floored_at_most:
            floored.add(h)
    order = dict(zip(counts, range(len(counts))))
    kinds = facts_by_kind(facts)
    return StoryVector(
        vector,
        loo,
        dict(zip(hashes, top)),
        dict(zip(hashes, map(order.__getitem__, top))),
        {(a, b) for a, b in pairs if a != b},
        math.sqrt(sum(map(mul, vector.values(), vector.values()))),
        frozenset(rare),
        kinds,
        time_known,
        actions,
        frozenset(floored),
        years,
        months,
        countries,
        report_day,
        excess,
        docs,
        preview,
    )


def similarity(vector: StoryVector, other: StoryProfile, at_least: float = 0.0) -> tuple[float, list[list[int]]]:
    """Cosine of ``vector`` (its shared terms weighed leave-one-out) and ``other`` with
    shared names counted once, and the shared units (term hashes, strongest unit first,
    strongest term of a unit first). Returns (0.0, []) early when fewer than
    MIN_SHARED_UNITS terms are shared, or when even the plain cosine (every shared term
    its own unit, an upper bound) is below ``at_least``."""
    score, units, products = _score(vector, other, at_least)
    if not units:
        return 0.0, []
    return score, _ranked(units, products)


def _bound(
    vector: StoryVector,
    other: StoryProfile,
    at_least: float,
    rare: frozenset[int] | None = None,
    min_rare: int = MIN_RARE_SHARED,
) -> tuple[float, float, dict[int, float]]:
    """The plain cosine (every shared term its own unit: an upper bound of the score), the
    norm product it divides by, and the shared terms' products; (0, 0, {}) when fewer than
    MIN_SHARED_UNITS terms are shared, fewer than ``min_rare`` of them are ``rare`` (the
    vector's own rare terms by default) or the bound is below ``at_least``."""
    theirs = other.weight_of
    mine = vector.weights
    shared = mine.keys() & theirs.keys()
    if (
        len(shared) < MIN_SHARED_UNITS
        or vector.norm == 0
        or other.norm == 0
        or len((vector.rare if rare is None else rare) & shared) < min_rare
    ):
        return 0.0, 0.0, {}  # (most candidates stop here; best_story asks the rare terms first)
    loo = vector.shared_weights
    norm_sq = vector.norm * vector.norm
    products = {}
    for h in shared:
        own = loo[h]
        norm_sq += own * own - mine[h] * mine[h]
        products[h] = own * theirs[h]
    scale = math.sqrt(norm_sq) * other.norm
    bound = sum(products.values()) / scale
    if bound < at_least:
        return 0.0, 0.0, {}
    return bound, scale, products


def _score(
    vector: StoryVector, other: StoryProfile, at_least: float
) -> tuple[float, list[list[int]], dict[int, float]]:
    """``similarity`` without ordering the units (only the chosen story's are named)."""
    bound, scale, products = _bound(vector, other, at_least)
    if not products:
        return 0.0, [], {}
    return _units_score(vector, other, scale, products) + (products,)


def _units_score(
    vector: StoryVector, other: StoryProfile, scale: float, products: dict[int, float]
) -> tuple[float, list[list[int]]]:
    # runs of shared terms in both texts: a stored link between two shared terms that are
    # also neighbours in this article
    parent: dict[int, int] = {}

    def root(h: int) -> int:
        while h in parent:
            h = parent[h]
        return h

    words, own_links, terms = vector.words, vector.links, other.terms
    flat = other.flat_links
    for a, b in zip(map(terms.__getitem__, flat[0::2]), map(terms.__getitem__, flat[1::2])):
        if a in products and b in products:
            wa, wb = words[a], words[b]
            if (wa, wb) in own_links or (wb, wa) in own_links:
                ra, rb = root(a), root(b)
                if ra != rb:
                    parent[ra] = rb
    if not parent:  # no shared run: every shared term is a unit
        return sum(products.values()) / scale, [[h] for h in products]
    grouped: dict[int, list[int]] = {}
    for h in products:
        grouped.setdefault(root(h), []).append(h)
    units = list(grouped.values())
    return sum(max(map(products.__getitem__, unit)) for unit in units) / scale, units


def _ranked(units: list[list[int]], products: dict[int, float]) -> list[list[int]]:
    ranked = [sorted(unit, key=products.__getitem__, reverse=True) for unit in units]
    ranked.sort(key=lambda unit: products[unit[0]], reverse=True)
    return ranked


@dataclass(frozen=True, slots=True)
class StoryLink:
    story_id: str
    similarity: float
    needed: float  # the threshold at this time apart
    hours_apart: float
    shared_units: tuple[str, ...]  # strongest first; a multi-word unit as its words
    via: str  # id of the article that matched

    @property
    def reason(self) -> str:
        return (
            f"similarity {self.similarity:.2f} with {self.via} ({self.hours_apart:.1f} h apart, "
            f"needs {self.needed:.2f}); shared: {', '.join(self.shared_units)}"
        )


def best_story(
    vector: StoryVector,
    event_time: float,
    candidates: Sequence[Any],
    *,
    threshold: float,
    dated_threshold: float | None = None,
    same_actions_threshold: float | None = None,
    per_day: float,
    window_seconds: float,
) -> StoryLink | None:
    """The story this article belongs to among ``candidates`` (stored articles), or None.

    Two reports published at most DATED_HOURS apart, both with a published time, need
    ``dated_threshold`` rather than ``threshold`` (plus ``per_day`` per day apart); when
    they also tell the same event actions, ``same_actions_threshold`` and rarity by the
    floor of SAME_ACTIONS_RARE_DOCS documents. Within STRONG_HOURS, a term also counts as
    rare against a story when it would be without the story's own fetched articles
    (STORY_OWN_SHARE).

    Single link (the closest stored article decides) with two guards against chaining one
    event into another: a story whose fetched articles give a figure of a kind that this
    article gives other values of is not joined (figures.py), and articles more than
    STRONG_HOURS apart must share STRONG_RARE rare terms. A preview and a report that is
    not one never link (previews.py): the outcome is news the preview's story must not hide.
    A dated report does not join a story whose fetched dated reports are all more than
    ``window_seconds`` older, even through one of its undated reports."""
    if not vector.weights:
        return None
    known, least_rare = vector.time_known, min(MIN_RARE_SHARED, STRONG_RARE)
    # the threshold for a close, dated report of the same actions (None: this article has
    # no actions or no published time, or actions are not weighed)
    relaxed = same_actions_threshold if known and vector.actions else None
    # each story's fetched articles within the window, with how far apart they are, and
    # the candidates left once what _bound refuses first is asked (most candidates hold
    # fewer rare terms of this article than any join needs), with their order, the
    # similarity they need at no distance and the terms that count as rare for them
    members: dict[str, list[tuple[Any, float]]] = {}
    fetched: dict[str, list[StoryProfile]] | None = None  # each story's fetched profiles, on need
    relievable: dict[int, frozenset[int]] = {}  # story size -> terms it could make rare
    left = []
    # stories whose fetched dated reports all lie beyond the window before this dated one:
    # their undated reports (close to anything, as gap_seconds says) joined them as reports
    # of that old event, and must not carry this one into it (story set 48: a tariff order
    # of February 2026 joined April 2025's through an undated report). Only before: a date
    # beyond the window after it is more often a header's clock than the report's day.
    dated_near: set[str] = set()
    dated_long_before: set[str] = set()
    for order, candidate in enumerate(candidates):
        profile = candidate.profile
        apart = gap_seconds(event_time, known, candidate.event_time, profile.time_known)
        if known and profile.time_known:
            if apart <= window_seconds:
                dated_near.add(candidate.story_id)
            elif candidate.event_time < event_time:
                dated_long_before.add(candidate.story_id)
        if apart > window_seconds:
            continue
        members.setdefault(candidate.story_id, []).append((candidate, apart))
        close_and_dated = known and apart <= DATED_HOURS * 3600 and profile.time_known
        base = dated_threshold if close_and_dated and dated_threshold is not None else threshold
        rare = vector.rare
        if relaxed is not None and close_and_dated and profile.actions == vector.actions:
            base, rare = min(base, relaxed), vector.rare_floored
        # (its terms, not its weight table: most candidates are refused here, and their
        # profiles need not be read further: profile.py)
        shared_rare = len(rare.intersection(profile.terms)) if least_rare else 0
        if shared_rare < least_rare and apart <= STRONG_HOURS * 3600 and vector.excess:
            if fetched is None:
                fetched = {}
                for each in candidates:
                    fetched.setdefault(each.story_id, []).append(each.profile)
            profiles = fetched[candidate.story_id]
            # the shared terms this story's fetched articles could make rare (most
            # candidates have none: their story is one or two articles)
            near = _relievable(vector, len(profiles), relievable).intersection(profile.terms)
            if near and shared_rare + len(near) >= least_rare:
                own = _rare_but_for(vector, near, profiles)
                if own:
                    rare = rare | own
                    shared_rare = len(rare.intersection(profile.terms))
        # (a preview and a report that is not one never link: asked of the few left, as the
        # flag is read with the profile's entries)
        if (not least_rare or shared_rare >= least_rare) and profile.preview == vector.preview:
            left.append((order, candidate, profile, apart, base, rare))
    # whether a story's figures conflict is asked only for a story that one of its
    # articles could join (most candidates fail the bound first)
    conflicts: dict[str, bool] = {}
    # The plain cosine bounds the score from above: candidates are scored in order of
    # their bound, until no bound left can beat the best score (the same choice as scoring
    # every one, at a fraction of the work when many are close).
    bounded = []
    past_stories = dated_long_before - dated_near
    for order, candidate, profile, apart, base, rare in left:
        if conflicts.get(candidate.story_id) or candidate.story_id in past_stories:
            continue
        needed = base + per_day * apart / 86400
        min_rare = STRONG_RARE if apart > STRONG_HOURS * 3600 else MIN_RARE_SHARED
        bound, scale, products = _bound(vector, profile, needed, rare=rare, min_rare=min_rare)
        if not products:
            continue
        story = candidate.story_id
        conflict = conflicts.get(story)
        if conflict is None:
            conflict = conflicts[story] = conflicting_story(
                vector.facts, vector.time_known, members[story], vector.report_day
            )
        if not conflict:
            bounded.append((-bound, order, needed, apart, scale, products, candidate))
    bounded.sort(key=lambda item: (item[0], item[1]))
    cohesive: dict[str, bool] = {}
    best = None
    for negative_bound, order, needed, apart, scale, products, candidate in bounded:
        if best is not None and -negative_bound < best[0]:
            break
        score, units = _units_score(vector, candidate.profile, scale, products)
        story = candidate.story_id
        if (
            len(units) >= MIN_SHARED_UNITS
            and score >= needed
            and cohesive.setdefault(story, _cohesive(vector, [c for c, _ in members[story]], needed))
            and (best is None or score > best[0] or (score == best[0] and order < best[6]))
        ):
            best = (score, units, products, needed, apart, candidate, order)
    if best is None:
        return None
    score, units, products, needed, apart, candidate, _ = best
    named = tuple(
        " ".join(vector.words[h] for h in sorted(unit, key=vector.first_use.__getitem__))
        for unit in _ranked(units, products)[:8]
    )
    return StoryLink(candidate.story_id, score, needed, apart / 3600, named, candidate.id)


def _relievable(vector: StoryVector, size: int, known: dict[int, frozenset[int]]) -> frozenset[int]:
    """The vector's terms that a story of ``size`` fetched articles could make rare (their
    excess is at most ``size``); none for a story holding more than STORY_OWN_SHARE of the
    stream. Remembered in ``known`` by size."""
    terms = known.get(size)
    if terms is None:
        if size > STORY_OWN_SHARE * vector.docs:
            terms = frozenset()
        else:
            terms = frozenset(h for h, excess in vector.excess.items() if excess <= size)
        known[size] = terms
    return terms


def _rare_but_for(vector: StoryVector, terms: Iterable[int], profiles: list[StoryProfile]) -> frozenset[int]:
    """Those of ``terms`` (not rare) that would be rare if these stored articles (one
    story's, as fetched) were not counted."""
    excess = vector.excess
    return frozenset(h for h in terms if sum(h in profile.weight_of for profile in profiles) >= excess[h])


def _cohesive(vector: StoryVector, members: list, needed: float) -> bool:
    """The chaining guard of single link: joining a story through one close article also
    needs the story's fetched articles to be close on average (at least CHAIN_SHARE of the
    threshold), so that a chain of pairwise links does not carry one event into another."""
    if len(members) < 2:
        return True
    plain = [_bound(vector, member.profile, 0.0, min_rare=0)[0] for member in members]
    return sum(plain) / len(plain) >= CHAIN_SHARE * needed
