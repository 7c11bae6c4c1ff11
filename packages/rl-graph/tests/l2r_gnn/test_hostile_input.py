"""``rl graph l2r-gnn``: molecule CSVs, graph files and model folders are read strictly;
undefined ROC-AUCs are null in JSON with a warning."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rl_graph.core.models import GINClassifier
from rl_graph.l2r_gnn.molecules import load_molecule_csv
from rl_graph.l2r_gnn.motif import load_graphs, make_spurious_motif, save_graphs
from rl_graph.l2r_gnn.train import load_gin, save_gin
from rl_shared.cli.main import main
from rl_shared.errors import BadInput, MalformedFile
from rl_shared.testing import refused

SMILES = ["CCO", "CCN", "c1ccccc1", "c1ccccc1O", "CCCl", "CC=O", "CCCC", "CCCCN", "C1CC1",
          "C1CCC1O", "c1ccncc1", "CC(C)O"]  # fmt: skip


def _csv(tmp_path, labels=None, name: str = "mols.csv", smiles=SMILES):
    labels = labels if labels is not None else [i % 2 for i in range(len(smiles))]
    path = tmp_path / name
    path.write_text("smiles,label\n" + "".join(f"{s},{y}\n" for s, y in zip(smiles, labels)))
    return path


def _refused(capsys, argv: list[str]) -> str:
    return refused(
        capsys,
        argv,
        prefix=(
            "graph",
            "l2r-gnn",
        ),
        only_line=True,
    )


@pytest.mark.parametrize("label", ["7", "0.7", "-1", "2.0"])
def test_label_outside_the_binary_label_set_is_refused_naming_the_line(tmp_path, label):
    labels = [0, 1, 0, label, 1, 0, 1, 0, 1, 0, 1, 0]
    with pytest.raises(MalformedFile, match=rf"mols\.csv:5: label '{label}' is not 0 or 1"):
        load_molecule_csv(_csv(tmp_path, labels))


@pytest.mark.parametrize("label", ["nan", "inf", "yes"])
def test_a_label_that_is_not_a_finite_number_is_refused(tmp_path, label):
    labels = [0, 1, label, *[i % 2 for i in range(9)]]
    with pytest.raises(MalformedFile, match=r"mols\.csv:4: label '.*' is not a (finite )?number"):
        load_molecule_csv(_csv(tmp_path, labels))


def test_a_smiles_rdkit_cannot_parse_is_refused_naming_the_line(tmp_path):
    smiles = [*SMILES[:5], "c1ccc(", *SMILES[6:]]
    with pytest.raises(
        MalformedFile, match=r"mols\.csv:7: RDKit cannot parse the SMILES 'c1ccc\('"
    ):
        load_molecule_csv(_csv(tmp_path, smiles=smiles))


def test_a_row_with_a_missing_field_or_bytes_not_utf8_names_the_line(tmp_path):
    path = _csv(tmp_path)
    lines = path.read_text().splitlines()
    lines[2] = "CCN"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(MalformedFile, match=r"mols\.csv:3: has 1 fields, the header has 2"):
        load_molecule_csv(path)
    path.write_bytes(b"smiles,label\nCCO,0\nC\xffN,1\n")
    with pytest.raises(MalformedFile, match=r"mols\.csv:3: byte 0xff at column 2"):
        load_molecule_csv(path)


def test_a_csv_with_one_class_is_refused_before_training(tmp_path, capsys):
    out = tmp_path / "run"
    data = _csv(tmp_path, [1] * len(SMILES))
    line = _refused(capsys, ["train", "--data", str(data), "--out", str(out)])
    assert "every label is 1; a binary classifier (and its ROC-AUC) needs" in line
    assert not out.exists()


def test_an_undefined_roc_auc_is_null_in_json_with_a_warning(tmp_path, capsys):
    model = save_gin(GINClassifier(0, 4, 2, num_layers=1, atoms=True), tmp_path / "model",
                     extra={"training": {"split": "size", "seed": 0}})  # fmt: skip
    data = _csv(tmp_path, smiles=SMILES * 2, labels=[i % 2 for i in range(24)])
    assert main(["graph", "l2r-gnn", "evaluate", "--model", str(model), "--data", str(data),
                 "--json"]) == 0  # fmt: skip
    captured = capsys.readouterr()
    metrics = json.loads(captured.out)["metrics"]  # strict JSON: no NaN
    undefined = [k for k, v in metrics.items() if v is None]
    assert undefined, metrics  # the size split's small parts hold one class here
    for key in undefined:
        assert f"warning: {key} is undefined" in captured.err
    assert "error:" not in captured.err


def test_a_graph_file_with_inconsistent_arrays_is_refused(tmp_path):
    path = save_graphs(make_spurious_motif(6, seed=0), tmp_path / "g.npz")
    with np.load(path) as archive:
        arrays = dict(archive)
    arrays["edge_index"] = arrays["edge_index"] + 1000
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(MalformedFile, match=r"bad\.npz: .* an edge points at a node outside"):
        load_graphs(tmp_path / "bad.npz")
    (tmp_path / "junk.npz").write_text("not a zip archive\n")
    with pytest.raises(MalformedFile, match=r"junk\.npz: is not a graph file of `generate`"):
        load_graphs(tmp_path / "junk.npz")


def test_a_folder_where_a_csv_should_be_is_refused(tmp_path, capsys):
    (tmp_path / "mols.csv").mkdir()
    line = _refused(capsys, ["train", "--data", str(tmp_path / "mols.csv"), "--out",
                             str(tmp_path / "run")])  # fmt: skip
    assert "mols.csv: is a folder, where a file was expected" in line


def test_a_model_config_that_builds_no_gin_is_refused(tmp_path):
    folder = save_gin(GINClassifier(0, 4, 2, atoms=True), tmp_path / "model")
    payload = json.loads((folder / "config.json").read_text())
    payload["config"]["model"]["hidden"] = "wide"
    (folder / "config.json").write_text(json.dumps(payload))
    with pytest.raises(MalformedFile, match=r"config\.json: config\.model\.hidden is 'wide'"):
        load_gin(folder)


def test_a_molecule_model_is_refused_on_graphs_before_any_scoring(tmp_path, capsys):
    model = save_gin(GINClassifier(0, 4, 2, atoms=True), tmp_path / "model")
    graphs = tmp_path / "graphs"
    graphs.mkdir()
    save_graphs(make_spurious_motif(6, seed=0), graphs / "spurious-motif.npz")
    line = _refused(capsys, ["evaluate", "--model", str(model), "--data", str(graphs)])
    assert "is a molecule model" in line


def test_evaluate_reads_the_data_before_the_model(tmp_path, capsys):
    data = tmp_path / "mols.csv"
    data.write_text("smiles,label\nCCO,7\n")
    line = _refused(capsys, ["evaluate", "--model", str(tmp_path / "none"), "--data", str(data)])
    assert "mols.csv:2: label '7' is not 0 or 1" in line
    with pytest.raises(BadInput, match="does not exist"):
        load_molecule_csv(tmp_path / "missing.csv")
