"""Stories: different articles about the same event, grouped conservatively and explainably.

An article joins the story of an earlier article (within the story window) when their
content words overlap strongly: the Jaccard similarity of their top content terms
reaches ``story_threshold`` *and* they share enough of their most prominent terms. Many
articles share the entities of a conflict (Russia, Ukraine, NATO) without reporting the
same event, so both tests must pass; the reason names the similarity and shared terms.
"""

from __future__ import annotations

from dataclasses import dataclass

from streams.dedupe.store import StoredArticle

PROMINENT_TERMS = 8  # indexed as story buckets: an article's most frequent content words
STORED_TERMS = 32  # compared for the story similarity (and kept in the store)
MIN_SHARED_PROMINENT = 2


@dataclass(frozen=True, slots=True)
class StoryLink:
    story_id: str
    similarity: float
    shared_terms: tuple[str, ...]
    via: str  # id of the article that matched

    @property
    def reason(self) -> str:
        return f"similarity {self.similarity:.2f} with {self.via}; shared terms: {', '.join(self.shared_terms)}"


def term_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def best_story(
    terms: tuple[str, ...],
    event_time: float,
    candidates: list[StoredArticle],
    *,
    threshold: float,
    window_seconds: float,
) -> StoryLink | None:
    """The story this article belongs to among ``candidates``, or None for a new story."""
    prominent = set(terms[:PROMINENT_TERMS])
    own = set(terms)
    best: StoryLink | None = None
    for candidate in candidates:
        if abs(candidate.event_time - event_time) > window_seconds:
            continue
        if len(prominent.intersection(candidate.terms[:PROMINENT_TERMS])) < MIN_SHARED_PROMINENT:
            continue
        theirs = set(candidate.terms)
        # term_similarity(terms, candidate.terms), with the sets built once per candidate
        similarity = len(own & theirs) / len(own | theirs) if own and theirs else 0.0
        if similarity < threshold:
            continue
        if best is None or similarity > best.similarity:
            shared = tuple(t for t in terms[:STORED_TERMS] if t in theirs)[:8]
            best = StoryLink(candidate.story_id, similarity, shared, candidate.id)
    return best
