"""Generated multi-modal street scenes (RGB, depth, events, LiDAR, labels) and their captions."""

from rl_vision.core.scenes.layout import (
    CLASSES,
    COLOR_NAMES,
    CameraPose,
    Layout,
    SceneObject,
    make_layout,
)
from rl_vision.core.scenes.render import MAX_DEPTH, Camera, Scene, render_scene

__all__ = [
    "CLASSES",
    "COLOR_NAMES",
    "MAX_DEPTH",
    "Camera",
    "CameraPose",
    "Layout",
    "Scene",
    "SceneObject",
    "make_layout",
    "render_scene",
]
