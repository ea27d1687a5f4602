"""The HTML page around a workload article (our own markup): an outlet's furniture, the
same on each of its pages (inline style and scripts, mega-menu, footer columns), and the
article's own chrome (ticker, breadcrumb, tags, share labels, related, most-read and
latest lists, ad slots, JSON-LD)."""

from __future__ import annotations

import html
import random
from functools import cache

from bench.vocabulary import FOOTER_LINKS, NAV_SECTIONS, SECTION_LABELS, SHARE_LABELS


@cache
def _site_chrome(slug: str) -> tuple[str, str, str]:
    """An outlet's page furniture, the same on each of its pages: the head's inline style and
    scripts (analytics, ad slots, consent), the mega-menu and the footer's link groups. Real
    news pages are mostly such markup (a reader measured the first workload's pages at 8 KB,
    56 % prose); with it a page is ~35 KB (median) and its prose 13 % of the characters."""
    rng = random.Random(slug)
    style = "".join(
        f".{slug}-c{i}{{margin:{rng.randint(0, 24)}px;padding:{rng.randint(0, 16)}px;"
        f"color:#{rng.randrange(16**6):06x};font-size:{rng.randint(11, 22)}px}}"
        for i in range(160)
    )
    slots = ",".join(
        f'{{"id":"div-gpt-{slug}-{i}","sizes":[[{rng.choice((300, 728, 970))},{rng.choice((90, 250, 600))}]],'
        f'"targeting":{{"pos":"{rng.choice(("top", "mid", "side", "bottom"))}","k":"{rng.randrange(16**8):08x}"}}}}'
        for i in range(40)
    )
    scripts = (
        f'<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}gtag("js",new Date());'
        f'gtag("config","G-{rng.randrange(16**10):010X}");</script>'
        f"<script>var adSlots=[{slots}];</script>"
        '<script>(function(){var c=document.cookie.indexOf("consent=1")<0;if(c){var b=document.createElement("div");'
        'b.className="consent";document.body.appendChild(b)}})();</script>'
    )
    menu = "".join(
        f'<li class="menu-item"><a href="/{i}">{html.escape(label)}</a><ul class="sub-menu">'
        + "".join(f'<li><a href="/{i}/{j}">{html.escape(sub)}</a></li>' for j, sub in enumerate(SECTION_LABELS))
        + "</ul></li>"
        for i, label in enumerate(NAV_SECTIONS)
    )
    footer = "".join(
        f'<div class="footer-col"><h4>{html.escape(label)}</h4><ul>'
        + "".join(f'<li><a href="/f/{i}/{j}">{html.escape(link)}</a></li>' for j, link in enumerate(FOOTER_LINKS))
        + "</ul></div>"
        for i, label in enumerate(SECTION_LABELS)
    )
    return f"<style>{style}</style>{scripts}", menu, footer


def _headline_list(heading: str, lines: list[str], css: str) -> str:
    items = "".join(
        f'<li><a href="/n/{i}"><img src="/img/{i}.jpg" alt=""><span>{html.escape(line)}</span></a></li>'
        for i, line in enumerate(lines)
    )
    return f'<section class="{css}"><h3>{html.escape(heading)}</h3><ul>{items}</ul></section>'


def article_page(
    rng: random.Random,
    *,
    outlet: tuple[str, str],
    title: str,
    text: str,
    published: str,
    tags: tuple[str, ...],
    ticker: list[str],
    related: list[str],
    section: str,
    lists: tuple[str, ...] = (),
) -> str:
    """The article's page. ``lists``: headlines of the site's most-read and latest lists."""
    name, slug = outlet
    escape = html.escape
    head_assets, nav, site_footer = _site_chrome(slug)
    half = len(lists) // 2
    ticker_html = "".join(f"<li>{escape(line)}</li>" for line in ticker)
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n"))
    tag_html = "".join(f'<a href="/tag/{i}">{escape(tag)}</a> ' for i, tag in enumerate(tags))
    share = " ".join(f"<span>{escape(label)}</span>" for label in SHARE_LABELS)
    related_html = "".join(f'<li><a href="/r/{i}">{escape(line)}</a></li>' for i, line in enumerate(related))
    footer = " | ".join(f'<a href="/p/{i}">{escape(link)}</a>' for i, link in enumerate(FOOTER_LINKS))
    views = rng.randint(50, 90_000)
    ld_json = html.escape(
        f'{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{title}",'
        f'"datePublished":"{published}","publisher":{{"@type":"Organization","name":"{name}"}}}}',
        quote=False,
    )
    ad = '<div class="ad-slot" data-slot="{0}" style="min-height:250px"></div>'
    return (
        '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} | {escape(name)}</title>"
        f'<meta property="og:title" content="{escape(title)}"><meta property="og:site_name" content="{escape(name)}">'
        f'<meta property="article:published_time" content="{published}">'
        f'<link rel="stylesheet" href="https://{slug}.example/static/site.css">{head_assets}'
        f'<script type="application/ld+json">{ld_json}</script>'
        f"<script>window.dataLayer=[];var views={views};</script></head><body>"
        f'<header><div class="logo">{escape(name)}</div><nav><ul class="mega-menu">{nav}</ul></nav>'
        f'<div class="ticker"><strong>عاجل</strong><ul>{ticker_html}</ul></div></header>'
        + ad.format("top")
        + f'<main><div class="breadcrumb"><a href="/">الرئيسية</a> › <a href="/s">{escape(section)}</a></div>'
        f'<article><span class="section">{escape(section)}</span><h1>{escape(title)}</h1>'
        f'<time datetime="{published}">{published[:10]}</time><div class="views">{views} مشاهدة</div>'
        f'<div class="body">{paragraphs}</div>'
        f'<div class="tags">الكلمات المفتاحية: {tag_html}</div><div class="share">{share}</div>'
        f"</article><aside><h3>اقرأ أيضا</h3><ul>{related_html}</ul>"
        + ad.format("side")
        + _headline_list("الأكثر قراءة", list(lists[:half]), "most-read")
        + "</aside>"
        + _headline_list("آخر الأخبار", list(lists[half:]), "latest")
        + "</main>"
        f'<footer><div class="footer-cols">{site_footer}</div><div>{footer}</div>'
        f"<div>جميع الحقوق محفوظة © 2024 {escape(name)}</div></footer>"
        "</body></html>"
    )
