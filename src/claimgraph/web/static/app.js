// claimgraph web UI: hash-routed pages that read only from the REST API under /api/.
// Every piece of article or claim text goes into the page as a text node, never as HTML.
"use strict";

const view = document.getElementById("view");
const statusLine = document.getElementById("status");

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// The SVG twin of el(): an element in the SVG namespace, its attributes, its children or text.
function svgEl(tag, attrs, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== "") query.set(key, value);
  }
  const url = "/api/" + path + (query.toString() ? "?" + query : "");
  const response = await fetch(url, {headers: {Accept: "application/json"}});
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  return body;
}

function show(...nodes) {
  view.replaceChildren(...nodes.flat(Infinity).filter((node) => node !== null && node !== undefined));
}

function fail(error) {
  show(el("p", {class: "error", role: "alert"}, error.message));
}

function actorLabel(actor) {
  if (!actor) return "";
  const code = [actor.country, actor.sector].filter(Boolean).join("/");
  return code ? `${actor.name} [${code}]` : actor.name;
}

function speakerName(claim) {
  if (!claim.speaker) return "(unattributed)";
  return claim.speaker.actor ? claim.speaker.actor.name : claim.speaker.text;
}

// "Sergei Lavrov → TASS → Outlet": the speaker, the relays named in the text, then the publisher.
function chain(claim) {
  const links = [speakerName(claim), ...claim.reported_by.map((link) => link.name)];
  if (claim.outlet && !claim.reported_by.some((link) => link.name === claim.outlet)) links.push(claim.outlet);
  return el("span", {class: "chain", title: "reporting chain"},
    links.map((name, i) => [i ? el("span", {class: "arrow"}, " → ") : null, el("span", {class: "link"}, name)]));
}

// The speech act (what the speaker does by saying it: ACCUSE, REQUEST...) and the claimed event (what
// the content says happened), each labelled, so two badges of one type read as two different things.
const EVENT_ROLES = {speech_act: "speech act", claimed: "claimed event"};

function eventBadges(claim) {
  return (claim.events || []).map((event) =>
    el("span", {class: `badge event ${event.role}`, "data-role": event.role,
      title: `${EVENT_ROLES[event.role] || event.role}: ${event.event}, ${event.factuality}`},
      el("span", {class: "event-role"}, `${EVENT_ROLES[event.role] || event.role}: `),
      `${event.event}${event.factuality && event.factuality !== "asserted" ? " (" + event.factuality + ")" : ""}`));
}

function claimCard(claim, {withArticle = true} = {}) {
  const speaker = claim.speaker && claim.speaker.actor
    ? el("a", {href: `#/actors?search=${encodeURIComponent(claim.speaker.actor.name)}`, class: "speaker"},
        actorLabel(claim.speaker.actor))
    : el("span", {class: "speaker"}, speakerName(claim));
  const targets = (claim.targets || []).map((target) =>
    el("span", {class: `badge stance-${target.stance || "neutral"}`, title: `stance: ${target.stance}`},
      target.actor ? target.actor.name : target.text));
  return el("article", {class: "claim", "data-claim": claim.id},
    el("div", {class: "who"}, speaker,
      claim.speaker && claim.speaker.anonymous ? [" ", el("span", {class: "badge anonymous"}, "anonymous source")] : null,
      " · ", el("span", {class: "cue"}, claim.cue ? claim.cue.text : "—"),
      " · ", el("span", {class: "kind"}, claim.kind), " ", eventBadges(claim)),
    el("blockquote", {}, claim.content.map((span) => span.text).join(" … ")),
    el("div", {class: "meta"}, chain(claim), targets.length ? [" · about: ", targets] : null,
      withArticle ? [" · ", el("a", {href: `#/article/${encodeURIComponent(claim.article_id)}?claim=${encodeURIComponent(claim.id)}`},
        claim.article_title || claim.article_id)] : null,
      claim.published ? [" · ", claim.published] : null),
    matchLine(claim));
}

// The known claim this claim best matches (a fact-check, a catalogued case), with its verdict and date.
function matchLine(claim) {
  const best = (claim.matches || [])[0];
  const worth = claim.checkworthy == null ? null
    : el("span", {class: "badge checkworthy", title: "check-worthiness, 0 to 1"}, `check-worthy ${claim.checkworthy.toFixed(2)}`);
  if (!worth && !(best && best.score >= 0.5)) return null;
  const known = best && best.score >= 0.5
    ? ["checked before: ", best.url ? el("a", {href: best.url, rel: "noopener noreferrer"}, best.claim) : best.claim,
       ` (${[best.verdict, best.date, best.later ? "dated after this article" : null].filter(Boolean).join(", ")};`
       + ` match ${best.score.toFixed(2)})`]
    : null;
  return el("div", {class: "match"}, worth, worth && known ? " · " : null, known);
}

function pager(page, onPage) {
  const prev = page.offset > 0
    ? el("button", {type: "button", onclick: () => onPage(Math.max(0, page.offset - page.limit))}, "← Previous") : null;
  const next = page.next ? el("button", {type: "button", onclick: () => onPage(page.offset + page.limit)}, "Next →") : null;
  return el("div", {class: "pager"}, prev, next);
}

// -- pages -----------------------------------------------------------------------------------
// The values of the event and stance filters, read once from the API (data/plover.toml).
let vocabularyCache = null;
async function vocabulary() {
  if (!vocabularyCache) vocabularyCache = api("vocabulary");
  return vocabularyCache;
}

// A <select> of the allowed values, the empty choice first ("any event").
function choice(name, label, values, current, titles = {}) {
  return el("select", {name, "aria-label": label},
    el("option", {value: ""}, `any ${label}`),
    values.map((value) => el("option", {value, selected: value === current ? "selected" : null, title: titles[value] || null},
      value)));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

// A date filter's value is empty or an ISO date (2025-03-14) that exists; else a message beside it.
function dateProblem(value) {
  if (!value) return null;
  if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value.slice(0, 10)))
      || new Date(value.slice(0, 10)).toISOString().slice(0, 10) !== value.slice(0, 10)) {
    return `"${value}" is not a date: write it as YYYY-MM-DD, e.g. 2025-03-14.`;
  }
  return null;
}

function dateInput(name, label, value) {
  return el("span", {class: "date-field"},
    el("input", {name, placeholder: `${label} (YYYY-MM-DD)`, value: value || "", "aria-label": label, size: 16,
      inputmode: "numeric", autocomplete: "off"}),
    el("span", {class: "field-error", role: "alert", "data-for": name}));
}

// Checks the form's dates in place: each bad one gets its message and the form is not sent.
function datesValid(form) {
  let valid = true;
  for (const name of ["since", "until"]) {
    const input = form.elements[name];
    if (!input) continue;
    const problem = dateProblem(input.value.trim());
    const message = form.querySelector(`.field-error[data-for="${name}"]`);
    message.textContent = problem || "";
    input.setAttribute("aria-invalid", problem ? "true" : "false");
    if (problem) valid = false;
  }
  return valid;
}

const FILTERS = ["search", "speaker", "about", "outlet", "event", "stance", "since", "until", "narrative", "matched", "sort"];

async function searchPage(params) {
  const words = await vocabulary();
  const titles = Object.fromEntries(words.events.map((e) => [e.type, e.definition]));
  const form = el("form", {class: "search", role: "search", novalidate: "novalidate"},
    el("input", {name: "search", type: "search", placeholder: "Search claims (full text)", value: params.get("search") || "",
      "aria-label": "Search claims"}),
    ["speaker", "about", "outlet"].map((name) => el("input", {name, placeholder: name, value: params.get(name) || "",
      "aria-label": name, size: 12})),
    choice("event", "event", words.events.map((e) => e.type), params.get("event"), titles),
    choice("stance", "stance", words.stances, params.get("stance")),
    dateInput("since", "since", params.get("since")), dateInput("until", "until", params.get("until")),
    el("input", {name: "narrative", placeholder: "narrative", value: params.get("narrative") || "", "aria-label": "narrative", size: 12}),
    el("select", {name: "matched", "aria-label": "checked before"}, el("option", {value: ""}, "checked before or not"),
      el("option", {value: "true", selected: params.get("matched") === "true" ? "selected" : null}, "checked before")),
    el("select", {name: "sort", "aria-label": "order"}, el("option", {value: ""}, "in stored order"),
      el("option", {value: "checkworthy", selected: params.get("sort") === "checkworthy" ? "selected" : null},
        "most check-worthy first")),
    el("button", {type: "submit"}, "Search"),
    el("button", {type: "button", class: "export", onclick: () => downloadCsv(params)}, "Export CSV"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!datesValid(form)) return;  // the page stays, the message sits beside the date
    const query = new URLSearchParams();
    for (const name of FILTERS) if (form.elements[name].value.trim()) query.set(name, form.elements[name].value.trim());
    location.hash = "#/?" + query;
  });
  const results = el("section", {id: "results"});
  show(el("h1", {}, "Claims"), form, results);
  if (!datesValid(form)) return;  // a bad date in the address: the message, not an error page
  const offset = Number(params.get("offset") || 0);
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name)]));
  let page;
  try {
    page = await api("claims", {...filters, offset, limit: 20});
  } catch (error) {
    results.replaceChildren(el("p", {class: "error", role: "alert"}, error.message));
    return;
  }
  results.replaceChildren(
    el("p", {class: "count"}, page.items.length ? `Claims ${offset + 1}–${offset + page.items.length}` : "No claims match."),
    ...page.items.map((claim) => claimCard(claim)),
    pager(page, (newOffset) => { params.set("offset", newOffset); location.hash = "#/?" + params; }));
}

// The claims the search shows (up to 500), as the CSV of GET /api/claims with Accept: text/csv.
async function downloadCsv(params) {
  const query = new URLSearchParams();
  for (const name of FILTERS) if (params.get(name)) query.set(name, params.get(name));
  query.set("limit", 500);
  const response = await fetch("/api/claims?" + query, {headers: {Accept: "text/csv"}});
  if (!response.ok) { statusLine.textContent = "export failed"; return; }
  const link = el("a", {href: URL.createObjectURL(await response.blob()), download: "claims.csv"});
  document.body.append(link);
  link.click();
  link.remove();
}

async function articlesPage(params) {
  const offset = Number(params.get("offset") || 0);
  const page = await api("articles", {offset, limit: 50});
  show(el("h1", {}, "Articles"),
    el("table", {}, el("thead", {}, el("tr", {}, ["Title", "Outlet", "Published", "Claims"].map((h) => el("th", {}, h)))),
      el("tbody", {}, page.items.map((article) => el("tr", {},
        el("td", {}, el("a", {href: `#/article/${encodeURIComponent(article.id)}`}, article.title || article.id)),
        el("td", {}, article.outlet || ""), el("td", {}, article.published || ""), el("td", {class: "num"}, article.claims))))),
    pager(page, (newOffset) => { location.hash = `#/articles?offset=${newOffset}`; }));
}

// The article text cut at every span boundary; each piece carries the roles (speaker, cue,
// content) and the claims it belongs to, so one claim can be lit up without losing the others.
function highlightedText(text, claims) {
  const marks = [];
  for (const claim of claims) {
    if (claim.speaker && claim.speaker.start !== null) marks.push([claim.speaker.start, claim.speaker.end, "speaker", claim.id]);
    if (claim.cue) marks.push([claim.cue.start, claim.cue.end, "cue", claim.id]);
    for (const span of claim.content) marks.push([span.start, span.end, "content", claim.id]);
  }
  const cuts = new Set([0, text.length]);
  for (const [start, end] of marks) { cuts.add(start); cuts.add(end); }
  const points = [...cuts].sort((a, b) => a - b);
  const body = el("div", {class: "article-text"});
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i], points[i + 1]];
    const covering = marks.filter(([s, e]) => s <= start && e >= end);
    const piece = text.slice(start, end);
    if (!covering.length) { body.append(document.createTextNode(piece)); continue; }
    const roles = new Set(covering.map((mark) => mark[2]));
    const role = roles.has("speaker") ? "speaker" : roles.has("cue") ? "cue" : "content";
    body.append(el("span", {class: `hl hl-${role}`, "data-role": role,
      "data-claims": [...new Set(covering.map((mark) => mark[3]))].join(" ")}, piece));
  }
  return body;
}

function focusClaim(claimId) {
  for (const node of document.querySelectorAll(".hl.active, .claim.active")) node.classList.remove("active");
  if (!claimId) return;
  for (const node of document.querySelectorAll(".article-text .hl")) {
    if (node.dataset.claims.split(" ").includes(claimId)) node.classList.add("active");
  }
  const card = document.querySelector(`.claim[data-claim="${CSS.escape(claimId)}"]`);
  if (card) card.classList.add("active");
  const first = document.querySelector(".article-text .hl.active");
  if (first) first.scrollIntoView({block: "center"});
}

// why each taxonomy label: the sentences that weigh most for it (offsets into the article's text)
function narrativeEvidence(rows) {
  const explained = rows.filter((row) => (row.evidence || []).length);
  if (!explained.length) return null;
  return el("div", {class: "narrative-evidence"}, explained.map((row) =>
    el("details", {}, el("summary", {}, `Why ${row.label}`),
      el("ul", {}, row.evidence.map((item) =>
        el("li", {}, `“${item.text}” (characters ${item.start}–${item.end})`))))));
}

async function articlePage(id, params) {
  const article = await api(`articles/${encodeURIComponent(id)}`);
  const cards = article.claims.map((claim) => {
    const card = claimCard(claim, {withArticle: false});
    card.addEventListener("click", () => focusClaim(claim.id));
    return card;
  });
  const labels = (article.narratives || []).filter((row) => row.level === "narrative");
  show(el("h1", {}, article.title || article.id),
    el("p", {class: "meta"}, [article.outlet, article.published, article.url].filter(Boolean).join(" · ")),
    labels.length ? el("p", {class: "narratives"}, "Narratives: ", labels.map((row) =>
      el("a", {class: "badge narrative", href: "#/?narrative=" + encodeURIComponent(row.label)}, row.label))) : null,
    narrativeEvidence(article.narratives || []),
    el("p", {class: "legend"}, el("span", {class: "hl hl-speaker"}, "speaker"), " ",
      el("span", {class: "hl hl-cue"}, "cue"), " ", el("span", {class: "hl hl-content"}, "content")),
    el("div", {class: "article-layout"}, highlightedText(article.text, article.claims),
      el("aside", {class: "claims"}, el("h2", {}, `${article.claims.length} claims`), cards)));
  focusClaim(params.get("claim"));
}

async function actorsPage(params) {
  const form = el("form", {class: "search"},
    el("input", {name: "search", type: "search", placeholder: "Actor name", value: params.get("search") || "", "aria-label": "Actor name"}),
    el("button", {type: "submit"}, "Find"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = "#/actors?search=" + encodeURIComponent(form.elements.search.value);
  });
  const page = await api("actors", {search: params.get("search"), limit: 100});
  show(el("h1", {}, "Actors"), form,
    el("table", {}, el("thead", {}, el("tr", {}, ["Actor", "Kind", "Country", "Sector", "Claims made", "Named in"].map((h) => el("th", {}, h)))),
      el("tbody", {}, page.items.map((actor) => el("tr", {},
        el("td", {}, el("a", {href: `#/actor/${actor.id}`}, actor.name)), el("td", {}, actor.kind),
        el("td", {}, actor.country || ""), el("td", {}, actor.sector || ""),
        el("td", {class: "num"}, actor.claims), el("td", {class: "num"}, actor.mentioned))))));
}

async function actorPage(id) {
  const actor = await api(`actors/${encodeURIComponent(id)}`);
  const claims = await api("claims", {speaker: actor.name, limit: 50});
  const wikidata = actor.wikidata
    ? el("a", {href: `https://www.wikidata.org/wiki/${actor.wikidata}`, rel: "noopener"}, actor.wikidata) : null;
  show(el("h1", {}, actorLabel(actor)),
    el("p", {class: "meta"}, actor.kind, wikidata ? [" · ", wikidata] : null),
    actor.aliases && actor.aliases.length ? el("p", {class: "meta aliases"}, "Also named: ", actor.aliases.join(", ")) : null,
    el("h2", {}, "Stance toward others"),
    actor.stance.length
      ? el("table", {class: "stance"}, el("thead", {}, el("tr", {}, ["About", "negative", "neutral", "positive"].map((h) => el("th", {}, h)))),
          el("tbody", {}, actor.stance.map((row) => el("tr", {},
            el("td", {}, el("a", {href: `#/actor/${row.id}`}, row.name)),
            el("td", {class: "num stance-negative"}, row.negative), el("td", {class: "num"}, row.neutral),
            el("td", {class: "num stance-positive"}, row.positive)))))
      : el("p", {}, "Their claims name no other actor."),
    el("h2", {}, "Claims"), claims.items.map((claim) => claimCard(claim)));
}

// -- the actor network: Cytoscape.js (bundled in static/vendor, loaded on the first visit) ------
let cytoscapeLoaded = null;
function loadCytoscape() {
  if (!cytoscapeLoaded) {
    cytoscapeLoaded = new Promise((resolve, reject) => {
      const script = el("script", {src: "/static/vendor/cytoscape.min.js"});
      script.addEventListener("load", () => resolve(window.cytoscape));
      script.addEventListener("error", () => reject(new Error("cannot load the graph library (static/vendor)")));
      document.head.append(script);
    });
  }
  return cytoscapeLoaded;
}

const STANCE_COLOURS = {negative: "#c0392b", neutral: "#8a94a6", positive: "#1e8449"};
const NETWORK_FILTERS = ["stance", "event", "since", "until", "narrative"];

// Who claims what about whom: nodes sized by their claims, edges as wide as their count and coloured
// by the stance most of their claims take, a legend, the filters of GET /api/network, and the claims
// behind an edge on a click (also from the table of edges under the graph).
async function networkPage(params) {
  const stance = params.has("stance") ? params.get("stance") : "negative";
  const [words, named, discovered] = await Promise.all([vocabulary(), api("narratives/labels"), api("narratives", {limit: 100})]);
  const narratives = [...named.items.filter((row) => row.level === "narrative").map((row) => [row.label, row.label]),
    ...discovered.items.map((row) => [row.id, row.name || row.label])];
  const narrativeChoice = el("select", {name: "narrative", "aria-label": "narrative"}, el("option", {value: ""}, "any narrative"),
    narratives.map(([value, label]) => el("option", {value, selected: value === params.get("narrative") ? "selected" : null},
      label.length > 60 ? label.slice(0, 57) + "…" : label)));
  const form = el("form", {class: "search network-filters", novalidate: "novalidate"},
    el("select", {name: "stance", "aria-label": "stance"},
      [["", "every stance"], ...words.stances.map((s) => [s, s])].map(([value, label]) =>
        el("option", {value, selected: value === stance ? "selected" : null}, label))),
    choice("event", "event", words.events.map((e) => e.type), params.get("event")),
    dateInput("since", "since", params.get("since")), dateInput("until", "until", params.get("until")),
    narrativeChoice, el("button", {type: "submit"}, "Show"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!datesValid(form)) return;
    const query = new URLSearchParams();
    for (const name of NETWORK_FILTERS) query.set(name, form.elements[name].value.trim());
    for (const [key, value] of [...query]) if (!value && key !== "stance") query.delete(key);
    location.hash = "#/network?" + query;
  });
  const result = el("section", {id: "network-result"});
  show(el("h1", {}, "Actor network"), form, result);
  if (!datesValid(form)) return;
  const filters = {stance, event: params.get("event"), since: params.get("since"), until: params.get("until"),
    narrative: params.get("narrative")};
  let graph;
  try {
    graph = await api("network", {...filters, limit: 150});
  } catch (error) {
    result.replaceChildren(el("p", {class: "error", role: "alert"}, error.message));
    return;
  }
  if (!graph.edges.length) {
    result.replaceChildren(el("p", {}, "No speaker → target claims match these filters."));
    return;
  }
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value));
  const downloads = el("p", {class: "meta downloads"}, "Download: ",
    ["graphml", "gexf", "csv"].map((format, i) => [i ? " · " : "",
      el("a", {href: `/api/network?${query}&format=${format}&limit=500`, download: `network.${format}`},
        format === "csv" ? "edges (CSV)" : format === "graphml" ? "GraphML" : "GEXF (Gephi)")]));
  const legend = el("p", {class: "legend network-legend"},
    Object.entries(STANCE_COLOURS).map(([name, colour]) =>
      el("span", {class: "key", "data-stance": name}, el("span", {class: "swatch", style: `background:${colour}`}), ` ${name} `)),
    " · edge width: claims · node size: claims made and received · click an edge or a row for its claims");
  const canvas = el("div", {class: "network-canvas", role: "img", "aria-label": "actor network"});
  const panel = el("aside", {class: "edge-claims", "aria-live": "polite"}, el("p", {class: "meta"}, "Click an edge to read its claims."));
  const rows = graph.edges.map((edge) => el("tr", {class: `edge-row stance-${edge.stance}`, "data-edge": `${edge.source_id}-${edge.target_id}`,
    tabindex: "0", onclick: () => showEdge(edge), onkeydown: (event) => { if (event.key === "Enter") showEdge(edge); }},
  el("td", {}, edge.source), el("td", {}, "→"), el("td", {}, edge.target), el("td", {class: "num"}, edge.claims),
  el("td", {class: "num stance-negative"}, edge.negative), el("td", {class: "num"}, edge.neutral),
  el("td", {class: "num stance-positive"}, edge.positive)));
  result.replaceChildren(legend, downloads, el("div", {class: "network-layout"}, canvas, panel),
    el("h2", {}, "Edges"), table(["Speaker", "", "About", "Claims", "negative", "neutral", "positive"], rows));

  async function showEdge(edge) {
    for (const row of document.querySelectorAll("tr.edge-row.active")) row.classList.remove("active");
    const row = document.querySelector(`tr.edge-row[data-edge="${edge.source_id}-${edge.target_id}"]`);
    if (row) row.classList.add("active");
    panel.replaceChildren(el("p", {class: "meta"}, "loading…"));
    const claims = await api("network/claims", {...filters, source: edge.source_id, target: edge.target_id, limit: 50});
    panel.replaceChildren(el("h2", {}, `${edge.source} → ${edge.target}`),
      el("p", {class: "meta"}, `${edge.claims} claims: ${edge.negative} negative, ${edge.neutral} neutral, ${edge.positive} positive`),
      ...claims.items.map((claim) => claimCard(claim)));
  }

  const cytoscape = await loadCytoscape();
  const weight = (node) => node.claims_made + node.claims_about;
  const heaviest = Math.max(...graph.nodes.map(weight), 1);
  const widest = Math.max(...graph.edges.map((edge) => edge.claims), 1);
  const cy = cytoscape({
    container: canvas,
    elements: [
      ...graph.nodes.map((node) => ({data: {id: `n${node.id}`, actor: node.id,
        label: node.country ? `${node.name} (${node.country})` : node.name,
        size: 14 + 36 * Math.sqrt(weight(node) / heaviest)}})),
      ...graph.edges.map((edge) => ({data: {id: `e${edge.source_id}-${edge.target_id}`, source: `n${edge.source_id}`,
        target: `n${edge.target_id}`, edge, width: 1.5 + 8 * (edge.claims / widest),
        colour: STANCE_COLOURS[edge.stance] || STANCE_COLOURS.neutral}})),
    ],
    style: [
      {selector: "node", style: {width: "data(size)", height: "data(size)", "background-color": "#1f5fbf",
        label: "data(label)", "font-size": 16, color: "#1d2330", "text-valign": "bottom", "text-margin-y": 3,
        "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 2,
        "text-wrap": "ellipsis", "text-max-width": 200}},
      {selector: "edge", style: {width: "data(width)", "line-color": "data(colour)", "target-arrow-color": "data(colour)",
        "target-arrow-shape": "triangle", "curve-style": "bezier", opacity: 0.85}},
      {selector: "edge:selected", style: {opacity: 1, "overlay-opacity": 0.15}},
    ],
    // cose (compound spring embedder, part of Cytoscape.js): labels count as part of each node, so
    // the layout keeps them apart instead of piling them up
    layout: {name: "cose", animate: false, randomize: false, nodeDimensionsIncludeLabels: true,
      nodeRepulsion: () => 40000, idealEdgeLength: () => 70, nodeOverlap: 20, padding: 20, componentSpacing: 40,
      gravity: 1.5, numIter: 2000},
    maxZoom: 1.6,
  });
  cy.on("tap", "edge", (event) => showEdge(event.target.data("edge")));
  cy.on("tap", "node", (event) => { location.hash = `#/actor/${event.target.data("actor")}`; });
  window.claimgraphNetwork = cy;  // for the browser tests and the curious
  canvas.dataset.nodes = String(cy.nodes().length);
  canvas.dataset.edges = String(cy.edges().length);
}

function table(headers, rows) {
  return el("table", {}, el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))), el("tbody", {}, rows));
}

function counts(mapping, limit = 10) {
  const entries = Object.entries(mapping || {}).slice(0, limit);
  return entries.length ? el("ul", {class: "counts"}, entries.map(([name, n]) => el("li", {}, `${name} (${n})`))) : el("p", {}, "—");
}

async function narrativesPage() {
  const [named, discovered] = await Promise.all([api("narratives/labels"), api("narratives", {limit: 100})]);
  show(el("h1", {}, "Narratives"),
    el("h2", {}, "Named (taxonomy labels of articles)"),
    named.items.length
      ? table(["Narrative", "Articles", "First seen", "Last seen", "Outlets"], named.items.filter((row) => row.level === "narrative").map((row) =>
          el("tr", {}, el("td", {}, el("a", {href: "#/?narrative=" + encodeURIComponent(row.label)}, row.label)),
            el("td", {class: "num"}, row.articles), el("td", {}, row.first_seen || ""), el("td", {}, row.last_seen || ""),
            el("td", {}, Object.keys(row.outlets).join(", ")))))
      : el("p", {}, "No article has been labelled yet."),
    el("h2", {}, "Discovered (claims grouped across articles)"),
    discovered.items.length
      ? table(["Narrative", "Claims", "First seen", "Last seen", "Outlets"], discovered.items.map((row) =>
          el("tr", {}, el("td", {}, el("a", {href: `#/narrative/${encodeURIComponent(row.id)}`}, row.name || row.label)),
            el("td", {class: "num"}, row.claims), el("td", {}, row.first_seen || ""), el("td", {}, row.last_seen || ""),
            el("td", {class: "num"}, row.outlets))))
      : el("p", {}, "No claims have been grouped yet."));
}

// Claims per week as SVG bars, empty weeks included, with the first and last week labelled; the
// claims of undated articles stand apart at the right, past a gap, never on a week.
function timelineChart(weekly, undated = 0) {
  const weeks = Object.entries(weekly).sort(([a], [b]) => (a < b ? -1 : 1));
  const width = 900, height = 220, left = 40, bottom = 30, top = 10, apart = undated ? 90 : 0;
  const peak = Math.max(1, undated, ...weeks.map(([, n]) => n));
  const svg = svgEl("svg", {viewBox: `0 0 ${width} ${height}`, class: "timeline", role: "img", "aria-label": "claims per week"});
  const barWidth = Math.min(40, (width - left - 10 - apart) / Math.max(weeks.length, 1));
  const add = (tag, attrs, ...children) => svg.appendChild(svgEl(tag, attrs, ...children));
  add("line", {x1: left, y1: height - bottom, x2: width - 10, y2: height - bottom, class: "axis"});
  add("text", {x: left - 6, y: top + 10, "text-anchor": "end"}, String(peak));
  add("text", {x: left - 6, y: height - bottom, "text-anchor": "end"}, "0");
  weeks.forEach(([week, n], i) => {
    const barHeight = ((height - bottom - top) * n) / peak;
    add("rect", {x: left + i * barWidth, y: height - bottom - barHeight, width: Math.max(barWidth - 1, 1),
      height: barHeight, class: "bar", "data-week": week, "data-claims": n}, svgEl("title", {}, `week of ${week}: ${n} claims`));
  });
  if (weeks.length) {
    add("text", {x: left, y: height - 8}, weeks[0][0]);
    if (weeks.length > 1) add("text", {x: width - 10 - apart, y: height - 8, "text-anchor": "end"}, weeks[weeks.length - 1][0]);
  }
  if (undated) {
    const x = width - apart + 30, barHeight = ((height - bottom - top) * undated) / peak;
    add("line", {x1: x - 15, y1: top, x2: x - 15, y2: height - bottom, class: "axis apart"});
    add("rect", {x, y: height - bottom - barHeight, width: 40, height: barHeight, class: "bar undated",
      "data-week": "undated", "data-claims": undated}, svgEl("title", {}, `undated articles: ${undated} claims`));
    add("text", {x: x + 20, y: height - 8, "text-anchor": "middle"}, "undated");
  }
  return svg;
}

async function narrativePage(id) {
  const narrative = await api(`narratives/${encodeURIComponent(id)}`);
  const claims = await api("claims", {narrative: narrative.id, limit: 50});
  show(el("h1", {}, narrative.name || narrative.label),
    el("p", {class: "meta"}, `${narrative.claims} claims · first seen ${narrative.first_seen} · last seen ${narrative.last_seen}`,
      narrative.status === "merged" ? ` · merged into ${narrative.merged_into}` : null),
    el("h2", {}, "Claims per week"), timelineChart(narrative.weekly, narrative.undated || 0),
    narrative.undated ? el("p", {class: "meta undated-note"},
      `${narrative.undated} claims come from articles without a date: shown apart, not on any week.`) : null,
    el("div", {class: "columns"},
      el("section", {}, el("h2", {}, "Outlets"), counts(narrative.outlets)),
      el("section", {}, el("h2", {}, "Speakers"), counts(narrative.speakers)),
      el("section", {}, el("h2", {}, "Countries"), counts(narrative.countries))),
    el("h2", {}, "Claims"), claims.items.map((claim) => claimCard(claim)));
}

// -- routing ---------------------------------------------------------------------------------
const ROUTES = [
  [/^\/?$/, (match, params) => searchPage(params)],
  [/^\/articles$/, (match, params) => articlesPage(params)],
  [/^\/article\/(.+)$/, (match, params) => articlePage(decodeURIComponent(match[1]), params)],
  [/^\/actors$/, (match, params) => actorsPage(params)],
  [/^\/actor\/(\d+)$/, (match) => actorPage(match[1])],
  [/^\/network$/, (match, params) => networkPage(params)],
  [/^\/narratives$/, (match, params) => narrativesPage(params)],
  [/^\/narrative\/(.+)$/, (match) => narrativePage(decodeURIComponent(match[1]))],
];

async function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  const params = new URLSearchParams(query || "");
  statusLine.textContent = "loading…";
  for (const link of document.querySelectorAll("nav a")) {
    link.classList.toggle("current", link.getAttribute("href").replace(/^#/, "").split("?")[0] === (path.split("/")[1] ? "/" + path.split("/")[1] : "/"));
  }
  try {
    const found = ROUTES.find(([pattern]) => pattern.test(path));
    if (!found) throw new Error(`No page ${path}`);
    await found[1](path.match(found[0]), params);
    statusLine.textContent = "";
  } catch (error) {
    statusLine.textContent = "";
    fail(error);
  }
  document.body.dataset.ready = hash;
}

window.addEventListener("hashchange", route);
route();
