"""Hostile input to ``rl text disambiguated-skipgram``: one clean error naming file and line."""

from __future__ import annotations

import json

import pytest

import rl_text.disambiguated_skipgram.formats  # noqa: F401  (registers the formats)
from rl_shared.cli.main import main
from rl_shared.errors import MalformedFile
from rl_shared.formats import get_format
from rl_text.disambiguated_skipgram.model import load_skipgram


def _rl(argv: list[str], capsys) -> tuple[int, str, list[str]]:
    try:
        main(argv)
        code = 0
    except SystemExit as stop:
        code = stop.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err.strip().splitlines()


def test_corpus_not_utf8_names_the_line_and_is_not_replaced(tmp_path, capsys):
    corpus = tmp_path / "corpus.txt"
    corpus.write_bytes(b"the bank of the river\nthe bank \xff\xfe of money\n")
    out = tmp_path / "o"
    argv = ["text", "disambiguated-skipgram", "train", "--data", str(corpus), "--out", str(out)]
    code, _, err = _rl(argv, capsys)
    assert code == 2 and len(err) == 1 and err[0].startswith("error:") and "corpus.txt:2" in err[0]
    assert not out.exists()


def test_neighbours_k_beyond_the_vocabulary_is_clamped(tmp_path, capsys):
    model = get_format("disambiguated-skipgram-model").write_sample(tmp_path)
    argv = ["text", "disambiguated-skipgram", "neighbours", "--model", str(model), "bank"]
    code, out, _ = _rl([*argv, "-k", "100000", "--json"], capsys)
    m, vocab = load_skipgram(model)
    senses = json.loads(out)["senses"]
    assert code == 0 and len(senses) == m.senses
    assert all(len(near) == (len(vocab) - 1) * m.senses for near in senses.values())


def test_neighbours_k_zero_is_refused(tmp_path, capsys):
    model = get_format("disambiguated-skipgram-model").write_sample(tmp_path)
    argv = ["text", "disambiguated-skipgram", "neighbours", "--model", str(model), "bank"]
    code, _, err = _rl([*argv, "-k", "0"], capsys)
    assert code == 2 and len(err) == 1 and "-k" in err[0]


def test_induce_a_sentence_without_a_known_word_is_refused(tmp_path, capsys):
    model = get_format("disambiguated-skipgram-model").write_sample(tmp_path)
    argv = ["text", "disambiguated-skipgram", "induce", "--model", str(model), "zzz qqq"]
    code, _, err = _rl(argv, capsys)
    assert code == 2 and len(err) == 1 and "no word of 'zzz qqq'" in err[0]


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [("vocab", "bank", "'vocab' must be"), ("senses", 0, "'senses' must be a positive integer")],
)
def test_model_config_with_wrong_settings_is_malformed(tmp_path, key, value, words):
    folder = get_format("disambiguated-skipgram-model").write_sample(tmp_path)
    payload = json.loads((folder / "config.json").read_text())
    payload["config"][key] = value
    (folder / "config.json").write_text(json.dumps(payload))
    with pytest.raises(MalformedFile, match=words) as err:
        load_skipgram(folder)
    assert err.value.path.name == "config.json"


def test_wordnet_gloss_file_not_utf8_names_the_line_instead_of_replacing(tmp_path):
    from rl_text.disambiguated_skipgram.pseudowords import wordnet_glosses

    for pos in ("noun", "verb", "adj", "adv"):
        (tmp_path / f"data.{pos}").write_text("  1 licence text\n")
    (tmp_path / "data.verb").write_bytes(b"  1 licence\n00000001 29 v 01 run 0 | to go \xe0 pied\n")
    with pytest.raises(MalformedFile) as err:
        wordnet_glosses(tmp_path)
    assert err.value.line == 2 and err.value.path.name == "data.verb"
