"""Procedural 2.5D street layouts: ground, buildings, vegetation, sky, vehicles, people, poles.

A layout is a list of upright objects standing on a flat ground plane in front of a
pinhole camera. Each object is a camera-facing slab (a "billboard" with a class-specific
silhouette) at a lateral position ``x`` and a distance ``z`` from the camera, so every
pixel's depth is known exactly. :mod:`rl_vision.core.scenes.render` turns a layout into
aligned RGB, depth, event and LiDAR frames; :mod:`rl_vision.core.scenes.captions` describes it.

Example:
    >>> layout = make_layout(0)
    >>> layout == make_layout(0), len(CLASSES)
    (True, 10)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "CLASSES",
    "COLOR_NAMES",
    "CameraPose",
    "Layout",
    "SceneObject",
    "make_layout",
]

#: label id -> class name (index is the label value in the label maps)
CLASSES: tuple[str, ...] = (
    "road",
    "sidewalk",
    "building",
    "fence",
    "pole",
    "vegetation",
    "terrain",
    "sky",
    "person",
    "car",
)

#: named colours objects are painted with (RGB in [0, 1]); captions use the names
COLOR_NAMES: dict[str, tuple[float, float, float]] = {
    "red": (0.75, 0.15, 0.12),
    "blue": (0.15, 0.25, 0.7),
    "green": (0.2, 0.55, 0.2),
    "white": (0.85, 0.85, 0.82),
    "black": (0.12, 0.12, 0.13),
    "grey": (0.5, 0.5, 0.5),
    "yellow": (0.85, 0.75, 0.2),
    "brown": (0.45, 0.3, 0.18),
}

_OBJECT_COLOURS: dict[str, tuple[str, ...]] = {
    # deliberately overlapping palettes: colour alone does not tell the class
    "building": ("grey", "brown", "white", "red", "yellow"),
    "fence": ("grey", "brown", "white", "black"),
    "pole": ("grey", "black", "white"),
    "vegetation": ("green", "brown", "yellow"),
    "person": ("red", "blue", "black", "white", "yellow", "green"),
    "car": ("red", "blue", "white", "black", "grey", "yellow", "green"),
}


@dataclass(frozen=True)
class SceneObject:
    """One upright object: a camera-facing slab standing on the ground.

    Args:
        kind: class name from :data:`CLASSES` (not road, sidewalk, terrain or sky).
        x: lateral centre in metres (right positive).
        z: distance from the camera in metres.
        width: width in metres.
        height: height in metres.
        color: colour name from :data:`COLOR_NAMES`.
        texture: (frequency, phase) of the object's procedural texture.

    Example:
        >>> car = SceneObject("car", x=1.0, z=10.0, width=1.8, height=1.5, color="red",
        ...                   texture=(1.0, 0.0))
        >>> car.label, CLASSES[car.label]
        (9, 'car')
    """

    kind: str
    x: float
    z: float
    width: float
    height: float
    color: str
    texture: tuple[float, float]

    @property
    def label(self) -> int:
        return CLASSES.index(self.kind)


@dataclass(frozen=True)
class CameraPose:
    """Camera position on the ground plane (the camera looks along +z).

    Args:
        x: lateral position in metres (right positive).
        z: position along the street in metres.

    Example:
        >>> CameraPose(), CameraPose(z=-1.0).z
        (CameraPose(x=0.0, z=0.0), -1.0)
    """

    x: float = 0.0
    z: float = 0.0


@dataclass(frozen=True)
class Layout:
    """A generated scene: objects, ground extents and lighting parameters.

    Args:
        objects: the upright objects.
        road_half_width: the road spans ``|x| < road_half_width``.
        sidewalk_width: sidewalks flank the road; terrain lies beyond them.
        camera_height: camera height above the ground in metres.
        sun: direction-free brightness of the scene (0.7 to 1.1).
        sky_tint: RGB of the sky.
        seed: the seed that generated it.
        extras: free-form numbers attached to the layout (not compared).

    Example:
        >>> layout = make_layout(5)
        >>> layout.seed, all(o.kind in CLASSES for o in layout.objects)
        (5, True)
        >>> 3.0 <= layout.road_half_width <= 5.0
        True
    """

    objects: tuple[SceneObject, ...]
    road_half_width: float
    sidewalk_width: float
    camera_height: float
    sun: float
    sky_tint: tuple[float, float, float]
    seed: int
    extras: dict[str, float] = field(default_factory=dict, compare=False)


def _obj(
    rng: np.random.Generator, kind: str, x: float, z: float, w: float, h: float
) -> SceneObject:
    color = str(rng.choice(_OBJECT_COLOURS[kind]))
    texture = (float(rng.uniform(0.5, 3.0)), float(rng.uniform(0, 2 * np.pi)))
    return SceneObject(kind, float(x), float(z), float(w), float(h), color, texture)


def make_layout(seed: int) -> Layout:
    """Draw a street scene from ``seed`` (deterministic).

    Buildings line both sides beyond the sidewalks, trees and poles stand on the
    sidewalks, fences on the terrain, cars on the road and people on sidewalks or road.

    Args:
        seed: any integer.
    """
    rng = np.random.default_rng(seed)
    road = float(rng.uniform(3.0, 5.0))
    side = float(rng.uniform(1.5, 3.0))
    objects: list[SceneObject] = []
    for sign in (-1.0, 1.0):
        z = float(rng.uniform(4.0, 10.0))
        while z < 60.0:
            w = float(rng.uniform(6.0, 14.0))
            if rng.random() < 0.8:
                x = sign * (road + side + rng.uniform(1.0, 6.0) + w / 2)
                objects.append(_obj(rng, "building", x, z, w, rng.uniform(6.0, 20.0)))
            z += w * float(rng.uniform(0.7, 1.4))
        for _ in range(int(rng.integers(0, 4))):
            x = sign * (road + side * float(rng.uniform(0.3, 0.8)))
            kind = "vegetation" if rng.random() < 0.6 else "pole"
            zz = float(rng.uniform(4.0, 40.0))
            if kind == "vegetation":
                objects.append(_obj(rng, kind, x, zz, rng.uniform(1.5, 4.0), rng.uniform(3.0, 7.0)))
            else:
                objects.append(_obj(rng, kind, x, zz, 0.3, rng.uniform(4.0, 7.0)))
        if rng.random() < 0.5:
            x = sign * (road + side + rng.uniform(0.3, 1.0))
            objects.append(
                _obj(rng, "fence", x, rng.uniform(5.0, 30.0), rng.uniform(4.0, 12.0), 1.2)
            )
    for _ in range(int(rng.integers(0, 4))):
        x = float(rng.uniform(-road + 1.0, road - 1.0))
        objects.append(
            _obj(
                rng, "car", x, rng.uniform(5.0, 35.0), rng.uniform(1.7, 2.1), rng.uniform(1.3, 1.8)
            )
        )
    for _ in range(int(rng.integers(0, 5))):
        on_road = rng.random() < 0.3
        x = (
            float(rng.uniform(-road, road))
            if on_road
            else float(rng.choice([-1.0, 1.0]) * (road + rng.uniform(0.2, side)))
        )
        objects.append(
            _obj(
                rng,
                "person",
                x,
                rng.uniform(3.0, 25.0),
                rng.uniform(0.5, 0.8),
                rng.uniform(1.5, 1.9),
            )
        )
    sky = tuple(
        float(v) for v in np.clip(np.array([0.55, 0.7, 0.92]) + rng.normal(0, 0.05, 3), 0, 1)
    )
    return Layout(
        objects=tuple(objects),
        road_half_width=road,
        sidewalk_width=side,
        camera_height=float(rng.uniform(1.4, 1.8)),
        sun=float(rng.uniform(0.7, 1.1)),
        sky_tint=sky,  # type: ignore[arg-type]
        seed=seed,
    )
