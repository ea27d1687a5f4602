// Silences: create one (also prefilled from an alert in the inbox), list the active ones,
// end one. Editors only; viewers see the list.
import { $, api, el, showError, timeEl } from "./dom.js";
import { t } from "./i18n.js";

export async function loadSilences() {
  const { silences } = await api("GET", "/api/silences");
  $("#silences-table tbody").replaceChildren(...silences.filter((s) => s.active).map((s) => el("tr", { "data-silence": s.id },
    el("td", {}, s.rule, Object.entries(s.matchers || {}).map(([k, v]) => el("div", { class: "muted" }, `${k}=${v}`))),
    el("td", {}, timeEl(s.ends_at)),
    el("td", { dir: "auto" }, s.reason), el("td", {}, s.created_by),
    el("td", {}, el("button", { type: "button", class: "needs-editor", onclick: () => expireSilence(s.id) }, t("silence.end"))))));
}

function parseMatchers(text) {
  const matchers = {};
  for (const part of text.split(/[,،\s]+/).filter(Boolean)) {
    const at = part.indexOf("=");
    if (at > 0) matchers[part.slice(0, at)] = part.slice(at + 1);
  }
  return matchers;
}

export function prefillSilence(silence) {
  $("#silence-rule").value = silence.rule;
  $("#silence-duration").value = silence.duration;
  $("#silence-reason").value = silence.reason;
  $("#silence-matchers").value = Object.entries(silence.matchers || {}).map(([k, v]) => `${k}=${v}`).join(", ");
}

async function createSilence(event) {
  event.preventDefault();
  const status = $("#silence-status");
  try {
    await api("POST", "/api/silences", {
      rule: $("#silence-rule").value.trim(), duration: $("#silence-duration").value.trim(),
      reason: $("#silence-reason").value.trim(), matchers: parseMatchers($("#silence-matchers").value),
    });
    status.textContent = t("silence.done");
    status.className = "ok";
    await loadSilences();
  } catch (error) {
    showError(status, error);
  }
}

async function expireSilence(id) {
  try {
    await api("DELETE", `/api/silences/${encodeURIComponent(id)}`);
  } finally {
    await loadSilences();
  }
}

export function wireSilences() {
  $("#silence-form").addEventListener("submit", createSilence);
}
