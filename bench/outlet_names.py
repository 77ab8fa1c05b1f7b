#!/usr/bin/env python3
"""How often an outlet named in a claim resolves to another outlet's name in the actor knowledge base.

    OMP_NUM_THREADS=1 python bench/outlet_names.py bench/data/chains-suite.jsonl bench/data/chains-holdout.jsonl

Runs the pipeline on each sentence of the chain sets (``text``), takes every chain link
(``reported_by``) and every speaker read as an outlet, resolves its name with ``resolve_actor``
(``outlet=True`` for chain links, where the code has it) and counts the mentions whose resolved name
shares neither a word nor its initials with what the text says (``claimgraph.actors.kb.related_names``):
"Politico" resolved to The Washington Post. Prints one line; ``--show`` lists the mismatches.
To measure an older tree, run it with ``PYTHONPATH=<that tree's src>``: the name test is then read
from this tree's ``kb.py``.
"""
from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import re
import sys
from pathlib import Path


def _related() -> object:
    try:
        from claimgraph.actors.kb import related_names
        return related_names
    except ImportError:  # an older tree: this tree's test of names
        path = Path(__file__).resolve().parent.parent / "src" / "claimgraph" / "actors" / "kb.py"
        spec = importlib.util.spec_from_file_location("_kb_here", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["_kb_here"] = module
        spec.loader.exec_module(module)
        return module.related_names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("paths", nargs="+", help="JSON lines with id and text (bench/data/chains-*.jsonl)")
    parser.add_argument("--show", action="store_true", help="print each mismatch")
    args = parser.parse_args(argv)

    from claimgraph import article_from_text, load_pipeline
    from claimgraph.actors import resolve_actor

    related = _related()
    options = {"outlet": True} if "outlet" in inspect.signature(resolve_actor).parameters else {}
    pipeline = load_pipeline()
    total = wrong = 0
    for path in args.paths:
        with open(path, encoding="utf-8") as lines:
            rows = [json.loads(line) for line in lines if line.strip()]
        for row in rows:
            for claim in pipeline(article_from_text(row["text"], id=row["id"])).claims:
                found = [(r.name, resolve_actor(r.name, **options)) for r in claim.reported_by]
                if claim.speaker is not None and claim.speaker.actor is not None \
                        and claim.speaker.actor.kind == "MEDIA":
                    found.append((claim.speaker.text, claim.speaker.actor))
                for mention, actor in found:
                    if actor is None or actor.kind not in ("MEDIA", "ORG"):
                        continue
                    total += 1
                    if not related(re.sub(r"^the ", "", mention, flags=re.IGNORECASE), actor.name):  # type: ignore[operator]
                        wrong += 1
                        if args.show:
                            print(f"  {mention!r} -> {actor.name} ({actor.kind}, {actor.country})", file=sys.stderr)
    print(f"outlet names: {wrong} of {total} resolved outlet mentions name another actor "
          f"({wrong / max(total, 1):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
