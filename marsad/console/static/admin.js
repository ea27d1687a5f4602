// Rule statistics, the audit log (admin) and API tokens (admin: create with expiry, list
// with last use, revoke).
import { $, api, el, showError, sparkline, timeEl } from "./dom.js";
import { formatNumber, t } from "./i18n.js";

export async function loadStats() {
  const hours = Number($("#stats-hours").value) || 24;
  try {
    const data = await api("GET", `/api/stats/rules?hours=${hours}`);
    $("#stats-status").textContent = "";
    $("#stats-table tbody").replaceChildren(...data.rules.map((r) => el("tr", { "data-rule": r.rule },
      el("td", {}, el("strong", {}, r.rule)),
      el("td", {}, sparkline(r.hits, `${r.rule}: ${t("stats.col.hits")}`)),
      el("td", { class: "num total" }, formatNumber(r.total)),
      el("td", {}, r.last_fired ? timeEl(r.last_fired) : t("never")),
      el("td", { class: "num sent" }, formatNumber(r.sent)),
      el("td", { class: "num throttled" }, formatNumber(r.throttled)),
      el("td", { class: "num silenced" }, formatNumber(r.silenced)),
      el("td", { class: "num failed" }, formatNumber(r.failed)))));
  } catch (error) {
    showError($("#stats-status"), error);
  }
}

export async function loadAudit() {
  try {
    const { entries } = await api("GET", "/api/audit?limit=200");
    $("#audit-table tbody").replaceChildren(...entries.map((e) => el("tr", {},
      el("td", {}, timeEl(e.time)), el("td", {}, e.actor), el("td", {}, e.action), el("td", { dir: "auto" }, e.target),
      el("td", { dir: "auto", class: "detail" }, Object.entries(e.detail).map(([k, v]) => `${k}=${v}`).join(" ")))));
  } catch (error) {
    showError($("#audit-status"), error);
  }
}

export async function loadTokens() {
  try {
    const { tokens } = await api("GET", "/api/tokens");
    $("#tokens-table tbody").replaceChildren(...tokens.map((tok) => el("tr", { "data-token": tok.name },
      el("td", {}, tok.name), el("td", {}, tok.role), el("td", {}, timeEl(tok.created_at)),
      el("td", {}, tok.expires_at ? timeEl(tok.expires_at) : t("never"), tok.expired ? el("span", { class: "badge" }, t("tokens.expired")) : null),
      el("td", {}, tok.last_used_at ? timeEl(tok.last_used_at) : t("never")),
      el("td", {}, el("button", { type: "button", class: "revoke", onclick: () => revokeToken(tok.name) }, t("tokens.revoke"))))));
  } catch (error) {
    showError($("#tokens-status"), error);
  }
}

async function createToken(event) {
  event.preventDefault();
  const status = $("#tokens-status");
  try {
    const expires = $("#token-expires").value.trim();
    const made = await api("POST", "/api/tokens",
      { name: $("#token-name").value.trim(), role: $("#token-role").value, expires: expires || null });
    status.replaceChildren(t("tokens.created", { name: made.name }), el("code", { class: "new-token" }, made.token));
    status.className = "ok";
    await loadTokens();
  } catch (error) {
    showError(status, error);
  }
}

async function revokeToken(name) {
  if (!confirm(t("confirm.revoke", { name }))) return;
  try {
    await api("DELETE", `/api/tokens/${encodeURIComponent(name)}`);
  } catch (error) {
    showError($("#tokens-status"), error);
  }
  await loadTokens();
}

export function wireAdmin() {
  $("#stats-form").addEventListener("submit", (event) => { event.preventDefault(); loadStats(); });
  $("#token-form").addEventListener("submit", createToken);
}
