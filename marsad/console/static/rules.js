// Rules: the list, the editor with inline validation and entity-name suggestions, saving,
// deleting, creating, and each rule's history with diffs and rollback.
import { $, api, codeBlock, el, showError, state, timeEl } from "./dom.js";
import { t } from "./i18n.js";

export const editing = { ruleId: null, version: null, isNew: false, validateTimer: null, validateSeq: 0, entityNames: [] };
const RULE_ID = /^[a-z0-9_-]{1,64}$/;

export async function loadRules() {
  const { rules } = await api("GET", "/api/rules");
  const body = $("#rules-table tbody");
  body.replaceChildren(...rules.map((rule) => {
    const row = el("tr", { "data-rule": rule.id, class: rule.id === editing.ruleId ? "selected" : null },
      el("td", { class: "rule-cell" },
        el("a", { href: `#rule/${rule.id}`, class: "rule-id" }, rule.id),
        el("div", { class: "rule-title", dir: "auto" }, rule.title)),
      el("td", {}, el("span", { class: `state ${rule.enabled ? "on" : "off"}` }, t(rule.enabled ? "rules.enabled" : "rules.disabled")),
        " ", el("span", { class: `severity ${rule.severity}` }, rule.severity)),
      el("td", { class: "last-fired" }, rule.last_fired_at ? timeEl(rule.last_fired_at) : t("never")));
    row.addEventListener("click", (event) => { event.preventDefault(); openRule(rule.id).catch(() => {}); });
    return row;
  }));
  $("#rules-empty").hidden = rules.length > 0;
}

function setHeading(title, version) {
  $("#editing-title").textContent = title;
  $("#editing-version").textContent = version;
}

export async function openRule(ruleId) {
  // The heading follows the click at once, and never stays on the previous rule.
  setHeading(ruleId, "");
  let rule;
  try {
    rule = await api("GET", `/api/rules/${encodeURIComponent(ruleId)}`);
  } catch (error) {
    setHeading(t("rules.select"), error.message);
    throw error;
  }
  Object.assign(editing, { ruleId: rule.id, version: rule.version, isNew: false });
  setHeading(rule.id, t("rules.version", { version: rule.version, author: rule.author, time: "" }));
  $("#editing-version").append(timeEl(rule.updated_at));
  setEditor(rule.yaml);
  for (const row of document.querySelectorAll("#rules-table tr")) row.classList.toggle("selected", row.dataset.rule === ruleId);
  $("#delete-rule").hidden = false;
  $("#save-status").textContent = "";
  showTab("edit");
  if (location.hash !== `#rule/${rule.id}`) history.replaceState(null, "", `#rule/${rule.id}`);
}

export function startNewRule() {
  $("#new-rule-form").hidden = false;
  $("#new-rule-error").textContent = "";
  $("#new-rule-id").focus();
}

function createNewRule(event) {
  event.preventDefault();
  const id = $("#new-rule-id").value.trim();
  if (!RULE_ID.test(id)) { $("#new-rule-error").textContent = t("rules.badid"); return; }
  $("#new-rule-form").hidden = true;
  Object.assign(editing, { ruleId: id, version: 0, isNew: true });
  setHeading(id, t("rules.notsaved"));
  $("#delete-rule").hidden = true;
  // A template that validates as it is: a title, one term, switched off until reviewed.
  setEditor(`id: ${id}\ntitle: ${id}\nseverity: medium\nenabled: false\nwhen:\n  terms: [example]\n`);
  showTab("edit");
}

// --- editor --------------------------------------------------------------------------
export function setEditor(text) {
  $("#yaml-editor").value = text;
  renderGutter([]);
  scheduleValidation(0);
}

function renderGutter(errorLines) {
  const lines = $("#yaml-editor").value.split("\n").length;
  const bad = new Set(errorLines);
  const gutter = $("#gutter");
  gutter.replaceChildren();
  for (let n = 1; n <= lines; n++) gutter.append(el("span", { class: bad.has(n) ? "bad" : null, "data-line": n }, String(n)), "\n");
  gutter.scrollTop = $("#yaml-editor").scrollTop;
}

function scheduleValidation(delay = 350) {
  clearTimeout(editing.validateTimer);
  editing.validateTimer = setTimeout(validateDraft, delay);
}

async function validateDraft() {
  const seq = ++editing.validateSeq;
  const yaml = $("#yaml-editor").value;
  if (!yaml.trim()) return;
  try {
    const report = await api("POST", "/api/rules/validate", { yaml, rule_id: editing.ruleId || undefined });
    if (seq === editing.validateSeq) showErrors(report.errors);
  } catch (error) {
    if (seq === editing.validateSeq) showError($("#validation-status"), error);
  }
}

export function showErrors(errors) {
  const status = $("#validation-status");
  status.textContent = errors.length ? t("validation.errors", { n: errors.length }) : t("validation.valid");
  status.className = errors.length ? "error" : "ok";
  $("#validation-errors").replaceChildren(...errors.map((error) => {
    const item = el("li", { class: "validation-error", "data-line": error.line || "" },
      el("span", { class: "line" }, error.line ? t("line", { n: error.line }) : t("rule")), " ",
      el("span", { class: "reason", dir: "auto" }, error.reason));
    if (error.line) item.addEventListener("click", () => goToLine(error.line));
    return item;
  }));
  renderGutter(errors.map((e) => e.line).filter(Boolean));
}

function goToLine(line) {
  const editor = $("#yaml-editor");
  const lines = editor.value.split("\n");
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  editor.focus();
  editor.setSelectionRange(start, start + (lines[line - 1] || "").length);
}

// Entity names offered while the cursor is on an "entity:" line.
export async function loadEntityNames() {
  const { yaml } = await api("GET", "/api/entities");
  editing.entityNames = [...yaml.matchAll(/^([A-Za-z0-9_-]+):/gm)].map((m) => m[1]);
}

function suggestEntities() {
  const editor = $("#yaml-editor");
  const before = editor.value.slice(0, editor.selectionStart);
  const line = before.slice(before.lastIndexOf("\n") + 1);
  const found = line.match(/entity:\s*([A-Za-z0-9_-]*)$/);
  const list = $("#entity-suggestions");
  if (!found) { list.hidden = true; return; }
  const prefix = found[1];
  const names = editing.entityNames.filter((n) => n.startsWith(prefix) && n !== prefix).slice(0, 8);
  list.hidden = names.length === 0;
  list.replaceChildren(...names.map((name) => el("li", {}, el("button", {
    type: "button", class: "suggestion",
    onclick: () => {
      const at = editor.selectionStart;
      editor.setRangeText(name.slice(prefix.length), at, at, "end");
      list.hidden = true;
      editor.focus();
      renderGutter([]);
      scheduleValidation();
    },
  }, name))));
}

// --- saving ----------------------------------------------------------------------------
async function saveRule() {
  if (!editing.ruleId) return;
  const status = $("#save-status");
  status.textContent = t("saving");
  status.className = "";
  try {
    const result = await api("PUT", `/api/rules/${encodeURIComponent(editing.ruleId)}`,
      { yaml: $("#yaml-editor").value, base_version: editing.version });
    const message = result.changed
      ? t("saved", { version: result.version.version }) + (result.published ? t("published", { v: result.published.ruleset_version }) : "")
      : t("nochange");
    await loadRules();
    await openRule(editing.ruleId);
    status.textContent = message;
    status.className = "ok";
  } catch (error) {
    showError(status, error);
    if (error.body && error.body.errors) showErrors(error.body.errors);
  }
}

async function deleteRule() {
  if (!editing.ruleId || !confirm(t("confirm.delete", { id: editing.ruleId }))) return;
  try {
    await api("DELETE", `/api/rules/${encodeURIComponent(editing.ruleId)}?base_version=${editing.version}`);
    $("#save-status").textContent = t("deleted", { id: editing.ruleId });
    Object.assign(editing, { ruleId: null, version: null });
    setHeading(t("rules.select"), "");
    $("#yaml-editor").value = "";
    await loadRules();
  } catch (error) {
    showError($("#save-status"), error);
  }
}

// --- history ---------------------------------------------------------------------------
export function versionItem(v, current, onRollback) {
  return el("li", { class: "version", "data-version": v.version },
    el("div", {},
      el("strong", {}, `v${v.version}`), " ",
      t("history.by", { action: v.action + (v.rolled_back_to ? ` → v${v.rolled_back_to}` : ""), author: v.author, time: "" }),
      timeEl(v.time), " ",
      current ? el("span", { class: "badge" }, t("history.current"))
        : el("button", { type: "button", class: "rollback needs-editor", onclick: () => onRollback(v.version) },
          t("history.rollback", { version: v.version }))),
    codeBlock(v.diff, { diff: true }));
}

async function loadHistory() {
  const list = $("#history-list");
  list.replaceChildren();
  if (!editing.ruleId || editing.isNew) return;
  const { versions } = await api("GET", `/api/rules/${encodeURIComponent(editing.ruleId)}/history`);
  list.replaceChildren(...versions.map((v) => versionItem(v, v.version === editing.version, rollback)));
}

async function rollback(version) {
  if (!confirm(t("confirm.rollback", { id: editing.ruleId, version }))) return;
  try {
    await api("POST", `/api/rules/${encodeURIComponent(editing.ruleId)}/rollback/${version}`);
    await loadRules();
    try { await openRule(editing.ruleId); } catch (_) { /* rolled back to a deletion */ }
    showTab("history");
  } catch (error) {
    alert(error.message);
  }
}

// --- tabs --------------------------------------------------------------------------------
const tabLoaders = {};
export function onTab(name, load) { tabLoaders[name] = load; }

export function showTab(name) {
  for (const tab of document.querySelectorAll("#work-panel .tab")) tab.hidden = tab.id !== `tab-${name}`;
  for (const button of document.querySelectorAll("#work-panel [role=tab]")) button.setAttribute("aria-selected", String(button.dataset.tab === name));
  if (name === "history") loadHistory().catch((error) => alert(error.message));
  if (tabLoaders[name]) tabLoaders[name]().catch((error) => alert(error.message));
}

export function wireRules() {
  $("#new-rule").addEventListener("click", startNewRule);
  $("#new-rule-form").addEventListener("submit", createNewRule);
  $("#new-rule-cancel").addEventListener("click", () => { $("#new-rule-form").hidden = true; });
  $("#refresh-rules").addEventListener("click", () => loadRules());
  const editor = $("#yaml-editor");
  editor.addEventListener("input", () => { renderGutter([]); scheduleValidation(); suggestEntities(); });
  editor.addEventListener("click", suggestEntities);
  editor.addEventListener("scroll", () => { $("#gutter").scrollTop = editor.scrollTop; });
  $("#save-rule").addEventListener("click", saveRule);
  $("#delete-rule").addEventListener("click", deleteRule);
  for (const button of document.querySelectorAll("#work-panel [role=tab]")) button.addEventListener("click", () => showTab(button.dataset.tab));
}
