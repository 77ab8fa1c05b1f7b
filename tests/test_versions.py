"""Versions that follow the models: each stage's version hashes the data files it reads, so changed
weights or tables give a new version, and identical files the same one."""
from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from claimgraph.about import __version__
from claimgraph.errors import ConfigError
from claimgraph.events import EventCode, events_method
from claimgraph.extract import METHOD, RULES_METHOD, extract_method
from claimgraph.factcheck import checkworthy_method
from claimgraph.narratives import classify_method
from claimgraph.pipeline import Pipeline
from claimgraph.versions import (
    DIGEST_LENGTH,
    STAGE_FILES,
    code_version,
    data_digest,
    made_since,
    since_version,
    stage_files,
    stage_version,
    version_key,
    versioned,
)

DATA = Path(str(resources.files("claimgraph.data")))


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory) -> Path:
    """One copy of the packaged data folder for the module; a test that changes it puts it back."""
    copy = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _flip_byte(path: Path) -> bytes:
    """Change one byte in the middle of ``path``; return the original bytes."""
    original = path.read_bytes()
    middle = len(original) // 2
    path.write_bytes(original[:middle] + bytes([original[middle] ^ 0x01]) + original[middle + 1:])
    return original


def test_versions_format():
    version = stage_version("extract")
    code, digest = version.split("+")
    assert code == __version__ and len(digest) == DIGEST_LENGTH and int(digest, 16) >= 0
    assert versioned(METHOD, "extract") == f"{METHOD}@{version}"


def test_versions_stable_for_identical_files(data_copy, tmp_path):
    second = tmp_path / "again"
    shutil.copytree(data_copy, second)
    for stage in STAGE_FILES:
        assert stage_version(stage, root=data_copy) == stage_version(stage, root=second) == stage_version(stage)
        assert stage_files(stage, root=data_copy) == stage_files(stage)


def test_versions_change_when_one_byte_of_a_model_file_changes(data_copy):
    tagger = data_copy / "attribution_tagger.crfsuite"
    before = {stage: stage_version(stage, root=data_copy) for stage in STAGE_FILES}
    original = _flip_byte(tagger)
    try:
        after = {stage: stage_version(stage, root=data_copy) for stage in STAGE_FILES}
    finally:
        tagger.write_bytes(original)
    assert after["extract"] != before["extract"]
    # the tagger is read by extraction alone: the other stages keep their versions
    assert {s: v for s, v in after.items() if s != "extract"} == {s: v for s, v in before.items() if s != "extract"}
    assert stage_version("extract", root=data_copy) == before["extract"]  # the same bytes again: the same version


@pytest.mark.parametrize("stage", sorted(STAGE_FILES))
def test_versions_every_file_of_a_stage_counts(data_copy, stage):
    """A change in any one file a stage reads (weights, lexicon, table) changes the stage's version."""
    before = stage_version(stage, root=data_copy)
    files = stage_files(stage, root=data_copy)
    assert files
    for name in files:
        path = data_copy / name
        original = _flip_byte(path)
        try:
            assert stage_version(stage, root=data_copy) != before, f"{name} changed but {stage}'s version did not"
        finally:
            path.write_bytes(original)
    assert stage_version(stage, root=data_copy) == before


def test_versions_a_new_table_counts_and_a_notice_does_not(data_copy):
    before = {stage: stage_version(stage, root=data_copy) for stage in STAGE_FILES}
    notice = data_copy / "actors" / "NOTICE"
    table = data_copy / "actors" / "organisations-extra.tsv"
    original = notice.read_bytes()
    notice.write_bytes(original + b"\nmore thanks\n")
    try:
        assert {stage: stage_version(stage, root=data_copy) for stage in STAGE_FILES} == before
        table.write_text("XYZ\tGOV\t\tExample Office\n", "utf-8")
        after = {stage: stage_version(stage, root=data_copy) for stage in STAGE_FILES}
    finally:
        notice.write_bytes(original)
        table.unlink(missing_ok=True)
    assert [stage for stage in STAGE_FILES if after[stage] != before[stage]] == ["actors", "events", "extract",
                                                                                "extract-accurate", "matching"]


def test_versions_every_packaged_data_file_belongs_to_a_stage():
    """A model or table added to data/ without a stage reading it would change nothing's version."""
    hashed = {name for stage in STAGE_FILES for name in stage_files(stage)}
    shipped = {str(path.relative_to(DATA)) for path in DATA.rglob("*") if path.is_file()
               and "__pycache__" not in path.parts and path.name not in ("__init__.py", "NOTICE")}
    assert shipped == hashed


def test_versions_follow_the_code_version(data_copy):
    assert stage_version("extract", root=data_copy, code="9.9.9") == "9.9.9+" + data_digest("extract")
    assert stage_version("extract", code="9.9.9") != stage_version("extract")


def test_versions_are_what_the_pipeline_stores():
    """The default pipeline's method, each claim's and each event's carry their stage's version."""
    extracted, scored = Pipeline().method.split(",")  # claims, then their check-worthiness
    assert extracted == extract_method() == f"{METHOD}@{stage_version('extract')}"
    assert scored == checkworthy_method() and scored.endswith(f"@{stage_version('checkworthy')}")
    assert extract_method(rules=True) == f"{RULES_METHOD}@{stage_version('extract')}"
    event = EventCode(event="ACCUSE", actor=[], recipient=[], factuality="asserted", start=0, end=4, trigger="said",
                      cameo="11", confidence=0.5)
    assert event.method == events_method() == f"claimgraph.events.minilm.v2@{stage_version('events')}"
    assert classify_method("tfidf") == f"claimgraph.narratives.classify.v1@{stage_version('narratives')}:tfidf"


@pytest.mark.parametrize("method,expected", [
    ("claimgraph.extract.selector.v1@0.1.0+3fa2c1d9e0", "0.1.0"),
    ("claimgraph.extract.selector.v1@0.1.0+3fa2c1d9e0#complement", "0.1.0"),
    ("claimgraph.narratives.classify.v1@0.2.1+3fa2c1d9e0:tfidf", "0.2.1"),
    ("a.v1@0.3.0+0000000000,b.v1@0.2.0+1111111111", "0.2.0"),  # a pipeline: its oldest step
    ("0.1.0+3fa2c1d9e0", "0.1.0"),
    ("0.1", "0.1"),
    ("claimgraph.extract.selector.v1", None),  # stored before versions were recorded
    ("a.v1@0.3.0+0000000000,b.v1", None),
    ("m1", None),
    ("", None),
])
def test_versions_code_version(method, expected):
    assert code_version(method) == expected


def test_versions_made_since():
    assert version_key("0.10.0") > version_key("0.9.2") and version_key("0.1") == version_key("0.1.0")
    assert made_since("x.v1@0.2.0+aaaaaaaaaa", "0.1.0") and made_since("x.v1@0.1.0+aaaaaaaaaa", "0.1.0+bbbbbbbbbb")
    assert not made_since("x.v1@0.0.9+aaaaaaaaaa", "0.1.0")
    assert not made_since("claimgraph.extract.selector.v1", "0.0.1")
    assert since_version("claimgraph.extract.selector.v1@0.1.0+3fa2c1d9e0") == "0.1.0"
    with pytest.raises(ConfigError, match=r"CG406.*'latest'"):
        made_since("x.v1@0.2.0+aaaaaaaaaa", "latest")
