from __future__ import annotations

import os
from pathlib import Path

import pytest

from rl_shared.errors import BadInput
from rl_text.defsent import definition_pairs, make_definition_set, wordnet_reader


class _Synset:
    def __init__(self, names: list[str], gloss: str) -> None:
        self._names, self._gloss = names, gloss

    def lemma_names(self) -> list[str]:
        return self._names

    def definition(self) -> str:
        return self._gloss


class _Reader:
    def __init__(self) -> None:
        self.synsets = {
            "n": [
                _Synset(["ice_cream", "icecream", "Ice_Cream"], "frozen dessert"),
                _Synset(["hot_dog", "frank"], "a sausage in a roll"),
                _Synset(["dog"], "a domesticated canine"),
                _Synset(["nothing"], "  "),
            ],
            "v": [_Synset(["dog", "tail"], "go after with the intent to catch")],
        }

    def all_synsets(self, pos: str | None = None):
        return [s for p, v in self.synsets.items() if pos in (None, p) for s in v]


def test_multi_word_entries_from_a_wordnet_like_reader() -> None:
    pairs = definition_pairs(_Reader())
    entries = [e for _, e in pairs]
    assert "ice cream" in entries and "hot dog" in entries
    assert entries.count("ice cream") == 1  # case-duplicate lemma dropped within a synset
    assert "nothing" not in entries  # empty gloss skipped
    assert ("go after with the intent to catch", "dog") in pairs
    assert definition_pairs(_Reader(), pos="v") == [
        ("go after with the intent to catch", "dog"),
        ("go after with the intent to catch", "tail"),
    ]


def test_definition_set_labels_share_entries() -> None:
    data = make_definition_set(definition_pairs(_Reader()))
    dog = data.entries.index("dog")
    assert [d for d, lab in zip(data.definitions, data.labels, strict=True) if lab == dog] == [
        "a domesticated canine",
        "go after with the intent to catch",
    ]
    sub = make_definition_set(definition_pairs(_Reader()), n=3, seed=1)
    assert len(sub) == 3 and max(sub.labels) < len(sub.entries)
    with pytest.raises(BadInput):
        make_definition_set([("a", "b")])


def test_wordnet_reader_rejects_a_non_wordnet_folder(tmp_path) -> None:
    with pytest.raises(BadInput, match="not a WordNet folder"):
        wordnet_reader(tmp_path)


WORDNET = Path(os.environ.get("RL_DATA_DIR", "/nonexistent")) / "wordnet/nltk_data/corpora/wordnet"


@pytest.mark.skipif(not (WORDNET / "index.noun").is_file(), reason="RL_DATA_DIR lacks WordNet")
def test_real_wordnet_has_multi_word_entries() -> None:
    reader = wordnet_reader(WORDNET)
    pairs = definition_pairs(reader, pos="r")  # adverbs: a few thousand synsets
    entries = {e for _, e in pairs}
    assert len(pairs) > 3000
    assert "all of a sudden" in entries or "in a way" in entries
    assert sum(" " in e for e in entries) > 500
