"""``rl robotics``: run the SIRL comparison for a simulated person; render the scene.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import numpy as np

from rl_robotics.features import FEATURES
from rl_shared.cli import emit_json, json_option, seed_option

__all__ = ["group"]


@click.group(name="robotics")
def group() -> None:
    """SIRL on a PyBullet Panda scene: features people care about, from similarity queries."""


@group.command()
@click.option(
    "--queries",
    type=click.IntRange(1),
    default=500,
    show_default=True,
    help="Similarity queries for SIRL (task-input gets this many extra preferences).",
)
@click.option(
    "--person",
    default="laptop,table",
    show_default=True,
    help=f"Comma-separated features the simulated person cares about: {', '.join(FEATURES)}.",
)
@click.option(
    "--seeds", type=click.IntRange(1), default=3, show_default=True, help="Seeds to average."
)
@click.option(
    "--preferences",
    type=click.IntRange(1),
    default=50,
    show_default=True,
    help="Preference queries for the reward on each representation.",
)
@click.option(
    "--pool", type=click.IntRange(3), default=600, show_default=True, help="Query trajectories."
)
@click.option(
    "--test",
    type=click.IntRange(2),
    default=300,
    show_default=True,
    help="Trajectories in each test set (training placements, moved objects).",
)
@click.option(
    "--steps",
    "train_steps",
    type=click.IntRange(1),
    default=300,
    show_default=True,
    help="Adam steps of each learner.",
)
@seed_option
@json_option
def sirl(
    queries: int,
    person: str,
    seeds: int,
    preferences: int,
    pool: int,
    test: int,
    train_steps: int,
    seed: int,
    as_json: bool,
) -> None:
    """Compare SIRL with contrastive, task-input, oracle and random features."""
    import torch

    from rl_robotics.experiment import METHODS, ExperimentConfig, run_sirl_experiment
    from rl_robotics.people import SimulatedPerson
    from rl_robotics.representation import TrainConfig

    torch.set_num_threads(1)
    who = SimulatedPerson(person)
    config = ExperimentConfig(
        queries=(queries,),
        preferences=preferences,
        pool=pool,
        test=test,
        train=TrainConfig(steps=train_steps),
        contrastive_steps=train_steps,
    )
    rows: list[dict[str, Any]] = []
    for s in range(seed, seed + seeds):
        if not as_json:
            click.echo(f"seed {s} ...", err=True)
        rows.extend(run_sirl_experiment(who, config, seed=s))
    table = {}
    for m in METHODS:
        mine = [r for r in rows if r["method"] == m]
        table[m] = {
            "accuracy": float(np.mean([r["accuracy"] for r in mine])),
            "accuracy_moved": float(np.mean([r["accuracy_moved"] for r in mine])),
            "r2_cared": float(np.mean([r[f"r2_{f}"] for r in mine for f in who.features])),
            "r2_spurious": float(np.mean([r[f"r2_{f}"] for r in mine for f in who.spurious]))
            if who.spurious
            else float("nan"),
        }
    if as_json:
        emit_json(
            {
                "person": list(who.features),
                "queries": queries,
                "seeds": seeds,
                "seed": seed,
                "methods": table,
            }
        )
        return
    click.echo(f"person cares about {', '.join(who.features)}; {queries} queries; {seeds} seeds")
    click.echo(f"{'method':<12} {'accuracy':>9} {'moved':>9} {'R2 cared':>9} {'R2 spur.':>9}")
    for m, v in table.items():
        click.echo(
            f"{m:<12} {v['accuracy']:>9.3f} {v['accuracy_moved']:>9.3f} "
            f"{v['r2_cared']:>9.3f} {v['r2_spurious']:>9.3f}"
        )


@group.command()
@click.option("--out", required=True, type=click.Path(path_type=Path), help="PNG to write.")
@click.option("--trajectories", "n", type=click.IntRange(1), default=6, show_default=True)
@click.option("--region", type=click.Choice(["train", "moved"]), default="train", show_default=True)
@seed_option
@json_option
def render(out: Path, n: int, region: str, seed: int, as_json: bool) -> None:
    """Draw the scene and a few random trajectories into a PNG."""
    from rl_robotics.render import render_scene
    from rl_robotics.trajectories import generate_trajectories

    path = render_scene(generate_trajectories(n, region=region, seed=seed, cache=False), out)
    if as_json:
        emit_json({"out": str(path), "trajectories": n, "region": region, "seed": seed})
    else:
        click.echo(f"wrote {path}")
