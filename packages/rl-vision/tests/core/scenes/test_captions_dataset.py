import numpy as np
import pytest
import torch

from rl_shared.errors import BadInput, UnknownName
from rl_vision.core.scenes import CameraPose, Layout, SceneObject, make_layout, render_scene
from rl_vision.core.scenes.captions import NOUNS, make_captions, visible_objects
from rl_vision.core.scenes.dataset import make_batch, parse_modalities


def _two_objects() -> Layout:
    left = SceneObject("car", -2.0, 10.0, 2.0, 1.5, "red", (1.0, 0.0))
    right = SceneObject("vegetation", 2.5, 20.0, 3.0, 5.0, "green", (1.0, 0.0))
    return Layout((left, right), 4.0, 2.0, 1.6, 1.0, (0.6, 0.7, 0.9), seed=123)


def test_captions_describe_visible_objects_with_correct_relations():
    scene = render_scene(_two_objects(), 64, pose=CameraPose())
    assert {o.kind for o, _, _ in visible_objects(scene)} == {"car", "vegetation"}
    caps = make_captions(scene, 60, seed=0)
    assert caps == make_captions(scene, 60, seed=0)
    car_words, tree_words = NOUNS["car"], NOUNS["vegetation"]
    checked = 0
    for c in caps:
        assert any(w in c for w in car_words + tree_words)
        for rel in ("to the left of", "to the right of", "in front of", "behind"):
            if f" {rel} " in c:
                first, _second = c.split(f" {rel} ")
                car_first = any(w in first for w in car_words)
                expected = {"to the left of": car_first, "to the right of": not car_first,
                            "in front of": car_first, "behind": not car_first}[rel]  # fmt: skip
                assert expected, c
                checked += 1
    assert checked > 0


def test_parse_modalities():
    assert parse_modalities("lidar, RGB") == ("rgb", "lidar")
    with pytest.raises(UnknownName, match="valid modality names: depth, event, lidar, rgb"):
        parse_modalities("rgb,thermal")
    with pytest.raises(BadInput):
        parse_modalities("")


def test_make_batch_shapes_and_normalisation():
    batch = make_batch([0, 1, 2], 32, "clean")
    assert {m: t.shape[1] for m, t in batch.inputs.items()} == {
        "rgb": 3,
        "depth": 1,
        "event": 2,
        "lidar": 1,
    }
    assert batch.labels.dtype == torch.long and batch.labels.shape == (3, 32, 32)
    assert 0 <= float(batch.inputs["depth"].min()) and float(batch.inputs["depth"].max()) <= 1
    scene = render_scene(make_layout(1), 32)
    np.testing.assert_allclose(batch.inputs["lidar"][1, 0] > 0, scene.lidar[0] > 0)
    sub = batch.index(torch.tensor([2, 0]))
    assert sub.seeds == [2, 0] and torch.equal(sub.labels[1], batch.labels[0])
