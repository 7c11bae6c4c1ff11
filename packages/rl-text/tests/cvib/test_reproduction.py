from __future__ import annotations

from click.testing import CliRunner

from rl_shared.data import list_datasets
from rl_shared.reproduce import list_reproductions
from rl_text.cvib.cli import group


def test_semeval14_and_reproductions_registered():
    dataset = list_datasets()["semeval14"]
    assert dataset.path == "absa/semeval14" and "Laptops_Train.xml.seg" in dataset.files
    found = list_reproductions()
    assert found["text.cvib"].datasets == ("semeval14",)
    assert found["text.lowrank-attention"].datasets == ("semeval14",)
    assert found["text.syntactic-domain"].datasets == ("wordnet",)


def test_cvib_group_has_train_and_evaluate():
    result = CliRunner().invoke(group, ["--help"])
    assert result.exit_code == 0 and "train" in result.output and "evaluate" in result.output
