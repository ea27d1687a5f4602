// Marsad console: plain JS, no build step. Every call sends the token as a bearer header;
// user text is inserted as text nodes (never as HTML) with dir="auto", so Arabic renders
// right-to-left beside English, and evidence is wrapped in <mark> elements.
"use strict";

const state = {
  token: sessionStorage.getItem("marsad.token") || "",
  user: null,
  ruleId: null,      // the rule being edited, null for a new one
  version: null,     // the version the editor started from (for conflict detection)
  validateTimer: null,
  validateSeq: 0,
  backtestAbort: null,
  liveAbort: null,
  seenAlerts: new Set(),
};

const $ = (selector) => document.querySelector(selector);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.detail && typeof body.detail === "string") ? body.detail : `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function api(method, path, body, options = {}) {
  const headers = { Authorization: `Bearer ${state.token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: options.signal,
  });
  if (options.raw) {
    if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
    return response;
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401 && path !== "/api/whoami") signOut("Your token was refused; sign in again.");
    throw new ApiError(response.status, data);
  }
  return data;
}

function when(iso) {
  if (!iso) return "never";
  const date = new Date(iso);
  return isNaN(date) ? iso : date.toLocaleString();
}

// Wrap evidence spans of `text` in <mark>. Offsets count Unicode code points (Python
// string indices), so the text is split into code points, not UTF-16 units.
function highlighted(text, evidence) {
  const chars = Array.from(text);
  const spans = evidence
    .filter((e) => Number.isInteger(e.start) && Number.isInteger(e.end) && e.end > e.start)
    .map((e) => ({ start: e.start, end: e.end, label: `${e.rule || ""} ${e.leaf || ""}`.trim() }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out = el("div", { class: "document", dir: "auto" });
  let pos = 0;
  for (const span of spans) {
    if (span.start < pos) continue; // overlapping evidence: the earliest span wins
    out.append(chars.slice(pos, span.start).join(""));
    out.append(el("mark", { title: span.label }, chars.slice(span.start, span.end).join("")));
    pos = span.end;
  }
  out.append(chars.slice(pos).join(""));
  return out;
}

// --- sign in -------------------------------------------------------------------------
async function signIn(token) {
  state.token = token;
  try {
    state.user = await api("GET", "/api/whoami");
  } catch (error) {
    state.token = "";
    sessionStorage.removeItem("marsad.token");
    $("#signin-error").textContent = error.status === 401 ? "Unknown or revoked token." : error.message;
    return;
  }
  sessionStorage.setItem("marsad.token", token);
  $("#signin-error").textContent = "";
  $("#signin").hidden = true;
  $("#whoami").hidden = false;
  $("#whoami-name").textContent = state.user.name;
  $("#whoami-role").textContent = state.user.role;
  $("#console").hidden = false;
  document.body.dataset.role = state.user.role;
  await loadRules();
  const linked = location.hash.match(/^#rule\/([a-z0-9_-]+)$/);
  if (linked) openRule(linked[1]).catch(() => {});
  await loadRecentAlerts();
  startLive();
}

function signOut(message = "") {
  if (state.liveAbort) state.liveAbort.abort();
  state.token = "";
  state.user = null;
  sessionStorage.removeItem("marsad.token");
  $("#console").hidden = true;
  $("#whoami").hidden = true;
  $("#signin").hidden = false;
  $("#signin-error").textContent = message;
}

// --- rules list ----------------------------------------------------------------------
async function loadRules() {
  const { rules } = await api("GET", "/api/rules");
  const body = $("#rules-table tbody");
  body.replaceChildren();
  for (const rule of rules) {
    const row = el("tr", { "data-rule": rule.id, class: rule.id === state.ruleId ? "selected" : null },
      el("td", {},
        el("a", { href: `#rule/${rule.id}`, class: "rule-id" }, rule.id),
        el("div", { class: "rule-title", dir: "auto" }, rule.title)),
      el("td", {}, el("span", { class: `state ${rule.enabled ? "on" : "off"}` }, rule.enabled ? "enabled" : "disabled"),
        " ", el("span", { class: `severity ${rule.severity}` }, rule.severity)),
      el("td", { class: "last-fired" }, when(rule.last_fired_at)));
    row.addEventListener("click", (event) => { event.preventDefault(); openRule(rule.id); });
    body.append(row);
  }
  $("#rules-empty").hidden = rules.length > 0;
}

async function openRule(ruleId) {
  const rule = await api("GET", `/api/rules/${encodeURIComponent(ruleId)}`);
  state.ruleId = rule.id;
  state.version = rule.version;
  $("#editing-title").textContent = rule.id;
  $("#editing-version").textContent = `version ${rule.version} by ${rule.author}, ${when(rule.updated_at)}`;
  setEditor(rule.yaml);
  for (const row of document.querySelectorAll("#rules-table tr")) row.classList.toggle("selected", row.dataset.rule === ruleId);
  $("#delete-rule").hidden = false;
  $("#save-status").textContent = "";
  showTab("edit");
  location.hash = `rule/${rule.id}`;
}

function newRule() {
  const id = (prompt("Id of the new rule (a-z, 0-9, _ and -):") || "").trim();
  if (!id) return;
  state.ruleId = id;
  state.version = 0;
  $("#editing-title").textContent = `${id} (new)`;
  $("#editing-version").textContent = "not saved yet";
  $("#delete-rule").hidden = true;
  setEditor(`id: ${id}\ntitle: \nseverity: medium\nenabled: true\nwhen:\n  terms: []\n`);
  showTab("edit");
}

// --- editor with inline validation ----------------------------------------------------
function setEditor(text) {
  $("#yaml-editor").value = text;
  renderGutter([]);
  scheduleValidation(0);
}

function renderGutter(errorLines) {
  const lines = $("#yaml-editor").value.split("\n").length;
  const bad = new Set(errorLines);
  const gutter = $("#gutter");
  gutter.replaceChildren();
  for (let n = 1; n <= lines; n++) {
    gutter.append(el("span", { class: bad.has(n) ? "bad" : null, "data-line": n }, String(n)), "\n");
  }
}

function scheduleValidation(delay = 350) {
  clearTimeout(state.validateTimer);
  state.validateTimer = setTimeout(validateDraft, delay);
}

async function validateDraft() {
  const seq = ++state.validateSeq;
  const yaml = $("#yaml-editor").value;
  if (!yaml.trim()) return;
  let report;
  try {
    report = await api("POST", "/api/rules/validate", { yaml, rule_id: state.ruleId || undefined });
  } catch (error) {
    if (seq === state.validateSeq) $("#validation-status").textContent = error.message;
    return;
  }
  if (seq !== state.validateSeq) return; // a newer edit is being checked
  showErrors(report.errors);
}

function showErrors(errors) {
  const list = $("#validation-errors");
  list.replaceChildren();
  const status = $("#validation-status");
  if (!errors.length) {
    status.textContent = "Valid.";
    status.className = "ok";
  } else {
    status.textContent = `${errors.length} error${errors.length > 1 ? "s" : ""}`;
    status.className = "error";
  }
  for (const error of errors) {
    const item = el("li", { class: "validation-error", "data-line": error.line || "" },
      el("span", { class: "line" }, error.line ? `line ${error.line}` : "rule"), " ",
      el("span", { class: "reason", dir: "auto" }, error.reason));
    if (error.line) item.addEventListener("click", () => goToLine(error.line));
    list.append(item);
  }
  renderGutter(errors.map((e) => e.line).filter(Boolean));
}

function goToLine(line) {
  const editor = $("#yaml-editor");
  const lines = editor.value.split("\n");
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  editor.focus();
  editor.setSelectionRange(start, start + (lines[line - 1] || "").length);
}

async function saveRule() {
  if (!state.ruleId) return;
  const status = $("#save-status");
  status.textContent = "Saving…";
  status.className = "";
  try {
    const result = await api("PUT", `/api/rules/${encodeURIComponent(state.ruleId)}`,
      { yaml: $("#yaml-editor").value, base_version: state.version });
    const message = result.changed
      ? `Saved as version ${result.version.version}` + (result.published ? `, published (${result.published.ruleset_version})` : "")
      : "No change.";
    await loadRules();
    await openRule(state.ruleId);  // reloads the saved text and version
    status.textContent = message;
    status.className = "ok";
  } catch (error) {
    status.textContent = error.message;
    status.className = "error";
    if (error.body && error.body.errors) showErrors(error.body.errors);
  }
}

async function deleteRule() {
  if (!state.ruleId || !confirm(`Delete rule ${state.ruleId}? It can be restored from its history.`)) return;
  try {
    await api("DELETE", `/api/rules/${encodeURIComponent(state.ruleId)}?base_version=${state.version}`);
    $("#save-status").textContent = `Deleted ${state.ruleId}.`;
    state.ruleId = null;
    $("#editing-title").textContent = "Select a rule";
    $("#yaml-editor").value = "";
    await loadRules();
  } catch (error) {
    $("#save-status").textContent = error.message;
    $("#save-status").className = "error";
  }
}

// --- test on text ----------------------------------------------------------------------
function matchList(matches) {
  return el("ul", { class: "matches" }, ...matches.map((m) =>
    el("li", {}, el("strong", {}, m.rule), " ", el("span", { dir: "auto" }, m.title || ""), ": ",
      ...m.evidence.flatMap((e, i) => [i ? " · " : "", el("mark", { dir: "auto" }, e.text),
        el("span", { class: "muted" }, ` ${e.leaf} ${e.start}–${e.end}`)]))));
}

async function runTest() {
  const out = $("#test-result");
  out.replaceChildren(el("p", { class: "muted" }, "Testing…"));
  const articleId = $("#test-article").value.trim();
  const body = { yaml: $("#yaml-editor").value, language: $("#test-language").value || null };
  if (articleId) body.article_id = articleId;
  else { body.title = $("#test-title").value; body.text = $("#test-text").value; }
  try {
    const result = await api("POST", "/api/dry-run", body);
    const evidence = result.matches.flatMap((m) => m.evidence.map((e) => ({ ...e, rule: m.rule })));
    out.replaceChildren(
      el("p", { class: result.matches.length ? "ok" : "muted" },
        result.matches.length ? `${result.matches.length} rule(s) fire.` : "No rule fires."),
      matchList(result.matches),
      highlighted(result.document, evidence));
  } catch (error) {
    out.replaceChildren(el("p", { class: "error" }, error.message));
    if (error.body && error.body.errors) showErrors(error.body.errors);
  }
}

// --- back-test (NDJSON, read progressively) ------------------------------------------------
async function runBacktest() {
  if (state.backtestAbort) state.backtestAbort.abort();
  const abort = new AbortController();
  state.backtestAbort = abort;
  const status = $("#backtest-status");
  const progress = $("#backtest-progress");
  const list = $("#backtest-matches");
  const days = $("#backtest-days-table");
  list.replaceChildren();
  days.hidden = true;
  progress.hidden = false;
  progress.removeAttribute("value");
  $("#stop-backtest").hidden = false;
  status.textContent = "Starting…";
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
          status.textContent = `Scanning ${total} articles since ${when(event.since)}…`;
        } else if (event.type === "match") {
          list.append(el("li", { class: "backtest-match" },
            el("span", { class: "muted" }, event.day, " "),
            el("a", { href: event.article.url || "#", dir: "auto", target: "_blank", rel: "noopener" },
              event.article.title || event.article.id),
            matchList(event.matches)));
        } else if (event.type === "progress") {
          progress.value = event.scanned;
          status.textContent = `${event.scanned} / ${total} scanned, ${event.matched} would fire…`;
        } else if (event.type === "done") {
          progress.value = progress.max;
          status.textContent = `Done: ${event.matched} of ${event.scanned} articles would have fired` +
            (event.truncated ? " (list shortened; counts complete)" : "") + ".";
          status.className = "ok";
          const body = days.querySelector("tbody");
          body.replaceChildren(...Object.entries(event.per_day).map(([day, n]) => el("tr", {}, el("td", {}, day), el("td", {}, n))));
          days.hidden = Object.keys(event.per_day).length === 0;
        }
      }
    }
  } catch (error) {
    if (error.name !== "AbortError") {
      status.textContent = error.message;
      status.className = "error";
      if (error.body && error.body.errors) showErrors(error.body.errors);
    } else {
      status.textContent = "Stopped.";
    }
  } finally {
    $("#stop-backtest").hidden = true;
    if (state.backtestAbort === abort) state.backtestAbort = null;
  }
}

// --- history -------------------------------------------------------------------------
async function loadHistory() {
  const list = $("#history-list");
  list.replaceChildren();
  if (!state.ruleId || !state.version) return;
  const { versions } = await api("GET", `/api/rules/${encodeURIComponent(state.ruleId)}/history`);
  for (const v of versions) {
    const current = v.version === state.version;
    list.append(el("li", { class: "version", "data-version": v.version },
      el("div", {},
        el("strong", {}, `v${v.version}`), ` ${v.action}`,
        v.rolled_back_to ? ` to v${v.rolled_back_to}` : "", ` by ${v.author}, ${when(v.time)} `,
        current ? el("span", { class: "badge" }, "current")
          : el("button", { type: "button", class: "rollback", onclick: () => rollback(v.version) }, `Roll back to v${v.version}`)),
      el("pre", { class: "diff", dir: "ltr" }, ...v.diff.split("\n").map((line) =>
        el("span", { class: line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : null }, line + "\n")))));
  }
}

async function rollback(version) {
  if (!confirm(`Roll ${state.ruleId} back to version ${version}? This creates a new version.`)) return;
  try {
    await api("POST", `/api/rules/${encodeURIComponent(state.ruleId)}/rollback/${version}`);
    await loadRules();
    if (state.ruleId) {
      try { await openRule(state.ruleId); } catch (_) { /* rolled back to a deletion */ }
    }
    showTab("history");
  } catch (error) {
    alert(error.message);
  }
}

// --- entities --------------------------------------------------------------------------
async function openEntities() {
  const entities = await api("GET", "/api/entities");
  state.entitiesVersion = entities.version;
  $("#entities-editor").value = entities.yaml;
  $("#entities-status").textContent = entities.version ? `version ${entities.version} by ${entities.author}` : "no entities yet";
  showTab("entities");
}

async function saveEntities() {
  const status = $("#entities-status");
  const errors = $("#entities-errors");
  errors.replaceChildren();
  try {
    const result = await api("PUT", "/api/entities", { yaml: $("#entities-editor").value, base_version: state.entitiesVersion });
    state.entitiesVersion = result.version.version;
    status.textContent = result.changed ? `Saved as version ${result.version.version}` : "No change.";
    status.className = "ok";
  } catch (error) {
    status.textContent = error.message;
    status.className = "error";
    for (const e of (error.body && error.body.errors) || []) {
      errors.append(el("li", {}, e.line ? `line ${e.line}: ` : "", el("span", { dir: "auto" }, e.reason)));
    }
  }
}

// --- silences --------------------------------------------------------------------------
async function loadSilences() {
  const { silences } = await api("GET", "/api/silences");
  const body = $("#silences-table tbody");
  body.replaceChildren(...silences.filter((s) => s.active).map((s) => el("tr", {},
    el("td", {}, s.rule), el("td", {}, new Date(s.ends_at * 1000).toLocaleString()),
    el("td", { dir: "auto" }, s.reason), el("td", {}, s.created_by),
    el("td", {}, el("button", { type: "button", onclick: () => expireSilence(s.id) }, "End now")))));
}

async function createSilence(event) {
  event.preventDefault();
  const status = $("#silence-status");
  try {
    await api("POST", "/api/silences", {
      rule: $("#silence-rule").value.trim(), duration: $("#silence-duration").value.trim(),
      reason: $("#silence-reason").value.trim(),
    });
    status.textContent = "Silenced.";
    status.className = "ok";
    await loadSilences();
  } catch (error) {
    status.textContent = error.message;
    status.className = "error";
  }
}

async function expireSilence(id) {
  await api("DELETE", `/api/silences/${encodeURIComponent(id)}`);
  await loadSilences();
}

// --- live alerts (server-sent events over fetch, so the token travels in a header) ------
function alertItem(alert) {
  return el("li", { class: `alert severity-${alert.rule.severity}`, "data-alert": alert.id, "data-rule": alert.rule.id },
    el("div", {}, el("strong", {}, alert.rule.id), " ",
      el("span", { class: `severity ${alert.rule.severity}` }, alert.rule.severity), " ",
      el("time", { class: "muted" }, new Date(alert.matched_at * 1000).toLocaleTimeString())),
    el("a", { href: alert.article.url || "#", dir: "auto", target: "_blank", rel: "noopener", class: "alert-title" },
      alert.article.title || alert.article.id),
    el("div", { class: "evidence" }, ...alert.evidence.flatMap((e, i) => [i ? " · " : "", el("mark", { dir: "auto" }, e.text)])),
    el("div", { class: "muted" }, `${alert.article.feed} · ${alert.story.sources} source(s)`));
}

function addAlert(alert, atTop) {
  if (state.seenAlerts.has(alert.id)) return;
  state.seenAlerts.add(alert.id);
  const list = $("#alerts-list");
  if (atTop) list.prepend(alertItem(alert)); else list.append(alertItem(alert));
  while (list.children.length > 200) list.lastElementChild.remove();
}

async function loadRecentAlerts() {
  try {
    const { alerts } = await api("GET", "/api/alerts/recent?limit=50");
    for (const alert of alerts) addAlert(alert, false);
  } catch (error) {
    $("#live-status").textContent = error.message;
  }
}

function setLive(stateName, text) {
  const badge = $("#live-status");
  badge.dataset.state = stateName;
  badge.textContent = text;
}

async function startLive() {
  if (state.liveAbort) state.liveAbort.abort();
  const abort = new AbortController();
  state.liveAbort = abort;
  let delay = 1000;
  while (!abort.signal.aborted && state.token) {
    setLive("connecting", "connecting…");
    try {
      const response = await api("GET", "/api/alerts/stream", undefined, { raw: true, signal: abort.signal });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let name = "message";
          const data = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("event:")) name = line.slice(6).trim();
            else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
          }
          if (name === "ready") { setLive("live", "live"); delay = 1000; }
          else if (name === "alert") { addAlert(JSON.parse(data.join("\n")), true); loadRules().catch(() => {}); }
        }
      }
    } catch (error) {
      if (abort.signal.aborted) return;
      if (error.status === 401) { signOut("Your token was refused; sign in again."); return; }
    }
    setLive("off", "reconnecting…");
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 15000);
  }
}

// --- tabs and wiring ---------------------------------------------------------------------
function showTab(name) {
  for (const tab of document.querySelectorAll(".tab")) tab.hidden = tab.id !== `tab-${name}`;
  for (const button of document.querySelectorAll("[role=tab]")) button.setAttribute("aria-selected", String(button.dataset.tab === name));
  if (name === "history") loadHistory().catch((error) => alert(error.message));
  if (name === "silences") loadSilences().catch((error) => alert(error.message));
}

document.addEventListener("DOMContentLoaded", () => {
  $("#signin").addEventListener("submit", (event) => { event.preventDefault(); signIn($("#token-input").value.trim()); });
  $("#signout").addEventListener("click", () => signOut());
  $("#new-rule").addEventListener("click", newRule);
  $("#refresh-rules").addEventListener("click", () => loadRules());
  $("#open-entities").addEventListener("click", () => openEntities().catch((error) => alert(error.message)));
  $("#yaml-editor").addEventListener("input", () => { renderGutter([]); scheduleValidation(); });
  $("#yaml-editor").addEventListener("scroll", () => { $("#gutter").scrollTop = $("#yaml-editor").scrollTop; });
  $("#save-rule").addEventListener("click", saveRule);
  $("#delete-rule").addEventListener("click", deleteRule);
  $("#run-test").addEventListener("click", runTest);
  $("#run-backtest").addEventListener("click", runBacktest);
  $("#stop-backtest").addEventListener("click", () => state.backtestAbort && state.backtestAbort.abort());
  $("#save-entities").addEventListener("click", saveEntities);
  $("#silence-form").addEventListener("submit", createSilence);
  for (const button of document.querySelectorAll("[role=tab]")) button.addEventListener("click", () => showTab(button.dataset.tab));
  if (state.token) signIn(state.token);
});
