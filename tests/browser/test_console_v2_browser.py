"""The console's duty-officer pages in headless Debian Chromium (Playwright, no browser
download), in English on a desktop and in Arabic on a 390 px phone: the alert inbox
(Arabic-folded search, detail with evidence in context, acknowledge, silence from an
alert), stories (outlets chart, article ids that lead to a dry-run), rule statistics,
tokens, the audit log, a new rule, /docs offline, and an axe-core check of every view.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
import time
from pathlib import Path

import axe_playwright_python
import orjson
import pytest
import redis

from kernel.messages import StoryRef
from marsad.console.app import create_app
from marsad.console.auth import Role, TokenStore
from tests.support.console import make_alert, make_article, produce, serve_in_thread, write_sample_config
from tests.support.stack import REPO_ROOT, fresh_namespace

pytestmark = pytest.mark.stack

ARTIFACTS = REPO_ROOT / "test-artifacts"
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
TEXT = "شوهدت دبابات قرب الحدود. وقال البنتاغون إن الوضع هادئ."


@pytest.fixture(scope="module")
def console(stack, tmp_path_factory):
    rules, entities = write_sample_config(tmp_path_factory.mktemp("console-v2"))
    settings = fresh_namespace(stack, rules_path=rules, entities_path=entities)
    client = redis.Redis.from_url(settings.redis_url)
    store = TokenStore(client, settings.redis_prefix)
    tokens = {role.name: store.create(f"{role.name}-officer", role) for role in Role}
    now = time.time()
    titles = ["البنتاغون يعلق على الدبابات", "رتل دبابات قرب الحدود", "Tanks seen near the border"]
    articles = [
        make_article(f"art{i}", title, TEXT).model_copy(
            update={"url": f"https://outlet{i}.example/a{i}", "story": StoryRef(id="story-1", sources=3)}
        )
        for i, title in enumerate(titles)
    ]
    articles.append(make_article("evil", "رابط خبيث", TEXT).model_copy(update={"url": "javascript:alert(1)"}))
    alerts = []
    for i, article in enumerate(articles[:3]):
        start = len(article.title) + 2 + TEXT.index("دبابات")
        alert = make_alert("tanks", article.id, article.title, "دبابات", start, matched_at=now - 300 * i)
        alerts.append(alert.model_copy(update={"story": StoryRef(id="story-1", sources=3), "notify": ["ops"]}))
    produce(settings, settings.topic_articles, [(a.id.encode(), a.to_bytes(), None) for a in articles])
    produce(settings, settings.topic_alerts, [(b"tanks", a.to_bytes(), None) for a in alerts])
    decision = {"action": "send", "reason": "", "alert_id": "al0", "step": 0, "payload": None}
    client.set(f"{settings.redis_prefix}decision:tanks:art0", orjson.dumps(decision))
    client.set(f"{settings.redis_prefix}delivered:al0:ops", orjson.dumps({"at": now, "status": 200}))
    served = serve_in_thread(create_app(settings, follow_alerts=False))
    try:
        yield served.url, tokens
    finally:
        served.stop()


def sign_in(page, base: str, token: str) -> None:
    page.goto(base + "/")
    page.fill("#token-input", token)
    page.click("#signin button[type=submit]")
    page.wait_for_selector("#whoami:not([hidden])")


def serious_violations(page) -> list[str]:
    page.evaluate(AXE_SOURCE + "\n;0")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"console-v2-{name}.png"), full_page=True)


def test_duty_officer_flows_in_english_on_a_desktop(console, browser) -> None:
    from playwright.sync_api import expect

    base, tokens = console
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Offline: nothing but the console itself may be reached.
    page.route(re.compile(r"^(?!http://127\.0\.0\.1)"), lambda route: route.abort())
    sign_in(page, base, tokens["admin"])

    # inbox: all alerts, their outcome, search with another spelling of a foreign G
    expect(page.locator("#inbox-list li.inbox-alert")).to_have_count(3)
    expect(page.locator("#inbox-list li[data-alert] .outcome").first).to_have_text("delivered")
    page.fill("#inbox-q", "البنتاجون")
    page.click("#inbox-form button[type=submit]")
    expect(page.locator("#inbox-list li.inbox-alert")).to_have_count(1)
    expect(page.locator("#inbox-list .alert-title")).to_contain_text("البنتاغون")
    assert serious_violations(page) == []
    shot(page, "en-1-inbox-search")

    # detail: evidence in its sentence, acknowledge, then silence prefilled from the alert
    page.click("#inbox-list button.details")
    expect(page.locator("#inbox-detail .contexts li")).to_contain_text("قرب الحدود")
    expect(page.locator("#inbox-detail a.article-link")).to_have_attribute("href", "https://news.example/art0")
    page.click("#inbox-detail button.ack")
    expect(page.locator("#inbox-detail")).to_contain_text("Acknowledged by admin-officer")
    shot(page, "en-2-inbox-detail")
    page.click("#inbox-detail button.silence-from")
    expect(page.locator("#tab-silences")).to_be_visible()
    expect(page.locator("#silence-rule")).to_have_value("tanks")
    expect(page.locator("#silence-matchers")).to_have_value("story=story-1")

    # grouping by story and pagination
    page.click("#nav a[data-view=inbox]")
    page.fill("#inbox-q", "")
    page.check("#inbox-group")
    page.click("#inbox-form button[type=submit]")
    expect(page.locator("#inbox-list li.story-group")).to_have_count(1)
    expect(page.locator("#inbox-list li.story-group li.inbox-alert")).to_have_count(3)

    # stories: growth, the outlets chart, articles by outlet, an id that runs a dry-run
    page.click("#nav a[data-view=stories]")
    story = page.locator("#stories-list li[data-story=story-1]")
    expect(story).to_be_visible()
    expect(story.locator("svg.sparkline")).to_have_count(1)
    expect(story.locator(".growth")).to_contain_text("+3")
    story.locator("button.story-open").click()
    expect(page.locator("#story-detail dd[data-article]")).to_have_count(3)
    expect(page.locator("#story-detail .full-article mark").first).to_have_text("دبابات")
    expect(page.locator("#story-detail a[href^=javascript]")).to_have_count(0)
    assert serious_violations(page) == []
    shot(page, "en-3-story")
    page.locator("#story-detail dd[data-article=art1] button.article-id").click()
    expect(page.locator("#test-article")).to_have_value("art1")
    expect(page.locator("#test-result .document mark").first).to_have_text("دبابات", timeout=15_000)

    # rules: a new rule validates as created; a bad id shows the reason, not "HTTP 422"
    page.click("#nav a[data-view=rules]")
    page.click("#new-rule")
    page.fill("#new-rule-id", "Bad Id")
    page.click("#new-rule-form button[type=submit]")
    expect(page.locator("#new-rule-error")).to_contain_text("a-z")
    page.fill("#new-rule-id", "fresh_rule")
    page.click("#new-rule-form button[type=submit]")
    expect(page.locator("#editing-title")).to_have_text("fresh_rule")
    expect(page.locator("#validation-status")).to_have_text("Valid.", timeout=10_000)
    page.locator("#rules-table tr[data-rule=tanks]").click()
    expect(page.locator("#editing-title")).to_have_text("tanks")
    page.click("[data-tab=backtest]")
    page.click("#run-compare")
    expect(page.locator("#compare-result .compare-summary")).to_contain_text("adds 0 alerts and removes 0")
    assert serious_violations(page) == []
    shot(page, "en-4-rules")

    # statistics, audit log, tokens
    page.click("#nav a[data-view=stats]")
    expect(page.locator("#stats-table tr[data-rule=tanks] .total")).to_have_text("3")
    expect(page.locator("#stats-table tr[data-rule=tanks] svg.sparkline")).to_have_count(1)
    page.click("#nav a[data-view=audit]")
    expect(page.locator("#audit-table tbody tr").first).to_contain_text("alert.ack")
    page.click("#nav a[data-view=tokens]")
    page.fill("#token-name", "night-shift")
    page.fill("#token-expires", "12h")
    page.click("#token-form button[type=submit]")
    expect(page.locator("#tokens-status code.new-token")).to_be_visible()
    row = page.locator("#tokens-table tr[data-token=night-shift]")
    expect(row).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("button.revoke").click()
    expect(row).to_have_count(0)
    assert serious_violations(page) == []
    shot(page, "en-5-tokens")

    # /docs renders offline from the package's own Swagger UI files
    page.goto(base + "/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Marsad console", timeout=20_000)
    shot(page, "en-6-docs")
    assert errors == []
    context.close()


def test_arabic_on_a_phone_with_a_viewer(console, browser) -> None:
    from playwright.sync_api import expect

    base, tokens = console
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar-EG", is_mobile=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#signin button[type=submit]")).to_have_text("دخول")
    sign_in(page, base, tokens["viewer"])
    expect(page.locator("#nav a[data-view=inbox]")).to_have_text("صندوق التنبيهات")

    # dates by Intl in Arabic, the month by name, read right to left: not "4.2026/12/ 6:29:49 م"
    first_time = page.locator("#inbox-list time").first
    expect(first_time).to_have_attribute("dir", "rtl")
    shown = first_time.inner_text()
    months = "يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر"
    assert re.search(months, shown) and "/" not in shown and "." not in shown, shown
    # a duty officer's viewer token acknowledges alerts, but does not see the editor's buttons
    assert page.locator("#inbox-list button.ack").count() >= 2  # present, one may be acknowledged already
    expect(page.locator("#inbox-list button.ack").first).to_be_visible()
    page.click("#inbox-list button.details")
    expect(page.locator("#inbox-detail button.silence-from")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    shot(page, "ar-1-inbox-phone")

    page.click("#nav a[data-view=stories]")
    expect(page.locator("#stories-list li[data-story=story-1]")).to_be_visible()
    shot(page, "ar-2-stories-phone")

    # the editor is usable on a phone, and each YAML line keeps its indentation
    page.click("#nav a[data-view=rules]")
    page.locator("#rules-table tr[data-rule=tanks]").click()
    expect(page.locator("#editing-title")).to_have_text("tanks")
    editor = page.locator("#yaml-editor").bounding_box()
    assert editor is not None and editor["width"] >= 250, editor
    fired = page.locator("#rules-table tr[data-rule=tanks] td.last-fired").bounding_box()
    assert fired is not None and fired["x"] >= 0 and fired["x"] + fired["width"] <= 390, fired
    expect(page.locator("[data-tab=backtest]")).to_be_hidden()
    expect(page.locator("#save-rule")).to_be_hidden()
    page.click("[data-tab=history]")
    line = page.locator("#history-list pre.code .code-line", has_text="دبابات").first
    expect(line.locator(".structure")).to_have_text(re.compile(r"^\s*(- )*[\w]*:?\s?$"))
    expect(line).to_have_attribute("dir", "ltr")
    page.click("[data-tab=silences]")
    expect(page.locator("#silence-form")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    shot(page, "ar-3-rules-phone")

    # switching the language re-renders in English, left to right
    page.select_option("#language", "en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("#nav a[data-view=inbox]")).to_have_text("Inbox")
    assert errors == []
    context.close()
