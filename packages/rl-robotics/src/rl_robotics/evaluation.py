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

import numpy as np
from sklearn.linear_model import RidgeCV
from sklearn.metrics import r2_score
from sklearn.preprocessing import StandardScaler

from rl_robotics.people import SimulatedPerson
from rl_shared.errors import ShapeMismatch

__all__ = ["preference_accuracy", "probe_r2"]


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
