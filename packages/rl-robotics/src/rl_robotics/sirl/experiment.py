"""The SIRL experiment: representations from queries, rewards from preferences, evaluation.

For one simulated person and seed, :func:`run_sirl_experiment` draws a pool of query
trajectories, a test set in the training placements and a test set with the laptop and
the person moved, then for each similarity-query budget ``Q`` compares

| method | representation | reward |
|---|---|---|
| ``sirl`` | triplet loss on ``Q`` answered similarity queries | linear BT on ``P`` preferences |
| ``contrastive`` | self-supervised InfoNCE (noise + time-window augmentations) | linear BT on ``P`` |
| ``task_input`` | none (raw states) | MLP BT on ``Q + P`` preferences (same query budget) |
| ``oracle`` | the true features | linear BT on ``P`` |
| ``random`` | a random, untrained encoder | linear BT on ``P`` |

and records test preference accuracy (training placements and moved objects) and the
linear-probe R² of every true feature from the state representation.

References:
    Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
    arXiv:2301.00810.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from rl_robotics.sirl.evaluation import preference_accuracy, probe_r2
from rl_robotics.sirl.features import FEATURE_SCALES, FEATURES, state_features, trajectory_features
from rl_robotics.sirl.people import (
    SimulatedPerson,
    sample_preference_queries,
    sample_similarity_queries,
    similarity_triplets,
)
from rl_robotics.sirl.representation import StateEncoder, TrainConfig, fit_contrastive, fit_sirl
from rl_robotics.sirl.reward import PreferenceReward, TaskInputReward
from rl_robotics.sirl.trajectories import generate_trajectories
from rl_shared.errors import BadInput

__all__ = ["METHODS", "ExperimentConfig", "run_sirl_experiment"]

METHODS = ("sirl", "contrastive", "task_input", "oracle", "random")
Progress = Callable[[Iterable[Any], str], Iterable[Any]]


@dataclass
class ExperimentConfig:
    """Sizes of one SIRL experiment.

    Args:
        queries: similarity-query budgets to sweep.
        preferences: preference queries for the reward on top of each representation.
        pool: query trajectories; test: trajectories per test set; test_pairs: pairs scored.
        steps: states per trajectory.
        dim: representation size (as many as there are candidate features).
        train: optimisation of SIRL, the contrastive baseline and the task-input reward.
        contrastive_steps: Adam steps of the contrastive baseline.
        cache: cache generated trajectory sets.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> ExperimentConfig(queries=(10, 100)).preferences
        50
    """

    queries: tuple[int, ...] = (50, 100, 200, 500)
    preferences: int = 50
    pool: int = 600
    test: int = 300
    test_pairs: int = 1000
    steps: int = 10
    dim: int = 5
    train: TrainConfig = field(default_factory=TrainConfig)
    contrastive_steps: int = 300
    cache: bool = True


def run_sirl_experiment(
    person: SimulatedPerson,
    config: ExperimentConfig | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    *,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> list[dict[str, Any]]:
    """Run every method at every query budget for one person and seed.

    Args:
        person: the simulated person who answers every query.
        config: the sizes (default :class:`ExperimentConfig`).
        seed: seed of the trajectory sets (``10000 + seed`` for the pool, ``20000 + seed`` and
            ``30000 + seed`` for the tests), the queries, the answers and the learners.
        progress: optional ``(iterable, description) -> iterable`` progress wrapper.
        device: where the learners (SIRL, contrastive, task-input) train: ``auto``, ``cpu``,
            ``cuda[:N]`` or ``mps``.
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of their training.

    Shapes:
        the trajectories are ``(N, config.steps, 23)`` raw states.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Raises:
        BadInput: no query budget, a budget or ``preferences`` below 1, or a ``pool`` smaller
            than the largest budget.

    Returns:
        One record per (method, queries): ``method``, ``queries``, ``seed``, ``accuracy``,
        ``accuracy_moved`` and ``r2_<feature>`` for every feature.

    Example:
        >>> cfg = ExperimentConfig(queries=(20,), preferences=10, pool=30, test=20,
        ...                        test_pairs=50, steps=4, train=TrainConfig(steps=5),
        ...                        contrastive_steps=5, cache=False)
        >>> rows = run_sirl_experiment(SimulatedPerson("table"), cfg)
        >>> sorted({r["method"] for r in rows}) == sorted(METHODS)
        True
    """
    config = config or ExperimentConfig()
    if not config.queries or min(config.queries) < 1 or config.preferences < 1:
        raise BadInput("query budgets and the number of preferences must be positive")
    if config.pool < max(config.queries):
        raise BadInput(
            f"the pool of {config.pool} trajectories is smaller than the {max(config.queries)} "
            "similarity queries drawn from it; give a larger pool or fewer queries"
        )
    rng = np.random.default_rng(seed)
    gen: dict[str, Any] = dict(steps=config.steps, cache=config.cache, progress=progress)
    pool = generate_trajectories(config.pool, region="train", seed=10_000 + seed, **gen)
    tests = {
        "": generate_trajectories(config.test, region="train", seed=20_000 + seed, **gen),
        "_moved": generate_trajectories(config.test, region="moved", seed=30_000 + seed, **gen),
    }
    pool_feats = pool.features()
    test_feats = {k: t.features() for k, t in tests.items()}
    pairs = {k: sample_preference_queries(len(t), config.test_pairs, rng) for k, t in tests.items()}
    probe_states = tests[""].states.reshape(-1, tests[""].states.shape[-1])
    probe_truth = state_features(probe_states)

    pref_pairs = sample_preference_queries(len(pool), config.preferences, rng)
    pref_answers = person.prefers_first(
        pool_feats[pref_pairs[:, 0]], pool_feats[pref_pairs[:, 1]], rng
    )

    def evaluate(method: str, queries: int, embed_traj: Callable, embed_state: Callable) -> dict:
        emb = embed_traj(pool.states)
        reward = PreferenceReward().fit(emb[pref_pairs[:, 0]], emb[pref_pairs[:, 1]], pref_answers)
        row: dict[str, Any] = {"method": method, "queries": queries, "seed": seed}
        for key, test in tests.items():
            scores = reward.score(embed_traj(test.states))
            row[f"accuracy{key}"] = preference_accuracy(scores, test_feats[key], person, pairs[key])
        r2 = probe_r2(embed_state(probe_states), probe_truth, seed=seed)
        row.update({f"r2_{name}": float(v) for name, v in zip(FEATURES, r2)})
        return row

    rows: list[dict[str, Any]] = []
    fixed: dict[str, tuple[Callable, Callable]] = {
        "oracle": (
            lambda s: trajectory_features(s),
            lambda s: state_features(s) / FEATURE_SCALES,
        ),
    }
    rand = StateEncoder(out_dim=config.dim, seed=seed).standardize_on(pool.states)
    fixed["random"] = (rand.embed_trajectories, rand.embed_states)
    contrastive_cfg = TrainConfig(**{**config.train.__dict__, "steps": config.contrastive_steps})
    contrastive = fit_contrastive(
        pool.states, StateEncoder(out_dim=config.dim, seed=seed), contrastive_cfg, seed=seed,
        device=device, precision=precision,
    )  # fmt: skip
    fixed["contrastive"] = (contrastive.embed_trajectories, contrastive.embed_states)
    fixed_rows = {m: evaluate(m, 0, *fns) for m, fns in fixed.items()}

    budgets: Iterable[int] = config.queries
    if progress is not None:
        budgets = progress(budgets, f"query budgets (seed {seed})")
    for q in budgets:
        queries = sample_similarity_queries(len(pool), q, rng)
        odd = person.odd_one_out(pool_feats[queries], rng)
        encoder = fit_sirl(
            pool.states,
            similarity_triplets(queries, odd),
            StateEncoder(out_dim=config.dim, seed=seed),
            config.train,
            seed=seed,
            device=device,
            precision=precision,
        )
        rows.append(evaluate("sirl", q, encoder.embed_trajectories, encoder.embed_states))
        rows.append(
            _task_input(
                person,
                pool,
                pool_feats,
                tests,
                test_feats,
                pairs,
                probe_states,
                probe_truth,
                q + config.preferences,
                q,
                config,
                rng,
                seed,
                device,
                precision,
            )
        )
        rows.extend({**row, "queries": q} for row in fixed_rows.values())
    return rows


def _task_input(
    person: SimulatedPerson,
    pool: Any,
    pool_feats: np.ndarray,
    tests: dict[str, Any],
    test_feats: dict[str, np.ndarray],
    pairs: dict[str, np.ndarray],
    probe_states: np.ndarray,
    probe_truth: np.ndarray,
    budget: int,
    queries: int,
    config: ExperimentConfig,
    rng: np.random.Generator,
    seed: int,
    device: str | torch.device,
    precision: str,
) -> dict[str, Any]:
    """Task-input baseline with the whole query budget spent on preferences."""
    q_pairs = sample_preference_queries(len(pool), budget, rng)
    answers = person.prefers_first(pool_feats[q_pairs[:, 0]], pool_feats[q_pairs[:, 1]], rng)
    reward = TaskInputReward(config=config.train, seed=seed).fit(
        pool.states[q_pairs[:, 0]], pool.states[q_pairs[:, 1]], answers, device=device,
        precision=precision,
    )  # fmt: skip
    row: dict[str, Any] = {"method": "task_input", "queries": queries, "seed": seed}
    for key, test in tests.items():
        row[f"accuracy{key}"] = preference_accuracy(
            reward.score(test.states), test_feats[key], person, pairs[key]
        )
    r2 = probe_r2(reward.embed_states(probe_states), probe_truth, seed=seed)
    row.update({f"r2_{name}": float(v) for name, v in zip(FEATURES, r2)})
    return row
