from __future__ import annotations

import pytest

from claimgraph.errors import ConfigError
from claimgraph.narratives.taxonomy import load_taxonomy, taxonomy_from_toml


def test_taxonomy_default_has_both_domains_and_exact_labels():
    taxonomy = load_taxonomy()
    assert set(taxonomy.domains) == {"URW", "CC"}
    assert "URW: Discrediting the West, Diplomacy" in [n.label for n in taxonomy.narratives]
    subs = [s.label for s in taxonomy.subnarratives["URW: Discrediting the West, Diplomacy"]]
    assert "URW: Discrediting the West, Diplomacy: Diplomacy does/will not work" in subs
    assert len(taxonomy.narratives) == 21 and len(taxonomy.labels) == 109
    assert all(label.description and label.description != label.label for n in taxonomy.narratives
               for label in [n, *taxonomy.subnarratives[n.label]])


@pytest.mark.eval
def test_taxonomy_default_labels_match_shared_taxonomy(shared_eval):
    lines = (shared_eval / "narratives" / "narrative-taxonomy.txt").read_text("utf-8").splitlines()
    gold = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    assert set(load_taxonomy().labels) == gold


def test_taxonomy_user_file_by_path(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\n[[narrative]]\nlabel = "X: Vaccines are dangerous"\n'
                    'description = "Vaccines harm people."\nseeds = ["The vaccine kills more than it saves."]\n'
                    '[[narrative.sub]]\nname = "Other"\ndescription = "Anything else."\n', "utf-8")
    taxonomy = load_taxonomy(str(path))
    assert taxonomy.name == "mine"
    assert taxonomy.labels == ["X: Vaccines are dangerous", "X: Vaccines are dangerous: Other"]
    assert taxonomy.subnarratives["X: Vaccines are dangerous"][0].is_fallback


@pytest.mark.parametrize("text", ["", "[[narrative]]\ndescription = 'no label'\n", "not toml ["])
def test_taxonomy_invalid_is_a_coded_error(text):
    with pytest.raises(ConfigError, match="CG150"):
        taxonomy_from_toml(text, source="bad.toml")


def test_taxonomy_unknown_name_says_where_to_look():
    with pytest.raises(ConfigError, match="CG151"):
        load_taxonomy("no-such-taxonomy")
