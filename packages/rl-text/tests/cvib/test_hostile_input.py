"""Hostile input to ``rl text cvib`` / the ABSA loaders: one clean error naming file and line."""

from __future__ import annotations

import json

import pytest

from rl_shared.cli.main import main
from rl_shared.errors import BadInput, DatasetNotFound, MalformedFile, ModelNotFound
from rl_shared.formats import get_format
from rl_text.cvib.data import SEMEVAL14_FILES, load_absa, load_absa_data
from rl_text.cvib.formats import SEG, XML
from rl_text.cvib.model import load_absa_model


def _rl(argv: list[str], capsys) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    return stop.value.code, capsys.readouterr().err.strip().splitlines()


def test_absa_seg_file_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "bad.seg"
    lines = SEG.encode().split(b"\n")
    lines[3] = b"Caf\xe9 $T$ ."  # Latin-1, not UTF-8
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(MalformedFile) as err:
        load_absa_data(str(path))
    assert err.value.line == 4 and "bad.seg:4" in str(err.value) and "UTF-8" in str(err.value)


def test_absa_xml_file_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_bytes(XML.encode().replace(b"window.</text>", b"caf\xe9.</text>"))
    with pytest.raises(MalformedFile) as err:
        load_absa(path)
    assert err.value.line == 11 and "bad.xml:11" in str(err.value)


def test_xml_polarity_outside_the_label_set_names_the_aspect_line(tmp_path):
    path = tmp_path / "toy.xml"
    path.write_text(XML.replace('polarity="neutral"', 'polarity="mixed"'))
    with pytest.raises(MalformedFile) as err:
        load_absa(path)
    assert err.value.line == 13 and "unknown polarity 'mixed'" in str(err.value)


def test_seg_polarity_outside_the_label_set_is_refused(tmp_path):
    path = tmp_path / "toy.seg"
    path.write_text(SEG.replace("\n-1\n", "\n2\n"))
    with pytest.raises(MalformedFile) as err:
        load_absa(path)
    assert err.value.line == 6 and "polarity must be -1, 0 or 1" in str(err.value)


def test_xml_not_well_formed_names_the_parser_line(tmp_path):
    path = tmp_path / "toy.xml"
    path.write_text(XML.replace("</text>\n        <aspectTerms>", "\n        <aspectTerms>", 1))
    with pytest.raises(MalformedFile, match="not well-formed XML") as err:
        load_absa(path)
    assert err.value.line is not None


def test_xml_without_any_polarity_is_refused(tmp_path):
    path = tmp_path / "toy.xml"
    path.write_text("<sentences><sentence><text>Hi.</text></sentence></sentences>\n")
    with pytest.raises(MalformedFile, match="no <aspectTerm>"):
        load_absa(path)


def test_folder_without_the_split_file_is_dataset_not_found(tmp_path):
    with pytest.raises(DatasetNotFound, match=r"Laptops_Train\.xml\.seg"):
        load_absa_data(str(tmp_path), "laptop", "train")


def test_folder_is_checked_whole_before_work(tmp_path):
    folder = get_format("cvib-absa-folder").write_sample(tmp_path)
    test_file = folder / SEMEVAL14_FILES["laptop"]["test"]
    test_file.write_bytes(b"")
    with pytest.raises(MalformedFile) as err:
        load_absa_data(str(folder), "laptop", "train")  # the train split is fine
    assert err.value.path == test_file and "empty" in str(err.value)


def test_missing_data_is_bad_input_naming_it(tmp_path):
    with pytest.raises(BadInput, match=r"nothere\.seg"):
        load_absa_data(str(tmp_path / "nothere.seg"))


def test_model_config_not_utf8_names_its_line(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_bytes(b'{"kind": "text.cvib",\n "config": {"vib": \xff}}\n')
    with pytest.raises(MalformedFile) as err:
        load_absa_model(model)
    assert err.value.line == 2 and "config.json:2" in str(err.value)


def test_model_config_with_wrong_settings_is_malformed(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "encoder").mkdir()
    config = {"kind": "text.cvib", "format": 1, "config": {"vib": "yes", "max_length": 8}}
    (model / "config.json").write_text(json.dumps(config))
    with pytest.raises(MalformedFile, match="'vib' must be true or false"):
        load_absa_model(model)


def test_a_folder_that_is_no_model_says_how_to_make_one(tmp_path):
    with pytest.raises(ModelNotFound, match=r"config\.json.*rl text cvib train"):
        load_absa_model(tmp_path)


def test_evaluate_refuses_broken_data_before_loading_the_model(tmp_path, capsys):
    data = tmp_path / "bad.seg"
    data.write_text("No marker .\nfood\n1\n")
    code, err = _rl(
        ["text", "cvib", "evaluate", "--model", str(tmp_path / "none"), "--data", str(data)],
        capsys,
    )
    assert code == 2 and len(err) == 1 and err[0].startswith("error:") and "bad.seg:1" in err[0]


def test_cvib_model_sample_loads_and_predicts(tmp_path):
    from rl_text.cvib.data import load_seg

    model = load_absa_model(get_format("cvib-model").write_sample(tmp_path))
    examples = load_seg(get_format("cvib-absa-seg").write_sample(tmp_path))
    assert model.gates is not None
    assert all(p in (0, 1, 2) for p in model.predict(examples, pruned=True))
