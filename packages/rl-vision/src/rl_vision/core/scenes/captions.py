"""Captions of generated scenes: objects, attributes and spatial relations, several templates.

Only objects that are visible in the rendered frame (enough pixels in the instance map)
are described. Each caption picks a template among paraphrases that mention an object's
colour, size, distance and side of the street, or a relation between two objects
("left of", "right of", "in front of", "behind").

Example:
    >>> from rl_vision.core.scenes import make_layout, render_scene
    >>> scene = render_scene(make_layout(1), 64)
    >>> caps = make_captions(scene, 3, seed=0)
    >>> len(caps), caps == make_captions(scene, 3, seed=0)
    (3, True)
"""

from __future__ import annotations

import numpy as np

from rl_vision.core.scenes.layout import SceneObject
from rl_vision.core.scenes.render import Scene

__all__ = ["NOUNS", "make_captions", "visible_objects"]

NOUNS: dict[str, tuple[str, ...]] = {
    "car": ("car", "vehicle", "automobile"),
    "person": ("person", "pedestrian", "man"),
    "vegetation": ("tree", "tree", "bush"),
    "pole": ("pole", "lamp post", "post"),
    "building": ("building", "house", "facade"),
    "fence": ("fence", "railing", "fence"),
}
_MEAN_HEIGHT = {
    "car": 1.55,
    "person": 1.7,
    "vegetation": 5.0,
    "pole": 5.5,
    "building": 13.0,
    "fence": 1.2,
}


def visible_objects(scene: Scene, min_pixels: int = 4) -> list[tuple[SceneObject, int, float]]:
    """Visible objects as ``(object, pixel count, mean image column in [0, 1])``, largest first.

    Args:
        scene: a rendered scene with an instance map (an empty list without one).
        min_pixels: objects covering fewer pixels are left out.

    Example:
        >>> from rl_vision.core.scenes import make_layout, render_scene
        >>> seen = visible_objects(render_scene(make_layout(1), 64))
        >>> counts = [n for _, n, _ in seen]
        >>> counts == sorted(counts, reverse=True), all(0 <= c <= 1 for _, _, c in seen)
        (True, True)
        >>> visible_objects(render_scene(make_layout(1), 64).with_(instance=None))
        []
    """
    if scene.instance is None:
        return []
    ids, counts = np.unique(scene.instance[scene.instance >= 0], return_counts=True)
    width = scene.instance.shape[1]
    out = []
    for i, n in zip(ids.tolist(), counts.tolist()):
        if n >= min_pixels:
            cols = np.nonzero(scene.instance == i)[1]
            out.append((scene.layout.objects[i], n, float(cols.mean() + 0.5) / width))
    return sorted(out, key=lambda t: -t[1])


def _side(col: float) -> str:
    return "left" if col < 0.4 else "right" if col > 0.6 else "middle"


def _describe(rng: np.random.Generator, obj: SceneObject) -> str:
    noun = str(rng.choice(NOUNS[obj.kind]))
    words = []
    if rng.random() < 0.4:
        words.append(
            "tall"
            if obj.height > _MEAN_HEIGHT[obj.kind] * 1.1
            else "small"
            if obj.height < _MEAN_HEIGHT[obj.kind] * 0.9
            else ""
        )
    if obj.kind == "person":  # people are described by their clothes, not their colour
        return " ".join(w for w in [*words, noun, "in", obj.color] if w)
    words.append(obj.color)
    return " ".join(w for w in [*words, noun] if w)


def _caption(rng: np.random.Generator, seen: list[tuple[SceneObject, int, float]]) -> str:
    if not seen:
        return str(
            rng.choice(
                [
                    "an empty street",
                    "a quiet road with nothing on it",
                    "an empty road under the sky",
                ]
            )
        )
    weights = np.asarray([n for _, n, _ in seen], dtype=float) ** 0.5
    first = int(rng.choice(len(seen), p=weights / weights.sum()))
    obj, _, col = seen[first]
    a = _describe(rng, obj)
    side = _side(col)
    where = "in the middle of the picture" if side == "middle" else f"on the {side}"
    dist = (
        "close to the camera"
        if obj.z < 12
        else "far away"
        if obj.z > 30
        else "a bit further down the street"
    )
    others = [s for j, s in enumerate(seen) if j != first]
    template = int(rng.integers(0, 6 if others else 4))
    if template == 0:
        return f"a {a} {where}"
    if template == 1:
        return f"there is a {a} {dist}"
    if template == 2:
        return f"a street with a {a} {where}"
    if template == 3:
        return f"the {a} is {dist} {where}"
    other, _, ocol = others[int(rng.integers(0, len(others)))]
    b = _describe(rng, other)
    if template == 4:
        rel = "left of" if col < ocol else "right of"
        return f"a {a} to the {rel} a {b}"
    rel = "in front of" if obj.z < other.z else "behind"
    return f"a {a} {rel} a {b}"


def make_captions(scene: Scene, n: int = 5, seed: int = 0) -> list[str]:
    """``n`` captions of ``scene`` (deterministic for a seed), lower case, no final period.

    Args:
        scene: a rendered scene; only its visible objects are described.
        n: number of captions.
        seed: seed of the template and word choices (mixed with the layout's seed).
    """
    seen = visible_objects(scene)
    rng = np.random.default_rng([seed, scene.layout.seed])
    return [_caption(rng, seen) for _ in range(n)]
