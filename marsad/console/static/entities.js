// Entities: edit and save (every rule is checked against them), history with diffs and
// rollback.
import { $, api, el, showError } from "./dom.js";
import { t } from "./i18n.js";
import { loadEntityNames, versionItem } from "./rules.js";

const entities = { version: 0 };

export async function openEntities() {
  const current = await api("GET", "/api/entities");
  entities.version = current.version;
  $("#entities-editor").value = current.yaml;
  $("#entities-status").textContent = current.version ? t("rules.version", { version: current.version, author: current.author, time: current.time }) : t("entities.none");
  $("#entities-status").className = "";
  await loadEntitiesHistory();
}

async function loadEntitiesHistory() {
  const versions = await api("GET", "/api/entities/history");
  $("#entities-history").replaceChildren(...versions.map((v) => versionItem(v, v.version === entities.version, rollbackEntities)));
}

async function rollbackEntities(version) {
  if (!confirm(t("confirm.rollback", { id: "entities", version }))) return;
  try {
    await api("POST", `/api/entities/rollback/${version}`);
    await openEntities();
  } catch (error) {
    showError($("#entities-status"), error);
  }
}

async function saveEntities() {
  const status = $("#entities-status");
  const errors = $("#entities-errors");
  errors.replaceChildren();
  try {
    const result = await api("PUT", "/api/entities", { yaml: $("#entities-editor").value, base_version: entities.version });
    entities.version = result.version.version;
    status.textContent = result.changed ? t("saved", { version: result.version.version }) : t("nochange");
    status.className = "ok";
    await loadEntitiesHistory();
    await loadEntityNames();
  } catch (error) {
    showError(status, error);
    for (const e of (error.body && error.body.errors) || []) {
      errors.append(el("li", {}, e.line ? `${t("line", { n: e.line })}: ` : "", el("span", { dir: "auto" }, e.reason)));
    }
  }
}

export function wireEntities() {
  $("#save-entities").addEventListener("click", saveEntities);
}
