"""Conditions as functions: a rule's ``when`` tree compiled once into a function of an
article's leaf hits that gives the evidence when it holds."""

from __future__ import annotations

from collections.abc import Callable
from operator import methodcaller

from streams.rules.evidence import Occurrence
from streams.rules.hits import LeafHits
from streams.rules.model import AllNode, AnyNode, LeafNode, NearNode, Node, NotNode

Evaluator = Callable[[LeafHits], list[Occurrence] | None]


LeafGetters = dict[tuple[int, frozenset[str] | None], Evaluator]


def compile_condition(
    node: Node, regions: frozenset[str] | None = None, leaf_getters: LeafGetters | None = None
) -> Evaluator:
    """A condition as a function of an article's leaf hits: the evidence when it holds
    (possibly empty), None when it does not. Built once per rule, so that evaluating a
    candidate rule does not dispatch on the node types again for every article.

    With ``regions``, leaves count only their occurrences in those regions of the article
    (``streams.rules.regions``); without, every occurrence counts. ``leaf_getters`` shares
    the function reading one leaf between the rules that use it."""
    if leaf_getters is None:
        leaf_getters = {}
    if isinstance(node, LeafNode):
        getter = leaf_getters.get((node.leaf, regions))
        if getter is None:
            if regions is not None:
                getter = methodcaller("within", node.leaf, regions)
            else:
                getter = methodcaller("get", node.leaf)  # hits.get(leaf), called from C
            leaf_getters[(node.leaf, regions)] = getter
        return getter
    if isinstance(node, AllNode):
        every = tuple(compile_condition(child, regions, leaf_getters) for child in node.children)

        def all_of(hits: LeafHits) -> list[Occurrence] | None:
            out: list[Occurrence] = []
            for child in every:
                occs = child(hits)
                if occs is None:
                    return None
                out.extend(occs)
            return out

        return all_of
    if isinstance(node, AnyNode):
        some = tuple(compile_condition(child, regions, leaf_getters) for child in node.children)

        def any_of(hits: LeafHits) -> list[Occurrence] | None:
            out: list[Occurrence] = []
            matched = False
            for child in some:
                occs = child(hits)
                if occs is not None:
                    matched = True
                    out.extend(occs)
            return out if matched else None

        return any_of
    if isinstance(node, NotNode):
        inner = compile_condition(node.child, regions, leaf_getters)
        return lambda hits: [] if inner(hits) is None else None
    if isinstance(node, NearNode):
        return lambda hits: _near(node, hits, regions)
    raise TypeError(f"unknown condition node {node!r}")


class RegionEvaluators(dict[int, Evaluator]):
    """Rule index → its condition counting only the occurrences in the rule's regions,
    compiled on first need: only articles with a region some rule leaves out (an aside,
    mostly) ask for it, and only for their candidate rules."""

    def __init__(self, conditions: list[Node], regions: list[frozenset[str]], leaf_getters: LeafGetters) -> None:
        super().__init__()
        self.conditions = conditions
        self.regions = regions
        self.leaf_getters = leaf_getters

    def __missing__(self, ri: int) -> Evaluator:
        evaluator = self[ri] = compile_condition(self.conditions[ri], self.regions[ri], self.leaf_getters)
        return evaluator


def _near(node: NearNode, leaf_occ: LeafHits, regions: frozenset[str] | None) -> list[Occurrence] | None:
    """One occurrence of every leaf, all within ``node.within`` tokens of each other: the
    largest first-token minus the smallest last-token is at most ``within``."""
    found: list[list[Occurrence]] = []
    for lid in node.leaves:
        occs = leaf_occ.get(lid) if regions is None else leaf_occ.within(lid, regions)
        if not occs:
            return None
        found.append(occs)
    # Token places only once every leaf is there: a near rule's trigger leaf is usually
    # found alone (at 10k rules 2 evaluations in 100 find every leaf), and placing its
    # occurrences first built the article's token table for nothing (1.8 % of matching's
    # instructions at 10k rules, callgrind).
    article = leaf_occ.article
    groups = [[(*o.token_span(article), o) for o in occs] for occs in found]
    # Try each occurrence as the one that ends first; every other leaf then needs an
    # occurrence ending no earlier and starting within reach.
    anchors = sorted((span for group in groups for span in group), key=lambda s: (s[1], s[0]))
    for _first, a_last, _occ in anchors:
        chosen: list[Occurrence] = []
        for group in groups:
            best: tuple[int, int, Occurrence] | None = None
            for first, last, occ in group:
                if last >= a_last and first <= a_last + node.within:
                    if best is None or first < best[0]:
                        best = (first, last, occ)
            if best is None:
                break
            chosen.append(best[2])
        else:
            return list(dict.fromkeys(chosen))
    return None
