"""The console in headless Debian Chromium (Playwright, no browser download), against
`marsad api` and the real `marsad worker` as processes on the test session's stack:
sign in, break a rule and see the error inline, fix and save it, publish a matching
article and watch its alert arrive live. Screenshots go to test-artifacts/."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
import redis
from kafka import KafkaProducer

from kernel.messages import RawArticle, article_id
from marsad.console.auth import Role, TokenStore
from tests.support.console import free_port, write_sample_config
from tests.support.pipeline import Pipeline, wait_until
from tests.support.stack import REPO_ROOT, fresh_namespace

pytestmark = pytest.mark.stack

ARTIFACTS = REPO_ROOT / "test-artifacts"

BROKEN = "id: tanks\ntitle: دبابات قرب الحدود\nseverity: urgent\nwhen:\n  terms: [مدرعات]\n"
FIXED = "id: tanks\ntitle: دبابات ومدرعات قرب الحدود\nseverity: high\nwhen:\n  terms: [مدرعات]\n"


def test_edit_fix_save_and_watch_the_alert_arrive(stack, tmp_path, browser) -> None:
    from playwright.sync_api import expect

    rules, entities = write_sample_config(tmp_path)
    port = free_port()
    settings = fresh_namespace(stack, rules_path=rules, entities_path=entities, api_port=port)
    token = TokenStore(redis.Redis.from_url(settings.redis_url), settings.redis_prefix).create("browser", Role.editor)
    ARTIFACTS.mkdir(exist_ok=True)
    base = f"http://127.0.0.1:{port}"

    with Pipeline(settings, tmp_path) as pipe:
        pipe.start("api", "api", "--port", str(port))
        pipe.start("worker", "worker")

        def api_up() -> bool:
            try:
                return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(api_up, 60, "the console to answer")
        page = browser.new_page(viewport={"width": 1500, "height": 950}, locale="en-US")
        console_errors: list[str] = []
        page.on("pageerror", lambda exc: console_errors.append(str(exc)))
        page.goto(base + "/")

        # sign in
        page.fill("#token-input", token)
        page.click("#signin button[type=submit]")
        expect(page.locator("#whoami-name")).to_have_text("browser")
        page.click("#nav a[data-view=rules]")  # the page opens on the alert inbox
        tanks_row = page.locator("#rules-table tr[data-rule=tanks]")
        expect(tanks_row).to_be_visible()
        expect(tanks_row.locator(".rule-title")).to_have_attribute("dir", "auto")
        expect(page.locator("#live-status")).to_have_text("live", timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "console-1-signed-in.png"), full_page=True)

        # break the rule: the error shows next to the editor, with its line
        tanks_row.click()
        expect(page.locator("#yaml-editor")).to_have_value(rules.joinpath("tanks.yaml").read_text(encoding="utf-8"))
        page.fill("#yaml-editor", BROKEN)
        error = page.locator("#validation-errors .validation-error")
        expect(error).to_have_count(1, timeout=10_000)
        expect(error.locator(".line")).to_have_text("line 3")
        expect(error.locator(".reason")).to_contain_text("urgent")
        expect(page.locator("#gutter span.bad")).to_have_text("3")
        page.screenshot(path=str(ARTIFACTS / "console-2-inline-error.png"), full_page=True)

        # saving the broken rule is refused and the error stays inline
        page.click("#save-rule")
        expect(page.locator("#save-status")).to_contain_text("urgent")

        # fix it, try it on pasted text, save it
        page.fill("#yaml-editor", FIXED)
        expect(page.locator("#validation-status")).to_have_text("Valid.", timeout=10_000)
        page.click("[data-tab=test]")
        page.fill("#test-title", "تعزيزات")
        page.fill("#test-text", "وصلت مدرعات جديدة إلى المنطقة")
        page.click("#run-test")
        mark = page.locator("#test-result .document mark")
        expect(mark).to_have_text("مدرعات")
        expect(page.locator("#test-result .document")).to_have_attribute("dir", "auto")
        page.screenshot(path=str(ARTIFACTS / "console-3-dry-run.png"), full_page=True)
        page.click("[data-tab=edit]")
        page.click("#save-rule")
        expect(page.locator("#save-status")).to_contain_text("Saved as version 2", timeout=15_000)
        expect(page.locator("#editing-version")).to_contain_text("version 2 by browser")

        # publish a matching article; the worker applies the new set and the alert arrives live
        producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
        alert_item = page.locator("#alerts-list li[data-rule=tanks]")
        deadline = time.monotonic() + 120
        try:
            while alert_item.count() == 0 and time.monotonic() < deadline:
                # A new article each time: the worker may still be starting or reloading.
                item = uuid.uuid4().hex[:8]
                aid = article_id("browser-test", item)
                raw = RawArticle(
                    id=aid,
                    feed="browser-test",
                    url=f"https://browser.example/{item}",
                    title=f"رتل مدرعات {item}",
                    content="شوهدت مدرعات تتحرك نحو الحدود فجر اليوم.",
                    content_type="text/plain",
                    language="ar",
                    first_seen_at=time.time(),
                )
                producer.send(settings.topic_raw, key=aid.encode(), value=raw.to_bytes()).get(10)
                try:
                    expect(alert_item.first).to_be_visible(timeout=8_000)
                except AssertionError:
                    continue
        finally:
            producer.close()
        assert alert_item.count() >= 1, "no alert arrived in the page:\n" + pipe.log("worker")[-3000:]
        first = alert_item.first
        expect(first.locator(".alert-title")).to_contain_text("رتل مدرعات")
        expect(first.locator(".alert-title")).to_have_attribute("dir", "auto")
        expect(first.locator(".evidence mark").first).to_have_text("مدرعات")
        page.screenshot(path=str(ARTIFACTS / "console-4-live-alert.png"), full_page=True)

        # history shows both versions; roll back to the first
        page.click("[data-tab=history]")
        expect(page.locator("#history-list li.version")).to_have_count(2)
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#history-list li[data-version='1'] button.rollback")
        expect(page.locator("#editing-version")).to_contain_text("version 3 by browser", timeout=15_000)
        page.screenshot(path=str(ARTIFACTS / "console-5-rolled-back.png"), full_page=True)
        assert console_errors == []
        page.close()
