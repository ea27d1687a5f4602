// Stories now: ranked by growth (outlets that first reported them in the last hour), each
// with distinct outlets over time, the rules it fired, its articles by outlet and time,
// and their full text with the evidence highlighted. Article ids are shown and lead to a
// dry-run.
import { $, api, articleLink, el, highlighted, showError, sparkline, timeEl } from "./dom.js";
import { formatNumber, t } from "./i18n.js";

const stories = { toDryRun: null };
export function onStoryActions({ toDryRun }) { stories.toDryRun = toDryRun; }

function rulesFired(rules) {
  return el("span", { class: "rules-fired" }, Object.entries(rules).map(([rule, n]) =>
    el("span", { class: "badge", "data-rule": rule }, `${rule} ×${formatNumber(n)}`)));
}

function articleId(id) {
  return el("button", { type: "button", class: "article-id", title: t("inbox.dryrun"),
    onclick: () => stories.toDryRun && stories.toDryRun(id) }, id);
}

export async function loadStories() {
  const status = $("#stories-status");
  try {
    const data = await api("GET", `/api/stories?hours=${Number($("#stories-hours").value) || 24}&limit=50`);
    status.textContent = "";
    $("#stories-empty").hidden = data.stories.length > 0;
    $("#stories-list").replaceChildren(...data.stories.map((s) => el("li", { class: "story", "data-story": s.id },
      el("button", { type: "button", class: "story-open", onclick: () => openStory(s.id) },
        el("span", { dir: "auto", class: "story-title" }, s.title || s.id)),
      el("div", { class: "story-meta" },
        el("span", { class: "growth" }, t("stories.growth", { n: s.growth })), " · ",
        t("stories.outlets", { n: s.outlets }), " · ", t("stories.articles", { n: s.articles }), " · ", timeEl(s.latest_at)),
      sparkline(s.series.map((p) => p.outlets), t("stories.chart")),
      rulesFired(s.rules))));
  } catch (error) {
    showError(status, error);
  }
}

export async function openStory(id) {
  const box = $("#story-detail");
  box.hidden = false;
  box.replaceChildren(el("p", { class: "muted" }, "…"));
  try {
    const s = await api("GET", `/api/stories/${encodeURIComponent(id)}?hours=${Number($("#stories-hours").value) || 24}`);
    box.replaceChildren(
      el("h3", { dir: "auto" }, s.title || s.id),
      el("p", { class: "muted" }, t("stories.growth", { n: s.growth }), " · ", t("stories.outlets", { n: s.outlets })),
      el("figure", {}, sparkline(s.series.map((p) => p.outlets), t("stories.chart"), { width: 280, height: 60 }),
        el("figcaption", { class: "muted" }, t("stories.chart"))),
      el("h4", {}, t("stories.rules")), rulesFired(s.rules),
      el("h4", {}, t("stories.byoutlet")),
      el("dl", { class: "by-outlet" }, Object.entries(s.by_outlet).flatMap(([outlet, articles]) => [
        el("dt", {}, outlet),
        ...articles.map((a) => el("dd", { "data-article": a.id }, timeEl(a.first_seen_at), " ",
          articleLink(a.url, a.title || a.id), " ", articleId(a.id)))])),
      el("h4", {}, t("stories.fulltext")),
      ...s.full.map((a) => el("article", { class: "full-article", "data-article": a.id },
        el("p", {}, el("strong", {}, a.outlet), " ", articleId(a.id)), highlighted(a.document, a.evidence))));
    box.scrollIntoView({ block: "nearest" });
  } catch (error) {
    box.replaceChildren(el("p", { class: "error" }, error.message));
  }
}

export function wireStories() {
  $("#stories-form").addEventListener("submit", (event) => { event.preventDefault(); loadStories(); });
}
