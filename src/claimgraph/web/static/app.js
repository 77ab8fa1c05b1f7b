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

function eventBadges(claim) {
  return (claim.events || []).map((event) =>
    el("span", {class: `badge event ${event.role}`, title: `${event.role}, ${event.factuality}`},
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
    el("div", {class: "who"}, speaker, " · ", el("span", {class: "cue"}, claim.cue ? claim.cue.text : "—"),
      " · ", el("span", {class: "kind"}, claim.kind), " ", eventBadges(claim)),
    el("blockquote", {}, claim.content.map((span) => span.text).join(" … ")),
    el("div", {class: "meta"}, chain(claim), targets.length ? [" · about: ", targets] : null,
      withArticle ? [" · ", el("a", {href: `#/article/${encodeURIComponent(claim.article_id)}?claim=${encodeURIComponent(claim.id)}`},
        claim.article_title || claim.article_id)] : null,
      claim.published ? [" · ", claim.published] : null));
}

function pager(page, onPage) {
  const prev = page.offset > 0
    ? el("button", {type: "button", onclick: () => onPage(Math.max(0, page.offset - page.limit))}, "← Previous") : null;
  const next = page.next ? el("button", {type: "button", onclick: () => onPage(page.offset + page.limit)}, "Next →") : null;
  return el("div", {class: "pager"}, prev, next);
}

// -- pages -----------------------------------------------------------------------------------
const FILTERS = ["search", "speaker", "about", "outlet", "event", "stance", "since", "until", "narrative"];

async function searchPage(params) {
  const form = el("form", {class: "search", role: "search"},
    el("input", {name: "search", type: "search", placeholder: "Search claims (full text)", value: params.get("search") || "",
      "aria-label": "Search claims"}),
    ...FILTERS.slice(1).map((name) => el("input", {name, placeholder: name, value: params.get(name) || "",
      "aria-label": name, size: name === "stance" || name === "event" ? 9 : 12})),
    el("button", {type: "submit"}, "Search"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const name of FILTERS) if (form.elements[name].value) query.set(name, form.elements[name].value);
    location.hash = "#/?" + query;
  });
  const results = el("section", {id: "results"});
  show(el("h1", {}, "Claims"), form, results);
  const offset = Number(params.get("offset") || 0);
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name)]));
  const page = await api("claims", {...filters, offset, limit: 20});
  results.replaceChildren(
    el("p", {class: "count"}, page.items.length ? `Claims ${offset + 1}–${offset + page.items.length}` : "No claims match."),
    ...page.items.map((claim) => claimCard(claim)),
    pager(page, (newOffset) => { params.set("offset", newOffset); location.hash = "#/?" + params; }));
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

// Who accuses whom: a small force layout in SVG, edges weighted by claims, red where negative.
async function networkPage(params) {
  const stance = params.get("stance") || "negative";
  const graph = await api("network", {stance: stance === "all" ? null : stance, limit: 150});
  const picker = el("p", {class: "picker"}, "Show: ",
    el("a", {href: "#/network?stance=negative", class: stance === "negative" ? "current" : null}, "who attacks whom"),
    " · ", el("a", {href: "#/network?stance=all", class: stance === "all" ? "current" : null}, "every claim about another actor"));
  const width = 900, height = 560;
  const svg = svgEl("svg", {viewBox: `0 0 ${width} ${height}`, class: "network", role: "img", "aria-label": "actor network"});
  const nodes = graph.nodes.map((node, i) => ({...node,
    x: width / 2 + 200 * Math.cos((2 * Math.PI * i) / graph.nodes.length),
    y: height / 2 + 200 * Math.sin((2 * Math.PI * i) / graph.nodes.length)}));
  const byId = new Map(nodes.map((node) => [node.id, node]));
  // Fruchterman–Reingold: pairs repel (k²/d), edges pull (d²/k), a little gravity keeps
  // separate groups on the canvas, and the step shrinks as the layout cools.
  const k = 0.45 * Math.sqrt((width * height) / Math.max(nodes.length, 1));
  let heat = width / 8;
  for (let step = 0; step < 400; step++) {
    for (const node of nodes) { node.dx = 0; node.dy = 0; }
    for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i], b = nodes[j];
      const dx = a.x - b.x || 0.01, dy = a.y - b.y || 0.01, d = Math.hypot(dx, dy), force = (k * k) / d;
      a.dx += (dx / d) * force; a.dy += (dy / d) * force; b.dx -= (dx / d) * force; b.dy -= (dy / d) * force;
    }
    for (const edge of graph.edges) {
      const a = byId.get(edge.source_id), b = byId.get(edge.target_id);
      const dx = a.x - b.x, dy = a.y - b.y, d = Math.max(Math.hypot(dx, dy), 0.01), force = (d * d) / k;
      a.dx -= (dx / d) * force; a.dy -= (dy / d) * force; b.dx += (dx / d) * force; b.dy += (dy / d) * force;
    }
    for (const node of nodes) {
      node.dx -= (node.x - width / 2) * 0.12 * (k / 50);
      node.dy -= (node.y - height / 2) * 0.2 * (k / 50);
      const d = Math.max(Math.hypot(node.dx, node.dy), 0.01);
      node.x = Math.min(width - 170, Math.max(20, node.x + (node.dx / d) * Math.min(d, heat)));
      node.y = Math.min(height - 20, Math.max(20, node.y + (node.dy / d) * Math.min(d, heat)));
    }
    heat *= 0.985;
  }
  const marker = svgEl("marker", {id: "arrow", viewBox: "0 0 10 10", refX: "18", refY: "5", markerWidth: "6",
    markerHeight: "6", orient: "auto-start-reverse"});
  marker.append(svgEl("path", {d: "M 0 0 L 10 5 L 0 10 z", fill: "#888"}));
  const defs = svgEl("defs", {});
  defs.append(marker);
  svg.append(defs);
  for (const edge of graph.edges) {
    const a = byId.get(edge.source_id), b = byId.get(edge.target_id);
    const line = svgEl("line", {x1: a.x, y1: a.y, x2: b.x, y2: b.y, "stroke-width": Math.min(1 + edge.claims, 8),
      class: edge.negative ? "edge negative" : "edge", "marker-end": "url(#arrow)"});
    line.append(svgEl("title", {}, `${edge.source} → ${edge.target}: ${edge.claims} claims, ${edge.negative} negative`));
    svg.append(line);
  }
  for (const node of nodes) {
    const link = svgEl("a", {href: `#/actor/${node.id}`});
    link.append(svgEl("circle", {cx: node.x, cy: node.y, r: 7, class: "node"}),
      svgEl("text", {x: node.x + 10, y: node.y + 4}, node.country ? `${node.name} (${node.country})` : node.name));
    svg.append(link);
  }
  show(el("h1", {}, "Actor network"), picker,
    graph.edges.length ? svg : el("p", {}, "No speaker → target claims stored yet."));
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

// Claims per week as SVG bars, empty weeks included, with the first and last week labelled.
function timelineChart(weekly) {
  const weeks = Object.entries(weekly).sort(([a], [b]) => (a < b ? -1 : 1));
  const width = 900, height = 220, left = 40, bottom = 30, top = 10;
  const peak = Math.max(1, ...weeks.map(([, n]) => n));
  const svg = svgEl("svg", {viewBox: `0 0 ${width} ${height}`, class: "timeline", role: "img", "aria-label": "claims per week"});
  const barWidth = Math.min(40, (width - left - 10) / Math.max(weeks.length, 1));
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
    if (weeks.length > 1) add("text", {x: width - 10, y: height - 8, "text-anchor": "end"}, weeks[weeks.length - 1][0]);
  }
  return svg;
}

async function narrativePage(id) {
  const narrative = await api(`narratives/${encodeURIComponent(id)}`);
  const claims = await api("claims", {narrative: narrative.id, limit: 50});
  show(el("h1", {}, narrative.name || narrative.label),
    el("p", {class: "meta"}, `${narrative.claims} claims · first seen ${narrative.first_seen} · last seen ${narrative.last_seen}`,
      narrative.status === "merged" ? ` · merged into ${narrative.merged_into}` : null),
    el("h2", {}, "Claims per week"), timelineChart(narrative.weekly),
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
