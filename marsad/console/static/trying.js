// Trying a draft: on a text or a retained article (dry-run), over the retained articles
// (back-test, read progressively as NDJSON), and against the rules in force (compare).
import { $, api, articleLink, el, highlighted, showError, timeEl } from "./dom.js";
import { formatNumber, t } from "./i18n.js";
import { showErrors } from "./rules.js";

const running = { backtest: null };

export function matchList(matches) {
  return el("ul", { class: "matches" }, matches.map((m) =>
    el("li", {}, el("strong", {}, m.rule), " ", el("span", { dir: "auto" }, m.title || ""), ": ",
      m.evidence.flatMap((e, i) => [i ? " · " : "", el("mark", { dir: "auto" }, e.text),
        el("span", { class: "muted" }, ` ${e.leaf} ${e.start}–${e.end}`)]))));
}

export async function runTest() {
  const out = $("#test-result");
  out.replaceChildren(el("p", { class: "muted" }, t("testing")));
  const articleId = $("#test-article").value.trim();
  const body = { yaml: $("#yaml-editor").value || undefined, language: $("#test-language").value || null };
  if (articleId) body.article_id = articleId;
  else { body.title = $("#test-title").value; body.text = $("#test-text").value; }
  try {
    const result = await api("POST", "/api/dry-run", body);
    const evidence = result.matches.flatMap((m) => m.evidence.map((e) => ({ ...e, rule: m.rule })));
    out.replaceChildren(
      el("p", { class: result.matches.length ? "ok" : "muted" },
        result.matches.length ? t("test.fire", { n: result.matches.length }) : t("test.none")),
      matchList(result.matches),
      highlighted(result.document, evidence));
  } catch (error) {
    out.replaceChildren(el("p", { class: "error" }, error.message));
    if (error.body && error.body.errors) showErrors(error.body.errors);
  }
}

export async function runBacktest() {
  if (running.backtest) running.backtest.abort();
  const abort = new AbortController();
  running.backtest = abort;
  const status = $("#backtest-status");
  const progress = $("#backtest-progress");
  const list = $("#backtest-matches");
  const days = $("#backtest-days-table");
  list.replaceChildren();
  days.hidden = true;
  progress.hidden = false;
  progress.removeAttribute("value");
  $("#stop-backtest").hidden = false;
  status.textContent = "…";
  status.className = "";
  try {
    const response = await api("POST", "/api/backtest",
      { yaml: $("#yaml-editor").value, days: Number($("#backtest-days").value) || 7 }, { raw: true, signal: abort.signal });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let total = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (!line.trim()) continue;
        const event = JSON.parse(line);
        if (event.type === "start") {
          total = event.total;
          progress.max = Math.max(1, total);
          progress.value = 0;
          status.textContent = t("backtest.start", { total, since: "" });
          status.append(timeEl(event.since));
        } else if (event.type === "match") {
          list.append(el("li", { class: "backtest-match" },
            el("span", { class: "muted" }, event.day, " "),
            articleLink(event.article.url, event.article.title || event.article.id),
            " ", el("code", { class: "article-id" }, event.article.id),
            matchList(event.matches)));
        } else if (event.type === "progress") {
          progress.value = event.scanned;
          status.textContent = t("backtest.progress", { scanned: event.scanned, total, matched: event.matched });
        } else if (event.type === "done") {
          progress.value = progress.max;
          status.textContent = t("backtest.done", { matched: event.matched, scanned: event.scanned });
          status.className = "ok";
          days.querySelector("tbody").replaceChildren(...Object.entries(event.per_day).map(([day, n]) =>
            el("tr", {}, el("td", {}, day), el("td", {}, formatNumber(n)))));
          days.hidden = Object.keys(event.per_day).length === 0;
        }
      }
    }
  } catch (error) {
    if (error.name !== "AbortError") {
      showError(status, error);
      if (error.body && error.body.errors) showErrors(error.body.errors);
    } else {
      status.textContent = t("backtest.stopped");
    }
  } finally {
    $("#stop-backtest").hidden = true;
    if (running.backtest === abort) running.backtest = null;
  }
}

function compareList(kind, items) {
  return el("section", { class: `compare-${kind}` }, el("h4", {}, t(`compare.${kind}`)),
    el("ol", {}, items.map((item) => el("li", { "data-article": item.article.id },
      el("strong", {}, item.rule), " ", articleLink(item.article.url, item.article.title || item.article.id), " ",
      el("code", { class: "article-id" }, item.article.id), " ",
      item.evidence.map((e) => el("mark", { dir: "auto" }, e.text))))));
}

export async function runCompare() {
  const out = $("#compare-result");
  out.replaceChildren(el("p", { class: "muted" }, t("testing")));
  try {
    const r = await api("POST", "/api/backtest/compare", { yaml: $("#yaml-editor").value, days: Number($("#backtest-days").value) || 7 });
    out.replaceChildren(
      el("p", { class: "compare-summary" }, t("compare.result", r)),
      r.added_articles.length ? compareList("added", r.added_articles) : null,
      r.removed_articles.length ? compareList("removed", r.removed_articles) : null);
  } catch (error) {
    out.replaceChildren(el("p", { class: "error" }, error.message));
  }
}

export function wireTrying() {
  $("#run-test").addEventListener("click", runTest);
  $("#run-backtest").addEventListener("click", runBacktest);
  $("#run-compare").addEventListener("click", runCompare);
  $("#stop-backtest").addEventListener("click", () => running.backtest && running.backtest.abort());
}
