"""DELIVER-style adverse conditions and sensor failures for generated scenes.

Conditions change what the sensors see, consistently across modalities:

* ``night`` — RGB darkened with a gamma curve and sensor noise (events pick up the noise);
* ``fog`` — RGB attenuated towards a grey airlight by ``exp(-depth / visibility)``; LiDAR
  loses returns beyond the visibility and gets spurious near returns;
* ``rain`` — darker RGB with rain streaks that differ between frames (spurious events);
  LiDAR drops 30% of its returns;
* ``sun`` — a glare blob saturating part of the RGB image (and its events).

Sensor failures (as in DELIVER's corner cases) break one sensor:
``motion_blur`` (RGB), ``overexposure`` and ``underexposure`` (RGB), ``lidar_jitter``
(LiDAR points moved and their ranges perturbed), ``event_lowres`` (events at 1/4 resolution).

Events are recomputed from the two altered RGB frames, so a condition that changes the
image changes the events the same way a real event camera would see it.

References:
    Zhang et al., "Delivering Arbitrary-Modal Semantic Segmentation" (DELIVER), CVPR 2023,
    arXiv:2303.01480.

Example:
    >>> from rl_vision.core.scenes import make_layout, render_scene
    >>> clean = render_scene(make_layout(0), 32)
    >>> night = apply_condition(clean, "night", seed=0)
    >>> bool(night.rgb.mean() < clean.rgb.mean()), night.condition
    (True, 'night')
"""

from __future__ import annotations

import numpy as np

from rl_shared.errors import UnknownName
from rl_vision.core.scenes.render import LIDAR_RANGE, Scene, events_from_frames

__all__ = ["ADVERSE", "CONDITIONS", "SENSOR_FAILURES", "apply_condition"]

ADVERSE: tuple[str, ...] = ("night", "fog", "rain", "sun")
SENSOR_FAILURES: tuple[str, ...] = (
    "motion_blur",
    "overexposure",
    "underexposure",
    "lidar_jitter",
    "event_lowres",
)
CONDITIONS: tuple[str, ...] = ("clean", *ADVERSE, *SENSOR_FAILURES)


def _rain_streaks(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    streaks = np.zeros((h, w))
    for _ in range(max(4, h * w // 150)):
        r, c = int(rng.integers(0, h)), int(rng.integers(0, w))
        length = int(rng.integers(2, max(3, h // 8)))
        for k in range(length):
            rr, cc = r + k, c + k // 3
            if rr < h and cc < w:
                streaks[rr, cc] = 0.5
    return streaks


def _box_blur_rows(img: np.ndarray, k: int) -> np.ndarray:
    kernel = np.ones(k) / k
    pad = np.pad(img, ((0, 0), (0, 0), (k // 2, k - 1 - k // 2)), mode="edge")
    out = np.empty_like(img)
    for c in range(img.shape[0]):
        for r in range(img.shape[1]):
            out[c, r] = np.convolve(pad[c, r], kernel, mode="valid")
    return out


def apply_condition(scene: Scene, condition: str, seed: int = 0) -> Scene:
    """Return ``scene`` as seen under ``condition`` (deterministic for a seed).

    Args:
        scene: a clean scene from :func:`~rl_vision.core.scenes.render.render_scene`.
        condition: one of :data:`CONDITIONS`.
        seed: seed of the condition's noise.
    """
    if condition not in CONDITIONS:
        raise UnknownName("condition", condition, list(CONDITIONS))
    if condition == "clean":
        return scene
    rng = np.random.default_rng([seed, CONDITIONS.index(condition), scene.layout.seed])
    rgb, prev = scene.rgb.astype(np.float64), scene.prev_rgb.astype(np.float64)
    lidar = scene.lidar.copy()
    depth = scene.depth.astype(np.float64)
    _, h, w = rgb.shape
    if condition == "night":
        rgb, prev = (
            np.clip(0.25 * x**1.6 + rng.normal(0, 0.02, x.shape), 0, 1) for x in (rgb, prev)
        )
    elif condition == "fog":
        visibility = float(rng.uniform(12.0, 25.0))
        t = np.exp(-depth / visibility)
        rgb, prev = (x * t + 0.72 * (1 - t) for x in (rgb, prev))
        far = lidar > 2 * visibility
        lidar[far] = 0.0
        spurious = (lidar > 0) & (rng.random(lidar.shape) < 0.1)
        lidar[spurious] = rng.uniform(1.0, 5.0, int(spurious.sum()))
    elif condition == "rain":
        rgb = np.clip(0.75 * rgb + _rain_streaks(rng, h, w)[None], 0, 1)
        prev = np.clip(0.75 * prev + _rain_streaks(rng, h, w)[None], 0, 1)
        lidar[rng.random(lidar.shape) < 0.3] = 0.0
    elif condition == "sun":
        cy, cx = rng.uniform(0.1, 0.4) * h, rng.uniform(0.2, 0.8) * w
        yy, xx = np.mgrid[0:h, 0:w]
        glare = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * (0.25 * max(h, w)) ** 2))
        rgb, prev = (np.clip(1 - (1 - 1.3 * x) * (1 - glare), 0, 1) for x in (rgb, prev))
    elif condition == "motion_blur":
        k = max(3, w // 10)
        rgb, prev = _box_blur_rows(rgb, k), _box_blur_rows(prev, k)
    elif condition == "overexposure":
        rgb, prev = np.clip(3.0 * rgb, 0, 1), np.clip(3.0 * prev, 0, 1)
    elif condition == "underexposure":
        rgb, prev = (np.clip(0.08 * x + rng.normal(0, 0.01, x.shape), 0, 1) for x in (rgb, prev))
    elif condition == "lidar_jitter":
        rows, cols = np.nonzero(lidar[0])
        values = lidar[0, rows, cols] * (1 + rng.normal(0, 0.05, rows.size))
        rows = np.clip(rows + rng.integers(-2, 3, rows.size), 0, h - 1)
        cols = np.clip(cols + rng.integers(-2, 3, cols.size), 0, w - 1)
        lidar = np.zeros_like(lidar)
        lidar[0, rows, cols] = np.clip(values, 0, LIDAR_RANGE)
    event = events_from_frames(prev.astype(np.float32), rgb.astype(np.float32))
    if condition == "event_lowres":
        f = 4
        hh, ww = (h + f - 1) // f * f, (w + f - 1) // f * f
        padded = np.pad(scene.event, ((0, 0), (0, hh - h), (0, ww - w)))
        low = padded.reshape(2, hh // f, f, ww // f, f).mean(axis=(2, 4))
        event = np.repeat(np.repeat(low, f, 1), f, 2)[:, :h, :w].astype(np.float32)
    return scene.with_(
        rgb=rgb.astype(np.float32),
        prev_rgb=prev.astype(np.float32),
        event=event,
        lidar=lidar.astype(np.float32),
        condition=condition,
    )
