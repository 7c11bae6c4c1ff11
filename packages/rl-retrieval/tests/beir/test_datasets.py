"""The 18 BEIR sets are registered with pinned sources; a fake BEIR zip downloads and loads.

No test touches the network: downloads go to a loopback server through ``RL_DATA_MIRROR``,
with the registry entry's md5 replaced by that of a tiny zip made here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

import rl_retrieval.core.datasets as core_datasets
from rl_retrieval.beir.datasets import BASE_URL, BEIR_DATASETS, CQADUPSTACK_FORUMS
from rl_retrieval.beir.quirks import load_cqadupstack
from rl_retrieval.core.datasets import DATASETS, load_data, load_dataset
from rl_shared.cli.main import main
from rl_shared.data import Archive, Dataset, download, get_dataset, list_datasets
from rl_shared.data.download import STAGING
from rl_shared.data.loopback import serve
from rl_shared.errors import BadInput, DatasetNotFound, DownloadError, UnknownName

PUBLIC = {
    "trec-covid": ("test",),
    "nfcorpus": ("train", "dev", "test"),
    "nq": ("test",),
    "hotpotqa": ("train", "dev", "test"),
    "fiqa": ("train", "dev", "test"),
    "arguana": ("test",),
    "webis-touche2020": ("test",),
    "quora": ("dev", "test"),
    "dbpedia-entity": ("dev", "test"),
    "scidocs": ("test",),
    "fever": ("train", "dev", "test"),
    "climate-fever": ("test",),
    "scifact": ("train", "test"),
}
MANUAL = {"bioasq", "signal1m", "trec-news", "robust04"}
BY_NAME = {d.name: d for d in BEIR_DATASETS}


def test_the_18_sets_are_registered_under_beir_names():
    names = {f"beir-{n}" for n in [*PUBLIC, "cqadupstack", *MANUAL]}
    assert len(names) == 18 and set(BY_NAME) == names
    assert names <= {d.name for d in DATASETS}
    assert names <= set(list_datasets())  # through the rl.datasets entry point
    assert get_dataset("beir-scifact") is BY_NAME["beir-scifact"]
    for dataset in BEIR_DATASETS:
        name = dataset.name.removeprefix("beir-")
        assert dataset.path == f"retrieval/beir/{name}"
        assert dataset.description and dataset.source is not None
        assert dataset.source.page.startswith("https://")
        assert dataset.source.licence and "arXiv:2104.08663" in dataset.source.citation


def test_14_are_fetchable_pinned_zips_that_place_what_load_beir_reads():
    fetchable = [d for d in BEIR_DATASETS if d.source is not None and not d.source.manual]
    assert len(fetchable) == 14
    for dataset in fetchable:
        name = dataset.name.removeprefix("beir-")
        assert dataset.source is not None and dataset.source.pinned
        (archive,) = dataset.source.archives
        assert archive.url == f"{BASE_URL}/{name}.zip" and archive.kind == "zip"
        assert archive.md5 is not None and len(archive.md5) == 32
        targets = [target for _, target in archive.members]
        assert all(any(Path(t).match(p) for t in targets) for p in dataset.files)
        if name == "cqadupstack":
            assert len(targets) == 36
            assert {t.split("/")[0] for t in targets} == set(CQADUPSTACK_FORUMS)
            continue
        splits = PUBLIC[name]
        expected = ["corpus.jsonl", "queries.jsonl", *(f"qrels/{s}.tsv" for s in splits)]
        assert targets == expected
        assert [suffix for suffix, _ in archive.members] == [f"{name}/{t}" for t in expected]
    scifact = BY_NAME["beir-scifact"].source.archives[0]  # type: ignore[union-attr]
    assert scifact.size == 2_816_079 and scifact.digest == "sha256+md5"
    assert scifact.sha256 == "536e14446a0ba56ed1398ab1055f39fe852686ecad24a6306c80c490fa8e0165"
    assert BY_NAME["beir-nq"].source.archives[0].md5 == "d4d3d2e48787a744b6f6e691ff534307"  # type: ignore[union-attr]


def test_4_are_manual_and_say_why_and_where(tmp_path, monkeypatch):
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path))
    manual = [d for d in BEIR_DATASETS if d.source is not None and d.source.manual]
    assert {d.name.removeprefix("beir-") for d in manual} == MANUAL
    for dataset in manual:
        assert dataset.source is not None and not dataset.source.archives
        assert dataset.source.manual.count(". ") == 0  # one sentence
        with pytest.raises(DownloadError, match="cannot be downloaded by a program") as err:
            download([dataset], progress=False)
        assert dataset.source.page in str(err.value)
        with pytest.raises(DatasetNotFound, match="get it from https://"):
            load_dataset(dataset.name)
    assert "bioasq.org" in BY_NAME["beir-bioasq"].source.manual  # type: ignore[union-attr]
    assert "NIST" in BY_NAME["beir-robust04"].source.licence  # type: ignore[union-attr]


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return out.getvalue()


def _beir_files(prefix: str, splits: tuple[str, ...], doc: str = "wing lift") -> dict[str, str]:
    corpus = "".join(
        json.dumps({"_id": f"d{i}", "title": "", "text": f"{doc} {i}"}) + "\n" for i in range(3)
    )
    files = {
        f"{prefix}/corpus.jsonl": corpus,
        f"{prefix}/queries.jsonl": json.dumps({"_id": "q1", "text": doc}) + "\n",
    }
    for split in splits:
        files[f"{prefix}/qrels/{split}.tsv"] = f"query-id\tcorpus-id\tscore\nq1\td1\t{len(split)}\n"
    return files


def _pinned_to(monkeypatch, name: str, data: bytes) -> Dataset:
    """The registry entry ``name`` with its archive pinned to ``data``'s md5 (and no sha256)."""
    entry = BY_NAME[name]
    assert entry.source is not None
    archive: Archive = entry.source.archives[0]
    md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
    fake = dataclasses.replace(archive, sha256=None, size=None, md5=md5)
    patched = dataclasses.replace(entry, source=dataclasses.replace(entry.source, archives=(fake,)))
    table = [patched if d.name == name else d for d in DATASETS]
    monkeypatch.setattr(core_datasets, "DATASETS", table)
    import rl_shared.data.registry as registry

    monkeypatch.setattr(registry, "list_datasets", lambda: {d.name: d for d in table})
    return patched


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    """An empty data directory and a served folder laid out at BEIR's URL paths."""
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path / "data"))
    served = tmp_path / "served" / "thakur" / "BEIR" / "datasets"
    served.mkdir(parents=True)
    return served


def test_a_fake_scifact_zip_downloads_by_md5_and_loads(mirror, tmp_path, monkeypatch, capsys):
    data = _zip(_beir_files("scifact", ("train", "test")) | {"scifact/README": "extra"})
    (mirror / "scifact.zip").write_bytes(data)
    scifact = _pinned_to(monkeypatch, "beir-scifact", data)
    with serve(tmp_path / "served") as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        main(["data", "download", "beir-scifact", "--json"])
    placed = json.loads(capsys.readouterr().out)["datasets"][0]
    folder = tmp_path / "data" / "retrieval" / "beir" / "scifact"
    assert placed["folder"] == str(folder) and len(placed["placed"]) == 4
    assert server.requests == [("/thakur/BEIR/datasets/scifact.zip", "")]
    assert (
        scifact.locate() == folder and not (tmp_path / "data" / STAGING / "beir-scifact").exists()
    )
    assert load_dataset("beir-scifact").qrels == {"q1": {"d1": 4}}
    assert load_data("beir-scifact:train").qrels == {"q1": {"d1": 5}}


def test_a_corrupted_beir_zip_is_refused_and_nothing_is_placed(mirror, tmp_path, monkeypatch):
    data = _zip(_beir_files("arguana", ("test",)))
    (mirror / "arguana.zip").write_bytes(data)
    arguana = _pinned_to(monkeypatch, "beir-arguana", data)
    with serve(tmp_path / "served", flip_at=len(data) // 2) as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        with pytest.raises(DownloadError, match=r"arguana.zip has md5 .*nothing was placed"):
            download([arguana], progress=False)
    assert not (tmp_path / "data" / "retrieval").exists()


def test_cqadupstack_downloads_as_forums_and_refuses_to_load_whole(mirror, tmp_path, monkeypatch):
    files: dict[str, str] = {}
    for forum in CQADUPSTACK_FORUMS:
        files |= _beir_files(f"cqadupstack/{forum}", ("test",), doc=forum)
    data = _zip(files)
    (mirror / "cqadupstack.zip").write_bytes(data)
    cqa = _pinned_to(monkeypatch, "beir-cqadupstack", data)
    with serve(tmp_path / "served") as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        download([cqa], progress=False)
    folder = tmp_path / "data" / "retrieval" / "beir" / "cqadupstack"
    forums = load_cqadupstack()
    assert list(forums) == list(CQADUPSTACK_FORUMS)
    assert forums["gis"].queries == {"q1": "gis"} and load_cqadupstack(folder)["tex"].corpus
    assert load_data("beir-cqadupstack/tex:test").queries == {"q1": "tex"}
    assert load_dataset("beir-cqadupstack/unix").queries == {"q1": "unix"}
    for call in (lambda: load_dataset("beir-cqadupstack"), lambda: load_data("beir-cqadupstack")):
        with pytest.raises(BadInput, match="load_cqadupstack, or name one as"):
            call()
    with pytest.raises(UnknownName, match="unknown CQADupStack forum 'cooking'"):
        load_data("beir-cqadupstack/cooking")


def test_beir_sets_are_fetched_only_when_named():
    from rl_retrieval.beir.datasets import BEIR_DATASETS

    assert all(d.on_demand for d in BEIR_DATASETS if not d.source.manual)
