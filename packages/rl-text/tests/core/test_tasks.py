from __future__ import annotations

import numpy as np
import pytest

from rl_shared.errors import BadInput, MalformedFile
from rl_text.core.tasks import Examples, load_examples, mine_negatives


class FakeModel:
    """Embeds each text to a fixed unit vector."""

    def __init__(self, table: dict[str, list[float]]):
        self.table = {k: np.asarray(v, dtype=float) / np.linalg.norm(v) for k, v in table.items()}

    def encode(self, texts, **kwargs):
        return np.stack([self.table[t] for t in texts])


def test_to_dict_repeats_missing_positives_and_drops_rows_without_negatives():
    ex = Examples(["q1", "q2"], [["a"], ["b", "c", "d"]], [["n1", "n2"], ["m1"]])
    cols = ex.to_dict(num_positives=2, num_negatives=2)
    assert cols == {
        "anchor": ["q1"],
        "positive_1": ["a"],
        "positive_2": ["a"],
        "negative_1": ["n1"],
        "negative_2": ["n2"],
    }
    assert ex.to_dict(num_positives=2)["positive_2"] == ["a", "c"]
    with pytest.raises(BadInput, match="hard negatives"):
        ex.to_dict(num_negatives=3)
    with pytest.raises(BadInput, match="at least one positive"):
        Examples(["q"], [[]])


def test_mining_skips_positives_and_likely_false_negatives():
    model = FakeModel(
        {
            "q": [1, 0, 0],
            "pos": [0.9, 0.1, 0],  # cos ~0.994
            "near": [0.95, 0.08, 0.0],  # above the positive: a likely false negative
            "hard": [0.7, 0.7, 0],  # cos ~0.707: a hard negative
            "easy": [0, 0, 1],  # cos 0
        }
    )
    got = mine_negatives(
        model, ["q"], [["pos"]], ["pos", "near", "hard", "easy"], num=2, margin=0.05
    )
    assert got == [["hard", "easy"]]
    # a huge margin leaves only candidates far below the positive
    got = mine_negatives(
        model, ["q"], [["pos"]], ["pos", "near", "hard", "easy"], num=2, margin=0.5
    )
    assert got == [["easy"]]


def test_load_examples(tmp_path):
    good = tmp_path / "pairs.tsv"
    good.write_text("anchor\tpositive\tnegative\na\tb\tc\nd\te\t\n")
    ex = load_examples(good)
    assert ex.anchors == ["a", "d"] and ex.positives == [["b"], ["e"]]
    assert ex.negatives == [["c"], []]
    bad = tmp_path / "bad.csv"
    bad.write_text("anchor,positive\nx,y,z\n")
    with pytest.raises(MalformedFile, match=r"bad\.csv:2"):
        load_examples(bad)
    header = tmp_path / "header.csv"
    header.write_text("query,doc\nx,y\n")
    with pytest.raises(MalformedFile, match=r"header\.csv:1"):
        load_examples(header)
