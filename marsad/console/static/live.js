// Live alerts: the newest ones, then server-sent events over fetch (so the token travels
// in a header, never in a URL).
import { $, api, articleLink, el, state, timeEl } from "./dom.js";
import { t } from "./i18n.js";

const live = { abort: null, seen: new Set(), listeners: [] };

export function onLiveAlert(listener) { live.listeners.push(listener); }

function alertItem(alert) {
  return el("li", { class: `alert severity-${alert.rule.severity}`, "data-alert": alert.id, "data-rule": alert.rule.id },
    el("div", {}, el("strong", {}, alert.rule.id), " ",
      el("span", { class: `severity ${alert.rule.severity}` }, alert.rule.severity), " ",
      timeEl(alert.matched_at, { class: "muted" })),
    articleLink(alert.article.url, alert.article.title || alert.article.id, { class: "alert-title" }),
    el("div", { class: "evidence" }, alert.evidence.flatMap((e, i) => [i ? " · " : "", el("mark", { dir: "auto" }, e.text)])),
    el("div", { class: "muted" }, `${alert.article.feed} · ${t("sources", { n: alert.story.sources })}`));
}

function addAlert(alert, atTop) {
  if (live.seen.has(alert.id)) return;
  live.seen.add(alert.id);
  const list = $("#alerts-list");
  if (atTop) list.prepend(alertItem(alert)); else list.append(alertItem(alert));
  while (list.children.length > 200) list.lastElementChild.remove();
}

export async function loadRecentAlerts() {
  try {
    const { alerts } = await api("GET", "/api/alerts/recent?limit=50");
    for (const alert of alerts) addAlert(alert, false);
  } catch (error) {
    $("#live-status").textContent = error.message;
  }
}

function setLive(name) {
  const badge = $("#live-status");
  badge.dataset.state = name === "live" ? "live" : name === "connecting" ? "connecting" : "off";
  badge.dataset.i18n = name;
  badge.textContent = t(name);
}

export function stopLive() { if (live.abort) live.abort.abort(); }

export async function startLive() {
  stopLive();
  const abort = new AbortController();
  live.abort = abort;
  let delay = 1000;
  while (!abort.signal.aborted && state.token) {
    setLive("connecting");
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
          if (name === "ready") { setLive("live"); delay = 1000; }
          else if (name === "alert") {
            const alert = JSON.parse(data.join("\n"));
            addAlert(alert, true);
            for (const listener of live.listeners) listener(alert);
          }
        }
      }
    } catch (error) {
      if (abort.signal.aborted) return;
      if (error.status === 401) return;
    }
    setLive("reconnecting");
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 15000);
  }
}
