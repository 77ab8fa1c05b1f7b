"""Articles written for these tests (no eval text): short news items with attributed claims."""
from __future__ import annotations

import json
from pathlib import Path

SPEAKERS = ["Maria Olsen", "Tomas Berg", "Ana Ruiz", "Peter Novak", "Lena Park", "Omar Said", "Jin Wei",
            "Sara Cole", "Ivan Petrov", "Nadia Haddad"]
PLACES = ["Oslo", "Lima", "Prague", "Nairobi", "Hanoi", "Quito", "Tunis", "Riga", "Accra", "Perth"]
TOPICS = ["the port strike", "the grain deal", "the water tariff", "the border survey", "the bank audit",
          "the rail tender", "the vaccine order", "the fishing quota", "the power cuts", "the school reform"]


def article_text(n: int) -> str:
    """A distinct short article with two claims (a direct quote and a reported statement)."""
    speaker, place, topic = SPEAKERS[n % 10], PLACES[(n // 10) % 10], TOPICS[(n // 100) % 10]
    return (f"Officials in {place} meet over {topic} (item {n})\n\n"
            f"{speaker} said on Tuesday that {topic} in {place} would be settled within {n % 7 + 2} weeks. "
            f"\"We will not accept any delay on {topic},\" {speaker.split()[0]} told reporters in {place}.\n\n"
            f"Item {n}: the council will meet again on day {n % 28 + 1}, according to a spokesman.")


def write_jsonl(path: Path, count: int, start: int = 0, outlet: str = "Test Wire") -> list[str]:
    ids = []
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(start, start + count):
            ids.append(f"art-{n}")
            handle.write(json.dumps({"id": f"art-{n}", "outlet": outlet, "text": article_text(n)}) + "\n")
    return ids
