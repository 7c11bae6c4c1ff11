import numpy as np
import pytest

from rl_shared.errors import BadInput
from rl_vision.core.scenes import CLASSES, MAX_DEPTH, Camera, make_layout, render_scene
from rl_vision.core.scenes.render import LIDAR_RANGE, events_from_frames


def test_generation_is_deterministic_by_seed():
    a, b = render_scene(make_layout(5), 48), render_scene(make_layout(5), 48)
    for field in ("rgb", "prev_rgb", "depth", "event", "lidar", "label", "instance"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    c = render_scene(make_layout(6), 48)
    assert not np.array_equal(a.rgb, c.rgb)


def test_any_size():
    scene = render_scene(make_layout(1), (40, 72))
    assert scene.rgb.shape == (3, 40, 72) and scene.label.shape == (40, 72)
    with pytest.raises(BadInput, match="at least 8"):
        render_scene(make_layout(1), 4)


@pytest.mark.parametrize("seed", [0, 3, 11])
def test_depth_and_labels_agree_with_layout(seed):
    layout = make_layout(seed)
    scene = render_scene(layout, 64)
    cam = Camera(64, 64)
    depth, label, inst = scene.depth[0], scene.label, scene.instance
    v = np.arange(64) + 0.5
    ground = inst < 0
    sky = label == CLASSES.index("sky")
    # sky: above the horizon, at the far plane
    assert np.all(depth[sky] == pytest.approx(MAX_DEPTH))
    assert np.all(v[np.nonzero(sky)[0]] <= cam.v0)
    # ground: depth = f * h / (v - v0), clipped at the far plane
    rows, cols = np.nonzero(ground & ~sky)
    expected = np.minimum(cam.focal * layout.camera_height / (v[rows] - cam.v0), MAX_DEPTH)
    np.testing.assert_allclose(depth[rows, cols], expected, rtol=1e-5)
    # objects: every pixel of an object has its distance and its class
    assert (inst >= 0).any()
    for i in np.unique(inst[inst >= 0]):
        obj = layout.objects[i]
        np.testing.assert_allclose(depth[inst == i], obj.z, rtol=1e-5)
        assert np.all(label[inst == i] == CLASSES.index(obj.kind))


def test_lidar_samples_depth_on_scan_lines():
    scene = render_scene(make_layout(2), 64)
    lidar, depth = scene.lidar[0], scene.depth[0]
    hit = lidar > 0
    assert 0.02 < hit.mean() < 0.3
    np.testing.assert_allclose(lidar[hit], depth[hit], rtol=1e-6)
    assert np.all(lidar[hit] < LIDAR_RANGE)
    # no returns from the sky; returns only on a few rows (scan lines), every second column
    assert not np.any(hit & (scene.label == CLASSES.index("sky")))
    assert len(np.unique(np.nonzero(hit)[0])) <= 16
    assert np.all(np.nonzero(hit)[1] % 2 == 0)


def test_events_are_zero_for_a_static_camera_and_not_for_a_moving_one():
    static = render_scene(make_layout(4), 48, motion=0.0)
    assert np.all(static.event == 0)
    moving = render_scene(make_layout(4), 48, motion=1.0)
    assert moving.event.sum() > 0


def test_events_sign_follows_brightness_change():
    dark, bright = np.full((3, 2, 2), 0.2, np.float32), np.full((3, 2, 2), 0.6, np.float32)
    ev = events_from_frames(dark, bright)
    assert np.all(ev[0] > 0) and np.all(ev[1] == 0)
    ev = events_from_frames(bright, dark)
    assert np.all(ev[1] > 0) and np.all(ev[0] == 0)
