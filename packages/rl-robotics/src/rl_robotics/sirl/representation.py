"""State representations: SIRL (similarity queries + triplet loss), self-supervised, random.

:class:`StateEncoder` maps a raw state to a ``d``-vector; a trajectory's embedding is the mean
over its states. :func:`fit_sirl` trains it so that the two trajectories a person called
alike are closer than the odd one out (``rl_shared.losses.triplet_loss``, soft form by
default, as SIRL). :func:`fit_contrastive` is the self-supervised baseline: SimCLR-style
InfoNCE (``rl_shared.losses.info_nce``) between two designer-chosen augmentations of each
trajectory (Gaussian noise on the standardized state and a random time window). An
untrained :class:`StateEncoder` is the random-features baseline.

References:
    Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
    arXiv:2301.00810. Chen et al., "A Simple Framework for Contrastive Learning of Visual
    Representations" (SimCLR), arXiv:2002.05709.

Both loops (and :meth:`rl_robotics.sirl.reward.TaskInputReward.fit`) run through
:func:`rl_shared.runtime.make_accelerator` (``device``, ``precision``). Under ``torchrun``
every process draws the whole batch of a step (and the augmentations) from the seeded
generator and encodes its contiguous share of the rows (:func:`rank_rows`); the triplet and
Bradley–Terry losses are means over rows, so each process's mean is weighted by its share
and DDP's gradient average is the one-process gradient of the whole batch; the contrastive
baseline gathers every process's embeddings as in-batch negatives
(``info_nce(..., gather_across_ranks=True)``), which needs equal shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from rl_robotics.sirl.features import STATE_DIM
from rl_shared.artifacts import load_model, save_model
from rl_shared.errors import BadInput, NonFiniteLoss, ShapeMismatch
from rl_shared.losses import info_nce, triplet_loss
from rl_shared.runtime import make_accelerator

__all__ = [
    "CITATION",
    "ENCODER_KIND",
    "StateEncoder",
    "TrainConfig",
    "fit_contrastive",
    "fit_sirl",
    "rank_rows",
]

#: the paper's BibTeX, written into every saved model's card
CITATION = """@inproceedings{bobu2023sirl,
  title = {{SIRL}: Similarity-based Implicit Representation Learning},
  author = {Bobu, Andreea and Liu, Yi and Shah, Rohin and Brown, Daniel S. and Dragan, Anca D.},
  booktitle = {Proceedings of the 2023 ACM/IEEE International Conference on Human-Robot Interaction},
  year = {2023},
  eprint = {2301.00810},
  archivePrefix = {arXiv}
}"""
#: the ``kind`` of a saved :class:`StateEncoder` folder (see :mod:`rl_shared.artifacts`)
ENCODER_KIND = "robotics.sirl.representation"


@dataclass
class TrainConfig:
    """Optimisation settings shared by the representation learners.

    Args:
        steps: Adam steps.
        batch: triplets (or trajectories) per step.
        lr: learning rate.
        weight_decay: AdamW weight decay.
        margin: triplet margin (0: soft / Bradley–Terry form, as SIRL).
        noise: std of the contrastive baseline's Gaussian augmentation (standardized units).
        window: fraction of the trajectory the contrastive baseline's time crop keeps.
        temperature: InfoNCE temperature.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> TrainConfig(steps=50).batch
        128
    """

    steps: int = 300
    batch: int = 128
    lr: float = 3e-3
    weight_decay: float = 1e-4
    margin: float = 0.0
    noise: float = 0.1
    window: float = 0.7
    temperature: float = 0.1


class StateEncoder(nn.Module):
    """An MLP from raw states to a representation, with the input standardization built in.

    Args:
        out_dim: size of the representation.
        hidden: width of the two hidden layers.
        in_dim: raw state size.
        seed: initialisation seed.

    Shapes:
        ``forward``: ``(..., in_dim)`` -> ``(..., out_dim)``; :meth:`embed_trajectories`:
        ``(N, T, in_dim)`` -> ``(N, out_dim)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> enc = StateEncoder(out_dim=4, seed=0)
        >>> enc.embed_trajectories(np.zeros((2, 5, 23))).shape
        (2, 4)
        >>> import tempfile
        >>> back = StateEncoder.load(enc.save(tempfile.mkdtemp() + "/model"))
        >>> bool(np.array_equal(back.embed_states(np.ones((3, 23))), enc.embed_states(np.ones((3, 23)))))
        True
    """

    mean: Tensor  # buffers registered in __init__
    std: Tensor

    def __init__(
        self, out_dim: int = 8, hidden: int = 64, in_dim: int = STATE_DIM, seed: int = 0
    ) -> None:
        super().__init__()
        if out_dim < 1 or hidden < 1:
            raise BadInput(f"sizes must be positive, got out_dim={out_dim}, hidden={hidden}")
        self.config = {"out_dim": out_dim, "hidden": hidden, "in_dim": in_dim, "seed": seed}
        gen = torch.Generator().manual_seed(seed)
        self.net = nn.Sequential(
            nn.Linear(in_dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )
        self.net.append(nn.Linear(hidden, out_dim))
        with torch.no_grad():
            for param in self.net.parameters():  # seeded init, independent of the global RNG
                bound = 1.0 / np.sqrt(param.shape[-1])
                param.copy_(torch.rand(param.shape, generator=gen) * 2 * bound - bound)
        self.register_buffer("mean", torch.zeros(in_dim))
        self.register_buffer("std", torch.ones(in_dim))

    def standardize_on(self, states: np.ndarray) -> StateEncoder:
        """Set the input mean / std from raw states ``(..., in_dim)``; returns self."""
        flat = torch.as_tensor(states, dtype=torch.float32).reshape(-1, self.mean.shape[0])
        self.mean.copy_(flat.mean(0))
        self.std.copy_(flat.std(0).clamp_min(1e-3))
        return self

    def forward(self, states: Tensor) -> Tensor:
        return self.net((states - self.mean) / self.std)

    @torch.no_grad()
    def embed_states(self, states: np.ndarray) -> np.ndarray:
        """Representation of each raw state, as float32 NumPy (computed where the encoder is)."""
        self.eval()
        x = torch.as_tensor(states, dtype=torch.float32, device=self.mean.device)
        return self(x).float().cpu().numpy()

    def embed_trajectories(self, states: np.ndarray) -> np.ndarray:
        """Mean representation over each trajectory's states ``(N, T, D) -> (N, d)``."""
        return self.embed_states(states).mean(axis=-2)

    def save(self, folder: str | Path) -> Path:
        """Write the encoder as a model folder (:func:`rl_shared.artifacts.save_model`)."""
        return save_model(
            folder,
            kind=ENCODER_KIND,
            config=self.config,
            tensors=self,
            citation=CITATION,
            summary="A SIRL state encoder: raw Panda table-top states (23 numbers) to a "
            f"{self.config['out_dim']}-dimensional representation, input standardization built in.",
        )

    @classmethod
    def load(cls, folder: str | Path) -> StateEncoder:
        """Read an encoder written by :meth:`save` (raises ``ModelNotFound`` / ``BadInput``)."""
        artifact = load_model(folder, kind=ENCODER_KIND)
        encoder = artifact.load_into(cls(**artifact.config))
        assert isinstance(encoder, StateEncoder)
        return encoder.eval()


def fit_sirl(
    states: np.ndarray,
    triplets: np.ndarray,
    encoder: StateEncoder | None = None,
    config: TrainConfig | None = None,
    seed: int = 0,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> StateEncoder:
    """Train a representation from answered similarity queries with the triplet loss.

    Args:
        states: raw trajectories the queries index.
        triplets: ``(anchor, positive, negative)`` indices into ``states``
            (see :func:`rl_robotics.sirl.people.similarity_triplets`).
        encoder: the encoder to train (default: a fresh :class:`StateEncoder` seeded by ``seed``).
        config: optimisation settings.
        seed: seed of the initialisation and the batches.
        device: where to train (``auto``, ``cpu``, ``cuda[:N]``, ``mps``; under ``torchrun``
            each process takes its local device); the trained encoder is returned on the CPU.
            Batches are drawn on the CPU, so a seed picks the same batches on every device.
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the forward pass.

    Raises:
        ShapeMismatch: ``triplets`` is not a non-empty ``(M, 3)`` array.
        BadInput: an index outside ``states``, fewer batch rows than processes, or a bad
            ``device`` / ``precision``.

    Shapes:
        states ``(N, T, 23)``; triplets ``(M, 3)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> from rl_robotics.sirl.trajectories import generate_trajectories
        >>> ts = generate_trajectories(6, steps=3, cache=False)
        >>> enc = fit_sirl(ts.states, np.array([[0, 1, 2], [3, 4, 5]]), config=TrainConfig(steps=5))
        >>> enc.embed_trajectories(ts.states).shape
        (6, 8)
    """
    triplets = np.asarray(triplets)
    if triplets.ndim != 2 or triplets.shape[1] != 3 or len(triplets) == 0:
        raise ShapeMismatch(
            f"triplets must be a non-empty (M, 3) index array, got {triplets.shape}"
        )
    if triplets.max() >= len(states) or triplets.min() < 0:
        raise BadInput(f"triplet indices must lie in [0, {len(states)}), got {triplets.max()}")
    config = config or TrainConfig()
    acc = make_accelerator(str(device), precision)
    encoder = encoder or StateEncoder(seed=seed)
    encoder.standardize_on(states)
    data = torch.as_tensor(states, dtype=torch.float32, device=acc.device)
    index = torch.as_tensor(triplets, dtype=torch.long)
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(encoder.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    model, opt = acc.prepare(encoder, opt)
    plain = acc.unwrap_model(model)
    model.train()
    for _ in range(config.steps):
        batch = index[torch.randint(len(index), (min(config.batch, len(index)),), generator=gen)]
        rows, weight = rank_rows(len(batch), acc.process_index, acc.num_processes)
        with acc.autocast():
            emb = model(data[batch[rows].to(acc.device)]).mean(dim=2)  # (b, 3, d)
            loss = triplet_loss(emb[:, 0], emb[:, 1], emb[:, 2], margin=config.margin)
        _step(acc, opt, loss if weight == 1.0 else loss * weight)
    acc.wait_for_everyone()
    return plain.cpu().eval()


def rank_rows(n: int, rank: int, world: int, *, equal: bool = False) -> tuple[slice, float]:
    """This process's contiguous rows of a global batch of ``n`` and the weight of its mean.

    The shares differ by at most one row; a process's mean loss times the weight
    ``len(share) * world / n`` averages over processes (as DDP averages gradients) to the
    mean over the whole batch. One process: all rows, weight ``1.0``.

    Args:
        n: rows in the global batch.
        rank: this process's index.
        world: the number of processes.
        equal: every share must have the same size (for losses that gather negatives).

    Raises:
        BadInput: fewer rows than processes, or unequal shares where ``equal`` is asked.

    Example:
        >>> rank_rows(5, 1, 2), rank_rows(4, 0, 1)
        ((slice(3, 5, None), 0.8), (slice(0, 4, None), 1.0))
    """
    if n < world:
        raise BadInput(f"a batch of {n} rows cannot be split over {world} processes")
    if equal and n % world:
        raise BadInput(
            f"a batch of {n} rows does not split evenly over {world} processes; choose a "
            f"batch size that is a multiple of {world}"
        )
    per, extra = divmod(n, world)
    start = rank * per + min(rank, extra)
    size = per + (rank < extra)
    return slice(start, start + size), size * world / n


def fit_contrastive(
    states: np.ndarray,
    encoder: StateEncoder | None = None,
    config: TrainConfig | None = None,
    seed: int = 0,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> StateEncoder:
    """Self-supervised baseline: InfoNCE between two augmented views of each trajectory.

    A view adds Gaussian noise (``config.noise`` standard deviations) to every standardized
    state and keeps a random contiguous window of ``config.window`` of the trajectory.

    Args:
        states: raw trajectories (no labels: the baseline uses none).
        encoder: the encoder to train (default: a fresh :class:`StateEncoder` seeded by ``seed``).
        config: optimisation and augmentation settings.
        seed: seed of the initialisation, the batches and the augmentations.
        device: where to train (see :func:`fit_sirl`); the encoder is returned on the CPU.
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the forward pass.

    Raises:
        BadInput: fewer than 2 trajectories, a batch that does not split evenly over the
            processes, or a bad ``device`` / ``precision``.

    Shapes:
        states ``(N, T, 23)``.

    References:
        Chen et al., "A Simple Framework for Contrastive Learning of Visual Representations"
        (SimCLR), arXiv:2002.05709; the baseline of Bobu et al., arXiv:2301.00810.

    Example:
        >>> from rl_robotics.sirl.trajectories import generate_trajectories
        >>> ts = generate_trajectories(4, steps=4, cache=False)
        >>> fit_contrastive(ts.states, config=TrainConfig(steps=3)).embed_trajectories(ts.states).shape
        (4, 8)
    """
    if len(states) < 2:
        raise BadInput(f"contrastive learning needs at least 2 trajectories, got {len(states)}")
    config = config or TrainConfig()
    acc = make_accelerator(str(device), precision)
    encoder = encoder or StateEncoder(seed=seed)
    encoder.standardize_on(states)
    std = encoder.std.detach().clone()  # the augmentations are drawn on the CPU
    data = torch.as_tensor(states, dtype=torch.float32)
    steps_t = data.shape[1]
    width = max(1, round(config.window * steps_t))
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(encoder.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    model, opt = acc.prepare(_Views(encoder), opt)
    plain = acc.unwrap_model(model).encoder
    world = acc.num_processes

    def view(batch: Tensor) -> Tensor:  # the whole batch's view, on every process
        start = torch.randint(steps_t - width + 1, (len(batch),), generator=gen)
        rows = start[:, None] + torch.arange(width)[None]
        crop = batch[torch.arange(len(batch))[:, None], rows]
        return crop + config.noise * std * torch.randn(crop.shape, generator=gen)

    model.train()
    for _ in range(config.steps):
        batch = data[torch.randperm(len(data), generator=gen)[: config.batch]]
        first, second = view(batch), view(batch)
        rows, _ = rank_rows(len(batch), acc.process_index, world, equal=True)
        with acc.autocast():
            a, b = model(first[rows].to(acc.device), second[rows].to(acc.device))
            loss = info_nce(a, b, temperature=config.temperature, gather_across_ranks=world > 1)
        _step(acc, opt, loss)
    acc.wait_for_everyone()
    return plain.cpu().eval()


class _Views(nn.Module):
    """Both views' trajectory embeddings in one forward pass (one DDP forward per step)."""

    def __init__(self, encoder: StateEncoder) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, first: Tensor, second: Tensor) -> tuple[Tensor, Tensor]:
        return self.encoder(first).mean(dim=1), self.encoder(second).mean(dim=1)


def _step(acc: Any, opt: torch.optim.Optimizer, loss: Tensor) -> None:
    """One optimizer step of a prepared model; every process stops on a non-finite loss."""
    if not torch.isfinite(acc.reduce(loss.detach(), "mean")):
        raise NonFiniteLoss("the representation loss became non-finite; lower the learning rate")
    opt.zero_grad()
    acc.backward(loss)
    opt.step()
