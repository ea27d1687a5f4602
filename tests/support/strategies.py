"""Hypothesis strategies for hostile input to Marsad's pure functions.

The vocabulary is written for these tests (no text is copied from the corpus). Strategies
mix realistic Arabic news wording — clitics, diacritics, tatweel, hamza forms,
Persian/Urdu letters, Arabic-Indic and Persian digits, number and unit words, qualifiers —
with what breaks parsers: zero-width and bidi controls, presentation forms, Latin letters
whose case folding grows, emoji sequences, HTML fragments, very long runs and arbitrary
(surrogate-free) unicode.

``FUZZ`` is the common settings profile: reproducible (``derandomize``, no example
database) in CI, ten times more examples and random seeds with ``MARSAD_LONG_TESTS=1``.
"""

from __future__ import annotations

import os
import string
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

LONG = os.environ.get("MARSAD_LONG_TESTS") == "1"
SCALE = 10 if LONG else 1

FUZZ = settings(
    derandomize=not LONG,
    database=None,
    # One slow example (a cold cache, a 20 kB line) must not fail the run; hangs are
    # caught by pytest-timeout and by the explicit time bounds in the feed tests.
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    print_blob=True,
)


def examples(ci: int) -> settings:
    """``ci`` examples in ``make test``, ten times as many in the long run."""
    return settings(FUZZ, max_examples=ci * SCALE)


# --- characters -----------------------------------------------------------------------------

ARABIC_LETTERS = [chr(c) for c in range(0x0621, 0x063B)] + [chr(c) for c in range(0x0641, 0x064B)]
DIACRITICS = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670", "\u0654", "\u0655"]
TATWEEL = "\u0640"
HAMZA_FORMS = list("أإآؤئءٱىة")
PERSIAN_URDU = list("یکۀےگپچژېہەھڪ")
ARABIC_INDIC_DIGITS = [chr(0x0660 + i) for i in range(10)]
PERSIAN_DIGITS = [chr(0x06F0 + i) for i in range(10)]
ZERO_WIDTH_BIDI = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u061c",
    "\ufeff",
    "\u00ad",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
]
SPACES = [" ", " ", " ", "\n", "\t", "\r\n", "\u00a0", "\u2028", "\u2029", "\u3000", "\u2009", "\r", "\x0c"]
PUNCTUATION = list("،؛؟۔٪٫٬«»“”‘’\"'()[]-–—….,:;!?%$€£/\\*#@&+=<>|") + ["٭", "″", "′"]
PRESENTATION_FORMS = ["ﻻ", "ﻷ", "ﺑ", "ﺔ", "ﻰ", "ﷲ", "ﷺ", "ﷻ", "ﷰ", "\ufc5e", "\ufe8e", "ﭖ", "ﯼ"]
# Case folding of these grows or adds combining marks: İ → i̇, ß → ss, ﬁ → fi, ŉ → ʼn.
GROWING_LATIN = ["İ", "ß", "ẞ", "ﬁ", "ﬀ", "ŉ", "ΐ", "ǰ", "Σ", "ς", "K", "Å", "Ω"]
EMOJI = ["😀", "🇸🇦", "👨\u200d👩\u200d👧", "👍🏽", "❤️", "🔥", "\U0001f9ff"]

# --- words ----------------------------------------------------------------------------------

CLITICS = ["", "", "", "و", "ف", "ب", "ل", "ك", "ال", "لل", "وال", "بال", "فال", "وب", "ول", "كال"]
SUFFIXES = ["", "", "", "ها", "ه", "هم", "هما", "كم", "نا", "ي", "ات", "ون", "ين", "ان", "ًا", "اً", "ة"]
NUMBER_WORDS = [
    "ألف",
    "آلاف",
    "ألفا",
    "ألفاً",
    "ألفي",
    "ألفين",
    "الآلاف",
    "مليون",
    "ملايين",
    "الملايين",
    "مليونا",
    "مليار",
    "مليارات",
    "مئة",
    "مائة",
    "مئتان",
    "مئتي",
    "ثلاثمائة",
    "خمسمئة",
    "عشرات",
    "مئات",
    "بضعة",
    "بضع",
    "نصف",
    "ربع",
    "واحد",
    "اثنان",
    "اثنين",
    "ثلاثة",
    "ثلاث",
    "أربعة",
    "خمسة",
    "ستة",
    "سبعة",
    "ثمانية",
    "تسعة",
    "عشر",
    "عشرة",
    "أحد",
    "إحدى",
    "عشرون",
    "عشرين",
    "ثلاثين",
    "خمسون",
    "خمسين",
    "تسعين",
    "one",
    "two",
    "ten",
    "eleven",
    "twenty",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "a",
    "an",
    "dozens",
    "several",
    "half",
    "k",
    "m",
    "bn",
]
UNIT_WORDS = [
    "جندي",
    "جنود",
    "الجنود",
    "عسكري",
    "عسكريين",
    "مقاتل",
    "مقاتلون",
    "عنصر",
    "عناصر",
    "قوات",
    "قواتها",
    "دبابة",
    "دبابات",
    "دبابتين",
    "طائرة",
    "مقاتلة",
    "مروحية",
    "قتيل",
    "قتلى",
    "جريح",
    "ضحية",
    "دولار",
    "دولارات",
    "يورو",
    "troops",
    "soldiers",
    "soldier",
    "tanks",
    "tank",
    "dollars",
    "fighter jets",
    "aircraft",
    "personnel",
    "$",
    "USD",
    "€",
]
QUALIFIERS = [
    "أكثر من",
    "أكثر",
    "نحو",
    "حوالي",
    "قرابة",
    "ما يزيد عن",
    "ما لا يقل عن",
    "أقل من",
    "زهاء",
    "about",
    "more than",
    "at least",
    "nearly",
    "over",
    "up to",
    "من",
    "of",
]
NEWS_WORDS = [
    "غزو",
    "اجتياح",
    "الكرملين",
    "بوتين",
    "روسيا",
    "أوكرانيا",
    "كييف",
    "كيف",
    "حدود",
    "قرب",
    "مناورات",
    "قال",
    "أعلن",
    "المتحدث",
    "البنتاغون",
    "البنتاجون",
    "الناتو",
    "حلف",
    "شمال",
    "الأطلسي",
    "بيسكوف",
    "دميتري",
    "ديميتري",
    "عام",
    "2021",
    "السبت",
    "ديسمبر",
    "كانون",
    "اقرأ",
    "أيضاً",
    "شارك",
    "invasion",
    "Putin",
    "Kremlin",
    "NATO",
    "said",
    "F-16",
    "T-72",
    "COVID-19",
    "iPhone",
    "2022",
    "10:30",
    "7/12/2021",
]

_ARABIC_CHAR = st.sampled_from(ARABIC_LETTERS + HAMZA_FORMS + PERSIAN_URDU)
_MARK = st.sampled_from(DIACRITICS + [TATWEEL] + ZERO_WIDTH_BIDI[:5])


@st.composite
def arabic_word(draw: st.DrawFn) -> str:
    """A made-up Arabic word: clitic + letters, each maybe followed by marks + suffix."""
    letters = draw(st.lists(_ARABIC_CHAR, min_size=1, max_size=8))
    out = [draw(st.sampled_from(CLITICS))]
    for ch in letters:
        out.append(ch)
        out.extend(draw(st.lists(_MARK, max_size=2)))
    out.append(draw(st.sampled_from(SUFFIXES)))
    return "".join(out)


@st.composite
def decorated(draw: st.DrawFn, words: st.SearchStrategy[str]) -> str:
    """A known word with a clitic, a suffix and diacritics/tatweel/controls sprinkled in."""
    word = draw(st.sampled_from(CLITICS)) + draw(words) + draw(st.sampled_from(SUFFIXES))
    if not word or not draw(st.booleans()):
        return word
    at = draw(st.integers(0, len(word)))
    return word[:at] + draw(_MARK) + word[at:]


@st.composite
def number_token(draw: st.DrawFn) -> str:
    """Digits in one of three scripts, with thousands separators, decimals or k/m/bn."""
    digits = draw(st.sampled_from([string.digits, "".join(ARABIC_INDIC_DIGITS), "".join(PERSIAN_DIGITS)]))
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return "".join(draw(st.lists(st.sampled_from(digits), min_size=1, max_size=25)))
    groups = draw(st.lists(st.text(digits, min_size=1, max_size=4), min_size=1, max_size=5))
    separator = draw(st.sampled_from([",", ".", "٬", "٫", "،", " "]))
    token = separator.join(groups)
    if kind == 1:
        token += draw(st.sampled_from(["k", "m", "bn", "K", "M", "٪", "%"]))
    elif kind == 2:
        token = draw(st.sampled_from(["$", "US$", "€", "-", "+", "~", "#"])) + token
    return token


TOKEN = st.one_of(
    arabic_word(),
    decorated(st.sampled_from(NUMBER_WORDS)),
    decorated(st.sampled_from(UNIT_WORDS)),
    decorated(st.sampled_from(NEWS_WORDS)),
    st.sampled_from(QUALIFIERS),
    number_token(),
    st.sampled_from(PUNCTUATION + PRESENTATION_FORMS + GROWING_LATIN + EMOJI + ZERO_WIDTH_BIDI),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=6),
    st.text(string.ascii_letters, min_size=1, max_size=10),
)
SEPARATOR = st.one_of(st.just(" "), st.sampled_from(SPACES + PUNCTUATION[:12] + ZERO_WIDTH_BIDI[:4] + [""]))


@st.composite
def hostile_text(draw: st.DrawFn, max_tokens: int = 40, long_runs: bool = True) -> str:
    """News-like text with hostile pieces; sometimes (``long_runs``) a very long repeated run."""
    tokens = draw(st.lists(TOKEN, max_size=max_tokens))
    parts: list[str] = []
    for token in tokens:
        parts.append(token)
        parts.append(draw(SEPARATOR))
    text = "".join(parts)
    if long_runs and draw(st.integers(0, 9)) == 0:
        run = draw(st.sampled_from(["ـ", "َ", "9", "٩", "ألف ", "\u200f", "جندي ", "a", " ", "…", "ﷺ"]))
        at = draw(st.integers(0, len(text)))
        text = text[:at] + run * draw(st.integers(200, 3000)) + text[at:]
    return text


HTML_PIECES = [
    "<p>",
    "</p>",
    "<div class='x'>",
    "</div>",
    "<br>",
    "<br/>",
    "<hr>",
    "<li>",
    "<ul>",
    "</ul>",
    "<script>alert(1)</script>",
    "<style>p{}</style>",
    "<nav>قائمة</nav>",
    "<aside>",
    "<footer>",
    "<a href='/x'>اقرأ أيضاً</a>",
    "<article>",
    "</article>",
    "<pre>a\n b</pre>",
    "<table><tr><td>1",
    "<!-- تعليق -->",
    "<![CDATA[x]]>",
    "&amp;",
    "&nbsp;",
    "&#x627;",
    "&#1576;",
    "&#0;",
    "&#x110000;",
    "&bogus;",
    "<",
    ">",
    "</",
    "<p",
    "<img src=x onerror=y>",
    "<meta property='article:published_time' content='2021-12-07T09:00:00Z'>",
    "<time datetime='2021-13-45'>",
    "<time datetime='9999-99-99'>",
    "<svg><text>x</text></svg>",
    "<span hidden>خفي</span>",
    "<b>",
    "</i>",
    "<h1>عنوان</h1>",
]


@st.composite
def html_fragment(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.one_of(st.sampled_from(HTML_PIECES), hostile_text(max_tokens=6)), max_size=20))
    return "".join(pieces)


DATES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "2021-12-07T09:00:00Z",
            "2021-12-07",
            "Tue, 07 Dec 2021 09:00:00 +0300",
            "07 ديسمبر 2021",
            "٧ كانون الأول ٢٠٢١",
            "0000-00-00",
            "9999-12-31T23:59:59+14:00",
            "-1",
            "1e400",
            "",
            "2021-02-30T25:61:61Z",
            "Mon, 32 Foo 2021",
        ]
    ),
    st.text(max_size=30),
)
LANGUAGES = st.one_of(
    st.none(), st.sampled_from(["ar", "en", "AR-eg", "fa", "ur", "x", "", "ar_SA", "zz-ZZZZZZZZZ"]), st.text(max_size=8)
)
CONTENT_TYPES = st.sampled_from(["text/plain", "text/html", "application/xhtml+xml", "", "TEXT/PLAIN"])


# --- rules ------------------------------------------------------------------------------------

UNIT_IDS = ["troops", "tanks", "aircraft", "casualties", "money"]
REGEXES = [
    r"\d+",
    r"غز[وا]",
    r"(?i)putin|بوتين",
    r"^",
    r"$",
    r"\b",
    r"",
    r".",
    r"(a|)",
    r"[\p{Arabic}]+",
    r"أكثر من \d+",
    r"[َ]",
    r"ـ+",
    r"\s+",
    r"x*",
    r"(?s).{0,3}",
    r"…",
    r"؟",
    r"[^\n]+$",
    r"\pL\pM*",
    r"(unclosed",
    r"[z-a]",
    r"a{1001}",
    r"(?P<n>x)(?P=n)",
    r"\1",
    r"(?=x)",
    r"\C",
    "\x00",
    "[",
]


def _term_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NEWS_WORDS + UNIT_WORDS + NUMBER_WORDS),
        arabic_word(),
        st.lists(st.sampled_from(NEWS_WORDS + UNIT_WORDS), min_size=2, max_size=3).map(" ".join),
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8),
        st.sampled_from(["ال", "و", "ـ", "َ", " ", "\u200f", "a", "ﻻ", "İ", "...", "x y", "كيف"]),
    )


def _leaf(entity_ids: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    bound = st.one_of(st.integers(-5, 10**7), st.floats(allow_nan=False, allow_infinity=False, width=32))
    quantity = st.fixed_dictionaries(
        {"unit": st.sampled_from(UNIT_IDS)},
        optional={"min": bound, "max": bound},
    ).filter(lambda q: q.get("min", 0) <= q.get("max", float("inf")))
    leaves = [
        st.builds(
            lambda t, e: {"terms": t, **({"exact": True} if e else {})},
            st.lists(_term_text(), min_size=1, max_size=4),
            st.booleans(),
        ),
        st.builds(lambda t: {"terms": t}, _term_text()),
        st.builds(lambda q: {"quantity": q}, quantity),
        st.builds(lambda r: {"regex": r}, st.sampled_from(REGEXES[:20])),
    ]
    if entity_ids:
        leaves.append(st.builds(lambda e: {"entity": e}, st.lists(st.sampled_from(entity_ids), min_size=1, max_size=3)))
    return st.one_of(leaves)


def condition(entity_ids: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A valid condition tree over the leaves (all/any/not/near/within)."""
    leaf = _leaf(entity_ids)

    def extend(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        return st.one_of(
            st.builds(lambda c: {"all": c}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda c: {"any": c}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda c: {"not": c}, inner),
            st.builds(lambda a, n: {**a, "not": n}, leaf, inner),
            st.builds(
                lambda c, w: {"near": c, **({"within": w} if w is not None else {})},
                st.lists(leaf, min_size=2, max_size=3),
                st.one_of(st.none(), st.integers(0, 30)),
            ),
        )

    return st.recursive(leaf, extend, max_leaves=6)


ENTITY_NAMES = [
    "فلاديمير بوتين",
    "بوتين",
    "Vladimir Putin",
    "الكرملين",
    "ستولتنبرغ",
    "جون كيربي",
    "كييف",
    "البنتاغون",
    "ديميتري بيسكوف",
    "NATO",
    "حلف شمال الأطلسي",
    "غزة",
    "جو بايدن",
]


@st.composite
def entities(draw: st.DrawFn) -> dict[str, Any]:
    ids = draw(
        st.lists(st.sampled_from(["putin", "kremlin", "nato", "kyiv", "peskov", "e1", "e_2"]), unique=True, max_size=4)
    )
    out: dict[str, Any] = {}
    for eid in ids:
        entity: dict[str, Any] = {
            "kind": draw(st.sampled_from(["person", "organization", "place"])),
            "names": draw(st.lists(st.one_of(st.sampled_from(ENTITY_NAMES), arabic_word()), min_size=1, max_size=3)),
        }
        if draw(st.booleans()):
            entity["variants"] = draw(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "generate": st.booleans(),
                        "g": st.booleans(),
                        "qaf": st.booleans(),
                        "long_vowels": st.booleans(),
                    },
                )
            )
        if draw(st.integers(0, 3)) == 0:
            entity["exclude"] = draw(st.lists(st.sampled_from(ENTITY_NAMES), min_size=1, max_size=2))
        if draw(st.integers(0, 3)) == 0:
            entity["aliases"] = draw(st.lists(arabic_word(), min_size=1, max_size=2))
        out[eid] = entity
    return out


@st.composite
def valid_ruleset(draw: st.DrawFn) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rules and entities that should compile (generated within the schema)."""
    ents = draw(entities())
    count = draw(st.integers(1, 5))
    rules = []
    for i in range(count):
        rule: dict[str, Any] = {"id": f"r{i}", "when": draw(condition(sorted(ents)))}
        if draw(st.integers(0, 3)) == 0:
            rule["languages"] = draw(st.lists(st.sampled_from(["ar", "en", "fa"]), min_size=1, max_size=2))
        rules.append(rule)
    return rules, ents


# Values the schema does not expect, to put anywhere in a rule.
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.text(max_size=10),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from(["", "when", "terms", "BAD ID!", "1h", "-5", "6h", "0", "soon", "1e400", "nan"]),
)
RULE_KEYS = [
    "id",
    "title",
    "severity",
    "enabled",
    "languages",
    "feeds",
    "when",
    "throttle",
    "notify",
    "escalate",
    "examples",
    "tags",
    "description",
    "wehn",
    "terms",
]
CONDITION_KEYS = ["all", "any", "not", "terms", "exact", "entity", "quantity", "regex", "near", "within", "term"]


@st.composite
def mutated_rule(draw: st.DrawFn, entity_ids: list[str]) -> Any:
    """A rule that is valid, slightly broken or nonsense."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(JUNK)
    rule: dict[str, Any] = {
        "id": draw(st.one_of(st.sampled_from(["a", "b", "a", "x-1", "r_2"]), JUNK)),
        "when": draw(st.one_of(condition(entity_ids), JUNK)) if kind > 1 else draw(condition(entity_ids)),
    }
    for key in draw(st.lists(st.sampled_from(RULE_KEYS), max_size=3)):
        rule[key] = draw(
            st.one_of(
                JUNK,
                st.sampled_from(
                    [
                        "high",
                        "critical",
                        "urgent",
                        ["ar"],
                        ["ar-EG", "e n"],
                        "30m",
                        3600,
                        1.5,
                        -1,
                        True,
                        {"sources": [2, 5]},
                        {"sources": [1]},
                        {"match": ["غزو"], "no_match": [{"text": "x"}]},
                    ]
                ),
            )
        )
    if draw(st.booleans()) and isinstance(rule.get("when"), dict):
        when = dict(rule["when"])
        for key in draw(st.lists(st.sampled_from(CONDITION_KEYS), min_size=1, max_size=2)):
            when[key] = draw(
                st.one_of(
                    JUNK,
                    st.sampled_from(
                        [
                            [],
                            [{}],
                            {"unit": "camels"},
                            {"unit": "troops", "min": 5, "max": 1},
                            {"unit": "troops", "min": float("nan")},
                            {"unit": "troops", "min": 10**30},
                            "(unclosed",
                            ["غزو"],
                            [{"terms": ["a"]}],
                            10**20,
                            -3,
                            ["nobody"],
                        ]
                    ),
                )
            )
        rule["when"] = when
    return rule


def _yaml_scalar(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


YAML_SNIPPETS = [
    "id: r1\nwhen:\n  terms: [غزو, اجتياح]\n",
    "- id: a\n  when: {entity: [putin]}\n- id: b\n  when:\n    quantity: {unit: troops, min: 50000}\n",
    "id: q\nwhen:\n  near:\n    - terms: [بوتين]\n    - quantity: {unit: troops, min: 1000}\n  within: 8\n",
    'id: n\nwhen:\n  all:\n    - regex: "\\\\d+"\n  not:\n    terms: [مناورات]\nthrottle: 6h\n',
    'id: e\nwhen: {terms: [x]}\nexamples:\n  match: [x]\n  no_match: ["y"]\n',
    "id: a\nwhen: &w {terms: [z]}\n---\nid: b\nwhen: *w\n",
    "id: t\nwhen:\n\tterms: [x]\n",
    "id: d\nid: d\nwhen: {terms: [x]}\n",
    "? [a, b]\n: 1\nid: c\nwhen: {terms: [x]}\n",
    "id: m\nwhen: {terms: !!binary aGVsbG8=}\n",
    "id: f\nwhen:\n  quantity: {unit: troops, min: 1.5}\n",
    "id: s\nseverity: high\nwhen: {terms: |\n    غزو\n  }\n",
    "",
    "---\n...\n",
    "[",
    "id: u\nwhen: {terms: [x]}\n<<: *nowhere\n",
]


@st.composite
def rules_yaml(draw: st.DrawFn) -> str:
    """YAML text: a known snippet or generated rules, then maybe damaged."""
    if draw(st.booleans()):
        text = draw(st.sampled_from(YAML_SNIPPETS))
    else:
        lines = []
        for i in range(draw(st.integers(1, 3))):
            term = draw(_term_text())
            lines.append(
                f"- id: {draw(st.sampled_from(['r' + str(i), 'dup', 'Bad Id', '', '- x', 'ok']))}\n"
                f"  {draw(st.sampled_from(['when', 'wehn', 'when']))}:\n"
                f"    {draw(st.sampled_from(CONDITION_KEYS))}: [{_yaml_scalar(term)}]\n"
            )
        text = "".join(lines)
    damage = draw(st.integers(0, 4))
    if damage == 1 and text:
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == 2:
        at = draw(st.integers(0, len(text)))
        text = (
            text[:at]
            + draw(
                st.sampled_from(
                    [
                        ":",
                        "- ",
                        "\t",
                        "&a ",
                        "*a",
                        "!!python/name:os.system",
                        "{",
                        "]",
                        '"',
                        "'",
                        "%YAML 1.1\n",
                        "\x00",
                        "\ufeff",
                    ]
                )
            )
            + text[at:]
        )
    elif damage == 3:
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(max_size=8)) + text[at:]
    return text


# --- feeds ------------------------------------------------------------------------------------

FEED_SKELETONS = [
    '<?xml version="1.0" encoding="{enc}"?><rss version="2.0"><channel><title>{t}</title><language>ar</language>'
    "<item><title>{t}</title><link>{link}</link><guid>{guid}</guid><pubDate>{date}</pubDate>"
    "<description>{body}</description></item></channel></rss>",
    '<?xml version="1.0" encoding="{enc}"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{t}</title>'
    '<entry><id>{guid}</id><title type="html">{t}</title><link href="{link}"/><updated>{date}</updated>'
    '<content type="html">{body}</content></entry></feed>',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
    '<item rdf:about="{link}"><title>{t}</title><description>{body}</description></item></rdf:RDF>',
    '{{"version": "https://jsonfeed.org/version/1.1", "title": "{t}", "items": [{{"id": "{guid}", '
    '"url": "{link}", "content_html": "{body}", "date_published": "{date}"}}]}}',
    '<!DOCTYPE rss [<!ENTITY a "&#x627;"><!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY ext SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><title>&a;&lol2;&ext;</title>'
    "<description>{body}</description><guid>{guid}</guid></item></channel></rss>",
]
ENCODINGS = [
    "utf-8",
    "UTF-8",
    "windows-1256",
    "iso-8859-6",
    "utf-16",
    "utf-16-le",
    "utf-32",
    "cp037",
    "latin-1",
    "bogus-enc",
    "",
    "x-mac-arabic",
    "cp720",
    "ascii",
    "utf-7",
]
FEED_DAMAGE = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"<",
    b"]]>",
    b"&",
    b"&#x0;",
    b"\x1b",
    b"</item>",
    b"<item>",
    b"<![CDATA[",
    b"<!--",
    b"\xd8",
    b"\xc3\x28",
    b"{",
    b"[",
    b'"',
    b"\\u0000",
    b"\r\n",
]


@st.composite
def feed_body(draw: st.DrawFn) -> bytes:
    """Feed bytes: a skeleton filled with hostile text, encoded (or mis-encoded), then maybe
    truncated or damaged; sometimes raw bytes."""
    if draw(st.integers(0, 7)) == 0:
        return draw(st.binary(max_size=300))
    skeleton = draw(st.sampled_from(FEED_SKELETONS))
    encoding = draw(st.sampled_from(ENCODINGS))
    fields = {
        "enc": encoding or "utf-8",
        "t": draw(hostile_text(max_tokens=5)).replace("{", "(").replace("}", ")"),
        "link": draw(
            st.sampled_from(
                [
                    "https://example.org/a?b=1&amp;c=2",
                    "/relative",
                    "javascript:x",
                    "",
                    "http://[::1",
                    "//x",
                    "https://مثال.إختبار/خبر",
                ]
            )
        ),
        "guid": draw(st.sampled_from(["tag:x,2021:1", "", "1", "https://example.org/1", " ", "&amp;"])),
        "date": draw(
            st.sampled_from(
                [
                    "Tue, 07 Dec 2021 09:00:00 +0300",
                    "2021-12-07T09:00:00Z",
                    "garbage",
                    "",
                    "Mon, 99 Dec 99999 99:99:99 +9999",
                    "٢٠٢١-١٢-٠٧",
                ]
            )
        ),
        "body": draw(html_fragment()).replace("{", "(").replace("}", ")"),
    }
    text = skeleton.format(**fields)
    codec = encoding or "utf-8"
    if draw(st.booleans()):
        codec = draw(st.sampled_from(["utf-8", "windows-1256", "utf-16-le", "latin-1"]))  # lie about it
    try:
        body = text.encode(codec, errors="replace")
    except LookupError:
        body = text.encode("utf-8")
    damage = draw(st.integers(0, 4))
    if damage == 1:
        body = body[: draw(st.integers(0, len(body)))]
    elif damage == 2:
        at = draw(st.integers(0, len(body)))
        body = body[:at] + draw(st.sampled_from(FEED_DAMAGE)) + body[at:]
    elif damage == 3:
        at = draw(st.integers(0, len(body)))
        body = body[:at] + draw(st.binary(max_size=16)) + body[at:]
    return body
