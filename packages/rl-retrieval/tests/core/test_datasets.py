from __future__ import annotations

import pytest

from rl_retrieval.core.datasets import DATASETS, load_dataset
from rl_shared.data import data_dir
from rl_shared.errors import DatasetNotFound, UnknownName

HAVE = {d.name: d.is_present() for d in DATASETS}


def test_registered():
    names = {d.name for d in DATASETS}
    assert {"cranfield", "limit-small", "limit"} <= names
    assert len([n for n in names if n.startswith("beir-")]) == 18


def test_unknown_and_missing(monkeypatch, tmp_path):
    with pytest.raises(UnknownName):
        load_dataset("nope")
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    with pytest.raises(DatasetNotFound, match="retrieval/limit-small"):
        load_dataset("limit-small")


@pytest.mark.skipif(not HAVE["cranfield"], reason=f"cranfield not in {data_dir()}")
def test_cranfield_counts():
    data = load_dataset("cranfield")
    assert (len(data.corpus), len(data.queries)) == (1400, 225)
    assert sum(len(v) for v in data.qrels.values()) == 1837 - 225  # the -1 judgements dropped


@pytest.mark.skipif(not HAVE["limit-small"], reason=f"limit-small not in {data_dir()}")
def test_limit_small_counts():
    data = load_dataset("limit-small")
    assert (len(data.corpus), len(data.queries)) == (46, 1000)
    assert all(len(v) == 2 for v in data.qrels.values())


def test_load_data_reads_folders_and_name_split(tmp_path, tiny):
    from rl_retrieval.core.beir_format import write_beir
    from rl_retrieval.core.datasets import load_data, split_spec

    write_beir(tiny, tmp_path / "c", split="dev")
    assert load_data(f"{tmp_path / 'c'}:dev").qrels == tiny.qrels
    assert load_data(str(tmp_path / "c"), split="dev").queries == tiny.queries
    with pytest.raises(DatasetNotFound, match="splits found: dev"):
        load_data(str(tmp_path / "c"))
    assert split_spec("limit-small:test") == ("limit-small", "test")
    assert split_spec("nosuch:test") == ("nosuch:test", None)
    (tmp_path / "a:b").mkdir()
    assert split_spec(str(tmp_path / "a:b")) == (str(tmp_path / "a:b"), None)
