import pytest

from rl_graph.core.datasets import DATASETS
from rl_shared.data import list_datasets


def test_registered_through_the_entry_point():
    found = list_datasets()
    for dataset in DATASETS:
        assert found[dataset.name] == dataset


@pytest.mark.parametrize("dataset", DATASETS, ids=lambda d: d.name)
def test_present_in_the_data_directory(dataset):
    if not dataset.is_present():
        pytest.skip(f"{dataset.name} is not in $RL_DATA_DIR")
    assert (dataset.locate() / dataset.files[0]).is_file()
