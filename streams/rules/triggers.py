"""Which leaves make a rule worth evaluating on an article (its *trigger* leaves).

A rule is evaluated only when one of its trigger leaves fired. The trigger set of a
condition is a set of leaves of which at least one must fire for the condition to hold, so
skipping the other rules never changes what matches:

- a leaf: itself;
- ``any``: the union of its children's trigger sets;
- ``all`` and ``near``: the trigger set of one child (one leaf) only, since every child must
  hold: the *rarest*. ``all: [{terms: [غزو]}, {terms: [قال]}]`` is then looked at only on
  articles that mention غزو, not on every article that says قال;
- ``not`` (which holds when something does *not* fire): every leaf under it.

Rules whose condition holds with no leaf at all (a bare ``not``) have no trigger set and are
evaluated on every article.

How rare a leaf is comes from the articles themselves (``LeafFrequencies``: the share of
sampled articles on which the leaf fired), with a static guess before any article is seen:
a common word (``word_frequencies.txt``, ``common_words.txt``) is frequent, a phrase of
several words is rarer than a single word.
"""

from __future__ import annotations

from dataclasses import dataclass

from streams.rules.frequencies import word_share
from streams.rules.model import (
    AllNode,
    AnyNode,
    EntityLeaf,
    Leaf,
    LeafNode,
    NearNode,
    Node,
    NotNode,
    QuantityLeaf,
    RegexLeaf,
    StoryLeaf,
    TermsLeaf,
    fires_without_leaves,
    leaf_ids,
)
from streams.rules.phrases import Phrase

# Static guesses, in "expected fires per article" units; observed rates replace them.
_COMMON_WORD_GUESS = 1.0
_COMMON_SHARE = 1e-4  # a word at least this common (per token) is on most articles
_WORD_GUESS = 0.01
_PHRASE_GUESS = 0.002
_QUANTITY_GUESS = 0.05
_REGEX_GUESS = 0.05
_STORY_GUESS = 0.001  # a story breaking across outlets: a rare event
# Scanning an article for quantities costs about as much as evaluating a few rules
# (measured: ~0.3 ms against ~0.05 ms per candidate rule), so a quantity leaf is a trigger
# only when the other choices fire on at least about half the articles.
_QUANTITY_SCAN_COST = 0.5


def static_leaf_rates(leaves: list[Leaf], phrases: list[Phrase]) -> list[float]:
    """A first guess of how often each leaf fires, before any article is seen: a phrase is
    as common as its rarest word (``frequencies``), and rarer when it has several words."""
    phrase_rates = []
    for phrase in phrases:
        share = word_share(phrase.key_word.word)
        if share >= _COMMON_SHARE:
            rate = _COMMON_WORD_GUESS
        else:
            rate = _PHRASE_GUESS if len(phrase.words) > 1 else _WORD_GUESS
        phrase_rates.append(rate)
    rates = []
    for leaf in leaves:
        if isinstance(leaf, (TermsLeaf, EntityLeaf)):
            rates.append(sum(phrase_rates[pid] for pid in leaf.phrases))
        elif isinstance(leaf, QuantityLeaf):
            rates.append(_QUANTITY_GUESS)
        elif isinstance(leaf, RegexLeaf):
            rates.append(_REGEX_GUESS)
        elif isinstance(leaf, StoryLeaf):
            rates.append(_STORY_GUESS)
        else:
            rates.append(1.0)
    return rates


def trigger_costs(rates: list[float], leaves: list[Leaf], *, scan_paid: bool = False) -> list[float]:
    """What choosing each leaf as a trigger costs per article, in the units of ``rates``: its
    rate, plus for a quantity leaf the scan for quantities that a trigger needs on every
    article (a quantity leaf that triggers nothing is read only when a rule asks). With
    ``scan_paid`` (some rule's trigger is a quantity leaf already, so every article's
    quantities are read anyway) a quantity leaf costs its rate only."""
    scan = 0.0 if scan_paid else _QUANTITY_SCAN_COST
    return [rate + scan if isinstance(leaf, QuantityLeaf) else rate for rate, leaf in zip(rates, leaves)]


def trigger_leaves(node: Node, rate: list[float]) -> tuple[int, ...] | None:
    """The trigger set of ``node`` (leaf ids, rarest choice by ``rate``), or None when the
    condition can hold with no leaf firing."""
    if fires_without_leaves(node):
        return None
    return tuple(dict.fromkeys(_triggers(node, rate)))


def _triggers(node: Node, rate: list[float]) -> list[int]:
    # Precondition: fires_without_leaves(node) is False.
    if isinstance(node, LeafNode):
        return [node.leaf]
    if isinstance(node, NearNode):
        return [min(node.leaves, key=lambda lid: (rate[lid], lid))]
    if isinstance(node, AllNode):
        options = [_triggers(c, rate) for c in node.children if not fires_without_leaves(c)]
        return min(options, key=lambda lids: (sum(rate[lid] for lid in lids), len(lids)))
    if isinstance(node, AnyNode):
        out: list[int] = []
        for child in node.children:
            out.extend(_triggers(child, rate))
        return out
    if isinstance(node, NotNode):
        # Holds without leaves is False here, so it can only hold when one of its leaves fired.
        return leaf_ids(node)
    raise TypeError(f"unknown condition node {node!r}")


@dataclass
class LeafFrequencies:
    """On how many sampled articles each leaf fired. Sampling is dense at first (so that a
    fresh worker learns quickly) and sparse later; the trigger plan is rebuilt at
    ``replan_at`` sample counts, and only when the estimates changed which leaf is rarest.

    The sampled articles also teach the phrase keys (phrase_keys.py). After 16 articles a
    word in one article in six is still unseen one time in twenty, as rare as a name to the
    keys: with no word list, 10k rules then did 143 failed phrase checks an article for
    phrases keyed on their common word («X الحكومة»), 18 after 64 (callgrind: 11.2 → 9.1 M
    instructions an article at 10k rules, 5.5 → 5.3 M at 1k). The 48 more samples cost a
    new worker a token count on 48 more of its first articles."""

    counts: list[int]
    static: list[float]
    samples: int = 0
    articles: int = 0
    dense_samples: int = 64
    sparse_every: int = 128
    replan_at: tuple[int, ...] = (16, 64, 256, 1024)
    replan_every: int = 4096

    def should_sample(self) -> bool:
        self.articles += 1
        if self.samples < self.dense_samples:
            return True
        return self.articles % self.sparse_every == 0

    def record(self, fired: set[int]) -> bool:
        """Count one sampled article's fired leaves; True when the plan should be rebuilt."""
        counts = self.counts
        for lid in fired:
            counts[lid] += 1
        self.samples += 1
        return self.samples in self.replan_at or self.samples % self.replan_every == 0

    def rates(self) -> list[float]:
        if self.samples == 0:
            return list(self.static)
        n = self.samples
        # Observed share, with the static guess as a tie-breaker between leaves never seen.
        return [c / n + s * 1e-3 for c, s in zip(self.counts, self.static)]
