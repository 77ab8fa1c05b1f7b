"""End-to-end: the web UI in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright)
against a real `claimgraph serve`-style server. The seed article goes in through the API; Lavrov's
claim is found through search; the article view must highlight speaker, cue and content and show
the reporting chain. Screenshots of the main pages go to $CLAIMGRAPH_SCREENSHOTS when it is set
(`make screenshots` writes docs/screenshots)."""
from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from ..conftest import SEED

pytest.importorskip("fastapi", reason="the api extra (fastapi, uvicorn) is not installed")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

CHROMIUM = os.environ.get("CLAIMGRAPH_CHROMIUM", "/usr/bin/chromium")
TOKEN = "browser-test-token"

if not Path(CHROMIUM).exists():
    if os.environ.get("CLAIMGRAPH_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"CLAIMGRAPH_REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}; "
                           "install Debian's chromium package (`apt-get install chromium`)")
    pytest.skip(f"no Chromium at {CHROMIUM}: `apt-get install chromium` (make test does this as root)",
                allow_module_level=True)

pytestmark = [pytest.mark.slow, pytest.mark.heavy]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, pipeline):
    import httpx
    import uvicorn

    from claimgraph.api import Settings, create_app

    settings = Settings(db=str(tmp_path_factory.mktemp("web") / "web.db"), token=TOKEN)
    settings._pipeline = pipeline
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings=settings), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    articles = [{"id": "seed", "text": SEED.read_text("utf-8"), "outlet": "Example Wire", "published": "2025-03-14"}]
    demo = SEED.parent / "demo-articles.jsonl"  # the project's own texts, as in `make run`
    articles += [json.loads(line) for line in demo.read_text("utf-8").splitlines() if line.strip()]
    golden = Path(__file__).parent.parent / "data" / "articles"
    for number, path in enumerate(sorted(golden.glob("*.txt"))):
        if path.name != SEED.name:
            articles.append({"id": path.stem, "text": path.read_text("utf-8"), "outlet": "Golden Daily",
                             "published": f"2025-03-{15 + number:02d}"})
    response = httpx.post(f"{base}/api/articles", json=articles, headers={"Authorization": f"Bearer {TOKEN}"},
                          params={"wait": "true"}, timeout=120)
    assert response.status_code == 200, response.text
    yield base
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        browser.close()
        assert not errors, f"JavaScript errors on the pages: {errors}"


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("document.body.dataset.ready !== undefined && "
                           "document.body.dataset.ready === (location.hash.replace(/^#/, '') || '/')")


def _shot(page, name: str) -> None:
    folder = os.environ.get("CLAIMGRAPH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def test_search_then_article_highlights_and_chain(server, page):
    _open(page, server + "/")
    page.fill("input[name=search]", "peace talks")
    page.fill("input[name=speaker]", "Lavrov")
    page.click("form.search button[type=submit]")
    page.wait_for_selector(".claim")
    first = page.locator(".claim").first
    assert "Sergei Lavrov" in first.locator(".speaker").inner_text()
    assert first.locator(".cue").inner_text() == "asserted"
    assert first.locator(".chain").inner_text().split(" → ")[:2] == ["Sergei Lavrov", "TASS"]
    _shot(page, "search")

    first.locator("a[href^='#/article/']").click()
    page.wait_for_selector(".article-text .hl")
    page.wait_for_function("document.body.dataset.ready.startsWith('/article/')")
    active = page.locator(".article-text .hl.active")
    roles = {active.nth(i).get_attribute("data-role"): active.nth(i).inner_text() for i in range(active.count())}
    assert "Lavrov" in roles["speaker"] and roles["cue"] == "asserted"
    assert "blocks any peace talks" in page.locator(".article-text .hl-content.active").all_inner_texts()[0] \
        or "blocks any peace talks" in " ".join(page.locator(".article-text .hl-content.active").all_inner_texts())
    styles = {role: page.locator(f".article-text .hl-{role}").first.evaluate(
        "node => getComputedStyle(node).color + '|' + getComputedStyle(node).backgroundColor")
        for role in ("speaker", "cue", "content")}
    assert len(set(styles.values())) == 3, styles  # three distinct styles
    card = page.locator(".claim.active")
    assert card.locator(".chain").inner_text() == "Sergei Lavrov → TASS → Example Wire"
    _shot(page, "article")


def test_actor_page_shows_stance(server, page):
    _open(page, server + "/#/actors?search=Lavrov")
    page.click("table a:text('Sergei Lavrov')")
    page.wait_for_selector("table.stance")
    row = page.locator("table.stance tr", has_text="United States")
    assert int(row.locator("td.stance-negative").inner_text()) >= 1
    assert page.locator(".claim").count() >= 3
    _shot(page, "actor")


def test_network_draws_who_attacks_whom(server, page):
    """Cytoscape.js from the package (no CDN), a legend, weighted edges, filters, and the claims behind
    an edge on a click."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    _open(page, server + "/#/network")
    page.wait_for_function("window.claimgraphNetwork && window.claimgraphNetwork.edges().length > 0")
    assert all(url.startswith(server) for url in requests), [u for u in requests if not u.startswith(server)]
    assert any(url.endswith("/static/vendor/cytoscape.min.js") for url in requests)
    negative = page.evaluate("window.claimgraphNetwork.edges().map(e => e.data('edge').stance)")
    assert negative and set(negative) == {"negative"}
    legend = [key.strip() for key in page.locator(".network-legend .key").all_inner_texts()]
    assert legend == ["negative", "neutral", "positive"]
    # labels are readable: no two node labels' boxes overlap after the layout
    boxes = page.evaluate("""window.claimgraphNetwork.nodes().map(n => {
        const b = n.boundingBox({includeLabels: true, includeOverlays: false}); return [b.x1, b.y1, b.x2, b.y2]; })""")
    overlaps = sum(1 for i, a in enumerate(boxes) for b in boxes[i + 1:]
                   if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
    assert overlaps <= len(boxes) // 4, f"{overlaps} overlapping labels among {len(boxes)} nodes"
    widths = page.evaluate("window.claimgraphNetwork.edges().map(e => [e.data('edge').claims, e.data('width')])")
    assert sorted(widths) == sorted(widths, key=lambda pair: pair[1])  # wider edges carry more claims

    row = page.locator("tr.edge-row", has_text="Sergei Lavrov").filter(has_text="United States").first
    row.click()
    page.wait_for_selector(".edge-claims .claim")
    assert "Sergei Lavrov" in page.locator(".edge-claims h2").inner_text()
    assert all("Sergei Lavrov" in who for who in page.locator(".edge-claims .claim .speaker").all_inner_texts())

    page.select_option("form.network-filters select[name=stance]", "")
    page.click("form.network-filters button[type=submit]")
    page.wait_for_function("document.body.dataset.ready === '/network?stance=' && window.claimgraphNetwork")
    page.wait_for_function(f"window.claimgraphNetwork.edges().length > {len(negative)}")
    stances = set(page.evaluate("window.claimgraphNetwork.edges().map(e => e.data('edge').stance)"))
    assert len(stances) > 1
    page.locator("tr.edge-row", has_text="Sergei Lavrov").filter(has_text="United States").first.click()
    page.wait_for_selector(".edge-claims .claim")
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, "network")

    # a bad date: the message beside the field, the page and its graph stay
    page.fill("form.network-filters input[name=since]", "May 2024")
    page.click("form.network-filters button[type=submit]")
    assert "YYYY-MM-DD" in page.locator(".field-error[data-for=since]").inner_text()
    assert page.locator(".network-canvas").count() == 1 and page.locator("p.error").count() == 0


def test_search_form_dropdowns_dates_and_labelled_events(server, page):
    _open(page, server + "/")
    events = page.locator("select[name=event] option").all_inner_texts()
    assert {"ACCUSE", "REQUEST", "AGREE"} <= set(events) and len(events) >= 17  # "any event" + the types
    assert page.locator("select[name=stance] option").all_inner_texts()[1:] == ["negative", "neutral", "positive"]
    page.fill("input[name=since]", "May 2024")
    page.click("form.search button[type=submit]")
    assert "YYYY-MM-DD" in page.locator(".field-error[data-for=since]").inner_text()
    assert page.locator("form.search").count() == 1 and page.locator("p.error").count() == 0
    assert page.evaluate("location.hash") in ("", "#/")  # not sent
    # a bad date in the address gets the same message, not an error page
    _open(page, server + "/#/?until=2025-13-40")
    assert "YYYY-MM-DD" in page.locator(".field-error[data-for=until]").inner_text()
    _open(page, server + "/#/?speaker=Lavrov&event=ACCUSE")
    assert page.locator("select[name=event]").input_value() == "ACCUSE"
    badges = [" ".join(b.split()) for b in page.locator(".claim .badge.event").all_text_contents()]
    assert badges and all(b.startswith(("speech act: ", "claimed event: ")) for b in badges), badges
    assert any(b.startswith("speech act: ACCUSE") for b in badges)


def test_articles_are_listed_by_title(server, page):
    import httpx

    text = "Harbour deal signed after long night\nThe mayor said the port would reopen on Monday."
    httpx.post(f"{server}/api/articles", json={"id": "headline-1", "text": text},
               headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    _open(page, server + "/#/articles?offset=0")
    titles = page.locator("table tbody td:first-child a").all_inner_texts()
    assert "Harbour deal signed after long night" in titles and "headline-1" not in titles
    _open(page, server + "/#/?search=reopen")
    links = page.locator(".claim .meta a[href^='#/article/headline-1']").all_inner_texts()
    assert links and set(links) == {"Harbour deal signed after long night"}


def test_timeline_shows_undated_articles_apart(server, page):
    _open(page, server + "/#/narratives")
    page.evaluate("document.getElementById('view').append(timelineChart({'2025-03-10': 2, '2025-03-17': 1}, 4))")
    bars = page.locator("svg.timeline rect.bar")
    weeks = [bars.nth(i).get_attribute("data-week") for i in range(bars.count())]
    assert weeks == ["2025-03-10", "2025-03-17", "undated"]
    undated = page.locator("svg.timeline rect.bar.undated")
    assert undated.get_attribute("data-claims") == "4"
    last_week = float(bars.nth(1).get_attribute("x")) + float(bars.nth(1).get_attribute("width"))
    assert float(undated.get_attribute("x")) - last_week > 20  # apart, past a gap


def test_narratives_named_and_discovered_with_timeline(server, page):
    _open(page, server + "/#/narratives")
    named = page.locator("table").first
    assert named.locator("a", has_text="URW: Discrediting the West, Diplomacy").count() == 1
    discovered = page.locator("table").nth(1).locator("tbody tr")
    assert discovered.count() >= 2
    _shot(page, "narratives")
    first = discovered.first
    claims = int(first.locator("td.num").first.inner_text())
    first.locator("a").click()
    page.wait_for_function("document.body.dataset.ready.startsWith('/narrative/')")
    bars = page.locator("svg.timeline rect.bar")
    assert bars.count() >= 1
    assert sum(int(bars.nth(i).get_attribute("data-claims")) for i in range(bars.count())) == claims
    assert page.locator(".claim").count() == min(claims, 50)
    assert page.locator("section", has_text="Outlets").locator("li").count() >= 1
    _shot(page, "narrative")


def test_unknown_article_shows_the_api_error(server, page):
    _open(page, server + "/#/article/no-such-id")
    assert "[CG303]" in page.locator("p.error").inner_text()


def test_hostile_text_is_shown_as_text(server, page):
    import httpx

    text = 'The minister said that "<img src=x onerror=alert(1)>" was <b>fine</b>.'
    httpx.post(f"{server}/api/articles", json={"id": "xss", "text": text},
               headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    _open(page, server + "/#/article/xss")
    assert page.locator(".article-text img").count() == 0 and page.locator(".article-text b").count() == 0
    assert "<img src=x onerror=alert(1)>" in page.locator(".article-text").inner_text()


def test_chromium_is_the_debian_one():
    assert shutil.which("chromium") or Path(CHROMIUM).exists()
