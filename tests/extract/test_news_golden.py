"""News-site golden articles (tests/data/news, written for claimgraph, issue 17): every claim listed,
nothing else extracted; datelines, headlines and boilerplate are not claims. In both extraction modes."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from claimgraph import article_from_text

pytestmark = pytest.mark.slow
NEWS = Path(__file__).resolve().parent.parent / "data" / "news"
EXPECTED = {name: claims for name, claims in json.loads((NEWS / "claims.json").read_text("utf-8")).items()
            if not name.startswith("_")}
# known misses by (mode, article), each with what goes wrong (the test still runs and reports when it
# starts passing)
KNOWN: dict[tuple[str, str], str] = {}


def _key(name: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", " ".join(name.split()), flags=re.IGNORECASE).casefold()


def _summary(claim) -> tuple[set[str], list[str], bool]:
    speaker = claim.speaker
    names = {_key(n) for n in (speaker.text if speaker else None,
                               speaker.actor.name if speaker and speaker.actor else None) if n}
    chain = [_key(r.name) for r in claim.reported_by if r.role != "publisher"]
    return names, chain, bool(speaker is not None and speaker.anonymous)


@pytest.mark.parametrize(("mode", "name"), [
    pytest.param(m, n, marks=pytest.mark.xfail(reason=KNOWN[m, n], strict=True)) if (m, n) in KNOWN else (m, n)
    for m in ("fast", "accurate") for n in EXPECTED])
def test_news_article_claims_exactly(request, name, mode):
    pipeline = request.getfixturevalue("pipeline" if mode == "fast" else "accurate_pipeline")
    article = pipeline(article_from_text((NEWS / name).read_text("utf-8"), id=name, outlet="Example Daily"))
    got = [_summary(c) for c in article.claims]
    free = list(range(len(got)))
    for want in EXPECTED[name]:
        hit = next((i for i in free if _key(want["speaker"]) in got[i][0]
                    and got[i][1] == [_key(n) for n in want["reported_by"]]
                    and got[i][2] == want["anonymous"]), None)
        assert hit is not None, f"{name}: no claim like {want}; got {got}"
        free.remove(hit)
    assert not free, f"{name}: claims that are not in the list: {[got[i] for i in free]}"
    for claim in article.claims:
        assert claim.reported_by[-1].role == "publisher"
        assert all(r.role in ("relay", "channel", "wire", "publisher") for r in claim.reported_by)
