"""Deterministic, realistic Arabic news articles for the benchmarks (our own text).

An article is written from ``bench.vocabulary`` with the word-frequency skew of Arabic news:
a Zipf-Mandelbrot law over ranks (p ∝ 1/(rank + 25)) for content words, function words
about a quarter of the tokens with في at ~4 % (measured on real Arabic news pages: في
4.3 %, the top three words 8.5 %, و-prefixed words 10 %, ال-prefixed words 34 %, mean word
length 5.4 letters; only those numbers were kept). Each content word also appears with the
clitics news text attaches to it (و, ب, لل, ف), so the vocabulary has a few thousand
surface forms.

Words are bursty, as in news: a noun or a place comes in the articles about its matter, a
few times each, not spread evenly over all of them (``BURST_BOOST``). Drawn token by token,
every frequent word was in nearly every article (a rule on «مجلس» fired on 98 % of them, any
two stories shared all their common words); the first 40 CORE words were in 33 % of
105-word excerpts on average, now 11 %, 2.1 times where present (real pages: 7 %, 1.0-1.9
times).

Articles come in stories (events): story-mates share a topic, a place, entities, key words
and numbers but are written independently; ``near_duplicate_share`` adds republications of
an earlier article by another outlet as copy desks make them (``_edited``: words edited in
every paragraph, the lead often rewritten, paragraphs moved, dropped or added, the headline
reworded). Each article has 300-1,500
words in sentences of 8-30 words, quantity phrases ("12 قتيلا"), entities in any of their
spellings, and an HTML page with chrome around it (``bench.pages``): the outlet's furniture
(inline style and scripts, mega-menu, ad slots, footer columns), a breaking-news ticker, a
tag line, share labels, related, most-read and latest lists.

``news_articles(10_000)`` takes a few seconds; the same ``(n, seed)`` gives the same list.
"""

from __future__ import annotations

import bisect
import hashlib
import random
import time
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

import numpy as np

from bench.pages import article_page
from bench.vocabulary import (
    CORE,
    ENTITIES,
    FUNCTION_WORDS,
    OUTLET_NAMES,
    PLACES,
    QUANTITY_UNITS,
    SECTION_LABELS,
    TOPICS,
    VERBS,
)
from kernel.messages import RawArticle

# Calibration (see the module docstring).
TOP_FUNCTION_WORD_SHARE = 0.043
# The most frequent content word (الرئيس) at about 0.5 % of the tokens.
CONTENT_ZIPF_OFFSET = 25.0
# A content word's mass split over its bare form and its clitic forms.
CLITICS = (("", 0.67), ("و", 0.13), ("ب", 0.08), ("لل", 0.07), ("ف", 0.05))
# Inside an article: tokens drawn from the story's own key words, and the topic's weight
# boost over the general vocabulary.
STORY_TOKEN_SHARE = 0.06
TOPIC_BOOST = 4.0
# Burstiness of the content words but verbs (nouns, places, topic words). Drawn independently per token,
# a word at 0.5 % of the tokens is in 97 % of 700-word articles: a rule on «مجلس» fired on
# 98 % of the articles, and every story shared every common word. In news, such a word
# comes in the articles about its matter, a few times each (measured on real pages: the
# first 40 CORE words are in 0-42 % of 105-word excerpts, 7 % on average, 1.0-1.9
# occurrences where present). So a story uses a share of them, each of its articles keeps
# most of those and a few strays, and a present word is drawn BURST_BOOST times as often.
STORY_GENERAL_SHARE = 0.15
STORY_GENERAL_KEEP = 0.6
STRAY_GENERAL_SHARE = 0.04
BURST_BOOST = 2.0
MIN_WORDS, MAX_WORDS = 300, 1500
EPOCH = datetime(2024, 5, 1, tzinfo=UTC)
STORY_GAP_SECONDS = 180.0  # a new event every ~3 minutes across all outlets
FUNCTION_DILUTION = 1.25
# Sentences that cite a weapon's model or a resolution's number (the bench rule sets'
# regexes look for these).
CODE_MENTION_SHARE = 0.005
# Republications whose lead sentence the outlet rewrote (see _edited).
LEAD_REWRITE_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class BenchArticle:
    id: str
    title: str
    text: str  # the article's prose, paragraphs separated by "\n"
    html: str  # the whole page: chrome around the prose
    story: str  # the event it reports; story-mates and near-duplicates share it
    published: str  # ISO 8601, UTC
    url: str
    outlet: str
    duplicate_of: str | None = None  # the article a near-duplicate republishes


def _surface(word: str) -> str:
    return word.replace("_", " ")


def _clitic(prefix: str, word: str) -> str:
    if prefix == "لل" and word.startswith("ال"):
        return "لل" + word[2:]
    if prefix == "لل":
        return "ل" + word
    return prefix + word


@dataclass(frozen=True, slots=True)
class _Lexicon:
    words: tuple[str, ...]  # surface forms
    weights: np.ndarray  # base probability of each surface form
    topic_of: np.ndarray  # index into TOPIC_NAMES, -1 for general words
    content_entries: tuple[tuple[str, int], ...]  # (word, topic index) of clitic-able words
    entry_of: np.ndarray  # surface form -> index into content_entries, -1 for function words
    bursty: np.ndarray  # per content entry: a noun or place, not a verb (see BURST_BOOST)


TOPIC_NAMES = tuple(TOPICS)


@cache
def _lexicon() -> _Lexicon:
    words: list[str] = []
    weights: list[float] = []
    topics: list[int] = []
    entry_of: list[int] = []
    # 1/(rank + 0.7)^1.15 puts the second and third words at 2.5 % and 1.75 % and all
    # function words at a quarter of the tokens, as measured.
    function = 1.0 / (np.arange(1, len(FUNCTION_WORDS) + 1) + 0.7) ** 1.15
    function *= TOP_FUNCTION_WORD_SHARE / function[0]
    for word, weight in zip(FUNCTION_WORDS, function, strict=True):
        words.append(word)
        weights.append(float(weight))
        topics.append(-1)
        entry_of.append(-1)
    # Content: general words first (core news terms, verbs, places), then topics
    # interleaved so that every topic has frequent words of its own.
    entries: list[tuple[str, int]] = []
    general = [*CORE, *VERBS]
    for i, word in enumerate(general):
        entries.append((word, -1))
        # Places spread through the general words, none among the very top.
        if i >= 8 and i % 4 == 0 and (i - 8) // 4 < len(PLACES):
            entries.append((PLACES[(i - 8) // 4], -1))
    entries.extend((word, -1) for word in PLACES[(len(general) - 8) // 4 + 1 :])
    longest = max(len(topic_words) for topic_words in TOPICS.values())
    for i in range(longest):
        for t, name in enumerate(TOPIC_NAMES):
            if i < len(TOPICS[name]):
                entries.append((TOPICS[name][i], t))
    seen: set[str] = set()
    unique = [(w, t) for w, t in entries if not (w in seen or seen.add(w))]  # type: ignore[func-returns-value]
    content = 1.0 / (np.arange(len(unique), dtype=np.float64) + 1.0 + CONTENT_ZIPF_OFFSET)
    content *= (1.0 - function.sum()) / content.sum()
    for entry, ((word, topic), mass) in enumerate(zip(unique, content, strict=True)):
        for prefix, share in CLITICS:
            words.append(_surface(_clitic(prefix, word)) if prefix else _surface(word))
            weights.append(float(mass) * share)
            topics.append(topic)
            entry_of.append(entry)
    verbs = set(VERBS)  # said, announced, ...: in most news articles, not bursty
    bursty = np.array([word not in verbs for word, _ in unique])
    return _Lexicon(tuple(words), np.array(weights), np.array(topics), tuple(unique), np.array(entry_of), bursty)


def vocabulary() -> list[tuple[str, float]]:
    """Every surface form with its probability in the general news mix, most frequent
    first (the probabilities add up to 1)."""
    lexicon = _lexicon()
    order = np.argsort(-lexicon.weights, kind="stable")
    total = lexicon.weights.sum()
    return [(lexicon.words[i], float(lexicon.weights[i] / total)) for i in order]


@cache
def _topic_weights(topic: int) -> np.ndarray:
    lexicon = _lexicon()
    return lexicon.weights * np.where(lexicon.topic_of == topic, TOPIC_BOOST, 1.0)


def _article_cumulative(np_rng: np.random.Generator, story: _Story) -> np.ndarray:
    """The article's word distribution: its topic's, with the bursty words (``bursty``) it
    does not use left out and those it uses drawn BURST_BOOST times as often."""
    lexicon = _lexicon()
    draws = np_rng.random(len(lexicon.bursty))
    present = np.where(story.general_words, draws < STORY_GENERAL_KEEP, draws < STRAY_GENERAL_SHARE)
    entry_factor = np.where(lexicon.bursty, present * BURST_BOOST, 1.0)
    is_content = lexicon.entry_of >= 0
    factor = np.where(is_content, entry_factor[lexicon.entry_of], 1.0)
    base = _topic_weights(story.topic)
    weights = base * factor
    # The words left out give their mass to the content words the article uses, not to the
    # function words: these stay at their measured share (a quarter of the tokens, في at
    # ~4 %), which the left-out mass had pushed to ~41 % (a reviewer's count).
    weights[is_content] *= base[is_content].sum() / weights[is_content].sum()
    # The story's own words and the quantity phrases put in afterwards (about a sixth of the
    # tokens, all content) thin the function words out: drawn this much more often, they come
    # out at their measured share.
    weights[~is_content] *= FUNCTION_DILUTION
    cumulative = np.cumsum(weights)
    return cumulative / cumulative[-1]


@dataclass(frozen=True, slots=True)
class _Story:
    id: str
    topic: int
    start: datetime
    place: str
    entities: tuple[tuple[str, ...], ...]
    keywords: tuple[str, ...]
    quantities: tuple[str, ...]
    headline_words: tuple[str, ...]
    general_words: np.ndarray  # per content entry: a bursty word the story uses


def _quantity(rng: random.Random) -> str:
    unit, low, high = rng.choice(QUANTITY_UNITS)
    value = int(low * (high / low) ** rng.random()) if low > 0 else rng.randint(low, high)
    number = f"{value / 10:.1f}" if unit.startswith("مليار") and rng.random() < 0.3 else str(value)
    if rng.random() < 0.1:  # some outlets write Arabic-Indic digits
        number = number.translate(str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫"))
    return f"{number} {unit}"


def _new_story(rng: random.Random, index: int, seed: int) -> _Story:
    lexicon = _lexicon()
    topic = rng.randrange(len(TOPIC_NAMES))
    topic_words = [w for w, t in lexicon.content_entries if t == topic]
    # Key words lean to the topic's frequent words but reach into its tail.
    keywords = tuple(
        _surface(topic_words[min(int(rng.paretovariate(0.8)) - 1, len(topic_words) - 1)]) for _ in range(6)
    )
    entities = tuple(rng.sample(ENTITIES, rng.choice((0, 1, 1, 2, 2, 3))))
    place = _surface(PLACES[min(int(rng.paretovariate(0.7)) - 1, len(PLACES) - 1)])
    start = EPOCH + timedelta(seconds=index * STORY_GAP_SECONDS * (0.5 + rng.random()))
    quantities = tuple(_quantity(rng) for _ in range(rng.randint(1, 3)))
    distinct = list(dict.fromkeys(keywords))
    headline_words = tuple(rng.sample(distinct, min(3, len(distinct))))
    story_id = hashlib.sha1(f"story-{seed}-{index}".encode()).hexdigest()[:12]
    # drawn from the story's own generator: the stories' topics, times and words stay
    # those of the same seed before burstiness was added
    words_rng = np.random.default_rng(int(story_id, 16))
    general_words = lexicon.bursty & (words_rng.random(len(lexicon.bursty)) < STORY_GENERAL_SHARE)
    return _Story(story_id, topic, start, place, entities, keywords, quantities, headline_words, general_words)


def _entity_spelling(rng: random.Random, entity: tuple[str, ...]) -> str:
    # The canonical spelling is the common one; variants appear in about a third of uses.
    return _surface(entity[0] if rng.random() < 0.65 else rng.choice(entity))


def _story_tokens(rng: random.Random, story: _Story) -> list[str]:
    tokens = [*story.keywords, story.place, story.place]
    tokens.extend(_entity_spelling(rng, entity) for entity in story.entities for _ in range(2))
    return tokens


def _prose(rng: random.Random, np_rng: np.random.Generator, story: _Story, n_words: int) -> str:
    words = _lexicon().words
    picks = np.searchsorted(_article_cumulative(np_rng, story), np_rng.random(n_words), side="right")
    tokens = [words[i] for i in picks.tolist()]
    story_tokens = _story_tokens(rng, story)
    for position in rng.sample(range(n_words), int(n_words * STORY_TOKEN_SHARE)):
        tokens[position] = rng.choice(story_tokens)
    paragraphs: list[str] = []
    sentences: list[str] = []
    at = 0
    paragraph_length = rng.randint(1, 4)
    written = 0  # words so far, inserted quantities included (an article stays within MAX_WORDS)
    while at < n_words and written < n_words:
        length = min(n_words - at, rng.randint(8, 30))
        sentence = tokens[at : at + length]
        at += length
        if rng.random() < 0.35:
            sentence.insert(rng.randrange(len(sentence) + 1), rng.choice(story.quantities))
        elif rng.random() < 0.08:
            sentence.insert(rng.randrange(len(sentence) + 1), _quantity(rng))
        if rng.random() < CODE_MENTION_SHARE:
            sentence.insert(rng.randrange(len(sentence) + 1), _code_mention(rng))
        written += sum(len(token.split()) for token in sentence)
        if len(sentence) > 12 and rng.random() < 0.5:
            cut = rng.randrange(4, len(sentence) - 3)
            sentence[cut] += "،"
        sentences.append(" ".join(sentence) + ".")
        if len(sentences) >= paragraph_length:
            paragraphs.append(" ".join(sentences))
            sentences = []
            paragraph_length = rng.randint(1, 4)
    if sentences:
        paragraphs.append(" ".join(sentences))
    return "\n".join(paragraphs)


def _code_mention(rng: random.Random) -> str:
    """A weapon's model or a resolution's number, as news cites them ("مقاتلات F-16",
    "القرار رقم 2334"): what watch lists write regexes for."""
    kind = rng.randrange(4)
    if kind == 0:
        return f"مقاتلات {rng.choice(('F', 'Su', 'MiG'))}-{rng.randint(10, 35)}"
    if kind == 1:
        return f"القرار رقم {rng.randint(200, 2800)}"
    if kind == 2:
        return f"منظومة S-{rng.choice((300, 400, 500))}"
    return f"صواريخ {rng.choice(('كورنيت', 'جافلين', 'ستينغر'))}"


def _title(rng: random.Random, story: _Story) -> str:
    verb = rng.choice(VERBS[:40])
    parts = [verb, *story.headline_words]
    if story.entities:
        parts.insert(1, _entity_spelling(rng, story.entities[0]))
    parts.insert(rng.randrange(1, len(parts) + 1), f"في {story.place}")
    if rng.random() < 0.3:
        parts.append(story.quantities[0])
    return " ".join(parts)


def _article_length(rng: random.Random) -> int:
    # Log-uniform: most articles are short, a few run long.
    return int(MIN_WORDS * (MAX_WORDS / MIN_WORDS) ** (rng.random() ** 1.4))


_REWORDING = (*FUNCTION_WORDS, *VERBS)


@cache
def _edit_words() -> tuple[str, ...]:
    """The words a copy desk swaps in: the lexicon's first 400 surface forms (the function
    words, then the most frequent content words) but places (an edit rewords a sentence; it
    does not move the event to another country)."""
    lexicon = _lexicon()
    places = {_surface(p) for p in PLACES}
    return tuple(
        word
        for word, entry in zip(lexicon.words[:400], lexicon.entry_of[:400], strict=True)
        if entry < 0 or _surface(lexicon.content_entries[entry][0]) not in places
    )


def _edited(rng: random.Random, text: str, edit_rate: float) -> str:
    """A republication as copy desks make one (what the held-out copy sets of real pages
    show, docs/dedupe.md): a few words swapped for other words in every paragraph, the lead
    sentence often rewritten in the outlet's words, two paragraphs sometimes in another
    order, the last paragraph sometimes dropped and a paragraph of the outlet's own
    sometimes added at the end."""
    edit_words = _edit_words()
    paragraphs = text.split("\n")
    if len(paragraphs) > 2 and rng.random() < 0.4:
        paragraphs = paragraphs[:-1]
    if len(paragraphs) > 3 and rng.random() < 0.3:
        i = rng.randrange(1, len(paragraphs) - 1)
        paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
    if rng.random() < LEAD_REWRITE_SHARE:
        # the same facts (names, places, figures) in the outlet's words and order: two
        # words in five replaced by function words and verbs, the sentence turned around
        lead, dot, rest = paragraphs[0].partition(". ")
        words = [w if rng.random() < 0.6 else rng.choice(_REWORDING) for w in lead.split(" ")]
        turn = rng.randrange(len(words))
        paragraphs[0] = " ".join(words[turn:] + words[:turn]) + (dot + rest if dot else ".")
    if rng.random() < 0.3:
        own = [rng.choice(edit_words) for _ in range(rng.randint(20, 60))]
        paragraphs.append(" ".join(own) + ".")
    out = []
    for paragraph in paragraphs:
        words = paragraph.split(" ")
        for _ in range(int(len(words) * edit_rate)):
            words[rng.randrange(len(words))] = rng.choice(edit_words)
        out.append(" ".join(words))
    return "\n".join(out)


def _edited_title(rng: random.Random, title: str) -> str:
    """A republication's headline: the original, or half the time with two of its words
    swapped and one dropped (each outlet words its own headline)."""
    words = title.split(" ")
    if len(words) < 4 or rng.random() < 0.5:
        return title
    i = rng.randrange(len(words) - 1)
    words[i], words[i + 1] = words[i + 1], words[i]
    del words[rng.randrange(len(words))]
    return " ".join(words)


def news_articles(
    n: int,
    seed: int = 0,
    *,
    near_duplicate_share: float = 0.0,
    edit_rate: float = 0.05,
) -> list[BenchArticle]:
    """``n`` articles in publication order. About 2.5 articles per story (distinct texts);
    ``near_duplicate_share`` of them republish an earlier article of the list with
    ``edit_rate`` of its words changed (their ``duplicate_of`` names it)."""
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    outlets = OUTLET_NAMES
    stories: list[_Story] = []
    headlines: list[str] = []
    articles: list[BenchArticle] = []
    times: list[float] = []
    story_index = 0
    while len(articles) < n:
        story = _new_story(rng, story_index, seed)
        story_index += 1
        stories.append(story)
        mates = min(n - len(articles), 1 + int(rng.expovariate(1 / 1.5)))
        for _ in range(mates):
            published_at = story.start + timedelta(seconds=rng.expovariate(1 / 1800))
            if articles and rng.random() < near_duplicate_share:
                original = articles[rng.randrange(max(0, len(articles) - 200), len(articles))]
                article = _republish(rng, original, outlets, published_at, headlines, len(articles), seed, edit_rate)
            else:
                title = _title(rng, story)
                text = _prose(rng, np_rng, story, _article_length(rng))
                article = _article(rng, story, title, text, outlets, published_at, headlines, len(articles), seed)
                headlines.append(title)
            at = bisect.bisect(times, published_at.timestamp())
            times.insert(at, published_at.timestamp())
            articles.insert(at, article)
    return articles


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _article(
    rng: random.Random,
    story: _Story,
    title: str,
    text: str,
    outlets: tuple[tuple[str, str], ...],
    published_at: datetime,
    headlines: list[str],
    index: int,
    seed: int,
) -> BenchArticle:
    outlet = rng.choice(outlets)
    published = _iso(published_at)
    section = SECTION_LABELS[story.topic]
    recent = headlines[-60:] or [title]
    page = article_page(
        rng,
        outlet=outlet,
        title=title,
        text=text,
        published=published,
        tags=(*story.keywords[:3], story.place),
        ticker=rng.sample(recent, min(3, len(recent))),
        related=rng.sample(recent, min(4, len(recent))),
        section=section,
        lists=tuple(rng.sample(recent, min(16, len(recent)))),
    )
    article_id = hashlib.sha1(f"{seed}-{index}".encode()).hexdigest()[:20]
    url = f"https://{outlet[1]}.example/{TOPIC_NAMES[story.topic]}/{published[:10].replace('-', '/')}/{article_id}"
    return BenchArticle(article_id, title, text, page, story.id, published, url, outlet[0])


def _republish(
    rng: random.Random,
    original: BenchArticle,
    outlets: tuple[tuple[str, str], ...],
    published_at: datetime,
    headlines: list[str],
    index: int,
    seed: int,
    edit_rate: float,
) -> BenchArticle:
    outlet = rng.choice([o for o in outlets if o[0] != original.outlet])
    text = _edited(rng, original.text, edit_rate)
    title = _edited_title(rng, original.title)
    published = _iso(max(published_at, datetime.fromisoformat(original.published)))
    recent = headlines[-60:] or [original.title]
    page = article_page(
        rng,
        outlet=outlet,
        title=title,
        text=text,
        published=published,
        tags=tuple(original.title.split()[1:4]),
        ticker=rng.sample(recent, min(3, len(recent))),
        related=rng.sample(recent, min(4, len(recent))),
        section="أخبار",
        lists=tuple(rng.sample(recent, min(16, len(recent)))),
    )
    article_id = hashlib.sha1(f"{seed}-{index}".encode()).hexdigest()[:20]
    url = f"https://{outlet[1]}.example/news/{published[:10].replace('-', '/')}/{article_id}"
    return BenchArticle(article_id, title, text, page, original.story, published, url, outlet[0], original.id)


def outlet_feed(article: BenchArticle) -> str:
    """The feed id of the article's outlet (its site's name in its URL): one feed per outlet,
    so that a story reported or republished by several outlets has several sources."""
    return (urllib.parse.urlsplit(article.url).hostname or "").removesuffix(".example")


def raw_article(article: BenchArticle, *, feed: str | None = None, first_seen_at: float | None = None) -> RawArticle:
    """The article as a connector publishes it: the whole HTML page as content, from its
    outlet's feed unless ``feed`` is given."""
    return RawArticle(
        id=article.id,
        feed=outlet_feed(article) if feed is None else feed,
        url=article.url,
        title=article.title,
        content=article.html,
        content_type="text/html",
        published=article.published,
        language="ar",
        first_seen_at=time.time() if first_seen_at is None else first_seen_at,
    )
