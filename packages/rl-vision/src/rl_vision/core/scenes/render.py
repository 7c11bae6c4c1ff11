"""Render a :class:`~rl_vision.core.scenes.layout.Layout` into aligned multi-modal frames.

One pinhole camera (horizontal field of view about 64°, horizon slightly above the
image centre) sees the layout twice: at its pose and ``motion`` metres earlier. The
second look gives the event frame. Every modality comes from one z-buffer, so they are
pixel-aligned by construction:

* ``rgb`` — shaded, textured colour (textures are functions of world coordinates, so
  they move with the scene when the camera moves);
* ``depth`` — metric depth along the optical axis (sky at :data:`MAX_DEPTH`);
* ``event`` — positive / negative event counts from log-intensity changes between the
  previous and the current frame (contrast threshold :data:`EVENT_THRESHOLD`); exactly
  zero when the camera does not move;
* ``lidar`` — metric depth sampled along scan lines (beams at fixed elevations, every
  few columns), 0 where there is no return (sky, beyond :data:`LIDAR_RANGE`);
* ``label`` — class ids of :data:`~rl_vision.core.scenes.layout.CLASSES`.

Example:
    >>> from rl_vision.core.scenes import make_layout, render_scene
    >>> scene = render_scene(make_layout(3), size=32)
    >>> scene.rgb.shape, scene.depth.shape, scene.event.shape, scene.label.shape
    ((3, 32, 32), (1, 32, 32), (2, 32, 32), (32, 32))
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from rl_shared.errors import BadInput
from rl_vision.core.scenes.layout import CLASSES, COLOR_NAMES, CameraPose, Layout, SceneObject

__all__ = [
    "EVENT_THRESHOLD",
    "LIDAR_RANGE",
    "MAX_DEPTH",
    "Camera",
    "Scene",
    "events_from_frames",
    "lidar_from_depth",
    "render_scene",
    "render_view",
]

MAX_DEPTH = 100.0
LIDAR_RANGE = 60.0
EVENT_THRESHOLD = 0.15
_SKY, _ROAD, _SIDEWALK, _TERRAIN = (
    CLASSES.index(c) for c in ("sky", "road", "sidewalk", "terrain")
)


@dataclass(frozen=True)
class Camera:
    """Pinhole intrinsics for a ``height`` x ``width`` image.

    Args:
        height, width: image size in pixels.
        fov_scale: focal length as a fraction of the width (0.8 = about 64° horizontal).
        horizon: horizon row as a fraction of the height.

    Example:
        >>> cam = Camera(32, 40)
        >>> cam.focal, cam.u0, round(cam.v0, 2)
        (32.0, 20.0, 13.44)
        >>> u, v = cam.grid()
        >>> u.shape, float(u[0, 0]), float(v[-1, 0])
        ((32, 40), 0.5, 31.5)
    """

    height: int
    width: int
    fov_scale: float = 0.8
    horizon: float = 0.42

    @property
    def focal(self) -> float:
        return self.fov_scale * self.width

    @property
    def u0(self) -> float:
        return self.width / 2

    @property
    def v0(self) -> float:
        return self.horizon * self.height

    def grid(self) -> tuple[np.ndarray, np.ndarray]:
        """Pixel-centre coordinates ``(u, v)``, each ``(H, W)``."""
        v, u = np.mgrid[0 : self.height, 0 : self.width].astype(np.float64) + 0.5
        return u, v

    def ground_row(self, depth: float, camera_height: float) -> float:
        """Image row where the ground at ``depth`` metres appears."""
        return self.v0 + self.focal * camera_height / depth


@dataclass(frozen=True)
class Scene:
    """Aligned frames of one scene (float32 arrays, channels first).

    Shapes:
        rgb ``(3, H, W)`` in [0, 1]; prev_rgb the frame before; depth ``(1, H, W)`` metres;
        event ``(2, H, W)`` (positive, negative counts); lidar ``(1, H, W)`` metres or 0;
        label ``(H, W)`` int64; instance ``(H, W)`` index into ``layout.objects`` or -1.

    Args:
        rgb: current colour frame.
        prev_rgb: the colour frame before the camera moved.
        depth: metric depth.
        event: event counts between ``prev_rgb`` and ``rgb``.
        lidar: sparse LiDAR depth.
        label: class ids.
        layout: the layout that was rendered.
        condition: name of the applied condition (weather, sensor noise).
        instance: object index per pixel, if known.

    Example:
        >>> from rl_vision.core.scenes.layout import make_layout
        >>> scene = render_scene(make_layout(0), size=16, motion=0.0)
        >>> scene.condition, bool((scene.event == 0).all())
        ('clean', True)
        >>> scene.with_(condition="fog").condition
        'fog'
    """

    rgb: np.ndarray
    prev_rgb: np.ndarray
    depth: np.ndarray
    event: np.ndarray
    lidar: np.ndarray
    label: np.ndarray
    layout: Layout
    condition: str = "clean"
    instance: np.ndarray | None = None

    def with_(self, **changes: object) -> Scene:
        return replace(self, **changes)  # type: ignore[arg-type]


def _silhouette(kind: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Class-specific shape inside the unit box (a: left->right, b: bottom->top)."""
    inside = (a >= 0) & (a <= 1) & (b >= 0) & (b <= 1)
    if kind == "vegetation":
        crown = ((a - 0.5) / 0.5) ** 2 + ((b - 0.65) / 0.35) ** 2 <= 1
        trunk = (np.abs(a - 0.5) < 0.1) & (b < 0.45)
        return inside & (crown | trunk)
    if kind == "person":
        head = ((a - 0.5) / 0.22) ** 2 + ((b - 0.9) / 0.1) ** 2 <= 1
        body = (np.abs(a - 0.5) < 0.4) & (b < 0.8) & ~((np.abs(a - 0.5) < 0.08) & (b < 0.45))
        return inside & (head | body)
    if kind == "car":
        cabin = (np.abs(a - 0.5) < 0.35) & (b >= 0.55)
        body = (b < 0.55) & (b > 0.08)
        wheels = (b <= 0.08) & ((np.abs(a - 0.2) < 0.1) | (np.abs(a - 0.8) < 0.1))
        return inside & (cabin | body | wheels)
    if kind == "fence":
        slats = np.mod(a * 12, 1.0) < 0.55
        return inside & (slats | (b > 0.8))
    return inside


def _object_colour(obj: SceneObject, wx: np.ndarray, wy: np.ndarray) -> np.ndarray:
    base = np.asarray(COLOR_NAMES[obj.color])
    freq, phase = obj.texture
    shade = 0.85 + 0.15 * np.sin(freq * 3.0 * wx + phase) * np.cos(freq * 2.0 * wy)
    if obj.kind == "building":  # windows
        win = (np.sin(2.2 * wx + phase) > 0.3) & (np.sin(2.0 * wy + phase) > 0.2)
        shade = np.where(win, 0.45, shade)
    if obj.kind == "vegetation":
        shade = shade * (0.8 + 0.2 * np.sin(9.0 * wx + 7.0 * wy + phase))
    return shade[..., None] * base


def render_view(
    layout: Layout, camera: Camera, pose: CameraPose
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Render one view: ``rgb (H, W, 3), depth (H, W), label (H, W), instance (H, W)``.

    ``instance`` holds the index of the object in ``layout.objects`` seen at each
    pixel, -1 for ground and sky.

    Args:
        layout: the scene to draw.
        camera: intrinsics and image size.
        pose: where the camera stands.

    Shapes:
        rgb ``(H, W, 3)`` in [0, 1] (float64); depth ``(H, W)`` metres, at most
        :data:`MAX_DEPTH`; label and instance ``(H, W)`` int64.

    Example:
        >>> from rl_vision.core.scenes.layout import make_layout
        >>> rgb, depth, label, inst = render_view(make_layout(2), Camera(16, 16), CameraPose())
        >>> rgb.shape, depth.shape, label.shape, inst.shape
        ((16, 16, 3), (16, 16), (16, 16), (16, 16))
        >>> float(depth.max()) <= MAX_DEPTH, int(label[0, 0]) == CLASSES.index("sky")
        (True, True)
    """
    u, v = camera.grid()
    f, h = camera.focal, layout.camera_height
    below = v > camera.v0 + 1e-6
    depth = np.full(u.shape, MAX_DEPTH)
    ground_z = np.where(below, f * h / np.maximum(v - camera.v0, 1e-6), MAX_DEPTH)
    depth = np.minimum(ground_z, MAX_DEPTH)
    wx = pose.x + (u - camera.u0) * ground_z / f
    wz = pose.z + ground_z
    ax = np.abs(wx)
    label = np.full(u.shape, _SKY, dtype=np.int64)
    instance = np.full(u.shape, -1, dtype=np.int64)
    label[below & (ax < layout.road_half_width)] = _ROAD
    label[below & (ax >= layout.road_half_width)] = _SIDEWALK
    label[below & (ax >= layout.road_half_width + layout.sidewalk_width)] = _TERRAIN
    rgb = np.empty((*u.shape, 3))
    rgb[:] = np.asarray(layout.sky_tint) * (0.9 + 0.1 * (v / camera.height))[..., None]
    tex = 0.9 + 0.1 * np.sin(1.7 * wx) * np.sin(1.3 * wz)
    road = np.asarray([0.3, 0.3, 0.32]) * tex[..., None]
    marks = (np.abs(wx) < 0.12) & (np.mod(wz, 6.0) < 3.0)
    road[marks] = (0.9, 0.9, 0.85)
    colours = {
        _ROAD: road,
        _SIDEWALK: np.asarray([0.62, 0.6, 0.58]) * tex[..., None],
        _TERRAIN: np.asarray([0.42, 0.48, 0.25])
        * (0.8 + 0.2 * np.sin(3.1 * wx + 2.3 * wz))[..., None],
    }
    for cls, col in colours.items():
        m = label == cls
        rgb[m] = col[m]
    for index, obj in enumerate(layout.objects):
        zr = obj.z - pose.z
        if zr < 0.5 or zr >= MAX_DEPTH:
            continue
        xr = obj.x - pose.x
        ul = camera.u0 + f * (xr - obj.width / 2) / zr
        ur = camera.u0 + f * (xr + obj.width / 2) / zr
        vb = camera.v0 + f * h / zr
        vt = camera.v0 + f * (h - obj.height) / zr
        if ur < 0 or ul > camera.width or vb < 0 or vt > camera.height:
            continue
        a = (u - ul) / (ur - ul)
        b = (vb - v) / (vb - vt)
        mask = _silhouette(obj.kind, a, b) & (zr < depth)
        if not mask.any():
            continue
        depth[mask] = zr
        label[mask] = obj.label
        instance[mask] = index
        owx = pose.x + (u[mask] - camera.u0) * zr / f
        owy = h - (v[mask] - camera.v0) * zr / f
        rgb[mask] = _object_colour(obj, owx, owy)
    haze = np.exp(-depth / 250.0)[..., None]
    rgb = np.clip(layout.sun * rgb * haze + np.asarray(layout.sky_tint) * (1 - haze), 0, 1)
    return rgb, depth, label, instance


def events_from_frames(
    prev: np.ndarray, cur: np.ndarray, threshold: float = EVENT_THRESHOLD, max_count: int = 4
) -> np.ndarray:
    """Event frame from two RGB frames ``(3, H, W)``: counts of log-intensity threshold crossings.

    Returns ``(2, H, W)``: positive and negative counts, each divided by ``max_count``.

    Args:
        prev: the earlier RGB frame.
        cur: the current RGB frame.
        threshold: contrast threshold on the log-intensity change.
        max_count: counts are clipped to this and divided by it.

    Shapes:
        prev, cur ``(3, H, W)`` in [0, 1] -> ``(2, H, W)`` float32 in [0, 1].

    Example:
        >>> prev = np.full((3, 2, 2), 0.2)
        >>> cur = prev.copy(); cur[:, 0, 0] = 0.8
        >>> ev = events_from_frames(prev, cur)
        >>> ev.shape, float(ev[0, 0, 0]), float(ev[1].sum())
        ((2, 2, 2), 1.0, 0.0)
    """
    gray = np.asarray([0.299, 0.587, 0.114])[:, None, None]
    lp = np.log((prev * gray).sum(0) + 1e-2)
    lc = np.log((cur * gray).sum(0) + 1e-2)
    diff = lc - lp
    pos = np.clip(np.floor(diff / threshold), 0, max_count)
    neg = np.clip(np.floor(-diff / threshold), 0, max_count)
    return (np.stack([pos, neg]) / max_count).astype(np.float32)


def lidar_from_depth(depth: np.ndarray, camera: Camera, beams: int | None = None) -> np.ndarray:
    """Sparse LiDAR: ``depth`` (H, W) sampled at beam rows (elevations -15°..+3°), every 2nd column.

    Returns ``(1, H, W)`` metres, 0 where there is no sample or no return.

    Args:
        depth: metric depth of the view.
        camera: the camera that saw it (beam rows come from its focal length and horizon).
        beams: number of beam elevations (default ``max(4, H // 4)``).

    Shapes:
        depth ``(H, W)`` -> ``(1, H, W)`` float32.

    Example:
        >>> cam = Camera(16, 16)
        >>> lidar = lidar_from_depth(np.full((16, 16), 10.0), cam)
        >>> lidar.shape, sorted(set(lidar.ravel().tolist()))
        ((1, 16, 16), [0.0, 10.0])
        >>> float(lidar_from_depth(np.full((16, 16), 80.0), cam).max())  # beyond LIDAR_RANGE
        0.0
    """
    beams = beams or max(4, camera.height // 4)
    elev = np.deg2rad(np.linspace(3.0, -15.0, beams))
    rows = np.round(camera.v0 - camera.focal * np.tan(elev) - 0.5).astype(int)
    rows = np.unique(rows[(rows >= 0) & (rows < camera.height)])
    out = np.zeros_like(depth)
    cols = np.arange(0, camera.width, 2)
    sample = depth[np.ix_(rows, cols)]
    out[np.ix_(rows, cols)] = np.where(sample < LIDAR_RANGE, sample, 0.0)
    return out[None].astype(np.float32)


def render_scene(
    layout: Layout,
    size: int | tuple[int, int] = 64,
    *,
    pose: CameraPose | None = None,
    motion: float | None = None,
) -> Scene:
    """Render all modalities of ``layout`` (clean condition).

    Args:
        layout: from :func:`~rl_vision.core.scenes.layout.make_layout`.
        size: ``S`` for ``S x S`` or ``(H, W)``.
        pose: the camera pose of the current frame (default origin).
        motion: metres the camera moved forward since the previous frame; default
            draws 0.6-1.2 m from the layout's seed; 0 gives a static camera (no events).
    """
    hw = (size, size) if isinstance(size, int) else tuple(size)
    if min(hw) < 8:
        raise BadInput(f"scene size must be at least 8 pixels, got {hw}")
    camera = Camera(int(hw[0]), int(hw[1]))
    pose = pose or CameraPose()
    if motion is None:
        motion = float(np.random.default_rng([layout.seed, 7]).uniform(0.6, 1.2))
    rgb, depth, label, instance = render_view(layout, camera, pose)
    prev = rgb
    if motion != 0.0:
        prev, _, _, _ = render_view(layout, camera, CameraPose(pose.x, pose.z - motion))
    rgb_c = rgb.transpose(2, 0, 1).astype(np.float32)
    prev_c = prev.transpose(2, 0, 1).astype(np.float32)
    return Scene(
        rgb=rgb_c,
        prev_rgb=prev_c,
        depth=depth[None].astype(np.float32),
        event=events_from_frames(prev_c, rgb_c),
        lidar=lidar_from_depth(depth, camera),
        label=label,
        layout=layout,
        instance=instance,
    )
