import numpy as np
import pytest

from rl_shared.errors import UnknownName
from rl_vision.core.scenes import make_layout, render_scene
from rl_vision.core.scenes.conditions import CONDITIONS, apply_condition


@pytest.fixture(scope="module")
def scene():
    return render_scene(make_layout(8), 48)


@pytest.mark.parametrize("condition", CONDITIONS)
def test_conditions_are_deterministic_and_keep_labels(scene, condition):
    a, b = apply_condition(scene, condition, seed=1), apply_condition(scene, condition, seed=1)
    np.testing.assert_array_equal(a.rgb, b.rgb)
    np.testing.assert_array_equal(a.lidar, b.lidar)
    np.testing.assert_array_equal(a.label, scene.label)
    np.testing.assert_array_equal(a.depth, scene.depth)
    assert a.condition == condition and a.rgb.min() >= 0 and a.rgb.max() <= 1


def test_fog_hides_far_things_more(scene):
    fog = apply_condition(scene, "fog", seed=0)
    change = np.abs(fog.rgb - scene.rgb).mean(0)
    near, far = scene.depth[0] < 8, (scene.depth[0] > 40) & (scene.depth[0] < 100)
    assert change[far].mean() > change[near].mean()
    assert (fog.lidar > 0).sum() <= (scene.lidar > 0).sum()


def test_static_camera_in_fog_still_has_no_events():
    static = render_scene(make_layout(8), 48, motion=0.0)
    assert np.all(apply_condition(static, "fog").event == 0)


def test_night_is_dark_and_rain_drops_lidar(scene):
    assert apply_condition(scene, "night").rgb.mean() < 0.5 * scene.rgb.mean()
    assert (apply_condition(scene, "rain").lidar > 0).sum() < (scene.lidar > 0).sum()


def test_event_lowres_is_blockwise_constant(scene):
    ev = apply_condition(scene, "event_lowres").event
    blocks = ev.reshape(2, 12, 4, 12, 4)
    assert np.all(blocks == blocks[:, :, :1, :, :1])


def test_lidar_jitter_moves_points(scene):
    jit = apply_condition(scene, "lidar_jitter", seed=0)
    assert not np.array_equal(jit.lidar, scene.lidar)


def test_unknown_condition(scene):
    with pytest.raises(UnknownName, match="unknown condition 'snow'"):
        apply_condition(scene, "snow")
