"""``rl text gfun train | evaluate | encode`` on a toy two-language file; saved-model round trip."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from click.testing import CliRunner

from rl_shared.cli.main import main
from rl_shared.errors import BadInput, ModelNotFound
from rl_text.gfun import (
    GeneralizedFunnelling,
    MultilingualEmbeddingView,
    PosteriorView,
    SentenceEncoderView,
    WordClassEmbeddingView,
)
from rl_text.gfun.cli import group as gfun

EN = ["good film great plot", "bad film awful plot", "great actors good story", "awful bad acting"]
IT = [
    "buon film grande trama",
    "brutto film pessima trama",
    "grandi attori buona storia",
    "pessima",
]
LABELS = ["pos", "neg", "pos", "neg"]


@pytest.fixture
def labelled(tmp_path):
    rows = [("en", t, y) for t, y in zip(EN * 4, LABELS * 4)]
    rows += [("it", t, y) for t, y in zip(IT * 2, LABELS * 2)]
    path = tmp_path / "docs.tsv"
    path.write_text("lang\ttext\tlabel\n" + "".join("\t".join(r) + "\n" for r in rows))
    return path


def _views():
    return [PosteriorView(), WordClassEmbeddingView(), MultilingualEmbeddingView(dim=4)]


def test_saved_model_predicts_and_encodes_like_the_fitted_one(tmp_path) -> None:
    y = np.array([0, 1, 0, 1] * 4)
    model = GeneralizedFunnelling(2, _views(), class_names=["pos", "neg"])
    model.fit({"en": EN * 4, "it": IT * 4}, {"en": y, "it": y})
    loaded = GeneralizedFunnelling.load(model.save(tmp_path / "m"))
    docs = {"it": IT, "en": EN[:2]}
    assert {k: v.tolist() for k, v in loaded.predict(docs).items()} == {
        k: v.tolist() for k, v in model.predict(docs).items()
    }
    for lang, Z in model.transform(docs).items():
        np.testing.assert_allclose(loaded.transform(docs)[lang], Z)
    manifest = json.loads((tmp_path / "m" / "config.json").read_text())["config"]
    assert manifest["languages"] == ["en", "it"] and manifest["classes"] == ["pos", "neg"]
    assert manifest["views"] == ["posteriors", "wce", "multilingual"]


def test_save_refuses_an_unfitted_model_and_load_a_foreign_folder(tmp_path) -> None:
    with pytest.raises(BadInput, match="fit gFun before saving"):
        GeneralizedFunnelling(2).save(tmp_path / "m")
    assert not (tmp_path / "m").exists()
    with pytest.raises(ModelNotFound, match="not a saved gFun model"):
        GeneralizedFunnelling.load(tmp_path)


def test_sentence_encoder_view_pickles_its_name_not_its_network() -> None:
    view = SentenceEncoderView("some-folder")
    view.model = object()  # a loaded network would be here
    state = pickle.loads(pickle.dumps(view))
    assert state.model is None and state.model_spec == "some-folder"
    with pytest.raises(BadInput, match="cannot be saved"):
        pickle.dumps(SentenceEncoderView(object()))


def test_train_evaluate_encode_from_files(labelled, tmp_path) -> None:
    out = tmp_path / "run"
    run = CliRunner().invoke(
        gfun, ["train", "--data", str(labelled), "--out", str(out), "--views", "XWM", "--json"]
    )
    assert run.exit_code == 0, run.output
    info = json.loads(run.stdout)
    assert info["classes"] == ["neg", "pos"] and info["train_docs"] == {"en": 16, "it": 8}
    assert info["model"] == str(out / "model")
    run = CliRunner().invoke(
        gfun, ["evaluate", "--model", str(out / "model"), "--data", str(labelled), "--json"]
    )
    assert run.exit_code == 0, run.output
    scores = json.loads(run.stdout)["languages"]
    assert scores["en"]["gfun"]["macro_f1"] == 1.0 and scores["it"]["gfun"]["macro_f1"] == 1.0
    unlabelled = tmp_path / "new.csv"
    unlabelled.write_text("lang,text\nit,buon film\nen,awful plot\nit,pessima trama\n")
    run = CliRunner().invoke(
        gfun,
        [
            "encode",
            "--model",
            str(out / "model"),
            "--data",
            str(unlabelled),
            "--out",
            str(tmp_path),
        ],
    )
    assert run.exit_code == 0, run.output
    Z = np.load(tmp_path / "vectors.npy")
    model = GeneralizedFunnelling.load(out / "model")
    expect = model.transform({"it": ["buon film", "pessima trama"], "en": ["awful plot"]})
    np.testing.assert_allclose(Z[[0, 2]], expect["it"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(Z[1], expect["en"][0], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train", "--data", "{missing}", "--out", "{tmp}/m"], "no file at"),
        (["train", "--data", "{nolabel}", "--out", "{tmp}/m"], "lacks the column(s) label"),
        (["train", "--data", "{labelled}", "--out", "{tmp}/m", "--views", "XQ"], "--views"),
        (["evaluate", "--model", "{tmp}"], "not a saved gFun model"),
        (["encode", "--model", "{tmp}", "--data", "{nolabel}", "--out", "{tmp}/z"], "not a saved"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(labelled, tmp_path, capsys, args, message) -> None:
    nolabel = tmp_path / "nolabel.tsv"
    nolabel.write_text("lang\ttext\nen\ta film\n")
    fill = {
        "missing": tmp_path / "absent.tsv",
        "nolabel": nolabel,
        "labelled": labelled,
        "tmp": tmp_path,
    }
    with pytest.raises(SystemExit) as stop:
        main(["text", "gfun", *[a.format(**fill) for a in args]])
    err = capsys.readouterr().err.strip().splitlines()
    assert stop.value.code == 2 and len(err) == 1 and message in err[0]
    assert not (tmp_path / "m").exists() and not (tmp_path / "z").exists()
