"""Rule matching speed: articles/s with 10, 1,000 and 10,000 generated rules, and a naive
per-rule `re` loop on the same articles in the same run.

Rules are generated from a vocabulary of made-up Arabic words (every rule watches for its
own words, as real watch lists do); one in ten `all`/`near` rules pairs its words with an
everyday word that occurs in every article, so that every article produces automaton hits
and candidate rules. Articles are everyday Arabic (bench.generate) with a few watched words
planted in each, and a few rare words that no rule watches (names, places: made-up words
outside the rules' vocabulary), most of which a worker has not seen before.

Steady state: each rule set is compiled (timed apart), then warmed up on articles of its
own; the rate is over the measured articles, which no rule set has seen before and which
are the same for every rule count (timed in slices, rule counts in turn, median). Times are
CPU time of this process (``time.process_time``), so that other processes on a shared
machine do not skew the ratios; compile time too. The naive loop (one Python ``re`` per rule
over all of its words, searched on the folded text) runs on a slice of the same articles.

    python bench/bench_match.py [--quick]
"""

from __future__ import annotations

import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import AR_WORDS, article_text  # noqa: E402
from kernel.messages import document_text  # noqa: E402
from streams.rules import compile_ruleset  # noqa: E402
from streams.textnorm import fold  # noqa: E402

# key → (goal, "min" when higher is better / "max" when lower is better)
GOALS = {
    "match.rate_ratio_10k_vs_10": (0.5, "min"),
    "match.speedup_vs_naive_1k": (20.0, "min"),
}

CONSONANTS = "بتثجحخدذرزسشصضطظعغفقكلمنهي"
LONG = "اوي"


def vocabulary(size: int, seed: int = 11) -> list[str]:
    """Made-up words of 4-7 letters (a consonant skeleton with long vowels)."""
    rng = random.Random(seed)
    words: set[str] = set()
    while len(words) < size:
        n = rng.randint(3, 5)
        letters = []
        for i in range(n):
            letters.append(rng.choice(CONSONANTS))
            if i < n - 1 and rng.random() < 0.4:
                letters.append(rng.choice(LONG))
        words.add("".join(letters))
    return sorted(words)


def generate_rules(n: int, vocab: list[str], seed: int = 5) -> tuple[list[dict], dict]:
    rng = random.Random(seed)
    rules: list[dict] = []
    entities: dict[str, dict] = {}
    for i in range(n):
        kind = i % 10
        terms = [rng.choice(vocab) for _ in range(rng.randint(1, 3))]
        if kind < 6:
            when: dict = {"terms": terms}
        elif kind < 8:
            # a second condition: another watched word, or (one rule in ten) an everyday word
            second = rng.choice(AR_WORDS) if rng.random() < 0.1 else rng.choice(vocab)
            when = {
                "all": [{"terms": terms}, {"terms": [rng.choice(vocab), second]}],
                "not": {"terms": [rng.choice(vocab)]},
            }
        elif kind == 8:
            eid = f"person-{i}"
            entities[eid] = {
                "kind": "person",
                "names": [f"{rng.choice(vocab)} {rng.choice(vocab)}", rng.choice(vocab) + "يف"],
            }
            when = {"entity": [eid]}
        else:
            partner = rng.choice(AR_WORDS) if rng.random() < 0.1 else rng.choice(vocab)
            when = {"near": [{"terms": terms}, {"terms": [partner]}], "within": 5}
        rules.append({"id": f"rule-{i}", "title": f"Generated rule {i}", "when": when})
    return rules, entities


def generate_articles(n: int, vocab: list[str], seed: int = 3, planted: int = 4, rare: int = 6) -> list[str]:
    rng = random.Random(seed)
    watched = set(vocab)
    unwatched = [w for w in vocabulary(len(vocab) + 10000, seed=23) if w not in watched]
    articles = []
    for _ in range(n):
        words = article_text(rng, AR_WORDS, 180).split(" ")
        for _ in range(planted):
            pos = rng.randrange(len(words))
            words[pos] = rng.choice(["", "و", "ال", "بال"]) + rng.choice(vocab[:2000]) + rng.choice(["", "ها", "ات"])
        for _ in range(rare):
            pos = rng.randrange(len(words))
            words[pos] = rng.choice(["", "و", "ال"]) + rng.choice(unwatched)
        title = " ".join(rng.choice(AR_WORDS) for _ in range(8))
        articles.append(document_text(title, " ".join(words)))
    return articles


_PREFIX = "(?:[وف]?(?:[بكل]|ال|بال|كال|لل)?)"
_SUFFIX = "(?:ها|هم|هما|كم|نا|ه|ي|ات|ون|ين|ان|ا)?"


def naive_patterns(rules: list[dict]) -> list[re.Pattern]:
    """One Python regex per rule over all of its words (what a per-rule loop would do)."""
    patterns = []
    for rule in rules:
        words: list[str] = []

        def collect(node) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key == "terms":
                        words.extend(value)  # noqa: B023 -- called inside the loop that binds it
                    else:
                        collect(value)
            elif isinstance(node, list):
                for item in node:
                    collect(item)

        collect(rule["when"])
        alternation = "|".join(re.escape(fold(w)) for w in words) or "(?!)"
        patterns.append(re.compile(rf"(?<!\w){_PREFIX}(?:{alternation}){_SUFFIX}(?!\w)"))
    return patterns


def time_pass(ruleset, articles: list[str]) -> tuple[float, int]:
    """Seconds for one pass of ``articles``, and the alerts raised."""
    matches = 0
    started = time.process_time()
    for text in articles:
        matches += len(ruleset.match(text))
    return time.process_time() - started, matches


def rate_naive(patterns: list[re.Pattern], articles: list[str]) -> float:
    started = time.process_time()
    for text in articles:
        folded = fold(text)
        for pattern in patterns:
            pattern.search(folded)
    return len(articles) / (time.process_time() - started)


def rss_with_rules(n: int) -> float:
    """Peak RSS (MB) of a fresh process that loads and compiles ``n`` rules."""
    code = (
        "import resource, sys, json; sys.path.insert(0, %r)\n"  # noqa: UP031 -- %r quotes a path for generated code
        "from bench.bench_match import vocabulary, generate_rules\n"
        "from streams.rules import compile_ruleset\n"
        "rules, entities = generate_rules(%d, vocabulary(30000))\n"
        "rs = compile_ruleset(rules, entities)\n"
        "del rules, entities\n"
        "from bench.bench_match import generate_articles\n"
        "for text in generate_articles(300, vocabulary(30000), seed=4): rs.match(text)\n"
        "print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))\n"
    ) % (str(Path(__file__).resolve().parent.parent), n)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def run(quick: bool = False) -> dict[str, float]:
    vocab = vocabulary(30000)
    warm_up = generate_articles(100 if quick else 300, vocab, seed=4)
    articles = generate_articles(1000 if quick else 4000, vocab)
    sizes = ((10, "10_rules"), (1000, "1k_rules"), (10000, "10k_rules"))
    figures: dict[str, float] = {}
    rulesets = {}
    for n, key in sizes:
        rules, entities = generate_rules(n, vocab)
        started = time.process_time()
        rulesets[key] = compile_ruleset(rules, entities)
        if n == 10000:
            figures["match.compile_seconds_10k"] = time.process_time() - started
        if n == 1000:
            naive_articles = articles[: 20 if quick else 60]
            figures["match.rate_naive_1k"] = rate_naive(naive_patterns(rules), naive_articles)
        for text in warm_up:
            rulesets[key].match(text)
    # The measured articles in slices, each slice timed for every rule count in turn, so that
    # the load of other processes on the machine spreads evenly over the rule counts; the
    # rate is the median over slices (every slice is new to every rule set).
    slices = 5
    per_slice = len(articles) // slices
    seconds: dict[str, list[float]] = {key: [] for _, key in sizes}
    alerts: dict[str, int] = {key: 0 for _, key in sizes}
    for k in range(slices):
        part = articles[k * per_slice : (k + 1) * per_slice]
        for _, key in sizes:
            elapsed, matches = time_pass(rulesets[key], part)
            seconds[key].append(elapsed)
            alerts[key] += matches
    for _, key in sizes:
        figures[f"match.rate_{key}"] = per_slice / statistics.median(seconds[key])
        figures[f"match.alerts_per_article_{key}"] = alerts[key] / (per_slice * slices)
    figures["match.rate_ratio_10k_vs_10"] = figures["match.rate_10k_rules"] / figures["match.rate_10_rules"]
    figures["match.speedup_vs_naive_1k"] = figures["match.rate_1k_rules"] / figures["match.rate_naive_1k"]
    del rulesets
    figures["worker.rss_mb_10k_rules"] = rss_with_rules(10000)
    return figures


if __name__ == "__main__":
    for key, value in run(quick="--quick" in sys.argv).items():
        print(f"{key:32s} {value:12.3f}")
