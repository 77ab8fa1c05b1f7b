"""Versions that follow the models: a stage's version is the code version plus a hash of the data
files (weights, lexicons, tables) the stage reads, so a store can tell what an upgrade made stale.

A versioned method reads ``NAME@CODE+DIGEST``, e.g. ``claimgraph.extract.selector.v1@0.1.0+3fa2c1d9e0``:

- ``NAME``: the step's registered name (``claimgraph.<stage>.<name>.v<N>``), bumped by hand when
  the code's output changes;
- ``CODE``: the package version, ``claimgraph.about.__version__``;
- ``DIGEST``: the first 10 hex digits of a sha256 over the stage's data files in ``claimgraph/data``,
  taken in order of their path there: for each file its path, its size and its bytes.

A claim's method adds the rule that found it after ``#`` (``...+3fa2c1d9e0#complement``); a
narrative label's adds the embeddings backend after ``:``; a pipeline's method joins its steps'
with ``,``. A method stored before versions were recorded has no ``@``.

The data files of each stage (data flows down: extraction resolves actors and codes events, so its
version covers theirs; a folder means its files, licence notices and Python files left out):

==========  ===================================================================================
actors      ``actors/``
events      ``plover.toml``, ``actors/``, ``encoder/model.onnx``, ``encoder/tokenizer.json``,
            ``encoder/heads/events.npz``
extract     ``cues.toml``, ``attribution_model.json``, ``attribution_tagger.crfsuite``,
            ``plover.toml``, ``actors/``, the events stage's encoder files
extract-    the accurate mode's: ``extract``'s with ``attribution_encoder/`` (the fine-tuned
accurate    token tagger) in place of ``attribution_tagger.crfsuite``
encoder     ``encoder/model.onnx``, ``encoder/tokenizer.json`` (the shared fine-tuned MiniLM)
narratives  ``narratives/`` (the shipped taxonomy, the MiniLM vocabulary)
checkworthy ``factcheck/checkworthy.json`` (the check-worthiness model), ``encoder/heads/checkworthy.npz``
            (its tuned head; both are written together)
matching    ``factcheck/matching.json`` (the re-ranker of known claims), ``actors/`` (the countries
            named, as BM25 tokens and features)
==========  ===================================================================================

The packaged files are hashed once per process. Tests pass ``root`` (a copy of the data folder),
which is hashed on every call.
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TypeAlias

from .about import __version__
from .errors import ConfigError, Messages

__all__ = ["STAGE_FILES", "DIGEST_LENGTH", "stage_files", "data_digest", "stage_version", "versioned",
           "code_version", "version_key", "since_version", "made_since"]

_EVENTS_MODEL = ("encoder/model.onnx", "encoder/tokenizer.json", "encoder/heads/events.npz")
STAGE_FILES: dict[str, tuple[str, ...]] = {
    "actors": ("actors/",),
    "events": ("plover.toml", "actors/", *_EVENTS_MODEL),
    "extract": ("cues.toml", "attribution_model.json", "attribution_tagger.crfsuite", "plover.toml", "actors/",
                *_EVENTS_MODEL),
    "extract-accurate": ("cues.toml", "attribution_model.json", "attribution_encoder/", "plover.toml", "actors/",
                         *_EVENTS_MODEL),
    "encoder": ("encoder/model.onnx", "encoder/tokenizer.json"),
    "narratives": ("narratives/",),
    "checkworthy": ("factcheck/checkworthy.json", "encoder/heads/checkworthy.npz"),
    "matching": ("factcheck/matching.json", "actors/"),
}
DIGEST_LENGTH = 10  # hex digits of the sha256 kept in a version
_NOT_DATA = {"__init__.py", "__pycache__", "NOTICE"}
_RELEASE = re.compile(r"\d+(?:\.\d+)*")

Root: TypeAlias = Traversable | str | os.PathLike[str]


def _root(root: Root | None) -> Traversable:
    if root is None:
        return resources.files("claimgraph.data")
    if isinstance(root, (str, os.PathLike)):
        return Path(root)
    return root


def _stage(stage: str) -> tuple[str, ...]:
    try:
        return STAGE_FILES[stage]
    except KeyError:
        raise ValueError(f"no stage {stage!r}: this is a bug in claimgraph, please report it "
                         f"(stages: {', '.join(STAGE_FILES)})") from None


def _files(stage: str, root: Traversable) -> list[tuple[str, Traversable]]:
    """(path under the data folder, file) of every data file ``stage`` reads that exists, by path."""
    found: dict[str, Traversable] = {}
    for entry in _stage(stage):
        if entry.endswith("/"):
            folder = root.joinpath(entry.rstrip("/"))
            if not folder.is_dir():
                continue
            for item in folder.iterdir():
                if item.is_file() and item.name not in _NOT_DATA and not item.name.endswith((".py", ".pyc")):
                    found[entry + item.name] = item
        else:
            item = root.joinpath(entry)
            if item.is_file():  # a model not installed (the tagger, the selector) counts as absent
                found[entry] = item
    return sorted(found.items())


def stage_files(stage: str, *, root: Root | None = None) -> list[str]:
    """The paths (under the data folder) of the files ``stage``'s version hashes, in hashing order."""
    return [path for path, _ in _files(stage, _root(root))]


def _digest(stage: str, root: Traversable) -> str:
    digest = hashlib.sha256()
    for path, item in _files(stage, root):
        data = item.read_bytes()
        digest.update(f"{path}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:DIGEST_LENGTH]


@functools.cache
def _packaged_digest(stage: str) -> str:
    return _digest(stage, _root(None))


def data_digest(stage: str, *, root: Root | None = None) -> str:
    """The short sha256 of ``stage``'s data files (the packaged ones unless ``root`` is given)."""
    return _packaged_digest(stage) if root is None else _digest(stage, _root(root))


def stage_version(stage: str, *, root: Root | None = None, code: str = __version__) -> str:
    """``CODE+DIGEST``: the version of ``stage`` as this code and these data files make it."""
    return f"{code}+{data_digest(stage, root=root)}"


def versioned(name: str, stage: str, *, root: Root | None = None, code: str = __version__) -> str:
    """``name`` with the version of ``stage``: ``NAME@CODE+DIGEST``."""
    return f"{name}@{stage_version(stage, root=root, code=code)}"


def code_version(method: str) -> str | None:
    """The code version a stored method (or a bare ``CODE+DIGEST`` or ``CODE`` version) was made by;
    the lowest of its steps' for a pipeline's method; ``None`` when a step carries no version (made
    before versions were recorded)."""
    found: list[str] = []
    for step in method.split(","):
        if "@" in step:
            step = step.split("@", 1)[1]
        elif not _RELEASE.match(step):
            return None
        step = step.split("#", 1)[0].split(":", 1)[0]
        code = step.rsplit("+", 1)[0] if "+" in step else step
        if not _RELEASE.match(code):
            return None
        found.append(code)
    return min(found, key=version_key) if found else None


def version_key(code: str) -> tuple[int, ...]:
    """A code version as comparable numbers: its release segment (``0.10.2rc1`` -> ``(0, 10, 2)``)."""
    match = _RELEASE.match(code)
    if match is None:
        raise ValueError(f"{code!r} is not a version: write it as numbers with dots, e.g. 0.1.0")
    numbers = [int(part) for part in match.group().split(".")]
    while len(numbers) > 1 and numbers[-1] == 0:  # 0.1 == 0.1.0
        numbers.pop()
    return tuple(numbers)


def since_version(value: str) -> str:
    """The code version ``value`` names: ``0.1.0``, ``0.1.0+3fa2c1d9e0`` or a whole method give
    ``0.1.0``; ``ConfigError`` (CG406) when it names none."""
    found = code_version(value)
    if found is None:
        raise ConfigError(Messages.CG406.format(value=value, example=__version__))
    return found


def made_since(method: str, since: str) -> bool:
    """Whether ``method`` was made by code version ``since`` or newer (only the code versions count,
    see ``since_version``); a method without a version is older than every version."""
    wanted = since_version(since)
    made = code_version(method)
    return made is not None and version_key(made) >= version_key(wanted)
