"""``rl data download`` against a loopback server: verification, resumption, atomic placement.

No test here touches the network: every URL is redirected by ``RL_DATA_MIRROR`` to a server
started on 127.0.0.1 by the test (:mod:`rl_shared.data.loopback`).
"""

from __future__ import annotations

import hashlib
import io
import json
import socket
import tarfile
import zipfile

import pytest

from rl_shared.cli.main import main
from rl_shared.data import Archive, Dataset, RemoteFile, Source, download, github
from rl_shared.data.download import STAGING, fetch
from rl_shared.data.loopback import serve
from rl_shared.errors import BadInput, DatasetNotFound, DownloadError
from rl_shared.testing import refused

BODY = bytes(range(256)) * 40  # 10,240 bytes


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    """An empty data directory, an empty cache, and a served folder holding ``a/b.bin``."""
    served = tmp_path / "served"
    (served / "a").mkdir(parents=True)
    (served / "a" / "b.bin").write_bytes(BODY)
    (served / "a" / "c.txt").write_bytes(b"hello\n")
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def _toy(**changes) -> Dataset:
    files = (
        RemoteFile("https://example.org/a/b.bin", "b.bin", _sha(BODY), len(BODY)),
        RemoteFile("https://example.org/a/c.txt", "sub/c.txt", _sha(b"hello\n"), 6),
    )
    source = Source(files=changes.pop("files", files), page="https://example.org/")
    return Dataset("toy", "sets/toy", ("b.bin", "sub/c.txt"), "a toy set", source=source)


def test_download_verifies_places_and_is_found(dirs, monkeypatch):
    toy = _toy()
    with serve(dirs / "served") as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        placed = download([toy], progress=False)
        again = download([toy], progress=False)
    folder = dirs / "data" / "sets" / "toy"
    assert placed[0].folder == folder and sorted(placed[0].files) == ["b.bin", "sub/c.txt"]
    assert (folder / "b.bin").read_bytes() == BODY and (
        folder / "sub/c.txt"
    ).read_bytes() == b"hello\n"
    assert toy.locate() == folder
    assert again[0].files == [] and sorted(again[0].present) == ["b.bin", "sub/c.txt"]
    assert len(server.requests) == 2  # the second call fetched nothing
    assert not (dirs / "data" / STAGING / "toy").exists()


def test_mirror_keeps_the_path_and_prefixes_its_own(dirs, monkeypatch):
    (dirs / "served" / "m").mkdir()
    (dirs / "served" / "a").rename(dirs / "served" / "m" / "a")
    with serve(dirs / "served") as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url + "/m/")
        download([_toy()], progress=False)
    assert [path for path, _ in server.requests] == ["/m/a/b.bin", "/m/a/c.txt"]


def test_a_cut_transfer_resumes_with_a_range_request(dirs, monkeypatch):
    with serve(dirs / "served", cut_after=4000) as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        download([_toy()], progress=False)
    assert (dirs / "data" / "sets" / "toy" / "b.bin").read_bytes() == BODY
    assert server.requests[:2] == [("/a/b.bin", ""), ("/a/b.bin", "bytes=4000-")]


def test_a_part_left_by_an_earlier_run_is_resumed(dirs, monkeypatch):
    part = dirs / "data" / STAGING / "toy" / "files" / "b.bin.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(BODY[:6000])
    with serve(dirs / "served") as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        download([_toy()], progress=False)
    assert server.requests[0] == ("/a/b.bin", "bytes=6000-")
    assert (dirs / "data" / "sets" / "toy" / "b.bin").read_bytes() == BODY


def test_a_server_that_ignores_ranges_restarts_the_file(dirs, monkeypatch):
    part = dirs / "p" / "b.bin.part"
    part.parent.mkdir()
    part.write_bytes(b"garbage!")
    with serve(dirs / "served", ranges=False) as server:
        fetch(server.url + "/a/b.bin", part, sha256=_sha(BODY), size=len(BODY), progress=False)
    assert part.read_bytes() == BODY and server.requests == [("/a/b.bin", "bytes=8-")]


def test_a_flipped_byte_is_rejected_and_nothing_is_placed(dirs, monkeypatch):
    with serve(dirs / "served", flip_at=5000) as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        with pytest.raises(DownloadError, match=r"has sha256 .*expected .*nothing was placed"):
            download([_toy()], progress=False)
    assert not (dirs / "data" / "sets").exists()
    assert not list((dirs / "data" / STAGING).rglob("*.part"))  # the bad bytes are gone


def test_one_bad_file_places_none_of_the_dataset(dirs, monkeypatch):
    files = (
        RemoteFile("https://example.org/a/c.txt", "c.txt", _sha(b"hello\n"), 6),
        RemoteFile("https://example.org/a/b.bin", "b.bin", _sha(b"other"), len(BODY)),
    )
    with serve(dirs / "served") as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        with pytest.raises(DownloadError):
            download([_toy(files=files)], progress=False)
    assert not (dirs / "data" / "sets").exists()


def test_read_only_data_dir_falls_back_to_the_cache(dirs, monkeypatch):
    blocker = dirs / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RL_DATA_DIR", str(blocker / "data"))  # cannot be created, even by root
    toy = _toy()
    with serve(dirs / "served") as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        placed = download([toy], progress=False)
    assert placed[0].folder == dirs / "cache" / "sets" / "toy" == toy.locate()


def _cli(capsys, *argv: str) -> str:
    return refused(capsys, ["data", "download", *argv], only_line=True)


def _register(monkeypatch, *datasets: Dataset) -> None:
    import rl_shared.cli.data_cmd as data_cmd
    import rl_shared.data.registry as registry

    table = {d.name: d for d in datasets}
    monkeypatch.setattr(registry, "list_datasets", lambda: table)
    monkeypatch.setattr(data_cmd, "list_datasets", lambda: table)


def test_cli_errors_are_one_line_and_exit_2(dirs, monkeypatch, capsys):
    _register(monkeypatch, _toy())
    with serve(dirs / "served") as server:
        (dirs / "served" / "a" / "b.bin").unlink()
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        line = _cli(capsys, "toy")
    assert line.endswith("/a/b.bin answered HTTP 404 Not Found")
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("RL_DATA_MIRROR", f"http://127.0.0.1:{port}")
    assert "cannot reach 127.0.0.1" in _cli(capsys, "toy")
    blocker = dirs / "file"
    blocker.write_text("x")
    monkeypatch.setenv("RL_DATA_DIR", str(blocker / "data"))
    monkeypatch.setenv("RL_CACHE_DIR", str(blocker / "cache"))
    assert "cannot write to the data directory" in _cli(capsys, "toy")
    assert "unknown dataset 'nope'" in _cli(capsys, "nope")
    assert "or pass --all (not both)" in _cli(capsys)
    monkeypatch.setenv("RL_DATA_MIRROR", "ftp://x")
    monkeypatch.setenv("RL_DATA_DIR", str(dirs / "data"))
    assert "RL_DATA_MIRROR must be an http(s):// base URL" in _cli(capsys, "toy")


def test_manual_and_unpinned_datasets_say_what_to_do(dirs, monkeypatch, capsys):
    manual = Dataset(
        "formed",
        "f",
        ("x",),
        "behind a form",
        source=Source(page="https://example.org/form", manual="it needs an account"),
    )
    unpinned = _toy(files=(RemoteFile("https://example.org/a/c.txt", "c.txt", None),))
    _register(monkeypatch, manual, unpinned)
    line = _cli(capsys, "formed")
    assert "cannot be downloaded by a program (it needs an account)" in line
    assert "https://example.org/form" in line
    assert "--allow-unpinned" in _cli(capsys, "toy")
    with serve(dirs / "served") as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        main(["data", "download", "--all", "--allow-unpinned", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert [d["name"] for d in out["datasets"]] == ["toy"]
    assert out["skipped"] == [{"name": "formed", "why": "it needs an account"}]
    with pytest.raises(DatasetNotFound, match=r"get it from https://example.org/form"):
        manual.locate()
    with pytest.raises(DatasetNotFound, match=r"run `rl data download toy`"):
        _toy().locate()


def _deb(members: dict[str, bytes]) -> bytes:
    """A Debian package: an ``ar`` archive holding ``data.tar.xz``."""
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w:xz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo("./" + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    out.write(b"!<arch>\n")
    for name, data in (("debian-binary", b"2.0\n"), ("data.tar.xz", tar_bytes.getvalue())):
        out.write(f"{name + '/':<16}{0:<12}{0:<6}{0:<6}{'100644':<8}{len(data):<10}`\n".encode())
        out.write(data + (b"\n" if len(data) % 2 else b""))
    return out.getvalue()


def test_archives_are_verified_then_their_members_taken(dirs, monkeypatch):
    deb = _deb({"usr/share/wordnet/data.noun": b"noun data", "usr/share/doc/x/copyright": b"(c)"})
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("dict/lexnames", b"00\tadj.all\t3\n")
    (dirs / "served" / "w.deb").write_bytes(deb)
    (dirs / "served" / "w.zip").write_bytes(zipped.getvalue())
    source = Source(
        archives=(
            Archive(
                "https://example.org/w.deb",
                _sha(deb),
                len(deb),
                "deb",
                (("wordnet/data.noun", "data.noun"), ("x/copyright", "LICENSE")),
            ),
            Archive(
                "https://example.org/w.zip",
                _sha(zipped.getvalue()),
                None,
                "zip",
                (("dict/lexnames", "lexnames"),),
            ),
        )
    )
    wn = Dataset("wn", "wn", ("data.noun", "lexnames"), "toy wordnet", source=source)
    with serve(dirs / "served") as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        download([wn], progress=False)
    folder = dirs / "data" / "wn"
    assert (folder / "data.noun").read_bytes() == b"noun data"
    assert (folder / "LICENSE").read_bytes() == b"(c)"
    assert (folder / "lexnames").read_bytes() == b"00\tadj.all\t3\n"
    bad = Archive("https://example.org/w.deb", _sha(deb), len(deb), "deb", (("nope", "nope"),))
    with serve(dirs / "served") as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        with pytest.raises(DownloadError, match="holds 0 members ending in 'nope'"):
            download(
                [Dataset("wn2", "wn2", ("nope",), "", source=Source(archives=(bad,)))],
                progress=False,
            )


def test_github_listing_builds_pinned_raw_urls():
    source = github(
        "o/r",
        "a" * 40,
        f"""
        # a comment
        4 {_sha(b"abcd")} data/x.csv
        ? ? data/big.jsonl
        2 {_sha(b"ab")} LICENSE -> legal/LICENSE
    """,
        strip="data/",
    )
    assert [f.target for f in source.files] == ["x.csv", "big.jsonl", "legal/LICENSE"]
    assert source.files[0].url == f"https://raw.githubusercontent.com/o/r/{'a' * 40}/data/x.csv"
    assert source.size is None and not source.pinned
    assert source.page == f"https://github.com/o/r/tree/{'a' * 40}"


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _beir_like_zip() -> bytes:
    """A zip laid out as BEIR's are: ``toy/corpus.jsonl`` and ``toy/qrels/test.tsv``."""
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("toy/corpus.jsonl", b'{"_id": "d1", "text": "x"}\n' * 400)
        z.writestr("toy/qrels/test.tsv", b"query-id\tcorpus-id\tscore\nq1\td1\t1\n")
    return zipped.getvalue()


def _md5_pinned(md5: str, size: int | None = None) -> Dataset:
    archive = Archive(
        "https://example.org/beir/toy.zip",
        None,
        size,
        "zip",
        (("toy/corpus.jsonl", "corpus.jsonl"), ("toy/qrels/test.tsv", "qrels/test.tsv")),
        md5=md5,
    )
    source = Source(archives=(archive,), page="https://example.org/beir", citation="toy")
    return Dataset("md5toy", "beir/toy", ("corpus.jsonl", "qrels/test.tsv"), "", source=source)


def test_an_md5_pinned_zip_is_verified_and_its_members_placed(dirs, monkeypatch):
    data = _beir_like_zip()
    (dirs / "served" / "beir").mkdir()
    (dirs / "served" / "beir" / "toy.zip").write_bytes(data)
    toy = _md5_pinned(_md5(data))
    assert toy.source is not None and toy.source.pinned and toy.source.digests == ("md5",)
    with serve(dirs / "served", cut_after=len(data) // 2) as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        placed = download([toy], progress=False)  # no allow_unpinned: md5 pins it
    folder = dirs / "data" / "beir" / "toy"
    assert sorted(placed[0].files) == ["corpus.jsonl", "qrels/test.tsv"]
    assert (folder / "qrels" / "test.tsv").read_bytes().endswith(b"q1\td1\t1\n")
    assert (folder / "corpus.jsonl").stat().st_size == 400 * 27
    assert server.requests[:2] == [
        ("/beir/toy.zip", ""),
        ("/beir/toy.zip", f"bytes={len(data) // 2}-"),
    ]
    assert toy.locate() == folder and not (dirs / "data" / STAGING / "md5toy").exists()


def test_a_wrong_md5_is_refused_and_nothing_is_placed(dirs, monkeypatch, capsys):
    data = _beir_like_zip()
    (dirs / "served" / "beir").mkdir()
    (dirs / "served" / "beir" / "toy.zip").write_bytes(data)
    wrong = _md5_pinned(_md5(data + b"!"))
    with serve(dirs / "served") as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        with pytest.raises(DownloadError, match=r"has md5 .*expected .*nothing was placed"):
            download([wrong], progress=False)
        _register(monkeypatch, wrong)
        line = _cli(capsys, "md5toy", "--json")  # --json: no progress bar on stderr
    assert "toy.zip has md5 " in line and line.endswith("nothing was placed")
    assert not (dirs / "data" / "beir").exists()
    assert not list((dirs / "data" / STAGING).rglob("*.part"))


def test_both_digests_are_checked_when_both_are_pinned(dirs, monkeypatch):
    data = _beir_like_zip()
    (dirs / "served" / "beir").mkdir()
    (dirs / "served" / "beir" / "toy.zip").write_bytes(data)
    good = _md5_pinned(_md5(data), size=len(data))
    archive = good.source.archives[0]  # type: ignore[union-attr]
    both = Archive(archive.url, _sha(data), len(data), "zip", archive.members, md5=_md5(b"x"))
    bad = Dataset("both", "beir/both", good.files, "", source=Source(archives=(both,)))
    assert bad.source is not None and bad.source.digests == ("md5", "sha256")
    with serve(dirs / "served") as server:
        monkeypatch.setenv("RL_DATA_MIRROR", server.url)
        with pytest.raises(DownloadError, match=r"has md5 "):
            download([bad], progress=False)
    assert not (dirs / "data" / "beir").exists()


@pytest.mark.parametrize(
    ("sha256", "md5", "problem"),
    [
        (None, None, "needs a sha256 or md5"),
        (None, "A" * 32, "md5 of .* must be 32 lower-case hex digits"),
        (None, "0" * 31, "md5 of .* must be 32 lower-case hex digits"),
        ("0" * 32, None, "sha256 of .* must be 64 lower-case hex digits"),
    ],
)
def test_an_archive_needs_one_well_formed_digest(sha256, md5, problem):
    with pytest.raises(BadInput, match=problem):
        Archive("https://example.org/x.zip", sha256, None, "zip", (), md5=md5)


def test_data_list_shows_what_pins_a_source(dirs, monkeypatch, capsys):
    _register(monkeypatch, _md5_pinned("0" * 32), _toy())
    main(["data", "list", "--json"])
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)["datasets"]}
    assert rows["md5toy"]["digests"] == ["md5"] and rows["md5toy"]["download"] == "pinned"
    assert rows["toy"]["digests"] == ["sha256"]
    main(["data", "list"])
    assert "pinned by md5" in capsys.readouterr().out


def test_download_all_skips_on_demand_datasets(monkeypatch, capsys):
    from rl_shared.cli import data_cmd
    from rl_shared.data import Archive, Dataset, Source

    big = Dataset(
        "toy-big", "toy-big", ("a",), "a large toy", on_demand=True,
        source=Source(archives=(Archive("http://127.0.0.1:1/big.zip", "0" * 64, None, "zip", (("a", "a"),)),)),
    )  # fmt: skip
    monkeypatch.setattr(data_cmd, "list_datasets", lambda: {"toy-big": big})
    monkeypatch.setattr(data_cmd, "download", lambda chosen, **kw: [])
    from rl_shared.cli.main import main

    try:
        main(["data", "download", "--all", "--json"])
    except SystemExit as stop:
        assert stop.code in (0, None)
    out = json.loads(capsys.readouterr().out)
    assert out["skipped"] == [{"name": "toy-big", "why": "fetched only when named (large)"}]
