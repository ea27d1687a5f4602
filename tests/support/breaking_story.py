"""A synthetic breaking-story burst: one story reported by six outlets in their own words
within ten minutes, among unrelated traffic that stays below the threshold — a story told
by two sites through six feeds (a site's other feeds republish its link), and single
reports of other events. Shared by the unit and the stack tests of the ``story``
rule leaf."""

from __future__ import annotations

from datetime import UTC, datetime

from kernel.messages import RawArticle
from marsad.demo_feeds import DemoFeed, FeedItem
from tests.support.dedupe_corpus import EVENTS, STORY_CLUSTERS, Report

START = "2024-05-14T08:30:00Z"
FIRE, TRAIN = STORY_CLUSTERS[0], STORY_CLUSTERS[1]

# Three more rewrites of the fire (the corpus has three): six outlets in all.
_MORE_FIRE = [
    (
        "ثلاثة قتلى في حريق بمصنع غزل في المحلة الكبرى",
        "توفي ثلاثة عمال وأصيب أحد عشر في حريق ضخم داخل مصنع للغزل والنسيج بالمحلة الكبرى في محافظة الغربية، "
        "واستمرت فرق الحماية المدنية خمس ساعات في إخماد النيران.",
        "ورجحت التحريات الأولية أن يكون ماس كهربائي وراء الحريق الذي امتد إلى مخزن للقطن.",
    ),
    (
        "حريق مصنع المحلة: النيابة تنتدب الأدلة الجنائية",
        "انتدبت النيابة العامة خبراء الأدلة الجنائية لمعاينة مصنع الغزل في المحلة الكبرى بعد حريق أودى بحياة "
        "ثلاثة عمال وأصاب أحد عشر آخرين.",
        "وقالت مصادر في محافظة الغربية إن النيران امتدت من عنابر التشغيل إلى مخزن الأقطان، وإن المصابين نقلوا "
        "إلى مستشفى المحلة العام.",
    ),
    (
        "الغربية: ماس كهربائي وراء حريق مصنع الغزل",
        "أعلنت محافظة الغربية أن ماسا كهربائيا تسبب على الأرجح في حريق مصنع الغزل والنسيج بالمحلة الكبرى، "
        "الذي أسفر عن مقتل ثلاثة عمال وإصابة أحد عشر بحالات اختناق.",
        "وشاركت أربع عشرة سيارة إطفاء في السيطرة على الحريق.",
    ),
]
FIRE_REPORTS: list[tuple[str, tuple[str, ...]]] = [(r.title, r.paragraphs) for r in FIRE] + [
    (title, tuple(paragraphs)) for title, *paragraphs in _MORE_FIRE
]
FIRE_OUTLETS = [f"fire{i}.example" for i in range(1, len(FIRE_REPORTS) + 1)]
TRAIN_OUTLETS = [f"rail{i}.example" for i in range(1, len(TRAIN) + 1)]
TRAIN_SECTIONS = [("main", "regions", "world", "latest"), ("main", "regions")]


def _at(minutes: float) -> str:
    stamp = datetime.fromisoformat(START.replace("Z", "+00:00")).timestamp() + minutes * 60
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _body(paragraphs: tuple[str, ...]) -> str:
    return "\n".join(f"<p>{p}</p>" for p in paragraphs)


def _item(guid: str, link: str, report: Report | tuple[str, tuple[str, ...]], minutes: float) -> FeedItem:
    title, paragraphs = (report.title, report.paragraphs) if isinstance(report, Report) else report
    return FeedItem(guid=guid, link=link, title=title, body=_body(paragraphs), published=_at(minutes))


def burst_feeds() -> list[DemoFeed]:
    """The burst and its surroundings as feeds, each item dated inside one quarter-hour."""
    feeds = []
    # the fire: six sites, one feed each, two minutes apart (ten minutes in all)
    for i, (host, report) in enumerate(zip(FIRE_OUTLETS, FIRE_REPORTS)):
        feeds.append(
            DemoFeed(
                host.split(".")[0],
                host,
                "ar",
                "rss",
                [_item(f"fire-{i + 1}", f"https://{host}/news/fire", report, 2 * i)],
            )
        )
    # the train: two sites in their own words, the first republishing its link through four
    # feeds: six feeds but two outlets. Its second site's report (not a copy) comes when the
    # story has five feeds: a count of feeds would call it breaking.
    for i, (host, report, sections) in enumerate(zip(TRAIN_OUTLETS, TRAIN, TRAIN_SECTIONS)):
        for section in sections:
            item = _item(f"train-{i + 1}-{section}", f"https://{host}/news/train", report, 1 + 2 * i)
            feeds.append(DemoFeed(f"{host.split('.')[0]}-{section}", host, "ar", "rss", [item]))
    # unrelated events, one report each, in a wire feed
    singles = [pair[0] for pair in EVENTS[:4]]
    items = [_item(f"single-{i + 1}", f"https://wire.example/{i + 1}", r, 3 + i) for i, r in enumerate(singles)]
    feeds.append(DemoFeed("wire", "wire.example", "ar", "rss", items))
    return feeds


def burst_articles() -> list[RawArticle]:
    """The same items as raw articles, in the order they were published."""
    out = []
    for feed in burst_feeds():
        for item in feed.items:
            assert item.published is not None
            seen = datetime.fromisoformat(item.published.replace("Z", "+00:00")).timestamp()
            out.append(
                RawArticle(
                    id=f"{feed.id}:{item.guid}",
                    feed=feed.id,
                    url=item.link,
                    title=item.title,
                    content=item.body,
                    published=item.published,
                    language="ar",
                    first_seen_at=seen,
                )
            )
    return sorted(out, key=lambda a: (a.first_seen_at, a.id))
