import numpy as np
import pytest
from PIL import Image

from rl_shared.errors import BadInput, DatasetNotFound, MalformedFile, UnknownName
from rl_vision.any2seg.deliver import DELIVER_CLASSES, DeliverDataset
from rl_vision.any2seg.mcubes import MCubeSDataset


@pytest.fixture
def deliver(make_deliver):
    return make_deliver(("test",))


def test_deliver_reads_every_modality_and_maps_labels(deliver):
    ds = DeliverDataset(deliver, "test")
    assert len(ds) == 4 and len(DELIVER_CLASSES) == 25
    inputs, label = ds[0]
    assert set(inputs) == {"rgb", "depth", "event", "lidar"}
    assert all(
        t.shape == (3, 6, 8) and 0 <= float(t.min()) and float(t.max()) <= 1
        for t in inputs.values()
    )
    raw = np.arange(48).reshape(6, 8) % 26
    expected = np.where(raw == 0, 255, raw - 1)
    np.testing.assert_array_equal(label.numpy(), expected)
    rgb = np.asarray(Image.open(ds.files[0])).transpose(2, 0, 1) / 255.0
    np.testing.assert_allclose(inputs["rgb"].numpy(), rgb, rtol=1e-6)


def test_deliver_filters_and_errors(deliver, tmp_path):
    assert len(DeliverDataset(deliver, "test", ("rgb",), conditions=["night"])) == 2
    assert len(DeliverDataset(deliver, "test", case="000002")) == 2
    with pytest.raises(DatasetNotFound, match="img/train"):
        DeliverDataset(deliver, "train")
    with pytest.raises(BadInput, match="split"):
        DeliverDataset(deliver, "dev")
    with pytest.raises(UnknownName, match="unknown DELIVER modality name 'thermal'"):
        DeliverDataset(deliver, "test", ("thermal",))
    ds = DeliverDataset(deliver, "test", ("rgb", "lidar"))
    ds.path_of(0, "lidar").unlink()
    with pytest.raises(MalformedFile, match="lidar frame"):
        ds[0]


@pytest.fixture
def mcubes(make_mcubes):
    return make_mcubes(("test",))


def test_mcubes_reads_modalities(mcubes):
    root, names = mcubes
    ds = MCubeSDataset(root, "test")
    inputs, label = ds[1]
    assert len(ds) == 2
    assert {m: tuple(t.shape) for m, t in inputs.items()} == {
        "rgb": (3, 5, 7), "aolp": (2, 5, 7), "dolp": (1, 5, 7), "nir": (1, 5, 7),
    }  # fmt: skip
    sin = np.load(root / "polL_aolp_sin" / f"{names[1]}.npy")
    np.testing.assert_allclose(inputs["aolp"][0].numpy(), sin)
    assert label[0, 0] == 255 and label[0, 1] == 1 and label[2, 6] == 20 % 20


def test_mcubes_errors(mcubes):
    root, names = mcubes
    with pytest.raises(DatasetNotFound, match=r"list_folder/train\.txt"):
        MCubeSDataset(root, "train")
    (root / "polL_dolp" / f"{names[0]}.npy").write_bytes(b"not numpy")
    with pytest.raises(MalformedFile, match=r"readable \.npy"):
        MCubeSDataset(root, "test", ("dolp",))[0]
