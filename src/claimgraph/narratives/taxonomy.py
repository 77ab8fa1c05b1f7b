"""Named narratives: a two-level taxonomy read from TOML (the default ships in ``data/narratives``).

A taxonomy is a list of narratives ("URW: Discrediting the West, Diplomacy"), each with
sub-narratives ("URW: Discrediting the West, Diplomacy: Diplomacy does/will not work"); every
label carries a description and seed statements that the classifier compares article text with.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError, Messages

__all__ = ["Label", "Taxonomy", "load_taxonomy", "USER_TAXONOMY_DIR", "OTHER"]

OTHER = "Other"
USER_TAXONOMY_DIR = Path.home() / ".claimgraph" / "narratives"


@dataclass(slots=True, frozen=True)
class Label:
    """One narrative or sub-narrative: its full label, description and seed statements."""

    label: str
    description: str
    seeds: tuple[str, ...] = ()
    parent: str | None = None  # the narrative of a sub-narrative

    @property
    def is_fallback(self) -> bool:
        """A sub-narrative named "Other": given when its narrative applies but no named one does."""
        return self.parent is not None and self.label == f"{self.parent}: {OTHER}"

    @property
    def domain(self) -> str:
        return self.label.split(":", 1)[0]

    @property
    def texts(self) -> list[str]:
        return [self.description, *self.seeds]


@dataclass(slots=True)
class Taxonomy:
    name: str
    narratives: list[Label]
    subnarratives: dict[str, list[Label]]  # narrative label -> its sub-narratives
    domains: dict[str, Label] = field(default_factory=dict)  # "URW" -> the topic itself
    source: str = ""

    @property
    def labels(self) -> list[str]:
        """Every label, narratives first, as written in the taxonomy."""
        return [n.label for n in self.narratives] + [s.label for n in self.narratives
                                                     for s in self.subnarratives[n.label]]


def _label(entry: dict[str, Any], where: str, *, parent: str | None = None) -> Label:
    if parent is None:
        text = entry.get("label")
    else:
        text = f"{parent}: {entry['name']}" if entry.get("name") else None
    if not text or not isinstance(entry.get("description", ""), str):
        raise ConfigError(Messages.CG150.format(source=where, detail="each entry needs a label (narrative) or "
                                                "name (sub-narrative) and a description"))
    seeds = entry.get("seeds", [])
    if not isinstance(seeds, list) or not all(isinstance(s, str) for s in seeds):
        raise ConfigError(Messages.CG150.format(source=where, detail=f"seeds of {text!r} must be a list of strings"))
    return Label(label=text, description=entry.get("description") or text, seeds=tuple(seeds), parent=parent)


def taxonomy_from_toml(text: str, *, source: str = "<string>") -> Taxonomy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(Messages.CG150.format(source=source, detail=e)) from e
    entries = data.get("narrative")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(Messages.CG150.format(source=source, detail="no [[narrative]] entries"))
    narratives, subnarratives = [], {}
    for entry in entries:
        narrative = _label(entry, source)
        if narrative.label in subnarratives:
            raise ConfigError(Messages.CG150.format(source=source, detail=f"{narrative.label!r} appears twice"))
        narratives.append(narrative)
        subnarratives[narrative.label] = [_label(sub, source, parent=narrative.label) for sub in entry.get("sub", [])]
    domains = {name: Label(label=name, description=d.get("description", name), seeds=tuple(d.get("seeds", [])))
               for name, d in (data.get("domains") or {}).items()}
    return Taxonomy(name=data.get("name", Path(source).stem), narratives=narratives, subnarratives=subnarratives,
                    domains=domains, source=source)


def load_taxonomy(name_or_path: str | Path | None = None) -> Taxonomy:
    """The taxonomy called ``name_or_path``: "default" (shipped), a TOML path, or a NAME saved as
    ``~/.claimgraph/narratives/NAME.toml``."""
    target = str(name_or_path or "default")
    path = Path(target)
    if path.suffix == ".toml" or path.is_file():
        if not path.is_file():
            raise ConfigError(Messages.CG151.format(name=target, user_dir=USER_TAXONOMY_DIR))
        return taxonomy_from_toml(path.read_text("utf-8"), source=str(path))
    user = USER_TAXONOMY_DIR / f"{target}.toml"
    if user.is_file():
        return taxonomy_from_toml(user.read_text("utf-8"), source=str(user))
    shipped = resources.files("claimgraph.data").joinpath("narratives", f"{target}.toml")
    if shipped.is_file():
        return taxonomy_from_toml(shipped.read_text("utf-8"), source=f"claimgraph/data/narratives/{target}.toml")
    raise ConfigError(Messages.CG151.format(name=target, user_dir=USER_TAXONOMY_DIR))
