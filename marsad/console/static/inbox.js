// The alert inbox: search (Arabic spellings folded on the server), filters, grouping by
// story, pagination over the whole history, acknowledgement, and an alert's detail with
// its evidence in context and a silence prefilled from it.
import { $, api, articleLink, el, outcomeBadge, showError, timeEl } from "./dom.js";
import { formatNumber, t } from "./i18n.js";

const inbox = { offset: 0, limit: 25, facets: null, openDetail: null, toDryRun: null, toSilence: null };

export function onInboxActions({ toDryRun, toSilence }) { Object.assign(inbox, { toDryRun, toSilence }); }

function selectedValues(select) { return [...select.selectedOptions].map((o) => o.value).filter(Boolean); }

function fillSelect(select, values) {
  const chosen = new Set(selectedValues(select));
  select.replaceChildren(el("option", { value: "" }, t("inbox.all")),
    ...values.map((v) => el("option", { value: v, selected: chosen.has(v) }, v)));
}

function queryString() {
  const params = new URLSearchParams();
  const q = $("#inbox-q").value.trim();
  if (q) params.set("q", q);
  for (const [name, id] of [["rule", "#inbox-rule"], ["severity", "#inbox-severity"], ["feed", "#inbox-feed"], ["outcome", "#inbox-outcome"]]) {
    for (const value of selectedValues($(id))) params.append(name, value);
  }
  for (const [name, id] of [["since", "#inbox-since"], ["until", "#inbox-until"]]) {
    const value = $(id).value;
    if (value) params.set(name, String(new Date(value).getTime() / 1000));
  }
  if ($("#inbox-unacked").checked) params.set("acknowledged", "false");
  if ($("#inbox-group").checked) params.set("group", "true");
  params.set("offset", String(inbox.offset));
  params.set("limit", String(inbox.limit));
  return params.toString();
}

function alertRow(alert) {
  return el("li", { class: "inbox-alert", "data-alert": alert.id, "data-rule": alert.rule.id },
    el("div", { class: "inbox-line" },
      el("strong", {}, alert.rule.id), " ", el("span", { class: `severity ${alert.rule.severity}` }, alert.rule.severity), " ",
      outcomeBadge(alert.outcome), " ", timeEl(alert.matched_at, { class: "muted" })),
    el("div", { class: "alert-title", dir: "auto" }, alert.article.title || alert.article.id),
    el("div", { class: "evidence" }, alert.evidence.flatMap((e, i) => [i ? " · " : "", el("mark", { dir: "auto" }, e.text)])),
    el("div", { class: "muted" }, alert.article.feed, " · ", t("sources", { n: alert.story.sources })),
    el("div", { class: "actions" },
      el("button", { type: "button", class: "details", onclick: () => openDetail(alert.id) }, t("inbox.details")),
      alert.ack
        ? el("span", { class: "acked ok" }, t("inbox.acked", { by: alert.ack.by, time: "" }), timeEl(alert.ack.at))
        : el("button", { type: "button", class: "ack", onclick: () => acknowledge(alert.id) }, t("inbox.ack"))));
}

export async function loadInbox() {
  const status = $("#inbox-status");
  let page;
  try {
    page = await api("GET", `/api/inbox?${queryString()}`);
  } catch (error) {
    showError(status, error);
    return;
  }
  inbox.facets = page.facets;
  fillSelect($("#inbox-rule"), page.facets.rules);
  fillSelect($("#inbox-severity"), page.facets.severities);
  fillSelect($("#inbox-feed"), page.facets.feeds);
  const list = $("#inbox-list");
  if (page.groups) {
    status.textContent = t("inbox.groups", { n: page.total, alerts: page.alerts_total });
    list.replaceChildren(...page.groups.map((g) => el("li", { class: "story-group", "data-story": g.story },
      el("h3", {}, t("inbox.story", { id: g.story }), " ", el("span", { class: "badge" }, formatNumber(g.count))),
      el("ol", { class: "plain" }, g.alerts.map(alertRow)))));
  } else {
    status.textContent = t("inbox.total", { n: page.total });
    list.replaceChildren(...page.alerts.map(alertRow));
  }
  status.className = "";
  $("#inbox-empty").hidden = page.total > 0;
  const shown = page.groups ? page.groups.length : page.alerts.length;
  $("#inbox-page").textContent = page.total
    ? t("inbox.page", { from: page.offset + 1, to: page.offset + shown, total: page.total }) : "";
  $("#inbox-prev").disabled = page.offset === 0;
  $("#inbox-next").disabled = page.offset + shown >= page.total;
}

async function acknowledge(id) {
  try {
    await api("POST", `/api/inbox/${encodeURIComponent(id)}/ack`);
  } catch (error) {
    showError($("#inbox-status"), error);
  }
  await loadInbox();
  if (inbox.openDetail === id) await openDetail(id);
}

function contextLine(ev) {
  return el("li", { class: "context", dir: "auto" }, ev.context.before, el("mark", {}, ev.context.match), ev.context.after,
    " ", el("span", { class: "muted" }, `(${ev.leaf})`));
}

export async function openDetail(id) {
  inbox.openDetail = id;
  const box = $("#inbox-detail");
  box.hidden = false;
  box.replaceChildren(el("p", { class: "muted" }, "…"));
  try {
    const d = await api("GET", `/api/inbox/${encodeURIComponent(id)}`);
    const a = d.alert;
    box.replaceChildren(
      el("div", { class: "panel-head" }, el("h3", { dir: "auto", id: "detail-title" }, a.article.title || a.article.id),
        el("button", { type: "button", onclick: () => { box.hidden = true; inbox.openDetail = null; } }, t("inbox.close"))),
      el("p", {}, el("strong", {}, a.rule.id), " ", outcomeBadge(a.outcome), " ", timeEl(a.matched_at), " · ", a.article.feed),
      el("p", {}, articleLink(a.article.url, t("inbox.article"), { class: "article-link" }), " · ",
        t("stories.id"), " ", el("code", { class: "article-id" }, a.article.id), " · ",
        el("button", { type: "button", class: "to-dry-run", onclick: () => inbox.toDryRun && inbox.toDryRun(a.article.id) }, t("inbox.dryrun"))),
      el("h4", {}, t("inbox.evidence")),
      el("ul", { class: "contexts" }, d.evidence.map(contextLine)),
      a.ack ? el("p", { class: "ok" }, t("inbox.acked", { by: a.ack.by, time: "" }), timeEl(a.ack.at))
        : el("button", { type: "button", class: "ack", onclick: () => acknowledge(a.id) }, t("inbox.ack")),
      " ",
      el("button", { type: "button", class: "silence-from needs-editor", onclick: () => inbox.toSilence && inbox.toSilence(d.silence) }, t("inbox.silence")));
    box.scrollIntoView({ block: "nearest" });
  } catch (error) {
    box.replaceChildren(el("p", { class: "error" }, error.message));
  }
}

export function wireInbox() {
  $("#inbox-form").addEventListener("submit", (event) => { event.preventDefault(); inbox.offset = 0; loadInbox(); });
  $("#inbox-prev").addEventListener("click", () => { inbox.offset = Math.max(0, inbox.offset - inbox.limit); loadInbox(); });
  $("#inbox-next").addEventListener("click", () => { inbox.offset += inbox.limit; loadInbox(); });
}
