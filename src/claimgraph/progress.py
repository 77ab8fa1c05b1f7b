"""Progress bars on stderr (tqdm), shared by ``batch``, ``ingest`` and ``narratives classify``.

A bar moves with what is done (input bytes, or articles) and shows the counts so far, the rate,
and optionally the article being worked on, so a long article shows which one it is. The caller
decides whether to show one (the CLI: not with --quiet, and only when stderr is a terminal).
"""
from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, Messages

if TYPE_CHECKING:
    from tqdm import tqdm

__all__ = ["progress_bar", "show_progress"]

SHOWN = ("read", "stored", "rejected")  # the counts a bar shows unless told otherwise


def progress_bar(*, desc: str, total: int | None = None, unit: str = " articles",
                 enabled: bool = True) -> tqdm[Any] | None:
    """A bar on stderr, or ``None`` when not ``enabled``. ``unit="B"`` counts bytes (scaled: kB,
    MB); ``total=None`` when the size is not known. Fails early (CG403) if tqdm is missing."""
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError as e:
        raise ConfigError(Messages.CG403.format(package="tqdm", extra="batch")) from e
    # no monitor thread: the pipeline forks its workers only from a process that runs one thread
    # (with a second one it spawns them, each importing everything again)
    tqdm.monitor_interval = 0
    return tqdm(total=total, unit=unit, unit_scale=unit == "B", unit_divisor=1024, file=sys.stderr,
                desc=desc, dynamic_ncols=True, mininterval=0.5, smoothing=0.1)


def show_progress(bar: tqdm[Any] | None, counts: Mapping[str, int], *, done: int | None = None,
                  shown: Sequence[str] = SHOWN, current: str | None = None, refresh: bool = False) -> None:
    """Show ``current`` (the article being worked on, first: a narrow terminal cuts the end) and
    the ``shown`` counts. A bar that counts articles moves to ``counts["read"]``; one that counts
    something else (bytes) moves to ``done`` and shows the articles and words per second too.
    ``refresh`` draws it at once (a new article: a long one is named while it runs)."""
    if bar is None:
        return
    parts = [current] if current else []
    parts += [f"{counts.get(name, 0):,} {name}" for name in shown]
    if done is None:
        done = counts.get("read", 0)
    else:
        elapsed = max(bar.format_dict["elapsed"], 1e-9)
        parts.append(f"{counts.get('read', 0) / elapsed:,.1f} art/s")
        parts.append(f"{counts.get('words', 0) / elapsed:,.0f} words/s")
    bar.set_postfix_str(", ".join(parts), refresh=refresh)
    bar.update(max(0, min(done, bar.total or done) - bar.n))  # drawn with the new counts
