"""The Arabic-aware watch-rule engine: rule language, spelling variants, quantities,
evidence, one compiled matcher for all rules (see DESIGN.md, "Watch rules").

    ruleset = load_ruleset(Path("deploy/demo/rules"), Path("deploy/demo/entities.yaml"))
    for m in ruleset.match(document_text(title, text), language="ar", feed="sahil-news"):
        m.rule.id, m.evidence
"""

from kernel.config_files import Issue
from streams.rules.compiler import compile_ruleset, ruleset_version
from streams.rules.loader import RuleSetError
from streams.rules.matcher import CompiledRuleSet
from streams.rules.model import Rule, RuleMatch
from streams.rules.ruleset import example_issues, load_ruleset, ruleset_from_message

__all__ = [
    "CompiledRuleSet",
    "Issue",
    "Rule",
    "RuleMatch",
    "RuleSetError",
    "compile_ruleset",
    "example_issues",
    "load_ruleset",
    "ruleset_from_message",
    "ruleset_version",
]
