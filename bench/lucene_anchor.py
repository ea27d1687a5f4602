"""The industrial anchor of the matching figures: Apache Lucene Monitor (the stored-query
engine behind Elasticsearch's percolator) on the same rule sets and the same articles as
``bench.bench_match``, one thread, CPU time of that thread, warmed up, timed in slices
(median), in the same run as Marsad's matcher and slice for slice between its timings.

The rules are translated into Lucene queries (``Translator``); the Java side
(``bench/lucene/src/main/java/io/marsad/bench/MonitorBench.java``) registers them in a
``Monitor`` (its default term-filtered presearcher) and matches each article as one document
(title and body, one field), as a stream would. The jars come from Maven Central
(``bench/lucene/pom.xml``; the JDK and Maven the local Kafka needs). Two translations:

- ``light``: what a Lucene user would deploy. Lucene's Arabic analysis (its
  ``ArabicAnalyzer`` without stop words, so that positions stay those of the text:
  standard tokenizer, orthography normalized, light stemming); a rule word is analyzed the
  same way. The stemmer strips more than Marsad's rules accept (الأسرة is الأسرى, كالبه is
  به), so it fires rules Marsad does not.
- ``exact``: Marsad's matching done by Lucene. The text folded with Marsad's character table,
  words as ``\\w+`` runs, each word indexed under every (prefix, core, remainder) split of
  Marsad's morphology, tagged with the classes of prefix and remainder; a rule word asks
  for the classes its spec allows (``morphology.term_word``), names with the spellings
  Marsad's variant generator gives them. More terms per word: slower, and the same rules.

Both: a phrase is a phrase query, all / any / not Boolean queries, *near … within N* an
unordered span query; where the translation gives Lucene less work than Marsad does:

- *quantities* ("troops ≥ 115,820"): Lucene has no quantity reader, so the leaf becomes
  "one of the unit's words is present", a necessary condition only: Lucene does not read
  numbers, about a third of Marsad's time at 1k and 10k rules (``docs/performance.md``);
- *regexes*: the bench's four patterns as regexps on consecutive tokens; a pattern not in
  ``REGEXES`` is an error.

``agreement`` compares, article by article, the rules the two fire among the rules with no
quantity and no regex (where the translation is meant to be exact); it says how far the two
do the same work. ``bench.bench_match`` runs it (``MonitorServer``, ``anchor_figures``), its
slices alternating with Marsad's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from streams.rules import CompiledRuleSet
from streams.rules.morphology import (
    ANY_REMAINDER,
    PREFIXES,
    SUFFIXES,
    TAA,
    TAA_REMAINDERS,
    WORD,
    WordSpec,
    match_fold,
    term_word,
    words_of,
)
from streams.rules.quantities import default_unit_classes
from streams.rules.variants import VariantOptions, entity_variants, spelling_groups

LUCENE_DIR = Path(__file__).resolve().parent / "lucene"
MAIN_CLASS = "io.marsad.bench.MonitorBench"
SOURCE = LUCENE_DIR / "src" / "main" / "java" / "io" / "marsad" / "bench" / "MonitorBench.java"

# The bench's regex rules (bench.rulesets) as regexps on consecutive tokens (Lucene's
# regexps match one indexed term): the pattern, the token regexps of each mode, the slop.
# "F-16" is two tokens in both tokenizers; a pattern with no \b before it also matches
# inside a longer token.
REGEXES: dict[str, tuple[list[str], int]] = {
    r"\b(?:F|Su|MiG)-\d{2}\b": (["f|su|mig", "[0-9]{2}"], 0),
    r"قرار\s+(?:رقم\s+)?\d{3,4}": ([".*قرار", "[0-9]{3,4}"], 1),
    r"\bS-[34]00\b": (["s", "[34]00"], 0),
    r"كورنيت|جافلين": ([".*(كورنيت|جافلين).*"], 0),
}
MODES = ("light", "exact")


def word_keys(spec: WordSpec) -> list[str]:
    """The terms of an ``exact`` index any of which is this rule word
    (MonitorBench.Morphology.keys): each class of prefix it allows × each class of
    remainder, and its core."""
    shape = spec.shape
    prefixes = "A" if shape.article_required else ("0PA" if shape.prefixes else "0")
    if not shape.taa:
        remainders = "0S" if shape.suffixes else "0"
    else:
        remainders = "T" if shape.suffixes else "t"
        if shape.final_h and shape.suffixes:
            remainders += "H"
    return [f"{p}{r}:{spec.core}" for p in prefixes for r in remainders]


def morphology_tables() -> dict[str, Any]:
    """Marsad's prefixes and remainders, for the ``exact`` analyzer."""
    return {
        "prefixes": dict(PREFIXES),
        "remainders": sorted(ANY_REMAINDER),
        "suffixes": sorted(SUFFIXES),
        "taa_remainders": sorted(TAA_REMAINDERS),
        "taa_only": [TAA, "ه"],
    }


def folding_table(texts: Iterable[str]) -> dict[str, str]:
    """Marsad's match folding of every character the texts hold that it changes."""
    chars = set().union(*map(set, texts))
    return {c: f for c in sorted(chars) if (f := match_fold(c)) != c}


class Translator:
    """Marsad rule conditions → the query tree MonitorBench.java reads. ``light``: a term's
    words as written, analyzed by Lucene's Arabic analyzer; ``exact``: each word as the keys
    of the spec Marsad's compiler gives it (``morphology.term_word``). Names, in both, with
    the spellings Marsad's variant generator gives them (folded words)."""

    def __init__(self, entities: dict[str, dict[str, Any]], mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.entities = entities
        self.exact = mode == "exact"
        self.units = default_unit_classes()

    def _word(self, word: str, first: bool, entity: bool) -> list[str]:
        if not self.exact:
            return [word]
        return word_keys(term_word(word, exact=False, first=first, entity=entity))

    def _terms(self, terms: Sequence[str]) -> dict[str, Any]:
        if not self.exact:  # Lucene's analyzer normalizes the words as it does the text's
            return {"or": [{"seq": [[w] for w in WORD.findall(t)]} for t in terms if WORD.search(t)]}
        # every word of a term takes clitics (the compiler's one_spelling(w, exact, True, False))
        return {"or": [{"seq": [self._word(w, True, False) for w in words_of(t)]} for t in terms if words_of(t)]}

    def _entity(self, ids: Sequence[str]) -> dict[str, Any]:
        seqs = []
        for eid in ids:
            raw = self.entities[eid]
            names = list(raw.get("names") or []) + list(raw.get("aliases") or [])
            for group in spelling_groups(entity_variants(eid, names, VariantOptions(), raw.get("exclude")).variants):
                seqs.append(
                    {
                        "seq": [
                            [k for w in spellings for k in self._word(w, i == 0, True)]
                            for i, spellings in enumerate(group)
                        ]
                    }
                )
        return {"or": seqs}

    def node(self, when: dict[str, Any]) -> dict[str, Any]:
        """One condition (its keys all required) as a query node."""
        parts: list[dict[str, Any]] = []
        negated: list[dict[str, Any]] = []
        for key, value in when.items():
            if key == "terms":
                parts.append(self._terms([value] if isinstance(value, str) else value))
            elif key == "entity":
                parts.append(self._entity([value] if isinstance(value, str) else value))
            elif key == "all":
                parts.append({"and": [self.node(child) for child in value]})
            elif key == "any":
                parts.append({"or": [self.node(child) for child in value]})
            elif key == "not":
                negated.extend(self.node(child) for child in (value if isinstance(value, list) else [value]))
            elif key == "near":
                # Marsad: first token of the last minus last token of the first ≤ within;
                # a span slop counts the positions between them
                slop = int(when.get("within", 10)) - 1
                parts.append({"near": [self.node(child) for child in value], "slop": slop})
            elif key == "within":
                continue
            elif key == "quantity":
                parts.append(self._terms(self.units.words[value["unit"]]))
            elif key == "regex":
                if value not in REGEXES:
                    raise ValueError(f"no Lucene translation for the regex {value!r}: add it to REGEXES")
                tokens, slop = REGEXES[value]
                parts.append({"regexps": [f"00:{t}" if self.exact else t for t in tokens], "slop": slop})
            else:
                raise ValueError(f"no Lucene translation for the condition {key!r}")
        if len(parts) == 1 and not negated:
            return parts[0]
        out: dict[str, Any] = {"and": parts}
        if negated:
            out["not"] = negated
        return out


def comparable(when: Any) -> bool:
    """True when the translation of a rule is meant to fire exactly when Marsad's does
    (no quantity, no regex)."""
    if isinstance(when, dict):
        return not ({"quantity", "regex"} & when.keys()) and all(comparable(v) for v in when.values())
    if isinstance(when, list):
        return all(comparable(v) for v in when)
    return True


def _classpath() -> str:
    """Fetch the jars (once) and compile MonitorBench.java (when it changed)."""
    for tool in ("mvn", "javac", "java"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"the Lucene anchor needs `{tool}` (JDK 17 and Maven, as the local Kafka does)")
    target = LUCENE_DIR / "target"
    libs, classes = target / "lib", target / "classes"
    pom_copy = target / "pom.fetched"
    pom = (LUCENE_DIR / "pom.xml").read_text()
    if not pom_copy.exists() or pom_copy.read_text() != pom:
        shutil.rmtree(libs, ignore_errors=True)
        subprocess.run(
            ["mvn", "-q", "-B", "-f", str(LUCENE_DIR / "pom.xml"), "dependency:copy-dependencies",
             "-DincludeScope=runtime", f"-DoutputDirectory={libs}"],
            check=True,
            timeout=900,
        )  # fmt: skip
        pom_copy.write_text(pom)
    compiled = classes / "io" / "marsad" / "bench" / "MonitorBench.class"
    if not compiled.exists() or compiled.stat().st_mtime < SOURCE.stat().st_mtime:
        classes.mkdir(parents=True, exist_ok=True)
        subprocess.run(["javac", "-encoding", "UTF-8", "-d", str(classes), "-cp", f"{libs}/*", str(SOURCE)], check=True)
    return f"{classes}:{libs}/*"


class MonitorServer:
    """Lucene Monitor in its own process, with the named rule sets (rules, entities, mode)
    registered and warmed up, timing one slice of the measured articles when asked. The
    caller alternates these slices with its own timings of Marsad on the same slices, so that
    whatever else loads the machine loads both engines alike (timed one after the other,
    the two rates had moved apart by up to 2x between runs: docs/performance.md)."""

    def __init__(
        self,
        sets: dict[str, tuple[list[dict[str, Any]], dict[str, dict[str, Any]], str]],
        warm_up: list[str],
        documents: list[str],
        slices: int,
        warm_up_passes: int = 3,
    ) -> None:
        payload = {
            "warm_up": warm_up,
            "documents": documents,
            "slices": slices,
            "warm_up_passes": warm_up_passes,
            "folding": folding_table([*warm_up, *documents]),
            "morphology": morphology_tables(),
            "sets": [
                {
                    "name": name,
                    "mode": mode,
                    "queries": [
                        {"id": rule["id"], "q": Translator(entities, mode).node(rule["when"])} for rule in rules
                    ],
                }
                for name, (rules, entities, mode) in sets.items()
            ],
        }
        self.names = list(sets)
        self.slices = slices
        classpath = _classpath()
        self._folder = tempfile.TemporaryDirectory()
        given = Path(self._folder.name) / "in.json"
        self._taken = Path(self._folder.name) / "out.json"
        given.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        # the heap large enough that the 10k set never waits for the collector
        self._process = subprocess.Popen(
            ["java", "-Xms1g", "-Xmx4g", "-cp", classpath, MAIN_CLASS, str(given), str(self._taken)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        try:
            self._expect("ready")
        except BaseException:
            self.close()  # no `with` holds it yet
            raise

    def _answer(self) -> str:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"Lucene Monitor's process ended (exit code {self._process.wait()}); its error is above")
        return line.strip()

    def _expect(self, word: str) -> None:
        answer = self._answer()
        if answer != word:
            raise RuntimeError(f"Lucene Monitor's process said {answer!r}, not {word!r}")

    def _say(self, line: str) -> None:
        assert self._process.stdin is not None
        self._process.stdin.write(line + "\n")
        self._process.stdin.flush()

    def slice_seconds(self, name: str, k: int) -> float:
        """CPU seconds of Lucene's matching thread on slice ``k`` of set ``name``."""
        self._say(f"slice {name} {k}")
        return float(self._answer())

    def finish(self) -> dict[str, Any]:
        """Every set's rate (articles a CPU second, median slice), compile seconds, heap MB and
        the rule ids fired on each measured article; every slice must have been timed."""
        self._say("done")
        self._expect("written")
        self._process.wait()
        result: dict[str, Any] = json.loads(self._taken.read_text(encoding="utf-8"))
        return result

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()
        self._folder.cleanup()

    def __enter__(self) -> MonitorServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_monitor(
    sets: dict[str, tuple[list[dict[str, Any]], dict[str, dict[str, Any]], str]],
    warm_up: list[str],
    documents: list[str],
    slices: int,
    warm_up_passes: int = 3,
) -> dict[str, Any]:
    """Lucene Monitor's figures for each named rule set, its slices timed one after another
    (``MonitorServer.finish``)."""
    with MonitorServer(sets, warm_up, documents, slices, warm_up_passes) as server:
        for k in range(slices):
            for name in server.names:
                server.slice_seconds(name, k)
        return server.finish()


def agreement(rules: list[dict[str, Any]], marsad: list[set[str]], lucene: list[list[str]]) -> tuple[float, int, int]:
    """Share of articles where the two fire the same comparable rules; and the comparable
    alerts only Marsad fired, only Lucene fired."""
    keep = {rule["id"] for rule in rules if comparable(rule["when"])}
    same = only_marsad = only_lucene = 0
    for ours, theirs in zip(marsad, lucene, strict=True):
        a, b = ours & keep, set(theirs) & keep
        same += a == b
        only_marsad += len(a - b)
        only_lucene += len(b - a)
    return same / max(1, len(marsad)), only_marsad, only_lucene


def anchor_jobs(
    sets: dict[str, tuple[list[dict[str, Any]], dict[str, dict[str, Any]], CompiledRuleSet]],
) -> dict[str, tuple[list[dict[str, Any]], dict[str, dict[str, Any]], str]]:
    """The Monitor's rule sets for Marsad's named sets: each in both translations."""
    return {f"{key}|{mode}": (rules, entities, mode) for key, (rules, entities, _) in sets.items() for mode in MODES}


def anchor_figures(
    sets: dict[str, tuple[list[dict[str, Any]], dict[str, dict[str, Any]], CompiledRuleSet]],
    documents: list[tuple[str, int]],
    out: dict[str, Any],
) -> dict[str, float]:
    """``match.lucene_*`` figures for the named rule sets (rules, entities, Marsad's compiled
    set) from the Monitor's results ``out`` (``MonitorServer.finish`` on ``anchor_jobs``),
    both translations; the comparison with Marsad's rates is the caller's. Agreement is with
    what Marsad fires on the same measured articles."""
    figures: dict[str, float] = {"match.lucene_version_major": float(out["lucene_version"].split(".")[0])}
    for key, (rules, _entities, compiled) in sets.items():
        fired = [{m.rule.id for m in compiled.match(text, title_end=end)} for text, end in documents]
        for mode in MODES:
            result = out["sets"][f"{key}|{mode}"]
            name = "lucene" if mode == "light" else "lucene_exact"
            figures[f"match.{name}_rate_{key}"] = result["rate"]
            figures[f"match.{name}_alerts_per_article_{key}"] = result["alerts_per_article"]
            share, only_marsad, only_lucene = agreement(rules, fired[: len(result["matches"])], result["matches"])
            figures[f"match.{name}_agreement_{key}"] = share
            figures[f"match.{name}_alerts_only_marsad_{key}"] = only_marsad
            figures[f"match.{name}_alerts_only_lucene_{key}"] = only_lucene
            if key == "10k_rules":
                figures[f"match.{name}_compile_seconds_{key}"] = result["compile_seconds"]
                figures[f"match.{name}_heap_mb_{key}"] = result["heap_mb"]
    return figures
