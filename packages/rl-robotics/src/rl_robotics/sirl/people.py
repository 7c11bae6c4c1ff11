"""Simulated people who answer similarity and preference queries from the features they care about.

A person cares about a subset of :data:`rl_robotics.sirl.features.FEATURES` with a weight each
(default signs: keep the cup low over the ``table``, far from the ``laptop`` and the
``person``, upright for ``coffee``, and slow for ``speed``). Asked which two of three trajectories are most
alike, they compare the trajectories' scaled mean features on their subset (weighted by
``|w|``) and pick a pair with Boltzmann probability ``∝ exp(-β_sim · distance)``; asked which
of two trajectories they prefer, they answer with Bradley–Terry probability
``σ(β_pref · (R(a) - R(b)))`` for their reward ``R = w · φ``. ``rng=None`` gives the noiseless
answers.

References:
    Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
    arXiv:2301.00810.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rl_robotics.sirl.features import FEATURES, feature_index
from rl_shared.errors import BadInput, ShapeMismatch

__all__ = [
    "DEFAULT_WEIGHTS",
    "SimulatedPerson",
    "sample_preference_queries",
    "sample_similarity_queries",
    "similarity_triplets",
]

DEFAULT_WEIGHTS = {"table": -1.0, "laptop": 1.0, "person": 1.0, "coffee": -1.0, "speed": -1.0}
_PAIRS = np.array([[0, 1], [0, 2], [1, 2]])
_ODD = np.array([2, 1, 0])


@dataclass
class SimulatedPerson:
    """A person who cares about some features.

    Args:
        features: names they care about, e.g. ``("laptop", "table")`` or ``"laptop,table"``.
        weights: reward weight per cared feature (default :data:`DEFAULT_WEIGHTS`).
        beta_similarity: rationality of similarity answers.
        beta_preference: rationality of preference answers.

    Shapes:
        :meth:`reward` ``(..., 5)`` -> ``(...)``; :meth:`odd_one_out` ``(Q, 3, 5)`` -> ``(Q,)``;
        :meth:`prefers_first` ``(Q, 5)``, ``(Q, 5)`` -> ``(Q,)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> person = SimulatedPerson("laptop,table")
        >>> feats = np.array([[[0, 0, 0, 0, 0], [0.1, 0.1, 5, 5, 5], [3, 3, 0, 0, 0]]])  # (Q=1, 3, 5)
        >>> person.odd_one_out(feats).tolist()  # 0 and 1 agree on table and laptop
        [2]
    """

    features: tuple[str, ...] | str
    weights: tuple[float, ...] | None = None
    beta_similarity: float = 5.0
    beta_preference: float = 5.0
    index: list[int] = field(init=False)
    w: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.index = feature_index(self.features)
        if not self.index:
            raise BadInput(f"a person must care about at least one of {', '.join(FEATURES)}")
        if len(set(self.index)) < len(self.index):
            twice = sorted({FEATURES[i] for i in self.index if self.index.count(i) > 1})
            raise BadInput(f"a person cares about each feature once; {', '.join(twice)} repeated")
        self.features = tuple(FEATURES[i] for i in self.index)
        weights = self.weights or tuple(DEFAULT_WEIGHTS[n] for n in self.features)
        if len(weights) != len(self.index):
            raise BadInput(f"got {len(weights)} weights for {len(self.index)} features")
        self.w = np.asarray(weights, dtype=np.float64)

    @property
    def spurious(self) -> tuple[str, ...]:
        """The features this person does not care about."""
        return tuple(n for n in FEATURES if n not in self.features)

    def reward(self, features: np.ndarray) -> np.ndarray:
        """Their reward ``w · φ_S`` of scaled trajectory features ``(..., 5)`` -> ``(...)``."""
        return np.asarray(features)[..., self.index] @ self.w

    def odd_one_out(
        self, features: np.ndarray, rng: np.random.Generator | None = None
    ) -> np.ndarray:
        """For each triple, the position (0, 1, 2) of the trajectory unlike the other two.

        Shapes:
            ``(Q, 3, 5)`` scaled trajectory features -> ``(Q,)``.
        """
        features = np.asarray(features, dtype=np.float64)
        if features.ndim != 3 or features.shape[1] != 3:
            raise ShapeMismatch(f"similarity queries need (Q, 3, F) features, got {features.shape}")
        sub = features[..., self.index] * np.abs(self.w)
        dist = np.linalg.norm(sub[:, _PAIRS[:, 0]] - sub[:, _PAIRS[:, 1]], axis=-1)  # (Q, 3)
        if rng is None:
            choice = dist.argmin(axis=1)
        else:
            logits = -self.beta_similarity * (dist - dist.min(axis=1, keepdims=True))
            prob = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
            choice = (rng.random((len(dist), 1)) > prob.cumsum(axis=1)).sum(axis=1)
        return _ODD[np.minimum(choice, 2)]

    def prefers_first(
        self, features_a: np.ndarray, features_b: np.ndarray, rng: np.random.Generator | None = None
    ) -> np.ndarray:
        """Whether they prefer ``a`` over ``b`` (Bradley–Terry; ``rng=None``: noiseless).

        Shapes:
            ``(Q, 5)`` and ``(Q, 5)`` -> ``(Q,)`` bool.
        """
        gap = self.reward(features_a) - self.reward(features_b)
        if rng is None:
            return gap > 0
        return rng.random(gap.shape) < 1.0 / (1.0 + np.exp(-self.beta_preference * gap))


def sample_similarity_queries(n_items: int, n_queries: int, rng: np.random.Generator) -> np.ndarray:
    """``(Q, 3)`` random triples of distinct item indices: the similarity queries to ask.

    Args:
        n_items: trajectories to draw from (at least 3).
        n_queries: queries ``Q``.
        rng: NumPy generator.

    Shapes:
        -> ``(Q, 3)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> sample_similarity_queries(5, 4, np.random.default_rng(0)).shape
        (4, 3)
    """
    if n_items < 3:
        raise BadInput(f"similarity queries need at least 3 trajectories, got {n_items}")
    return np.stack([rng.choice(n_items, 3, replace=False) for _ in range(n_queries)]).reshape(
        -1, 3
    )


def sample_preference_queries(n_items: int, n_queries: int, rng: np.random.Generator) -> np.ndarray:
    """``(Q, 2)`` random pairs of distinct item indices: the preference queries to ask.

    Args:
        n_items: trajectories to draw from (at least 2).
        n_queries: queries ``Q``.
        rng: NumPy generator.

    Shapes:
        -> ``(Q, 2)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> sample_preference_queries(5, 3, np.random.default_rng(0)).shape
        (3, 2)
    """
    if n_items < 2:
        raise BadInput(f"preference queries need at least 2 trajectories, got {n_items}")
    return np.stack([rng.choice(n_items, 2, replace=False) for _ in range(n_queries)]).reshape(
        -1, 2
    )


def similarity_triplets(queries: np.ndarray, odd: np.ndarray) -> np.ndarray:
    """Turn answered queries into ``(anchor, positive, negative)`` index triplets.

    Each answer "``i`` and ``j`` are alike, ``k`` is not" gives ``(i, j, k)`` and ``(j, i, k)``.

    Args:
        queries: the asked triples of trajectory indices.
        odd: the position (0, 1, 2) of the odd one out in each triple.

    Shapes:
        queries ``(Q, 3)``, odd ``(Q,)`` -> ``(2Q, 3)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.


    Example:
        >>> similarity_triplets(np.array([[4, 5, 6]]), np.array([0])).tolist()
        [[5, 6, 4], [6, 5, 4]]
    """
    rows = np.arange(len(queries))
    keep = np.array([[1, 2], [0, 2], [0, 1]])[odd]  # (Q, 2) positions of the alike pair
    i, j, k = queries[rows, keep[:, 0]], queries[rows, keep[:, 1]], queries[rows, odd]
    return np.concatenate([np.stack([i, j, k], 1), np.stack([j, i, k], 1)])
