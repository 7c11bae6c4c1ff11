import pytest

from rl_graph.l2r_gnn.molecules import (
    featurise,
    load_molecule_csv,
    load_molecules,
    murcko_scaffold,
    scaffold_split,
    size_split,
)
from rl_shared.errors import MalformedFile, UnknownName

SMILES = [
    "c1ccccc1O",
    "c1ccccc1N",
    "c1ccccc1CC",
    "c1ccccc1C(=O)O",  # benzene scaffold x4
    "C1CCCCC1O",
    "C1CCCCC1N",  # cyclohexane x2
    "c1ccncc1C",
    "c1ccncc1O",  # pyridine x2
    "CCO",
    "CCCN",  # acyclic (empty scaffold) x2
]


def test_scaffold_split_shares_no_scaffold_and_covers_everything():
    train, valid, test = scaffold_split(SMILES, (0.6, 0.2, 0.2))
    assert sorted(train + valid + test) == list(range(len(SMILES)))
    scaffolds = [{murcko_scaffold(SMILES[i]) for i in part} for part in (train, valid, test)]
    assert not (scaffolds[0] & scaffolds[1]) and not (scaffolds[0] & scaffolds[2])
    assert not (scaffolds[1] & scaffolds[2])
    assert murcko_scaffold("c1ccccc1O") in scaffolds[0]  # the largest scaffold set trains


def test_size_split_orders_by_atoms():
    graphs = featurise(SMILES, [0, 1] * 5)
    train, _, test = size_split([g.num_nodes for g in graphs])
    assert max(graphs[i].num_nodes for i in train) <= min(graphs[i].num_nodes for i in test)


def test_featurise_skips_unparsable_smiles():
    graphs = featurise(["CCO", "not-a-smiles", "C1CC"], [1, 0, 1])
    assert [g.smiles for g in graphs] == ["CCO"] and graphs[0].x.shape == (3, 9)


def test_loader_errors_name_file_and_line(tmp_path):
    (tmp_path / "BBBP.csv").write_text(",target,smiles\r\n,1,CCO\r\n,x,CCN\r\n")
    with pytest.raises(MalformedFile, match=r"BBBP.csv:3: label 'x'"):
        load_molecules("bbbp", folder=tmp_path)
    (tmp_path / "bace.csv").write_text("smi,Class\nCCO,1\n")
    with pytest.raises(MalformedFile, match=r"bace.csv:1: header"):
        load_molecules("bace", folder=tmp_path)
    with pytest.raises(UnknownName, match="valid molecule datasets: bace, bbbp, hiv"):
        load_molecules("tox21", folder=tmp_path)


def test_stratified_subsample(tmp_path):
    rows = "".join(f"{'C' * (i % 7 + 1)},{int(i < 20)}\n" for i in range(100))
    (tmp_path / "HIV.csv").write_text("smiles,target\n" + rows)
    smiles, labels = load_molecules("hiv", limit=50, folder=tmp_path)
    assert len(smiles) == 50 and sum(labels) == 10


def test_csv_of_your_own(tmp_path):
    (tmp_path / "mine.csv").write_text("id,SMILES,p_np\n1,CCO,1\n2,CCN,0\n")
    assert load_molecule_csv(tmp_path / "mine.csv") == (["CCO", "CCN"], [1, 0])
    with pytest.raises(MalformedFile, match=r"mine\.csv:1: header"):
        load_molecule_csv(tmp_path / "mine.csv", label_col="activity")
