"""Narratives: named ones (a taxonomy's labels for articles) and discovered ones (claims grouped
incrementally across articles, tracked over time). See docs/narratives.md."""
from __future__ import annotations

from .classify import NarrativeClassifier, NarrativeLabels, classify_method, classify_narratives
from .discover import ClaimItem, NarrativeTracker, TrackerSettings
from .taxonomy import Taxonomy, load_taxonomy
from .track import merge_narratives, name_narrative, split_narrative, update_narratives

__all__ = ["ClaimItem", "NarrativeClassifier", "NarrativeLabels", "NarrativeTracker", "Taxonomy",
           "TrackerSettings", "classify_method", "classify_narratives", "load_taxonomy", "merge_narratives",
           "name_narrative", "split_narrative", "update_narratives"]
