// clearance web page: plain JavaScript over the same HTTP API, no build step, no CDN.
// Every value from the server is inserted as text (textContent), never as HTML.
"use strict";

const state = { key: sessionStorage.getItem("clearance-key") || "" };
const $ = (sel) => document.querySelector(sel);

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function showError(message) {
  const box = $("#error");
  box.textContent = message;
  box.hidden = !message;
}

async function api(method, path, body, headers) {
  const h = Object.assign({}, headers || {});
  if (state.key) h["Authorization"] = "ApiKey " + state.key;
  if (body !== undefined && !(body instanceof Blob) && !h["Content-Type"]) {
    h["Content-Type"] = "application/json";
    body = JSON.stringify(body);
  }
  const resp = await fetch(path, { method, headers: h, body });
  const text = await resp.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!resp.ok) {
    const msg = data && data.error ? data.error.message : "HTTP " + resp.status;
    const err = new Error(resp.status === 401 ? msg + " — enter an API key above" : msg);
    err.status = resp.status;
    throw err;
  }
  return data;
}

function guard(fn) {
  return async (event) => {
    if (event) event.preventDefault();
    showError("");
    try { await fn(event); } catch (e) { showError(e.message); }
  };
}

// -- tabs (arrow keys move between them, as the WAI-ARIA tabs pattern) --------------
function selectTab(tab) {
  for (const t of document.querySelectorAll('[role="tab"]')) {
    const on = t === tab;
    t.setAttribute("aria-selected", on ? "true" : "false");
    t.tabIndex = on ? 0 : -1;
    $("#" + t.getAttribute("aria-controls")).hidden = !on;
  }
  tab.focus();
  if (tab.id === "tab-lists") loadLists().catch((e) => showError(e.message));
}

function setupTabs() {
  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => selectTab(tab));
    tab.addEventListener("keydown", (e) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (step) { e.preventDefault(); selectTab(tabs[(i + step + tabs.length) % tabs.length]); }
      if (e.key === "Home") { e.preventDefault(); selectTab(tabs[0]); }
      if (e.key === "End") { e.preventDefault(); selectTab(tabs[tabs.length - 1]); }
    });
  });
}

// -- search ---------------------------------------------------------------------------
function explain(explanation) {
  const details = el("details");
  details.appendChild(el("summary", "explanation"));
  const list = el("dl");
  for (const [k, v] of Object.entries(explanation || {})) {
    list.appendChild(el("dt", k));
    list.appendChild(el("dd", typeof v === "object" ? JSON.stringify(v) : v));
  }
  details.appendChild(list);
  return details;
}

async function search() {
  const f = $("#search-form");
  const body = { name: f.name.value, kind: f.kind.value };
  if (f.country.value.trim()) body.countries = [f.country.value.trim().toUpperCase()];
  if (f.lists.value.trim()) body.lists = f.lists.value.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean);
  if (f.threshold.value) body.threshold = Number(f.threshold.value);
  const data = await api("POST", "/screen", body);
  const tbody = $("#search-results tbody");
  tbody.replaceChildren();
  for (const r of data.results) {
    const tr = el("tr");
    tr.appendChild(el("td", r.score.toFixed(3), { class: "num" }));
    tr.appendChild(el("td", r.list));
    tr.appendChild(el("td", r.name));
    tr.appendChild(el("td", r.matched_name, { class: "alias" }));
    const why = el("td");
    why.appendChild(explain(r.explanation));
    tr.appendChild(why);
    tbody.appendChild(tr);
  }
  $("#search-results").hidden = data.results.length === 0;
  $("#search-summary").textContent = data.results.length
    ? data.results.length + " possible match(es) for “" + data.query.name + "”"
    : "No match for “" + data.query.name + "” on the lists served.";
}

// -- license check ------------------------------------------------------------------
function parseOwners(text) {
  return text.split(";").map((s) => s.trim()).filter(Boolean).map((part) => {
    const i = part.lastIndexOf("=");
    if (i < 0) return { name: part, percent: null };
    const pct = part.slice(i + 1).trim();
    return { name: part.slice(0, i).trim(), percent: pct === "?" || pct === "" ? null : Number(pct) };
  });
}

async function check() {
  const f = $("#check-form");
  const body = { party: f.party.value, item: f.item.value, kind: f.kind.value, activity: f.activity.value,
                 country: f.country.value.toUpperCase(), published: f.published.checked,
                 owners: parseOwners(f.owners.value) };
  if (f.purpose.value) body.purpose = f.purpose.value;
  if (f.date.value) body.date = f.date.value;
  const d = await api("POST", "/check", body);
  const out = $("#check-result");
  out.replaceChildren();
  out.appendChild(el("p", d.status, { class: "status status-" + d.status, id: "check-status" }));
  if (d.review_policy) out.appendChild(el("p", "Review policy: " + d.review_policy));
  if (d.authorization) out.appendChild(el("p", "Authorization: " + d.authorization));
  out.appendChild(el("h3", "Reasons"));
  const ol = el("ol", null, { id: "check-reasons" });
  for (const r of d.reasons) {
    const li = el("li");
    li.appendChild(el("strong", r.rule));
    li.appendChild(el("span", " — " + r.text));
    const when = (r.effective_from || "…") + " to " + (r.effective_to || "now");
    li.appendChild(el("div", r.citation + " (in force " + when + ")", { class: "citation" }));
    ol.appendChild(li);
  }
  out.appendChild(ol);
  if (d.entries && d.entries.length) {
    out.appendChild(el("h3", "List entries relied on"));
    const ul = el("ul");
    for (const e of d.entries) {
      ul.appendChild(el("li", e.list + " " + e.entry_id + ": " + e.name + " (matched “" + e.matched_name +
        "”, version " + e.version_id + (e.version_as_of ? " of " + e.version_as_of : "") + ")"));
    }
    out.appendChild(ul);
  }
  for (const [title, items] of [["Assumptions", d.assumptions], ["Unverified", d.unverified]]) {
    if (items && items.length) {
      out.appendChild(el("h3", title));
      const ul = el("ul");
      items.forEach((a) => ul.appendChild(el("li", a)));
      out.appendChild(ul);
    }
  }
}

// -- batch --------------------------------------------------------------------------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function batch() {
  const file = $("#file").files[0];
  if (!file) throw new Error("choose a file first");
  const isJsonl = /\.(jsonl|ndjson)$/i.test(file.name);
  const type = isJsonl ? "application/x-ndjson" : "text/csv";
  const job = await api("POST", "/screenings?format=" + (isJsonl ? "jsonl" : "csv"), file, { "Content-Type": type });
  $("#batch-status").hidden = false;
  $("#batch-results").hidden = true;
  $("#batch-links").replaceChildren();
  let current = job;
  while (current.status === "queued" || current.status === "running") {
    renderProgress(current);
    await sleep(250);
    current = await api("GET", "/screenings/" + job.job_id);
  }
  renderProgress(current);
  if (current.status === "failed") throw new Error("job failed: " + current.error);
  const page = await api("GET", "/screenings/" + job.job_id + "/rows?limit=500");
  const tbody = $("#batch-results tbody");
  tbody.replaceChildren();
  for (const r of page.rows) {
    const tr = el("tr", null, r.error ? { class: "row-error" } : {});
    for (const k of ["line", "input_id", "query", "rank", "list", "name", "matched_name", "score", "error"]) {
      tr.appendChild(el("td", r[k] === undefined ? "" : r[k]));
    }
    tbody.appendChild(tr);
  }
  $("#batch-results").hidden = false;
  const links = $("#batch-links");
  for (const fmt of ["csv", "jsonl"]) {
    const a = el("a", "Download " + fmt.toUpperCase(), { href: "#", "data-format": fmt });
    a.addEventListener("click", guard(() => download(job.job_id, fmt)));
    links.appendChild(a);
    links.appendChild(document.createTextNode(" "));
  }
}

function renderProgress(job) {
  const bar = $("#batch-progress");
  bar.value = job.progress;
  bar.setAttribute("aria-valuetext", Math.round(job.progress * 100) + "%");
  $("#batch-text").textContent = job.status + ": " + job.done_rows + " of " + job.total_rows + " rows, " +
    job.match_rows + " with matches, " + job.error_rows + " unreadable";
}

async function download(jobId, fmt) {
  const h = state.key ? { Authorization: "ApiKey " + state.key } : {};
  const resp = await fetch("/screenings/" + jobId + "/results?format=" + fmt, { headers: h });
  if (!resp.ok) throw new Error("download failed: HTTP " + resp.status);
  const url = URL.createObjectURL(await resp.blob());
  const a = el("a", null, { href: url, download: "screening-" + jobId + "." + fmt });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// -- lists --------------------------------------------------------------------------
async function loadLists() {
  const data = await api("GET", "/lists");
  const tbody = $("#lists-table tbody");
  tbody.replaceChildren();
  for (const s of data.sources) {
    const tr = el("tr");
    const v = s.current || {};
    tr.appendChild(el("td", s.title + " (" + s.source + ")"));
    tr.appendChild(el("td", Object.keys(v.counts || {}).join(", ")));
    tr.appendChild(el("td", v.as_of || "—"));
    tr.appendChild(el("td", v.entry_count === undefined ? "—" : v.entry_count, { class: "num" }));
    tr.appendChild(el("td", s.age_days === null ? "—" : s.age_days + " days" + (s.stale ? " (stale)" : "")));
    const td = el("td");
    const btn = el("button", "Versions", { type: "button", "aria-label": "Versions of " + s.source });
    btn.addEventListener("click", guard(() => loadVersions(s.source)));
    td.appendChild(btn);
    tr.appendChild(td);
    tbody.appendChild(tr);
  }
}

async function loadVersions(source) {
  const data = await api("GET", "/lists/" + encodeURIComponent(source) + "/versions");
  const box = $("#versions");
  box.replaceChildren(el("h3", "Versions of " + source));
  const ul = el("ul");
  data.versions.forEach((v, i) => {
    const li = el("li", "#" + v.version_id + " as of " + (v.as_of || "?") + ", retrieved " + v.retrieved_at + ", " +
      v.entry_count + " entries" + (v.current ? " (serving)" : ""));
    if (i > 0) {
      const prev = data.versions[i - 1].version_id;
      const btn = el("button", "What changed", { type: "button" });
      btn.addEventListener("click", guard(() => loadDiff(source, prev, v.version_id)));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(btn);
    }
    ul.appendChild(li);
  });
  box.appendChild(ul);
  box.appendChild(el("div", null, { id: "diff" }));
}

async function loadDiff(source, oldId, newId) {
  const d = await api("GET", "/lists/" + encodeURIComponent(source) + "/diff?old=" + oldId + "&new=" + newId);
  const box = $("#diff");
  box.replaceChildren(el("h4", "From #" + oldId + " to #" + newId + ": " + d.summary.added + " added, " +
    d.summary.removed + " removed, " + d.summary.changed + " changed"));
  for (const [title, items] of [["Added", d.added], ["Removed", d.removed]]) {
    if (!items.length) continue;
    box.appendChild(el("h5", title));
    const ul = el("ul");
    items.slice(0, 200).forEach((e) => ul.appendChild(el("li", e.list + " " + e.entry_id + ": " + e.name)));
    box.appendChild(ul);
  }
  if (d.changed.length) {
    box.appendChild(el("h5", "Changed"));
    const ul = el("ul");
    d.changed.slice(0, 200).forEach((c) => ul.appendChild(el("li", c.list + " " + c.entry_id + ": " + c.name +
      " (" + c.changes.map((x) => x.field).join(", ") + ")")));
    box.appendChild(ul);
  }
}

// -- start --------------------------------------------------------------------------
function setupKey() {
  $("#api-key").value = state.key;
  $("#key-state").textContent = state.key ? "key set" : "no key";
  $("#key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    state.key = $("#api-key").value.trim();
    sessionStorage.setItem("clearance-key", state.key);
    $("#key-state").textContent = state.key ? "key set" : "no key";
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupKey();
  setupTabs();
  $("#search-form").addEventListener("submit", guard(search));
  $("#check-form").addEventListener("submit", guard(check));
  $("#batch-form").addEventListener("submit", guard(batch));
  $("#lists-refresh").addEventListener("click", guard(loadLists));
});
