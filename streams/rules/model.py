"""The rule model: what a rule is once validated, and the compiled condition tree.

``Rule`` carries what the pipeline and the dispatcher need (id, title, severity, filters,
throttle, channels, escalation). The condition (``when``) compiles into a tree of
``All``/``Any``/``Not``/``Near`` nodes over leaf ids; leaves are shared by every rule that
uses the same leaf, so that each is evaluated once per article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kernel.messages import Evidence
from streams.rules.regions import DEFAULT_REGIONS

Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITIES: tuple[str, ...] = ("info", "low", "medium", "high", "critical")
DEFAULT_SEVERITY = "medium"
DEFAULT_WITHIN = 10  # tokens, when `near` has no `within`


@dataclass(frozen=True, slots=True)
class Rule:
    """A validated watch rule (without its condition, which is compiled separately). A
    plain slotted class: a 10k-rule set holds 10k of them (a pydantic model cost ~1.3 KB
    each), and the loader has validated every field already."""

    id: str
    title: str
    severity: str = DEFAULT_SEVERITY
    enabled: bool = True
    languages: list[str] | None = None
    feeds: list[str] | None = None
    throttle_seconds: float = 0.0
    notify: list[str] = field(default_factory=list)
    escalate_at_sources: list[int] = field(default_factory=list)
    # where its leaves may match (streams.rules.regions): title, body, aside
    regions: frozenset[str] = DEFAULT_REGIONS
    # its condition has a `story` leaf: escalations count the story's outlets (sites), not feeds
    story_rule: bool = False


@dataclass(frozen=True, slots=True)
class RuleMatch:
    rule: Rule
    evidence: list[Evidence]


# --- compiled condition tree -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LeafNode:
    leaf: int  # index into the compiled set's leaves


@dataclass(frozen=True, slots=True)
class AllNode:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class AnyNode:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class NotNode:
    child: Node


@dataclass(frozen=True, slots=True)
class NearNode:
    leaves: tuple[int, ...]
    within: int


Node = LeafNode | AllNode | AnyNode | NotNode | NearNode


# --- leaves ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TermsLeaf:
    phrases: tuple[int, ...]  # phrase ids
    exact: bool
    kind: str = "terms"


@dataclass(frozen=True, slots=True)
class EntityLeaf:
    entities: tuple[str, ...]
    phrases: tuple[int, ...]
    kind: str = "entity"


@dataclass(frozen=True, slots=True)
class QuantityLeaf:
    unit: str
    min: float | None
    max: float | None
    kind: str = "quantity"

    def accepts(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


@dataclass(frozen=True, slots=True)
class RegexLeaf:
    pattern: str  # as written
    folded_pattern: str  # what runs on the folded text
    kind: str = "regex"


@dataclass(frozen=True, slots=True)
class StoryLeaf:
    """The article's story has at least ``min_sources`` distinct outlets whose first report
    falls within ``within`` seconds before the article (``streams.rules.story``)."""

    min_sources: int
    within: float  # seconds
    kind: str = "story"


Leaf = TermsLeaf | EntityLeaf | QuantityLeaf | RegexLeaf | StoryLeaf


def leaf_ids(node: Node) -> list[int]:
    """Every leaf a condition refers to, in order."""
    if isinstance(node, LeafNode):
        return [node.leaf]
    if isinstance(node, NearNode):
        return list(node.leaves)
    if isinstance(node, NotNode):
        return leaf_ids(node.child)
    out: list[int] = []
    for child in node.children:
        out.extend(leaf_ids(child))
    return out


def fires_without_leaves(node: Node) -> bool:
    """Whether the condition holds on an article where no leaf fires (e.g. a bare `not`).
    Such rules are evaluated on every article; all others only when one of their leaves
    fires."""
    if isinstance(node, (LeafNode, NearNode)):
        return False
    if isinstance(node, NotNode):
        return not fires_without_leaves(node.child)
    if isinstance(node, AllNode):
        return all(fires_without_leaves(c) for c in node.children)
    return any(fires_without_leaves(c) for c in node.children)
