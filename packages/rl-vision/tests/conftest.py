import numpy as np
import pytest
import torch
from PIL import Image


@pytest.fixture(autouse=True)
def _one_thread():
    """Tiny tensors: one torch thread is faster and deterministic on a loaded machine."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _png(path, arr):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(arr).save(path)


@pytest.fixture
def make_deliver(tmp_path):
    """Builds a fake DELIVER tree: ``make(splits) -> root`` (6x8 frames, 2 conditions x 2)."""

    def make(splits=("test",), conditions=("fog", "night"), frames=("000001", "000002")):
        rng = np.random.default_rng(0)
        root = tmp_path / "DELIVER"
        for split in splits:
            for cond in conditions:
                for frame in frames:
                    rel = f"{split}/{cond}/MAP_1_point1/{frame}"
                    rgb = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)
                    _png(root / "img" / f"{rel}_rgb_front.png", rgb)
                    for m in ("depth", "event", "lidar"):
                        _png(
                            root / m / f"{rel}_{m}_front.png",
                            rng.integers(0, 256, (6, 8, 3), dtype=np.uint8),
                        )
                    sem = np.zeros((6, 8, 3), np.uint8)
                    sem[..., 0] = np.arange(48).reshape(6, 8) % 26  # 0 = void, 1..25 = 0..24
                    _png(root / "semantic" / f"{rel}_semantic_front.png", sem)
        return root

    return make


@pytest.fixture
def make_mcubes(tmp_path):
    """Builds a fake MCubeS tree: ``make(splits) -> (root, names)`` (5x7 frames, 2 a split)."""

    def make(splits=("test",)):
        rng = np.random.default_rng(1)
        root = tmp_path / "MCubeS"
        (root / "list_folder").mkdir(parents=True)
        all_names = []
        for k, split in enumerate(splits):
            names = [f"outscene1208_2_{k:04d}000{i}50" for i in (1, 3)]
            for n in names:
                _png(root / "polL_color" / f"{n}.png", rng.integers(0, 256, (5, 7, 3), np.uint8))
                _png(root / "NIR_warped" / f"{n}.png", rng.integers(0, 256, (5, 7), np.uint8))
                mask = np.full((5, 7), 255, np.uint8)
                mask[0, 0] = 0
                _png(root / "NIR_warped_mask" / f"{n}.png", mask)
                for sub in ("polL_aolp_sin", "polL_aolp_cos", "polL_dolp"):
                    (root / sub).mkdir(parents=True, exist_ok=True)
                    np.save(root / sub / f"{n}.npy", rng.random((5, 7)).astype(np.float32))
                gt = (np.arange(35).reshape(5, 7) % 20).astype(np.uint8)
                _png(root / "GT" / f"{n}.png", gt)
            (root / "list_folder" / f"{split}.txt").write_text("\n".join(names) + "\n")
            all_names += names
        return root, all_names

    return make
