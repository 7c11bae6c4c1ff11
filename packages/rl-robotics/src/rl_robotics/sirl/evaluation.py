"""Evaluation: test preference accuracy of a learned reward and linear-probe R² per feature.

Preference accuracy is the fraction of held-out trajectory pairs ordered as the person's
true (noiseless) reward orders them. The probe fits scikit-learn's ``RidgeCV`` from a
state representation to each ground-truth feature on half of the states and reports
``r2_score`` on the other half: high R² on the features a person cares about means the
representation captured them; high R² on the others (spurious features) means it kept
information the person did not ask for.

References:
    Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
    arXiv:2301.00810.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from sklearn.linear_model import RidgeCV
from sklearn.metrics import r2_score
from sklearn.preprocessing import StandardScaler

from rl_robotics.sirl.features import FEATURES, state_features
from rl_robotics.sirl.people import SimulatedPerson, sample_preference_queries
from rl_shared.errors import ShapeMismatch
from rl_shared.runtime import autocast, resolve_device

if TYPE_CHECKING:
    from rl_robotics.sirl.train import SirlModel
    from rl_robotics.sirl.trajectories import TrajectorySet

__all__ = ["evaluate_model", "preference_accuracy", "probe_r2"]


def preference_accuracy(
    scores: np.ndarray, features: np.ndarray, person: SimulatedPerson, pairs: np.ndarray
) -> float:
    """Fraction of ``pairs`` that the learned ``scores`` order like the person's true reward.

    Args:
        scores: learned reward of each trajectory.
        features: scaled true trajectory features.
        person: whose (noiseless) preferences count.
        pairs: index pairs to compare.

    Shapes:
        scores ``(N,)``; features ``(N, 5)``; pairs ``(Q, 2)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> person = SimulatedPerson("table")
        >>> feats = np.array([[0.0, 0, 0, 0], [1.0, 0, 0, 0]])
        >>> preference_accuracy(np.array([1.0, 0.0]), feats, person, np.array([[0, 1]]))
        1.0
    """
    if len(scores) != len(features):
        raise ShapeMismatch(f"{len(scores)} scores for {len(features)} trajectories")
    truth = person.prefers_first(features[pairs[:, 0]], features[pairs[:, 1]])
    guess = scores[pairs[:, 0]] > scores[pairs[:, 1]]
    return float((truth == guess).mean())


def probe_r2(
    embeddings: np.ndarray, features: np.ndarray, seed: int = 0, max_rows: int = 4000
) -> np.ndarray:
    """Held-out R² of a ridge probe from embeddings to each feature column.

    Args:
        embeddings: state representations.
        features: ground-truth state features.
        seed: seed of the train / test split.
        max_rows: rows used at most (a random subset), to keep it fast.

    Shapes:
        ``(M, d)``, ``(M, F)`` -> ``(F,)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(200, 3))
        >>> r2 = probe_r2(x, np.c_[x[:, 0], rng.normal(size=200)])
        >>> bool(r2[0] > 0.99 and r2[1] < 0.1)
        True
    """
    if len(embeddings) != len(features):
        raise ShapeMismatch(f"{len(embeddings)} embeddings for {len(features)} feature rows")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(embeddings))[:max_rows]
    half = len(order) // 2
    train, test = order[:half], order[half:]
    scaler = StandardScaler().fit(embeddings[train])
    x_train, x_test = scaler.transform(embeddings[train]), scaler.transform(embeddings[test])
    probe = RidgeCV(alphas=np.logspace(-3, 3, 7)).fit(x_train, features[train])
    pred = probe.predict(x_test).reshape(len(test), -1)
    return np.array([r2_score(features[test][:, j], pred[:, j]) for j in range(features.shape[1])])


def evaluate_model(
    model: SirlModel,
    test: TrajectorySet,
    pairs: int = 1000,
    seed: int = 0,
    *,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> dict[str, Any]:
    """Test preference accuracy of a trained model and the probe R² of every feature.

    Args:
        model: a trained (or loaded) :class:`~rl_robotics.sirl.train.SirlModel`.
        test: held-out trajectories (e.g. with the laptop and person moved).
        pairs: random test pairs ordered by the model's person's noiseless reward.
        seed: seed of the pairs and of the probe's split.
        device: where the encoder embeds the states (``auto``, ``cpu``, ``cuda[:N]``,
            ``mps``); it is moved back to the CPU after.
        precision: ``fp32``, or ``bf16`` / ``fp16`` autocast of the encoder.

    Raises:
        BadInput: a bad ``device`` or ``precision``.

    Returns:
        ``{"accuracy", "pairs", "trajectories", "r2": {feature: R²}, "r2_cared",
        "r2_spurious"}``; an undefined value is ``None`` (``r2_spurious`` for a person who
        cares about everything; the R² of a feature constant over the test states).

    Shapes:
        ``test.states``: ``(N, T, 23)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> from rl_robotics.sirl.train import TrainConfig, train_sirl
        >>> from rl_robotics.sirl.trajectories import generate_trajectories
        >>> pool = generate_trajectories(8, steps=3, cache=False)
        >>> model = train_sirl(SimulatedPerson("table"), pool, queries=8, preferences=6,
        ...                    config=TrainConfig(steps=3))
        >>> report = evaluate_model(model, generate_trajectories(6, steps=3, seed=1, cache=False), 20)
        >>> 0.0 <= report["accuracy"] <= 1.0, sorted(report["r2"]) == sorted(FEATURES)
        (True, True)
    """
    where = resolve_device(str(device))
    rng = np.random.default_rng(seed)
    index = sample_preference_queries(len(test), pairs, rng)
    states = test.states.reshape(-1, test.states.shape[-1])
    model.encoder.to(where)
    try:
        with autocast(where, precision):
            scores = model.score(test.states)
            embedded = model.encoder.embed_states(states)
    finally:
        model.encoder.cpu()
    accuracy = preference_accuracy(scores, test.features(), model.person, index)
    r2 = probe_r2(embedded, state_features(states), seed=seed)
    by_name = {name: _defined(float(v)) for name, v in zip(FEATURES, r2)}
    person = model.person
    return {
        "accuracy": accuracy,
        "pairs": pairs,
        "trajectories": len(test),
        "r2": by_name,
        "r2_cared": _mean([by_name[f] for f in person.features]),
        "r2_spurious": _mean([by_name[f] for f in person.spurious]),
    }


def _defined(value: float) -> float | None:
    return value if np.isfinite(value) else None


def _mean(values: list[float | None]) -> float | None:
    """The mean, or ``None`` when there is nothing to average or a value is undefined."""
    known = [v for v in values if v is not None]
    if not values or len(known) < len(values):
        return None
    return float(np.mean(known))
