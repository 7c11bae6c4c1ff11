"""Rewards learned from preference queries (Bradley–Terry).

:class:`PreferenceReward` is a linear reward on a fixed representation: the Bradley–Terry
model ``P(a ≻ b) = σ(θ·(e(a) - e(b)))`` is logistic regression without intercept on
embedding differences, so it is fitted with scikit-learn's ``LogisticRegression`` (both
orderings of each answered pair are used, so the fit is symmetric). :class:`TaskInputReward`
is the task-input baseline: an MLP reward on raw states, trajectory reward = mean state
reward, trained end to end with the Bradley–Terry likelihood.

References:
    Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
    arXiv:2301.00810. Bradley & Terry, Biometrika 1952.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from torch import nn

from rl_robotics.sirl.features import STATE_DIM
from rl_robotics.sirl.representation import StateEncoder, TrainConfig, _step, rank_rows
from rl_shared.errors import BadInput, ShapeMismatch
from rl_shared.runtime import make_accelerator

__all__ = ["PreferenceReward", "TaskInputReward"]


def _check_pairs(a: np.ndarray, b: np.ndarray, prefer_a: np.ndarray) -> np.ndarray:
    if a.shape != b.shape or len(a) != len(prefer_a):
        raise ShapeMismatch(
            f"preference pairs disagree in shape: {a.shape}, {b.shape} and {len(prefer_a)} answers"
        )
    if len(a) == 0:
        raise BadInput("need at least one answered preference query")
    return np.asarray(prefer_a, dtype=bool)


class PreferenceReward:
    """Linear Bradley–Terry reward on embeddings.

    Args:
        c: inverse L2 strength of the logistic regression.

    References:
        Bradley & Terry, "Rank Analysis of Incomplete Block Designs", Biometrika 1952;
        Bobu et al., "SIRL", HRI 2023, arXiv:2301.00810.

    Shapes:
        ``fit``: ``(Q, d)``, ``(Q, d)``, ``(Q,)``; ``score``: ``(N, d)`` -> ``(N,)``.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> a, b = rng.normal(size=(50, 3)), rng.normal(size=(50, 3))
        >>> prefer = (a - b) @ [1.0, 0.0, 0.0] > 0
        >>> r = PreferenceReward().fit(a, b, prefer)
        >>> float(((r.score(a) > r.score(b)) == prefer).mean()) > 0.9
        True
    """

    def __init__(self, c: float = 1.0) -> None:
        self.c = c
        self.scaler = StandardScaler()
        self.theta = np.zeros(0)

    def fit(self, emb_a: np.ndarray, emb_b: np.ndarray, prefer_a: np.ndarray) -> PreferenceReward:
        """Fit ``θ`` to answered pairs."""
        prefer_a = _check_pairs(emb_a, emb_b, prefer_a)
        self.scaler.fit(np.concatenate([emb_a, emb_b]))
        diff = self.scaler.transform(emb_a) - self.scaler.transform(emb_b)
        x = np.concatenate([diff, -diff])
        y = np.concatenate([prefer_a, ~prefer_a]).astype(int)
        model = LogisticRegression(C=self.c, fit_intercept=False, max_iter=1000)
        self.theta = model.fit(x, y).coef_[0]
        return self

    def score(self, emb: np.ndarray) -> np.ndarray:
        """Reward of each embedded trajectory."""
        if not len(self.theta):
            raise BadInput("the reward is not fitted yet; call fit() first")
        return self.scaler.transform(emb) @ self.theta

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The fitted reward as arrays: ``theta``, the embedding ``mean`` and ``scale``."""
        if not len(self.theta):
            raise BadInput("the reward is not fitted yet; call fit() first")
        return {"theta": self.theta, "mean": self.scaler.mean_, "scale": self.scaler.scale_}

    @classmethod
    def from_arrays(
        cls, theta: np.ndarray, mean: np.ndarray, scale: np.ndarray, c: float = 1.0
    ) -> PreferenceReward:
        """Rebuild a fitted reward from :meth:`to_arrays`.

        Example:
            >>> rng = np.random.default_rng(0)
            >>> a, b = rng.normal(size=(20, 2)), rng.normal(size=(20, 2))
            >>> r = PreferenceReward().fit(a, b, a[:, 0] > b[:, 0])
            >>> back = PreferenceReward.from_arrays(**r.to_arrays())
            >>> bool(np.allclose(back.score(a), r.score(a)))
            True
        """
        theta, mean, scale = (np.asarray(x, dtype=np.float64).ravel() for x in (theta, mean, scale))
        if not (len(theta) == len(mean) == len(scale)) or len(theta) == 0:
            raise ShapeMismatch(
                f"theta, mean and scale must have one equal, non-zero length, got "
                f"{len(theta)}, {len(mean)} and {len(scale)}"
            )
        reward = cls(c=c)
        reward.scaler.mean_, reward.scaler.scale_, reward.scaler.var_ = mean, scale, scale**2
        reward.scaler.n_features_in_ = len(mean)
        reward.scaler.n_samples_seen_ = 1
        reward.theta = theta
        return reward


class TaskInputReward:
    """Task-input baseline: an MLP reward on raw states trained from preferences alone.

    Args:
        hidden: width of the two hidden layers (the second is the "representation" probed).
        config: optimisation settings (``steps``, ``batch``, ``lr``, ``weight_decay``).
        seed: initialisation and batch seed.

    Shapes:
        ``fit``: ``(Q, T, 23)`` twice and ``(Q,)``; ``score``: ``(N, T, 23)`` -> ``(N,)``.

    References:
        the task-input baseline of Bobu et al., "SIRL", HRI 2023, arXiv:2301.00810.

    Example:
        >>> from rl_robotics.sirl.trajectories import generate_trajectories
        >>> ts = generate_trajectories(4, steps=3, cache=False)
        >>> r = TaskInputReward(config=TrainConfig(steps=3)).fit(ts.states[:2], ts.states[2:], np.array([1, 0]))
        >>> r.score(ts.states).shape
        (4,)
    """

    def __init__(self, hidden: int = 64, config: TrainConfig | None = None, seed: int = 0) -> None:
        self.config = config or TrainConfig()
        self.seed = seed
        self.body = StateEncoder(out_dim=hidden, hidden=hidden, in_dim=STATE_DIM, seed=seed)
        # torch's default Linear init, drawn from a local generator: the global RNG is untouched
        linear = nn.utils.skip_init(nn.Linear, hidden, 1)
        gen = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            nn.init.kaiming_uniform_(linear.weight, a=math.sqrt(5), generator=gen)
            nn.init.uniform_(
                linear.bias, -1 / math.sqrt(hidden), 1 / math.sqrt(hidden), generator=gen
            )
        self.head = nn.Sequential(nn.ReLU(), linear)

    def fit(
        self,
        states_a: np.ndarray,
        states_b: np.ndarray,
        prefer_a: np.ndarray,
        *,
        device: str | torch.device = "auto",
        precision: str = "fp32",
    ) -> TaskInputReward:
        """Train on answered pairs with the Bradley–Terry (logistic) likelihood.

        The loop runs through :func:`rl_shared.runtime.make_accelerator`; under ``torchrun``
        each process scores its contiguous share of every step's pairs
        (:func:`~rl_robotics.sirl.representation.rank_rows`, share-weighted mean), so DDP's
        gradient average is the one-process gradient. The reward is returned on the CPU.

        Args:
            states_a, states_b: the two trajectories of each answered pair.
            prefer_a: whether the person preferred ``states_a[i]``.
            device: where to train (``auto``, ``cpu``, ``cuda[:N]``, ``mps``).
            precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the forward pass.

        Raises:
            ShapeMismatch: the pairs and answers disagree in shape.
            BadInput: no answered pair, or a bad ``device`` / ``precision``.
        """
        prefer = _check_pairs(states_a, states_b, prefer_a)
        acc = make_accelerator(str(device), precision)
        self.body.standardize_on(np.concatenate([states_a, states_b]))
        a = torch.as_tensor(states_a, dtype=torch.float32)
        b = torch.as_tensor(states_b, dtype=torch.float32)
        y = torch.as_tensor(prefer, dtype=torch.float32)
        params = [*self.body.parameters(), *self.head.parameters()]
        cfg = self.config
        opt = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
        model, opt = acc.prepare(_RewardGap(self.body, self.head), opt)
        gen = torch.Generator().manual_seed(self.seed)
        for _ in range(cfg.steps):
            idx = torch.randint(len(y), (min(cfg.batch, len(y)),), generator=gen)
            rows, weight = rank_rows(len(idx), acc.process_index, acc.num_processes)
            mine = idx[rows]
            with acc.autocast():
                gap = model(a[mine].to(acc.device), b[mine].to(acc.device))
                loss = nn.functional.binary_cross_entropy_with_logits(gap, y[mine].to(acc.device))
            _step(acc, opt, loss if weight == 1.0 else loss * weight)
        acc.wait_for_everyone()
        self.body.cpu()
        self.head.cpu()
        return self

    def _reward(self, states: torch.Tensor) -> torch.Tensor:
        return _trajectory_reward(self.body, self.head, states)

    @torch.no_grad()
    def score(self, states: np.ndarray) -> np.ndarray:
        """Reward of each trajectory."""
        return self._reward(torch.as_tensor(states, dtype=torch.float32)).numpy()

    @torch.no_grad()
    def embed_states(self, states: np.ndarray) -> np.ndarray:
        """The last hidden layer for each state (what a linear probe reads)."""
        return torch.relu(self.body(torch.as_tensor(states, dtype=torch.float32))).numpy()


def _trajectory_reward(body: nn.Module, head: nn.Module, states: torch.Tensor) -> torch.Tensor:
    """Mean state reward over each trajectory: ``(..., T, 23) -> (...)``."""
    return head(body(states)).squeeze(-1).mean(-1)


class _RewardGap(nn.Module):
    """``reward(a) - reward(b)`` of the task-input MLP in one forward pass (one DDP forward)."""

    def __init__(self, body: nn.Module, head: nn.Module) -> None:
        super().__init__()
        self.body, self.head = body, head

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return _trajectory_reward(self.body, self.head, a) - _trajectory_reward(
            self.body, self.head, b
        )
