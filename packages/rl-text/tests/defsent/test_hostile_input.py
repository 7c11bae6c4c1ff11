"""Hostile input to ``rl text defsent train --data``: broken WordNet folders."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import rl_text.defsent.cli  # noqa: F401  (registers defsent-wordnet)
from rl_shared.errors import BadInput, MalformedFile
from rl_shared.formats import get_format
from rl_text.defsent.entries import check_wordnet_folder, load_wordnet_pairs


@pytest.fixture
def wordnet(tmp_path: Path) -> Path:
    return get_format("defsent-wordnet").write_sample(tmp_path)


def _load(folder: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nltk: no multilingual data in this WordNet
        return load_wordnet_pairs(folder)


def test_wordnet_outside_a_corpora_folder_loads(wordnet: Path) -> None:
    """nltk looks up ``corpora/wordnet`` while it starts: a folder laid out otherwise raised
    a bare ``LookupError``."""
    assert wordnet.parent.name != "corpora"
    pairs = _load(wordnet)
    assert ("a domesticated canine", "domestic dog") in pairs and len(pairs) == 7


def test_wordnet_data_not_utf8_names_file_and_line(wordnet: Path) -> None:
    lines = (wordnet / "data.noun").read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b"feline", b"f\xe9line")
    (wordnet / "data.noun").write_bytes(b"\n".join(lines))
    with pytest.raises(MalformedFile, match=r"data.noun:2: byte 0xe9") as err:
        _load(wordnet)
    assert err.value.line == 2


@pytest.mark.parametrize("name", ["data.noun", "index.noun", "lexnames"])
def test_wordnet_file_empty_or_a_folder_is_refused(wordnet: Path, name: str) -> None:
    (wordnet / name).write_text("")
    with pytest.raises(MalformedFile, match=rf"{name}: the file is empty"):
        check_wordnet_folder(wordnet)
    (wordnet / name).unlink()
    (wordnet / name).mkdir()
    with pytest.raises(MalformedFile, match=rf"{name}: is a folder"):
        _load(wordnet)


def test_wordnet_missing_file_is_named(wordnet: Path) -> None:
    (wordnet / "verb.exc").unlink()
    with pytest.raises(BadInput, match=r"no verb.exc"):
        _load(wordnet)


def test_wordnet_garbled_synset_line_is_a_malformed_file(wordnet: Path) -> None:
    (wordnet / "data.noun").write_text("00000000 05 n zz dog\n")
    with pytest.raises(MalformedFile, match=r"data.noun: nltk cannot read its synsets"):
        _load(wordnet)


def test_wordnet_garbled_lexnames_is_a_malformed_file(wordnet: Path) -> None:
    (wordnet / "lexnames").write_text("00 adj.all\n")
    with pytest.raises(MalformedFile, match=r"nltk cannot read this WordNet's index files"):
        _load(wordnet)


def test_defsent_train_broken_wordnet_exits_2_before_out(wordnet: Path, tmp_path, capsys):
    from rl_shared.cli.main import main

    (wordnet / "index.noun").write_bytes(b"cat n 1 0 1 0 00000001  \n\xff\n")
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as stop:
        main(["text", "defsent", "train", "--data", str(wordnet), "--out", str(out)])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "Traceback" not in err
    errors = [line for line in err.splitlines() if "error:" in line]
    assert len(errors) == 1 and "index.noun:2" in errors[0] and not out.exists()
