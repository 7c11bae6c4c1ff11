"""``rl robotics sirl``: train, evaluate and compare SIRL; generate and render trajectories.

Generated trajectory sets use fixed seed offsets, as :func:`~rl_robotics.sirl.experiment.run_sirl_experiment`
does: the training pool is drawn with ``10000 + seed``, test sets with ``20000 + seed``
(training placements) and ``30000 + seed`` (objects moved), so ``train`` and ``evaluate``
with the same ``--seed`` never share trajectories.

References:
    Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023.
    https://arxiv.org/abs/2301.00810

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import click

from rl_robotics.sirl import formats  # noqa: F401  (registers the formats the options name)
from rl_shared.cli import (
    batch_size_option,
    data_option,
    device_option,
    emit_json,
    json_option,
    lr_option,
    model_option,
    out_option,
    precision_option,
    progress,
    seed_option,
    steps_option,
)

__all__ = ["group"]

#: the candidate features (rl_robotics.sirl.features.FEATURES; kept literal so --help stays light)
FEATURE_NAMES = "table, laptop, person, coffee, speed"
#: seed offset of a generated query pool, and of a generated test set per placement region
POOL_SEED = 10_000
TEST_SEED = {"train": 20_000, "moved": 30_000}

person_option = click.option(
    "--person",
    default="laptop,table",
    show_default=True,
    help=f"Comma-separated features the simulated person cares about: {FEATURE_NAMES}.",
)
preferences_option = click.option(
    "--preferences",
    type=click.IntRange(1),
    default=50,
    show_default=True,
    help="Preference queries for the reward on the learned representation.",
)
pool_option = click.option(
    "--pool",
    type=click.IntRange(3),
    default=600,
    show_default=True,
    help="Trajectories the queries are drawn from (generated in the training placements).",
)


def _check_pool(pool: int, queries: int) -> None:
    """Similarity queries are triples drawn from the pool: refuse a pool smaller than them."""
    if pool < queries:
        raise click.BadParameter(
            f"the pool of {pool} trajectories is smaller than the {queries} similarity "
            "queries drawn from it; raise --pool or lower --queries",
            param_hint="'--pool'",
        )


def _main_process() -> bool:
    """Whether this process writes the outputs (not under ``torchrun``, or its rank 0)."""
    import torch.distributed as dist

    return not (dist.is_available() and dist.is_initialized()) or dist.get_rank() == 0


def _finite_mean(values: list[float]) -> float | None:
    """The mean of ``values``; ``None`` (JSON null) when there are none or one is NaN."""
    if not values or not all(math.isfinite(v) for v in values):
        return None
    return sum(values) / len(values)


def _fmt(value: float | None, digits: int) -> str:
    """A number for the text output, ``-`` for an undefined one."""
    return "-" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


@click.group(name="sirl", short_help="SIRL: what a person cares about, from similarity queries.")
def group() -> None:
    """SIRL (arXiv:2301.00810): features a person cares about, learned from similarity queries."""


@group.command("train", short_help="Train SIRL for a simulated person; save OUT/model/.")
@data_option(
    default="train",
    help="Query trajectories: 'train' or 'moved' (generated in that placement region) "
    "or a .npz file from `rl robotics sirl generate`.",
    formats=("sirl-trajectories",),
)
@out_option(help="Output folder; the trained model goes to OUT/model/.")
@person_option
@click.option(
    "--queries",
    type=click.IntRange(1),
    default=500,
    show_default=True,
    help="Similarity queries the person answers.",
)
@preferences_option
@pool_option
@steps_option(default=300, help="Adam steps of the triplet loss.")
@lr_option(default=3e-3)
@batch_size_option(default=128, help="Triplets per step.")
@device_option()
@precision_option
@seed_option
@json_option
def train(
    data: str,
    out: Path,
    person: str,
    queries: int,
    preferences: int,
    pool: int,
    steps: int,
    lr: float,
    batch_size: int,
    device: str,
    precision: str,
    seed: int,
    as_json: bool,
) -> None:
    """Learn a representation from a simulated person's similarity answers, then their reward."""
    from rl_robotics.sirl.data import load_trajectories
    from rl_robotics.sirl.people import SimulatedPerson
    from rl_robotics.sirl.representation import TrainConfig
    from rl_robotics.sirl.scene import REGIONS
    from rl_robotics.sirl.train import train_sirl
    from rl_shared.errors import BadInput
    from rl_shared.runtime import resolve_device, resolve_precision, threads

    who = SimulatedPerson(person)
    where = resolve_device(device)
    resolve_precision(precision, where)
    generated = data in REGIONS
    if generated:
        _check_pool(pool, queries)
    else:  # a file: read and check it before any work
        trajectories = load_trajectories(data, pool)
        if len(trajectories) < queries:
            raise BadInput(
                f"{data} holds {len(trajectories)} trajectories, fewer than the {queries} "
                "similarity queries drawn from them; give a larger file or fewer --queries"
            )
    if generated:
        trajectories = load_trajectories(
            data, pool, seed=POOL_SEED + seed, progress=progress(as_json)
        )
    config = TrainConfig(steps=steps, lr=lr, batch=batch_size)
    with threads(1):
        model = train_sirl(
            who,
            trajectories,
            queries=queries,
            preferences=preferences,
            config=config,
            seed=seed,
            device=where,
            precision=precision,
        )
    # under torchrun every process holds the same trained model; the main one writes it
    folder = model.save(out / "model") if _main_process() else out / "model"
    report = {
        "model": str(folder),
        "person": list(who.features),
        "device": str(where),
        "precision": precision,
    }
    report.update(model.info)
    if as_json:
        emit_json(report)
        return
    click.echo(
        f"trained SIRL for a person who cares about {', '.join(who.features)} on "
        f"{queries} similarity and {preferences} preference queries ({len(trajectories)} "
        "trajectories)"
    )
    click.echo(
        f"agreement with the training answers: similarity {model.info['triplet_agreement']:.3f}, "
        f"preferences {model.info['preference_agreement']:.3f}"
    )
    click.echo(f"wrote {folder}")


@group.command("evaluate", short_help="Preference accuracy and probe R² of a saved model.")
@model_option(
    default=None,
    help="A model folder written by `rl robotics sirl train` (OUT/model).",
    formats=("sirl-model",),
)
@data_option(
    default="moved",
    help="Test trajectories: 'moved' (laptop and person in unseen places) or 'train' "
    "(generated) or a .npz file.",
    formats=("sirl-trajectories",),
)
@click.option(
    "--test",
    type=click.IntRange(2),
    default=300,
    show_default=True,
    help="Test trajectories to generate (ignored for a file).",
)
@click.option(
    "--pairs",
    type=click.IntRange(1),
    default=1000,
    show_default=True,
    help="Test pairs ordered by the person's true reward.",
)
@device_option()
@precision_option
@seed_option
@json_option
def evaluate(
    model: str,
    data: str,
    test: int,
    pairs: int,
    device: str,
    precision: str,
    seed: int,
    as_json: bool,
) -> None:
    """Preference accuracy and feature-probe R² of a trained model on held-out trajectories."""
    from rl_robotics.sirl.data import load_trajectories
    from rl_robotics.sirl.evaluation import evaluate_model
    from rl_robotics.sirl.scene import REGIONS
    from rl_robotics.sirl.train import SirlModel
    from rl_shared.errors import BadInput
    from rl_shared.runtime import resolve_device, resolve_precision, threads

    resolve_precision(precision, resolve_device(device))
    if data not in REGIONS:  # a file: read and check it before the model is loaded
        trajectories = load_trajectories(data, test)
        if len(trajectories) < 2:
            raise BadInput(
                f"{data} holds {len(trajectories)} trajectory; test pairs need at least 2"
            )
    trained = SirlModel.load(model)
    if data in REGIONS:
        trajectories = load_trajectories(
            data, test, seed=TEST_SEED[data] + seed, progress=progress(as_json)
        )
    with threads(1):
        report = evaluate_model(
            trained, trajectories, pairs=pairs, seed=seed, device=device, precision=precision
        )
    report = {"model": model, "data": data, "person": list(trained.person.features), **report}
    if as_json:
        emit_json(report)
        return
    click.echo(
        f"person cares about {', '.join(trained.person.features)}; {len(trajectories)} test "
        f"trajectories ({data}), {pairs} pairs"
    )
    click.echo(f"preference accuracy: {report['accuracy']:.3f}")
    click.echo(
        "probe R2: "
        + ", ".join(f"{name} {_fmt(value, 2)}" for name, value in report["r2"].items())
        + f" (cared {_fmt(report['r2_cared'], 2)}, spurious {_fmt(report['r2_spurious'], 2)})"
    )


@group.command("compare", short_help="SIRL vs contrastive, task-input, oracle, random.")
@person_option
@click.option(
    "--queries",
    type=click.IntRange(1),
    default=500,
    show_default=True,
    help="Similarity queries for SIRL (task-input gets this many extra preferences).",
)
@click.option(
    "--seeds", type=click.IntRange(1), default=3, show_default=True, help="Seeds to average."
)
@preferences_option
@pool_option
@click.option(
    "--test",
    type=click.IntRange(2),
    default=300,
    show_default=True,
    help="Trajectories in each test set (training placements, moved objects).",
)
@steps_option(default=300, help="Adam steps of each learner.")
@device_option()
@precision_option
@seed_option
@json_option
def compare(
    person: str,
    queries: int,
    seeds: int,
    preferences: int,
    pool: int,
    test: int,
    steps: int,
    device: str,
    precision: str,
    seed: int,
    as_json: bool,
) -> None:
    """Compare SIRL with contrastive, task-input, oracle and random features over seeds."""
    from rl_robotics.sirl.experiment import METHODS, ExperimentConfig, run_sirl_experiment
    from rl_robotics.sirl.people import SimulatedPerson
    from rl_robotics.sirl.representation import TrainConfig
    from rl_shared.reproduce.stats import mean_std
    from rl_shared.runtime import resolve_device, resolve_precision, threads

    who = SimulatedPerson(person)
    resolve_precision(precision, resolve_device(device))
    _check_pool(pool, queries)
    config = ExperimentConfig(
        queries=(queries,),
        preferences=preferences,
        pool=pool,
        test=test,
        train=TrainConfig(steps=steps),
        contrastive_steps=steps,
    )
    rows: list[dict[str, Any]] = []
    with threads(1):
        for s in progress(as_json)(range(seed, seed + seeds), "seeds"):
            rows.extend(
                run_sirl_experiment(who, config, seed=s, device=device, precision=precision)
            )
    table = {}
    for m in METHODS:
        mine = [r for r in rows if r["method"] == m]
        accuracy, accuracy_std = mean_std([r["accuracy"] for r in mine])
        moved, moved_std = mean_std([r["accuracy_moved"] for r in mine])
        table[m] = {
            "accuracy": accuracy,
            "accuracy_std": accuracy_std,
            "accuracy_moved": moved,
            "accuracy_moved_std": moved_std,
            "r2_cared": _finite_mean([r[f"r2_{f}"] for r in mine for f in who.features]),
            "r2_spurious": _finite_mean([r[f"r2_{f}"] for r in mine for f in who.spurious]),
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
            f"{m:<12} {_fmt(v['accuracy'], 3):>9} {_fmt(v['accuracy_moved'], 3):>9} "
            f"{_fmt(v['r2_cared'], 3):>9} {_fmt(v['r2_spurious'], 3):>9}"
        )


@group.command("generate", short_help="Random Panda trajectories into OUT/trajectories.npz.")
@data_option(
    default="train",
    help="Placement region of the laptop and person: 'train' or 'moved'.",
)
@out_option(help="Output folder; the set is written to OUT/trajectories.npz.")
@click.option(
    "--trajectories",
    "n",
    type=click.IntRange(1),
    default=300,
    show_default=True,
    help="Trajectories to generate.",
)
@click.option(
    "--horizon",
    type=click.IntRange(2),
    default=10,
    show_default=True,
    help="States per trajectory.",
)
@seed_option
@json_option
def generate(data: str, out: Path, n: int, horizon: int, seed: int, as_json: bool) -> None:
    """Generate random Panda trajectories (PyBullet IK) into OUT/trajectories.npz."""
    from rl_robotics.sirl.data import save_trajectories
    from rl_robotics.sirl.scene import REGIONS
    from rl_robotics.sirl.trajectories import generate_trajectories
    from rl_shared.errors import BadInput

    if data not in REGIONS:
        raise BadInput(f"--data must be a placement region ({', '.join(REGIONS)}), got '{data}'")
    trajectories = generate_trajectories(
        n, steps=horizon, region=data, seed=seed, cache=False, progress=progress(as_json)
    )
    path = save_trajectories(trajectories, out / "trajectories.npz")
    if as_json:
        emit_json({"out": str(path), "trajectories": n, "horizon": horizon, "region": data})
    else:
        click.echo(f"wrote {n} trajectories ({data} placements) to {path}")


@group.command("render", short_help="Draw the scene and cup paths into OUT/scene.png.")
@out_option(help="Output folder; the picture is written to OUT/scene.png.")
@data_option(
    default="train",
    help="Trajectories to draw: 'train' or 'moved' (generated) or a .npz file.",
    formats=("sirl-trajectories",),
)
@click.option(
    "--trajectories",
    "n",
    type=click.IntRange(1),
    default=6,
    show_default=True,
    help="Trajectories to draw (the first ones of a file).",
)
@seed_option
@json_option
def render(out: Path, data: str, n: int, seed: int, as_json: bool) -> None:
    """Draw the scene and a few trajectories' cup paths into OUT/scene.png."""
    from rl_robotics.sirl.data import load_trajectories
    from rl_robotics.sirl.render import render_scene

    trajectories = load_trajectories(data, n, seed=seed, cache=False)
    shown = trajectories.subset(slice(0, n))
    path = render_scene(shown, out / "scene.png")
    if as_json:
        emit_json({"out": str(path), "trajectories": len(shown), "data": data, "seed": seed})
    else:
        click.echo(f"wrote {path}")
