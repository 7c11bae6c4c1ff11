"""Pictures of the scene: a PyBullet camera image with trajectories drawn over it.

References:
    Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
    arXiv:2301.00810.
"""

from __future__ import annotations

from pathlib import Path

from rl_robotics.sirl.features import STATE_SLICES
from rl_robotics.sirl.scene import Placement, TableScene
from rl_robotics.sirl.trajectories import TrajectorySet
from rl_shared.errors import BadInput
from rl_shared.plotting import save_figure, subplots

__all__ = ["render_scene"]


def render_scene(
    trajectories: TrajectorySet, out: str | Path, width: int = 480, height: int = 360
) -> Path:
    """Write a PNG of the scene (first trajectory's placement) with every cup path drawn on it.

    Args:
        trajectories: paths to draw; the laptop and person are placed as in the first one.
        out: PNG path (written atomically).
        width: image width in pixels.
        height: image height in pixels.

    Shapes:
        ``trajectories.states``: ``(N, T, 23)``; the camera image is ``(height, width, 3)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> from rl_robotics.sirl.trajectories import generate_trajectories
        >>> import tempfile, os
        >>> path = render_scene(generate_trajectories(2, steps=4, cache=False),
        ...                     os.path.join(tempfile.mkdtemp(), "scene.png"), 96, 72)
        >>> path.read_bytes()[:4] == b"\\x89PNG"
        True
    """
    out = Path(out)
    if out.suffix.lower() != ".png":
        raise BadInput(f"the picture is written as PNG; give a path ending in .png, got {out}")
    first = trajectories.states[0, 0]
    placement = Placement(
        tuple(first[STATE_SLICES["laptop"]]), tuple(first[STATE_SLICES["person"]])
    )
    with TableScene(placement) as scene:
        scene.set_joints(first[STATE_SLICES["joints"]])
        image = scene.render(width, height)
        paths = [
            scene.project(t[:, STATE_SLICES["ee_pos"]], width, height) for t in trajectories.states
        ]
    fig, ax = subplots(figsize=(width / 100, height / 100), dpi=100)
    ax.imshow(image)
    for i, uv in enumerate(paths):
        ax.plot(uv[:, 0], uv[:, 1], "-", lw=1.5, color=f"C{i % 10}")
        ax.plot(uv[0, 0], uv[0, 1], "o", ms=3, color=f"C{i % 10}")
    ax.set_axis_off()
    ax.set_title("Panda, table, laptop (dark) and person (blue); cup paths", fontsize=8)
    fig.tight_layout()
    return save_figure(fig, out, dpi=100)
