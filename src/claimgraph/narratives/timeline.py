"""A narrative's timeline: claims per week as a text table or a self-contained HTML page (inline SVG)."""
from __future__ import annotations

import html

from ..records import Narrative

__all__ = ["timeline_rows", "timeline_html"]


def timeline_rows(narrative: Narrative) -> list[tuple[str, int]]:
    return sorted(narrative.weekly.items())


def timeline_html(narrative: Narrative, *, width: int = 900, height: int = 260) -> str:
    """One HTML file, no scripts or external files: a bar per week, hover titles with the counts."""
    rows = timeline_rows(narrative)
    title = narrative.name or narrative.label
    peak = max((count for _, count in rows), default=0) or 1
    left, bottom, top = 40, 40, 20
    plot_w, plot_h = width - left - 10, height - bottom - top
    bar_w = plot_w / max(len(rows), 1)
    bars = []
    for index, (week, count) in enumerate(rows):
        bar_h = plot_h * count / peak
        x, y = left + index * bar_w, top + plot_h - bar_h
        bars.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar_w - 1, 1):.1f}" height="{bar_h:.1f}" '
                    f'fill="#3b6ea8"><title>week of {week}: {count} claims</title></rect>')
    labels = ""
    if rows:
        labels = (f'<text x="{left}" y="{height - 15}" font-size="12">{rows[0][0]}</text>'
                  f'<text x="{width - 10}" y="{height - 15}" font-size="12" text-anchor="end">{rows[-1][0]}</text>')
    axis = (f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#444"/>'
            f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#444"/>'
            f'<text x="{left - 5}" y="{top + 10}" font-size="12" text-anchor="end">{peak}</text>'
            f'<text x="{left - 5}" y="{top + plot_h}" font-size="12" text-anchor="end">0</text>')
    facts = (f"{narrative.claims} claims, {len(narrative.outlets)} outlets, {len(narrative.speakers)} speakers; "
             f"first seen {narrative.first_seen or '-'}, last seen {narrative.last_seen or '-'}")
    if narrative.undated:
        facts += f"; {narrative.undated} claims from undated articles are not in the chart"
    outlets = ", ".join(f"{html.escape(name)} ({count})" for name, count in list(narrative.outlets.items())[:10])
    return (
        "<!doctype html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>Narrative {html.escape(narrative.id)}</title></head>"
        "<body style=\"font-family: sans-serif; max-width: 960px\">"
        f"<h1 style=\"font-size: 1.2em\">{html.escape(title)}</h1>"
        f"<p>{html.escape(narrative.id)}: {html.escape(facts)}</p>"
        f"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" "
        f"aria-label=\"claims per week\">{axis}{''.join(bars)}{labels}</svg>"
        f"<p>Claims per week. Top outlets: {outlets or 'none recorded'}</p></body></html>\n")
