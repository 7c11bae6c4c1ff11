"""The registered sources hold: ``rl data download`` rebuilds ``../shared/data`` from a mirror.

The files of ``../shared/data`` (byte-for-byte copies of the public repositories the
registry pins) are laid out at the URL paths of their sources and served on 127.0.0.1;
``RL_DATA_MIRROR`` points ``rl data download`` at that server. Every pinned sha256 and size of
every member's registry is thereby checked against the bytes, and the datasets the README's
commands need are placed into an empty data directory. No test here touches the network.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rl_shared.data import list_datasets
from rl_shared.data.loopback import lay_out_mirror, serve

RL = [sys.executable, "-m", "rl_shared.cli.main"]
SHARED = Path(
    os.environ.get("RL_DATA_DIR", Path(__file__).resolve().parents[2] / "shared" / "data")
)
README_SETS = ["stsb", "sick", "cranfield", "semeval14", "groceries"]

needs_shared = pytest.mark.skipif(
    not (SHARED / "sts" / "stsb").is_dir(), reason="../shared/data is not present"
)


def test_every_registered_source_is_well_formed():
    for dataset in list_datasets().values():
        source = dataset.source
        assert source is not None, f"{dataset.name} names no source"
        assert source.page.startswith("https://"), dataset.name
        assert source.licence and (source.citation or source.manual), dataset.name
        targets = [f.target for f in source.files] + [
            t for a in source.archives for _, t in a.members
        ]
        assert len(targets) == len(set(targets)), dataset.name
        if not source.manual:  # what the loader needs is what the source places
            for pattern in dataset.files:
                assert any(Path(t).match(pattern) for t in targets), (dataset.name, pattern)


def _pinned_plain() -> list:
    """Datasets fetched as plain pinned files only, the ones a shared-data mirror can serve."""
    return [
        d
        for d in list_datasets().values()
        if d.source and not d.source.manual and d.source.pinned and not d.source.archives
    ]


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    root = tmp_path_factory.mktemp("mirror")
    count = lay_out_mirror(_pinned_plain(), SHARED, root)
    with serve(root) as server:
        yield server, count


def _rl(tmp_path: Path, url: str, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "RL_DATA_DIR": str(tmp_path / "data"),
        "RL_CACHE_DIR": str(tmp_path / "cache"),
        "RL_DATA_MIRROR": url,
    }
    return subprocess.run([*RL, *argv], capture_output=True, text=True, env=env, timeout=600)


@needs_shared
def test_readme_datasets_download_into_an_empty_data_dir(mirror, tmp_path):
    server, _ = mirror
    proc = _rl(tmp_path, server.url, "data", "download", *README_SETS, "--json")
    assert proc.returncode == 0, proc.stderr
    placed = {d["name"]: d for d in json.loads(proc.stdout)["datasets"]}
    assert sorted(placed) == sorted(README_SETS)
    datasets = list_datasets()
    for name in README_SETS:
        folder = tmp_path / "data" / datasets[name].path
        assert placed[name]["folder"] == str(folder)
        for target in placed[name]["placed"]:
            assert (folder / target).read_bytes() == (
                SHARED / datasets[name].path / target
            ).read_bytes()
    check = _rl(tmp_path, server.url, "data", "check", "--json")
    present = {d["name"] for d in json.loads(check.stdout)["datasets"] if d["present"]}
    assert set(README_SETS) <= present
    assert not list((tmp_path / "data").rglob("*.part"))


@needs_shared
def test_every_pinned_checksum_matches_the_shared_copy(mirror, tmp_path):
    server, count = mirror
    names = [d.name for d in _pinned_plain()]
    proc = _rl(tmp_path, server.url, "data", "download", *names, "--json")
    assert proc.returncode == 0, proc.stderr  # a wrong sha256 or size in any registry fails here
    rows = {d["name"]: d for d in json.loads(proc.stdout)["datasets"]}
    datasets = list_datasets()
    for name in names:
        row, source = rows[name], datasets[name].source
        assert sorted(row["placed"] + row["present"]) == sorted(f.target for f in source.files)
    assert (
        sum(len(r["placed"]) for r in rows.values())
        == len({(datasets[n].path, f.target) for n in names for f in datasets[n].source.files})
        <= count
    )


@needs_shared
@pytest.mark.slow
def test_eval_sts_on_downloaded_stsb_gives_the_published_figure(mirror, tmp_path):
    server, _ = mirror
    assert _rl(tmp_path, server.url, "data", "download", "stsb").returncode == 0
    proc = _rl(
        tmp_path,
        server.url,
        "text",
        "eval-sts",
        "--model",
        "minilm",
        "--data",
        "stsb:test",
        "--json",
    )
    assert proc.returncode == 0, proc.stderr
    assert round(json.loads(proc.stdout)["spearman"], 4) == 0.8203


@needs_shared
def test_reproduce_download_fetches_what_the_reproduction_lacks(mirror, tmp_path):
    server, _ = mirror
    out = tmp_path / "reports"
    proc = _rl(
        tmp_path,
        server.url,
        "reproduce",
        "retrieval.beir.cranfield",
        "--download",
        "--smoke",
        "--out",
        str(out),
        "--json",
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [r["status"] for r in json.loads(proc.stdout)["reproductions"]] == ["ok"]
    assert (tmp_path / "data" / "retrieval" / "cranfield" / "cran.qry").is_file()
