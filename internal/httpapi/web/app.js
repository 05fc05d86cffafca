// medkg explorer: plain JavaScript over the JSON API of `medkg serve`.
// Every text from the graph is inserted with textContent, never as HTML.
"use strict";

const TYPES = ["nerve", "muscle", "anatomy", "procedure", "condition", "agency", "regulation"];
const COLOURS = {
  nerve: "#e3b341", muscle: "#e5534b", anatomy: "#8b949e", procedure: "#4184e4",
  condition: "#a371f7", agency: "#2da44e", regulation: "#1b7c83", drug: "#bf8700", exam: "#6e7781",
};
const TYPE_ZH = { nerve: "神经", muscle: "肌肉", anatomy: "结构", procedure: "手术", condition: "疾病", agency: "机构", regulation: "法规" };

const $ = (sel) => document.querySelector(sel);

// el builds an element: el("a", {href: "#"}, "text", child…).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

async function api(path, opts) {
  const resp = await fetch(path, opts);
  const body = await resp.json().catch(() => ({ error: `HTTP ${resp.status}` }));
  if (!resp.ok) {
    const err = new Error(body.error || `HTTP ${resp.status}`);
    err.status = resp.status;
    err.suggestions = body.suggestions || [];
    throw err;
  }
  return body;
}

function showError(err) {
  const box = $("#error");
  box.textContent = err.message || String(err);
  box.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => { box.hidden = true; }, 6000);
}

const enc = encodeURIComponent;
const entityHref = (id) => "#/entity/" + enc(id);
const docIdOf = (iri) => (iri || "").replace(/^medkg:doc\//, "");
const label = (ref) => ref.name || ref.name_en || ref.id;
const typeBadge = (t) => el("span", { class: "type " + t }, TYPE_ZH[t] ? `${TYPE_ZH[t]} ${t}` : t);

// ---- search with autocomplete -------------------------------------------

const search = { seq: 0, items: [], active: -1 };

function renderSuggestions() {
  const ul = $("#suggest");
  ul.replaceChildren(...search.items.map((m, i) => el("li", {
    role: "option", "data-id": m.id, "aria-selected": i === search.active ? "true" : "false",
    onmousedown: (ev) => { ev.preventDefault(); pick(m); },
  }, el("span", {}, m.name), typeBadge(m.type),
     m.matched !== m.name ? el("span", { class: "id" }, m.matched) : null,
     el("span", { class: "id" }, m.id))));
  ul.hidden = search.items.length === 0;
}

function pick(m) {
  search.items = [];
  renderSuggestions();
  $("#search").value = m.name;
  location.hash = entityHref(m.id);
}

async function suggest(q) {
  const seq = ++search.seq;
  if (!q.trim()) { search.items = []; renderSuggestions(); return; }
  try {
    const res = await api("/api/search?limit=12&q=" + enc(q));
    if (seq !== search.seq) return; // a later keystroke won
    search.items = res.matches;
    search.active = res.matches.length ? 0 : -1;
    renderSuggestions();
  } catch (err) { showError(err); }
}

function initSearch() {
  const input = $("#search");
  let timer;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => suggest(input.value), 120); });
  input.addEventListener("keydown", (ev) => {
    const n = search.items.length;
    if (ev.key === "ArrowDown" && n) { search.active = (search.active + 1) % n; renderSuggestions(); ev.preventDefault(); }
    else if (ev.key === "ArrowUp" && n) { search.active = (search.active - 1 + n) % n; renderSuggestions(); ev.preventDefault(); }
    else if (ev.key === "Enter") {
      if (n && search.active >= 0) pick(search.items[search.active]);
      else if (input.value.trim()) location.hash = entityHref(input.value.trim());
    } else if (ev.key === "Escape") { search.items = []; renderSuggestions(); }
  });
  input.addEventListener("blur", () => setTimeout(() => { search.items = []; renderSuggestions(); }, 150));
}

// ---- the graph ------------------------------------------------------------

function cyStyle() {
  const s = [
    { selector: "node", style: {
      label: "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 3,
      "background-color": "#8b949e", width: 22, height: 22, "text-wrap": "wrap", "text-max-width": 110,
      "font-family": "Noto Sans CJK SC, PingFang SC, sans-serif" } },
    { selector: "node.center", style: { width: 34, height: 34, "border-width": 3, "border-color": "#1f2328" } },
    { selector: "node.expanded", style: { "border-width": 2, "border-color": "#57606a" } },
    { selector: "edge", style: {
      label: "data(predicate)", "font-size": 9, color: "#57606a", "curve-style": "bezier",
      "target-arrow-shape": "triangle", width: "mapData(documents, 0, 5, 1.5, 5)", "line-color": "#afb8c1",
      "target-arrow-color": "#afb8c1", "text-rotation": "autorotate", "text-background-color": "#fff",
      "text-background-opacity": 0.8, "text-background-padding": 1 } },
    { selector: "edge[documents > 0]", style: { "line-color": "#57606a", "target-arrow-color": "#57606a" } },
    { selector: "edge[?denied]", style: { "line-style": "dashed", "line-color": "#cf222e", "target-arrow-color": "#cf222e", color: "#cf222e" } },
    { selector: "edge[predicate = 'bans']", style: { "line-color": "#2da44e", "target-arrow-color": "#2da44e" } },
    { selector: ":selected", style: { "line-color": "#0969da", "target-arrow-color": "#0969da", "border-color": "#0969da", "border-width": 3 } },
    { selector: ".filtered", style: { display: "none" } },
  ];
  for (const [t, c] of Object.entries(COLOURS)) s.push({ selector: `node[type = '${t}']`, style: { "background-color": c } });
  return s;
}

function nodeData(ref, extra) {
  return { group: "nodes", data: { id: ref.id, label: label(ref), type: ref.type, ...extra } };
}

function edgeData(e) {
  const denied = e.documents === 0 && !e.vocabulary && e.negated > 0;
  return { group: "edges", data: {
    id: `${e.subject.id} ${e.predicate} ${e.object.id}`, source: e.subject.id, target: e.object.id,
    predicate: e.predicate, documents: e.documents, negated: e.negated, vocabulary: e.vocabulary, denied,
    s: e.subject.id, p: e.predicate, o: e.object.id } };
}

const explorer = { cy: null, center: null };

function ensureCy() {
  if (explorer.cy) return explorer.cy;
  const cy = cytoscape({ container: $("#cy"), style: cyStyle(), wheelSensitivity: 0.3, minZoom: 0.2, maxZoom: 3 });
  cy.on("tap", "node", (ev) => expand(ev.target.id()));
  cy.on("dbltap", "node", (ev) => { location.hash = entityHref(ev.target.id()); });
  cy.on("tap", "edge", (ev) => showEvidence($("#panel"), ev.target.data()));
  explorer.cy = cy;
  window.medkgCy = cy; // for the browser test and the console
  return cy;
}

function neighbourhoodURL(id, depth) {
  const co = $("#co-occurs").checked ? "&co_occurs=true" : "";
  return `/api/neighbourhood/${enc(id)}?depth=${depth}&limit=150${co}`;
}

function layout(cy, fit) {
  const status = $("#graph-status");
  const n = cy.nodes().length;
  cy.layout({ name: n > 60 ? "cose" : "concentric", animate: false, fit, padding: 30,
    concentric: (node) => (node.hasClass("center") ? 10 : 10 - (node.data("depth") || 1)),
    levelWidth: () => 1, minNodeSpacing: 30, nodeDimensionsIncludeLabels: true }).run();
  status.textContent = `${n} nodes · ${cy.edges().length} edges`;
  document.body.dataset.graphReady = String(Date.now());
}

function addNeighbourhood(cy, nb) {
  const added = [];
  cy.batch(() => {
    for (const n of nb.nodes) if (!cy.getElementById(n.id).length) added.push(cy.add(nodeData(n, { depth: n.depth })));
    for (const e of nb.edges) {
      const d = edgeData(e);
      if (!cy.getElementById(d.data.id).length) added.push(cy.add(d));
    }
  });
  return added.length;
}

async function showEntityView(id) {
  const cy = ensureCy();
  document.body.dataset.graphReady = "";
  try {
    const nb = await api(neighbourhoodURL(id, $("#depth").value));
    explorer.center = nb.center;
    cy.elements().remove();
    addNeighbourhood(cy, nb);
    cy.getElementById(nb.center).addClass("center expanded");
    updateFilters(cy);
    applyFilters(cy);
    cy.resize();
    layout(cy, true);
    if (nb.truncated) $("#graph-status").textContent += " (truncated: more neighbours exist)";
    showEntity($("#panel"), nb.center);
  } catch (err) {
    cy.elements().remove();
    const panel = $("#panel");
    panel.replaceChildren(el("h2", {}, "Not found"), el("p", {}, err.message));
    if (err.suggestions && err.suggestions.length) {
      panel.append(el("p", {}, "Did you mean:"), el("ul", {}, err.suggestions.map((s) => el("li", {}, el("a", { href: entityHref(s.id) }, s.name), " ", el("span", { class: "muted" }, s.id)))));
    }
  }
}

async function expand(id) {
  const cy = explorer.cy;
  const node = cy.getElementById(id);
  showEntity($("#panel"), id);
  if (node.hasClass("expanded")) return;
  try {
    document.body.dataset.graphReady = "";
    const nb = await api(neighbourhoodURL(id, 1));
    node.addClass("expanded");
    const depth = (node.data("depth") || 0) + 1;
    for (const n of nb.nodes) n.depth = depth;
    addNeighbourhood(cy, nb);
    updateFilters(cy);
    applyFilters(cy);
    layout(cy, true);
  } catch (err) { showError(err); }
}

// Filters: entity types and predicates present in the graph; unchecked
// ones are hidden (with their edges), not removed.
const hiddenTypes = new Set();
const hiddenPreds = new Set();

function updateFilters(cy) {
  const types = new Set(cy.nodes().map((n) => n.data("type")));
  const preds = new Set(cy.edges().map((e) => e.data("predicate")));
  const box = (id, values, hidden, swatch) => {
    const div = $(id);
    div.replaceChildren(...[...values].sort().map((v) => el("label", { class: "check" },
      el("input", { type: "checkbox", "data-value": v, checked: !hidden.has(v), onchange: (ev) => {
        if (ev.target.checked) hidden.delete(v); else hidden.add(v);
        applyFilters(cy);
      } }),
      swatch ? el("span", { class: "swatch", style: `background:${COLOURS[v] || "#888"}` }) : null, v)));
  };
  box("#type-filters", types, hiddenTypes, true);
  box("#pred-filters", preds, hiddenPreds, false);
}

function applyFilters(cy) {
  cy.batch(() => {
    cy.elements().removeClass("filtered");
    cy.nodes().filter((n) => hiddenTypes.has(n.data("type")) && !n.hasClass("center")).addClass("filtered");
    cy.edges().filter((e) => hiddenPreds.has(e.data("predicate")) || e.source().hasClass("filtered") || e.target().hasClass("filtered")).addClass("filtered");
  });
}

// ---- panels ---------------------------------------------------------------

async function showEntity(panel, id) {
  try {
    const res = await api("/api/entity/" + enc(id));
    const e = res.entity;
    const rows = res.edges.map((x) => {
      const other = x.direction === "out" ? x.object : x.subject;
      const counts = [x.documents ? `${x.documents} doc` : null, x.negated ? `${x.negated} denied` : null, x.vocabulary ? "vocabulary" : null].filter(Boolean).join(", ");
      return el("li", {},
        x.direction === "out" ? "→ " : "← ",
        el("button", { class: "edge-link", onclick: () => showEvidence(panel, { s: x.subject.id, p: x.predicate, o: x.object.id }) }, x.predicate),
        " ", el("a", { href: entityHref(other.id) }, label(other)), " ", el("span", { class: "muted" }, counts));
    });
    panel.replaceChildren(
      el("h2", {}, e.name, " ", typeBadge(e.type)),
      el("div", { class: "meta" }, e.id, e.name_en ? ` · ${e.name_en}` : "", e.aliases && e.aliases.length ? ` · 别名 ${e.aliases.join("、")}` : ""),
      el("h3", {}, `Edges (${res.edges.length})`),
      el("ul", { class: "edge-list" }, rows));
  } catch (err) { panel.replaceChildren(el("p", {}, err.message)); }
}

function evidenceItem(ev) {
  const cls = ["evidence-item", ev.kind === "vocabulary" ? "vocabulary" : "", ev.negated ? "negated" : "", ev.hedged ? "hedged" : ""].join(" ");
  if (ev.kind === "vocabulary") {
    return el("div", { class: cls }, el("span", { class: "flag vocabulary" }, "vocabulary"),
      el("span", { class: "meta" }, `curated vocabulary ${ev.vocabulary || ""}`));
  }
  const id = docIdOf(ev.document);
  return el("div", { class: cls },
    ev.negated ? el("span", { class: "flag negated", title: "the sentence denies it" }, "negated 否定") : null,
    ev.hedged ? el("span", { class: "flag hedged", title: "the sentence only claims or suspects it" }, "hedged 存疑") : null,
    ev.claim ? el("span", { class: "flag claim", title: "only a claim or hearsay states it" }, "claim 宣称") : null,
    ev.source_kind ? el("span", { class: `flag source ${ev.source_kind}`, title: "what kind of page states it" }, ev.source_kind) : null,
    (ev.source_flags || []).map((f) => el("span", { class: "flag source-flag", title: "the page shows this" }, f)),
    el("p", { class: "sentence" }, ev.text),
    el("div", { class: "meta" },
      el("a", { href: `#/doc/${id}/${ev.sentence}` }, ev.title || ev.source), ` · sentence ${ev.sentence}`,
      ev.date ? ` · ${ev.date}` : "",
      ev.url ? [" · ", el("a", { href: ev.url, target: "_blank", rel: "noopener noreferrer" }, "source")] : ""));
}

// nameOf finds an entity's display name in the graphs shown, else its id.
function nameOf(id) {
  for (const cy of [explorer.cy, banned.cy]) {
    const n = cy && cy.getElementById(id);
    if (n && n.length) return n.data("label");
  }
  return id;
}

async function showEvidence(panel, d) {
  panel.replaceChildren(el("p", { class: "hint" }, "Loading evidence…"));
  try {
    const res = await api(`/api/query/evidence?s=${enc(d.s)}&p=${enc(d.p)}&o=${enc(d.o)}`);
    const rows = res.rows;
    const neg = rows.filter((r) => r.negated).length;
    const sup = rows.length ? rows[0].support : null;
    const kinds = sup ? Object.entries(sup.kinds || {}).map(([k, n]) => `${n} ${k}`).join(", ") : "";
    panel.replaceChildren(
      el("h2", { id: "evidence-title" }, "Evidence"),
      el("p", {}, el("a", { href: entityHref(d.s), title: d.s }, nameOf(d.s)), " ", el("b", {}, d.p), " ", el("a", { href: entityHref(d.o), title: d.o }, nameOf(d.o))),
      sup && sup.contested ? el("p", { class: "contested", id: "evidence-contested" }, el("span", { class: "flag negated" }, "contested 有争议"), " one source asserts it, another denies it") : null,
      el("p", { class: "meta", id: "evidence-support" }, `${rows.length} source(s)`, neg ? `, ${neg} denying it` : "",
        sup ? ` · support: ${sup.documents} document(s)${kinds ? ` (${kinds})` : ""}${sup.claims ? `, ${sup.claims} claim(s)` : ""}` : ""),
      el("div", { id: "evidence" }, rows.map(evidenceItem)));
  } catch (err) { panel.replaceChildren(el("p", {}, err.message)); }
}

// ---- banned nerves ------------------------------------------------------

const banned = { cy: null, rows: [] };

async function showBanned() {
  const tbody = $("#banned-table tbody");
  tbody.replaceChildren(el("tr", {}, el("td", { colspan: 7 }, "Loading…")));
  let res;
  try { res = await api("/api/query/banned-nerves"); } catch (err) { showError(err); return; }
  banned.rows = res.rows;
  $("#banned-legend").textContent = `${res.total} row(s): each nerve a banned procedure cuts or targets, directly, through a branch, or through a muscle it innervates.`;
  const els = new Map();
  const node = (ref) => { if (ref && !els.has(ref.id)) els.set(ref.id, nodeData(ref)); };
  const edge = (s, p, o, ev) => {
    const id = `${s} ${p} ${o}`;
    if (!els.has(id)) els.set(id, { group: "edges", data: { id, source: s, target: o, predicate: p, documents: 1, s: ev.s, p: ev.p, o: ev.o } });
  };
  tbody.replaceChildren();
  res.rows.forEach((r, i) => {
    [r.nerve, r.through, r.procedure, r.banner].forEach(node);
    edge(r.banner.id, "bans", r.procedure.id, { s: r.banner.id, p: "bans", o: r.procedure.id });
    if (!r.through) edge(r.procedure.id, r.relation, r.nerve.id, { s: r.procedure.id, p: r.relation, o: r.nerve.id });
    else if (r.relation === "via_branch") {
      const p = (r.link_evidence[0] || {}).predicate || "cuts";
      edge(r.procedure.id, p, r.through.id, { s: r.procedure.id, p, o: r.through.id });
      edge(r.through.id, "branch_of", r.nerve.id, { s: r.through.id, p: "branch_of", o: r.nerve.id });
    } else {
      edge(r.procedure.id, "targets", r.through.id, { s: r.procedure.id, p: "targets", o: r.through.id });
      const from = r.via || r.nerve;
      edge(from.id, "innervates", r.through.id, { s: from.id, p: "innervates", o: r.through.id });
      if (r.via) { node(r.via); edge(r.via.id, "branch_of", r.nerve.id, { s: r.via.id, p: "branch_of", o: r.nerve.id }); }
    }
    const ban = r.ban_evidence[0] || {};
    tbody.append(el("tr", { "data-row": i, onclick: () => selectBannedRow(i) },
      el("td", { class: "nerve" }, el("a", { href: entityHref(r.nerve.id) }, r.nerve.name)),
      el("td", {}, r.relation),
      el("td", {}, r.through ? el("a", { href: entityHref(r.through.id) }, r.through.name) : "–"),
      el("td", {}, el("a", { href: entityHref(r.procedure.id) }, r.procedure.name)),
      el("td", {}, el("a", { href: entityHref(r.banner.id) }, r.banner.name)),
      el("td", {}, r.date),
      el("td", {}, ban.text ? el("a", { href: `#/doc/${docIdOf(ban.document)}/${ban.sentence}` }, ban.text.length > 60 ? ban.text.slice(0, 60) + "…" : ban.text) : "")));
  });
  if (!banned.cy) {
    banned.cy = cytoscape({ container: $("#banned-cy"), style: cyStyle(), wheelSensitivity: 0.3 });
    banned.cy.on("tap", "edge", (ev) => showEvidence($("#banned-panel"), ev.target.data()));
    banned.cy.on("dbltap", "node", (ev) => { location.hash = entityHref(ev.target.id()); });
    window.medkgBannedCy = banned.cy;
  }
  const cy = banned.cy;
  cy.elements().remove();
  cy.add([...els.values()]);
  cy.resize();
  cy.layout({ name: "breadthfirst", directed: true, roots: cy.nodes().filter((n) => ["agency", "regulation"].includes(n.data("type"))), padding: 20, spacingFactor: 1.1 }).run();
  document.body.dataset.bannedReady = String(Date.now());
}

function selectBannedRow(i) {
  const r = banned.rows[i];
  document.querySelectorAll("#banned-table tr.selected").forEach((tr) => tr.classList.remove("selected"));
  document.querySelector(`#banned-table tr[data-row="${i}"]`).classList.add("selected");
  const cy = banned.cy;
  cy.elements().unselect();
  [r.nerve, r.through, r.via, r.procedure, r.banner].forEach((x) => x && cy.getElementById(x.id).select());
  const panel = $("#banned-panel");
  panel.replaceChildren(el("h2", {}, r.nerve.name, " ← ", r.procedure.name),
    el("h3", {}, "Ban 禁令"), el("div", {}, r.ban_evidence.map(evidenceItem)),
    el("h3", {}, "Link 关联"), el("div", {}, r.link_evidence.map(evidenceItem)));
}

// ---- documents ------------------------------------------------------------

async function refreshDocCount() {
  try {
    const res = await api("/api/documents");
    $("#doc-count").textContent = res.documents.length;
    return res;
  } catch (err) { return null; }
}

async function showDocs() {
  const res = await refreshDocCount();
  if (!res) return;
  $("#docs-note").textContent = `${res.documents.length} ingested; the list follows new ingests by itself.`;
  $("#docs-table tbody").replaceChildren(...res.documents.map((d) => el("tr", { "data-id": d.id },
    el("td", {}, el("a", { href: `#/doc/${d.id}` }, d.title || d.source)),
    el("td", {}, d.date || ""), el("td", { class: "muted" }, d.source),
    el("td", {}, d.entities), el("td", {}, d.relations))));
}

async function showDoc(id, sentence) {
  const head = $("#doc-head"), text = $("#doc-text"), side = $("#doc-side");
  text.replaceChildren(el("p", { class: "hint" }, "Loading…"));
  let d;
  try { d = await api("/api/documents/" + enc(id)); } catch (err) { head.replaceChildren(el("h2", {}, err.message)); text.replaceChildren(); side.replaceChildren(); return; }
  head.replaceChildren(el("h2", {}, d.title || d.source),
    el("p", { class: "meta" }, [d.date, d.author, d.source].filter(Boolean).join(" · "),
      d.url ? [" · ", el("a", { href: d.url, target: "_blank", rel: "noopener noreferrer" }, "original")] : ""),
    el("p", {}, d.mentions.map((m) => [el("a", { href: entityHref(m.id), class: "mention " + m.type }, label(m)), " "])));
  side.replaceChildren(el("h3", {}, `Assertions (${d.assertions.length})`),
    el("div", {}, d.assertions.map((a) => {
      const item = evidenceItem(a);
      item.prepend(el("div", { class: "meta" }, `${a.subject} ${a.predicate} ${a.object}`));
      item.addEventListener("click", () => flashSentence(a.sentence));
      return item;
    })));
  try {
    const t = await api(`/api/documents/${enc(id)}/text`);
    renderText(text, t, new Set(d.assertions.map((a) => a.sentence)));
    if (t.stale) text.prepend(el("p", { class: "error-inline hint" }, "The file changed since it was ingested: the text below is today's."));
    if (sentence !== undefined) flashSentence(Number(sentence));
  } catch (err) {
    text.replaceChildren(el("p", { class: "hint" }, err.message));
  }
}

// renderText shows the normalised text with its sentences and mentions;
// offsets are in runes (code points), so the text is split into runes.
function renderText(box, t, asserted) {
  const runes = Array.from(t.text);
  const mentionAt = new Map();
  for (const m of t.mentions) if (!mentionAt.has(m.start)) mentionAt.set(m.start, m);
  const frag = document.createDocumentFragment();
  let pos = 0;
  t.sentences.forEach((s, i) => {
    if (s.start > pos) frag.append(runes.slice(pos, s.start).join(""));
    const span = el("span", { class: "sent" + (asserted.has(i) ? " asserted" : ""), id: "s-" + i });
    let p = s.start;
    while (p < s.end) {
      const m = mentionAt.get(p);
      if (m && m.end <= s.end) {
        span.append(el("a", { class: "mention " + m.type, href: entityHref(m.id), title: `${m.name} (${m.id})` }, runes.slice(m.start, m.end).join("")));
        p = m.end;
      } else {
        let q = p + 1;
        while (q < s.end && !mentionAt.has(q)) q++;
        span.append(runes.slice(p, q).join(""));
        p = q;
      }
    }
    frag.append(span);
    pos = s.end;
  });
  if (pos < runes.length) frag.append(runes.slice(pos).join(""));
  box.replaceChildren(frag);
}

function flashSentence(i) {
  const s = document.getElementById("s-" + i);
  if (!s) return;
  document.querySelectorAll(".sent.flash").forEach((x) => x.classList.remove("flash"));
  s.classList.add("flash");
  s.scrollIntoView({ block: "center" });
}

// ---- routing --------------------------------------------------------------

let docsPoll;

function show(view) {
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== "view-" + view;
  document.body.dataset.view = view;
}

function route() {
  clearInterval(docsPoll);
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  switch (parts[0]) {
    case "entity":
      show("entity");
      showEntityView(parts.slice(1).join("/"));
      break;
    case "banned":
      show("banned");
      showBanned();
      break;
    case "docs":
      show("docs");
      showDocs();
      // New documents appear without a reload: medkg ingest in another
      // terminal writes the store between two requests.
      docsPoll = setInterval(showDocs, 5000);
      break;
    case "doc":
      show("doc");
      showDoc(parts[1], parts[2]);
      break;
    default:
      show("home");
  }
}

function init() {
  initSearch();
  $("#depth").addEventListener("change", () => explorer.center && showEntityView(explorer.center));
  $("#co-occurs").addEventListener("change", () => explorer.center && showEntityView(explorer.center));
  window.addEventListener("hashchange", route);
  route();
  refreshDocCount();
  setInterval(refreshDocCount, 15000);
}

document.addEventListener("DOMContentLoaded", init);
