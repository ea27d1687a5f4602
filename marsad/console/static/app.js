// Marsad console: plain JavaScript modules, no build step, nothing from a CDN. Every call
// sends the token as a bearer header; user text is inserted as text nodes (never as HTML)
// with dir="auto", so Arabic renders right-to-left beside English.
import { loadAudit, loadStats, loadTokens, wireAdmin } from "./admin.js";
import { $, api, state } from "./dom.js";
import { openEntities, wireEntities } from "./entities.js";
import { applyTranslations, currentLocale, setLocale, t } from "./i18n.js";
import { loadInbox, onInboxActions, wireInbox } from "./inbox.js";
import { loadRecentAlerts, onLiveAlert, startLive, stopLive } from "./live.js";
import { editing, loadEntityNames, loadRules, onTab, openRule, showTab, wireRules } from "./rules.js";
import { loadSilences, prefillSilence, wireSilences } from "./silences.js";
import { loadStories, onStoryActions, wireStories } from "./stories.js";
import { runTest, wireTrying } from "./trying.js";

const VIEWS = { inbox: loadInbox, stories: loadStories, rules: loadRules, stats: loadStats, audit: loadAudit, tokens: loadTokens };
let currentView = "inbox";

function showView(name) {
  if (!(name in VIEWS)) name = "inbox";
  currentView = name;
  for (const view of document.querySelectorAll(".view")) view.hidden = view.id !== `view-${name}`;
  for (const link of document.querySelectorAll("#nav a")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
  return VIEWS[name]().catch((error) => { console.warn(error); });
}

function followHash() {
  const rule = location.hash.match(/^#rule\/([a-z0-9_-]{1,64})$/);
  if (rule) {
    showView("rules").then(() => openRule(rule[1]).catch(() => {}));
    return;
  }
  showView(location.hash.replace(/^#/, "") || "inbox");
}

async function toDryRun(articleId) {
  location.hash = "rules";
  await showView("rules");
  showTab("test");
  $("#test-article").value = articleId;
  await runTest();
}

async function toSilence(silence) {
  location.hash = "rules";
  await showView("rules");
  showTab("silences");
  prefillSilence(silence);
  $("#silence-reason").focus();
}

async function signIn(token) {
  state.token = token;
  try {
    state.user = await api("GET", "/api/whoami");
  } catch (error) {
    state.token = "";
    sessionStorage.removeItem("marsad.token");
    $("#signin-error").textContent = error.status === 401 ? t("signin.refused") : error.message;
    return;
  }
  sessionStorage.setItem("marsad.token", token);
  $("#signin-error").textContent = "";
  $("#signin").hidden = true;
  $("#whoami").hidden = false;
  $("#whoami-name").textContent = state.user.name;
  $("#whoami-role").textContent = state.user.role;
  $("#console").hidden = false;
  $("#nav").hidden = false;
  // What a role may not do is not shown (CSS on data-role), rather than refused later.
  document.body.dataset.role = state.user.role;
  followHash();
  loadEntityNames().catch(() => {});
  await loadRecentAlerts();
  startLive();
}

function signOut(message = "") {
  stopLive();
  state.token = "";
  state.user = null;
  sessionStorage.removeItem("marsad.token");
  delete document.body.dataset.role;
  $("#console").hidden = true;
  $("#nav").hidden = true;
  $("#whoami").hidden = true;
  $("#signin").hidden = false;
  $("#signin-error").textContent = message;
}

document.addEventListener("DOMContentLoaded", () => {
  applyTranslations();
  state.onUnauthorized = () => signOut(t("signin.again"));
  const language = $("#language");
  language.value = currentLocale();
  language.addEventListener("change", () => {
    setLocale(language.value);
    if (state.user) {
      showView(currentView);
      if (editing.ruleId && currentView === "rules") openRule(editing.ruleId).catch(() => {});
    }
  });
  $("#signin").addEventListener("submit", (event) => { event.preventDefault(); signIn($("#token-input").value.trim()); });
  $("#signout").addEventListener("click", () => signOut());
  $("#open-entities").addEventListener("click", () => showTab("entities"));
  window.addEventListener("hashchange", () => { if (state.user) followHash(); });
  onTab("entities", openEntities);
  onTab("silences", loadSilences);
  onInboxActions({ toDryRun, toSilence });
  onStoryActions({ toDryRun });
  onLiveAlert(() => { if (currentView === "rules") loadRules().catch(() => {}); });
  wireRules();
  wireTrying();
  wireSilences();
  wireEntities();
  wireInbox();
  wireStories();
  wireAdmin();
  if (state.token) signIn(state.token);
});
