"""The countries a text's title and lead name, and whether two texts name different ones.

Official statements are templates filled in anew for each event: a foreign ministry's
condemnation of an attack, a ruler's cable of condolence or of congratulations on a
national day. Two fillings share nearly every sentence (an estimated Jaccard above 0.55 on
real pages), yet they are about different countries, and say so up front ("… الهجوم الذي
استهدف مسجدا في بيشاور شمال غربي باكستان" against "… شمال بوركينا فاسو"). A republished copy
keeps its original's countries, or adds one beside them (a new lead, a date line): two texts
whose leads each name a country the other's does not are never copies of each other
(``name_other_countries``; docs/dedupe.md, "Duplicates"). Both may name the issuer (the
UAE, in every one of its statements): a country in common does not make them copies.

Only the title and the lead are read (months.LEAD_CHARS), as for months: further down, a
copy cut at another length may keep a background sentence naming another country. Names
and their adjectives («باكستان», «الباكستانية»: a lead may say "the Qatari-Bahraini
committee" where its copy says "Qatar and Bahrain") are read on folded words, with the
article and a clitic before them or not. A name that is also an everyday word is read only in a
longer form: «مالي» (financial) as «جمهورية مالي», «عمان» (Amman, or Oman) as «سلطنة عمان»,
«كوريا» only with north or south.
"""

from __future__ import annotations

import re
from itertools import chain

from streams.dedupe.memo import BoundedMemo
from streams.dedupe.months import LEAD_CHARS
from streams.textnorm import fold

# One line a country: its names as news writes them (the longest forms are read first). A
# country is stored by its index here (StoryProfile.countries): add new lines at the end.
_NAMES = (
    "السعودية | المملكة العربية السعودية",
    "الإمارات | دولة الإمارات | الإمارات العربية المتحدة",
    "الكويت",
    "قطر",
    "البحرين",
    "سلطنة عمان",
    "اليمن",
    "العراق",
    "سوريا | سورية",
    "لبنان",
    "الأردن",
    "فلسطين",
    "إسرائيل",
    "مصر",
    "ليبيا",
    "تونس",
    "الجزائر",
    "المغرب",
    "موريتانيا",
    "السودان",
    "جنوب السودان",
    "الصومال",
    "جيبوتي",
    "إريتريا",
    "إثيوبيا",
    "كينيا",
    "أوغندا",
    "تنزانيا",
    "رواندا",
    "نيجيريا",
    "النيجر",
    "تشاد",
    "جمهورية مالي",
    "بوركينا فاسو",
    "السنغال",
    "الكاميرون",
    "غانا",
    "ساحل العاج",
    "الكونغو",
    "أنغولا",
    "جنوب أفريقيا | جنوب إفريقيا",
    "موزمبيق",
    "مدغشقر",
    "جزر القمر",
    "تركيا",
    "إيران",
    "أفغانستان",
    "باكستان",
    "الهند",
    "بنغلاديش",
    "سريلانكا | سري لانكا",
    "نيبال",
    "ميانمار",
    "تايلاند",
    "فيتنام",
    "كمبوديا",
    "ماليزيا",
    "إندونيسيا",
    "الفلبين",
    "سنغافورة",
    "الصين",
    "تايوان",
    "اليابان",
    "كوريا الشمالية",
    "كوريا الجنوبية",
    "أستراليا",
    "نيوزيلندا",
    "روسيا",
    "أوكرانيا",
    "بيلاروسيا",
    "أذربيجان",
    "أرمينيا",
    "كازاخستان",
    "أوزبكستان",
    "اليونان",
    "قبرص",
    "بريطانيا | المملكة المتحدة",
    "فرنسا",
    "ألمانيا",
    "إيطاليا",
    "إسبانيا",
    "البرتغال",
    "هولندا",
    "بلجيكا",
    "سويسرا",
    "النمسا",
    "بولندا",
    "المجر",
    "رومانيا",
    "صربيا",
    "السويد",
    "النرويج",
    "الدنمارك",
    "فنلندا",
    "أيرلندا",
    "الولايات المتحدة | أمريكا | أميركا",
    "كندا",
    "المكسيك",
    "كوبا",
    "هايتي",
    "البرازيل",
    "الأرجنتين",
    "تشيلي",
    "كولومبيا",
    "فنزويلا",
)
# What may stand before a name: a conjunction, a preposition, the article, or several
# («وبالسودان», «للسودان»).
_PREFIXES = tuple(
    sorted(
        {c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك") for a in ("", "ال")} | {"لل", "ولل", "فلل"},
        key=len,
        reverse=True,
    )
)
# Names whose adjective is also an everyday word («مجري» is a stream's course): read as
# names only («مالي», financial, is read only in «جمهورية مالي»).
_NO_ADJECTIVE = frozenset(("المجر",))
# Above this many countries a lead is a round-up (a summit, a list of reactions): it names
# none for this purpose.
MAX_COUNTRIES = 4
_TOKEN = re.compile(r"\w+")
_ARTICLE = "ال"


def _key(word: str) -> str:
    """A folded word of a name as the table keeps it: without its article."""
    return word[len(_ARTICLE) :] if word.startswith(_ARTICLE) and len(word) > len(_ARTICLE) + 2 else word


def _adjectives(name: str) -> list[str]:
    """The adjective of a one-word name in its forms (باكستان → باكستاني, باكستانيه, …;
    روسيا → روسي; امريكا → امريكي; سعوديه → سعودي)."""
    if name.endswith("يا"):
        stem = name[:-1]
    elif name.endswith(("ا", "ه")):
        stem = name[:-1] + "ي"
    else:
        stem = name + "ي"
    return [stem, stem + "ه", stem + "ين", stem + "ون"]


def _table() -> dict[str, list[tuple[tuple[str, ...], int]]]:
    """First word of each name (its key) → (the keys of its other words, country), longest
    first."""
    table: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for country, line in enumerate(_NAMES):
        for name in line.split("|"):
            words = tuple(_key(w) for w in _TOKEN.findall(fold(name)))
            table.setdefault(words[0], []).append((words[1:], country))
            if len(words) == 1 and name.strip() not in _NO_ADJECTIVE:
                for adjective in _adjectives(words[0]):
                    table.setdefault(adjective, []).append(((), country))
    for entries in table.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return table


_BY_FIRST = _table()


def _readings(word: str) -> tuple[str, ...]:
    """What a folded word of text may be as a table key: itself, or itself without what
    may stand before a name (at least 3 letters left)."""
    return (word,) + tuple(
        word[len(prefix) :]
        for prefix in _PREFIXES
        if prefix and word.startswith(prefix) and len(word) - len(prefix) >= 3
    )


_Entries = tuple[tuple[tuple[str, ...], int], ...]
_NO_ENTRIES: _Entries = ()


def _chunk_words(chunk: str) -> tuple[tuple[tuple[str, ...], _Entries], ...]:
    """Each word of a chunk: its readings, and the names that may start at it (the table's
    entries of its first reading that is a key; most words have none)."""
    out = []
    for word in _TOKEN.findall(fold(chunk)):
        readings = _readings(word)
        entries = next((tuple(_BY_FIRST[r]) for r in readings if r in _BY_FIRST), _NO_ENTRIES)
        out.append((readings, entries))
    return tuple(out)


# Whitespace-separated chunks repeat across articles like words do: each is folded and
# read once (``fold`` works character by character, so chunk by chunk is the same as the
# whole lead at once; 170 µs an article read whole, ~20 µs through the memo).
_CHUNK_WORDS: BoundedMemo[str, tuple[tuple[tuple[str, ...], _Entries], ...]] = BoundedMemo(_chunk_words, 200_000)


def named_countries(title: str, text: str) -> frozenset[int]:
    """The countries (indexes of the table) that ``title`` and the lead of ``text`` name, by
    name or adjective; empty when they name more than MAX_COUNTRIES."""
    countries: set[int] = set()
    for part in (title, text[:LEAD_CHARS]):
        words = list(chain.from_iterable(map(_CHUNK_WORDS.__getitem__, part.split())))
        after = 0  # the first word not taken by a name already read
        for at in [at for at, (_, entries) in enumerate(words) if entries]:
            if at < after:
                continue  # «جنوب السودان» is not also «السودان»
            for rest, country in words[at][1]:
                following = words[at + 1 : at + 1 + len(rest)]
                if len(following) == len(rest) and all(key in word[0] for key, word in zip(rest, following)):
                    countries.add(country)
                    after = at + 1 + len(rest)
                    break
    return frozenset(countries) if len(countries) <= MAX_COUNTRIES else frozenset()


def name_other_countries(mine: frozenset[int], theirs: frozenset[int]) -> bool:
    """Whether each names a country the other does not: two fillings of one statement
    template, never one article republished."""
    return bool(mine - theirs) and bool(theirs - mine)
