// Shared helpers: elements (user text only ever as text nodes), the API client, links,
// evidence highlighting, code shown line by line, and small inline SVG charts.
import { currentLocale, formatTime, t } from "./i18n.js";

export const state = { token: sessionStorage.getItem("marsad.token") || "", user: null, onUnauthorized: null };

export const $ = (selector, root = document) => root.querySelector(selector);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// The reason of a refusal: FastAPI's 422 lists the fields and what is wrong with each.
function reasonOf(status, body) {
  const detail = body && body.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail) && detail.length) {
    return detail.map((d) => `${(d.loc || []).filter((p) => p !== "body").join(".")}: ${d.msg}`).join("; ");
  }
  if (body && Array.isArray(body.errors) && body.errors.length) return body.errors.map((e) => e.message || e.reason).join("; ");
  return `HTTP ${status}`;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(reasonOf(status, body));
    this.status = status;
    this.body = body;
  }
}

export async function api(method, path, body, options = {}) {
  const headers = { Authorization: `Bearer ${state.token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: options.signal,
  });
  if (!response.ok) {
    const data = await response.json().catch(() => null);
    if (response.status === 401 && path !== "/api/whoami" && state.onUnauthorized) state.onUnauthorized();
    throw new ApiError(response.status, data);
  }
  if (options.raw) return response;
  return response.json().catch(() => null);
}

// Only http(s) links reach an href (a feed's javascript: or data: link never does).
export function safeHref(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url.trim()) && !/[\u0000-\u001f\u007f-\u009f]/.test(url) ? url.trim() : null;
}

export function articleLink(url, text, attrs = {}) {
  const href = safeHref(url);
  return href
    ? el("a", { href, dir: "auto", target: "_blank", rel: "noopener noreferrer", ...attrs }, text)
    : el("span", { dir: "auto", ...attrs }, text);
}

export function timeEl(value, attrs = {}) {
  const iso = typeof value === "number" ? new Date(value * 1000).toISOString() : value || null;
  // The formatted date reads in the page's direction, isolated from the text around it.
  return el("time", { datetime: iso, dir: currentLocale() === "ar" ? "rtl" : "ltr", ...attrs }, formatTime(value));
}

export function showError(node, error) {
  node.textContent = error.message;
  node.className = "error";
}

// Wrap evidence spans of `text` in <mark>. Offsets count Unicode code points (Python
// string indices), so the text is split into code points, not UTF-16 units.
export function highlighted(text, evidence) {
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

// One YAML/diff line: its structure (diff sign, indentation, "- ", "key: ") stays left to
// right where it was written, and what follows is isolated with its own direction, so
// "  - غزو" shows as "  - غزو" and not as a right-aligned "غزو -".
const LINE_PARTS = /^([+\- ]?)(\s*(?:- )*(?:[\w.-]+:\s?)?)(.*)$/s;
export function codeLine(line, className = null) {
  const diff = className !== null;
  const [, sign, structure, rest] = diff ? line.match(LINE_PARTS) : (" " + line).match(LINE_PARTS);
  return el("span", { class: `code-line ${className || ""}`.trim(), dir: "ltr" },
    diff ? sign : "", el("span", { class: "structure" }, structure), el("bdi", { dir: "auto" }, rest), "\n");
}

export function codeBlock(text, { diff = false } = {}) {
  const lines = text.replace(/\n$/, "").split("\n");
  return el("pre", { class: diff ? "diff code" : "code", dir: "ltr" }, lines.map((line) =>
    diff ? codeLine(line, line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "") : codeLine(line)));
}

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

// A small line chart of `values`; `label` is its accessible description.
export function sparkline(values, label, { width = 120, height = 28 } = {}) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  return svg("svg", { class: "sparkline", viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": label },
    svg("title", {}, label),
    svg("polyline", { points: values.length > 1 ? points.join(" ") : `0,${height - 2} ${width},${height - 2}`, fill: "none" }));
}

export function outcomeBadge(outcome) {
  return el("span", { class: `badge outcome ${outcome}`, "data-outcome": outcome }, t(`outcome.${outcome}`));
}
