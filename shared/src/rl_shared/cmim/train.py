"""The training loop of the cMIM paper folder: A-MIM, cMIM or InfoNCE on fixed-size inputs.

:func:`train_mim` fits a :class:`~rl_shared.cmim.model.MIMAutoencoder` without labels: by
A-MIM (``"mim"``), A-MIM plus cMIM's contrastive term (``"cmim"``), or InfoNCE between two
augmented views (``"infonce"``). It runs through
:func:`rl_shared.runtime.make_accelerator`, so ``--device``, ``--precision`` and
``torchrun`` data parallelism apply; the ``shared.cmim`` reproduction trains its encoders
with it.

References:
    Livne, "cMIM: A Contrastive Mutual Information Framework for Unified Generative and
    Discriminative Representation Learning", arXiv:2411.10548.

Example:
    >>> import numpy as np
    >>> x = np.random.default_rng(0).random((32, 8), dtype=np.float32)
    >>> model = train_mim(x, "cmim", batch_size=8, steps=2, latent_dim=2, hidden_dim=8)
    >>> tuple(model(torch.from_numpy(x)).shape)
    (32, 2)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from rl_shared.cmim.losses import CMIMLoss
from rl_shared.cmim.model import MIMAutoencoder
from rl_shared.errors import BadInput, UnknownName
from rl_shared.losses import info_nce
from rl_shared.runtime import make_accelerator, seed_everything

__all__ = ["METHODS", "train_mim"]

METHODS = ("mim", "cmim", "infonce")

Augment = Callable[[Tensor, torch.Generator], Tensor]


def train_mim(
    x_train: np.ndarray | Tensor,
    method: str,
    batch_size: int,
    steps: int,
    seed: int = 0,
    *,
    latent_dim: int = 16,
    hidden_dim: int = 128,
    lr: float = 1e-3,
    temperature: float = 0.1,
    augment: Augment | None = None,
    history: list[float] | None = None,
    progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> MIMAutoencoder:
    """Train an encoder-decoder on ``x_train`` by ``method`` for ``steps`` Adam steps.

    Batches walk through a seeded permutation of the rows (a new one when it runs out).
    Under ``torchrun`` every process draws the same global batch, the same augmented views
    and the same sampling noise (the same seed), and trains on its contiguous share; cMIM's
    candidate codes and InfoNCE's negatives are gathered from every process
    (:func:`rl_shared.losses.distributed.gather_with_grad`), so the mean of the processes'
    losses is the one-process loss of the whole batch and DDP's averaged gradient is its
    gradient. The loop writes no files.

    Args:
        x_train: the unlabelled training rows.
        method: ``"mim"``, ``"cmim"`` or ``"infonce"``.
        batch_size: rows per step over all processes (a multiple of their number).
        steps: Adam steps.
        seed: seeds the initialisation, the batches, the views and the noise.
        latent_dim: code size.
        hidden_dim: MLP width.
        lr: Adam learning rate.
        temperature: of cMIM's contrastive term and of InfoNCE.
        augment: ``(batch, generator) -> view`` for InfoNCE (required there).
        history: when given, each step's loss (the mean over processes) is appended.
        progress: wraps the step range (e.g. a progress bar); main process only.
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``; the model is returned
            on the CPU, in eval mode.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the forward pass.

    Shapes:
        x_train ``(N, D)``.

    Raises:
        UnknownName: an unknown ``method``.
        BadInput: ``steps < 1``, a batch larger than the data or not a multiple of the
            processes, InfoNCE without ``augment``, or an unavailable ``device``/``precision``.

    References:
        Livne, cMIM, arXiv:2411.10548; Livne et al., MIM, arXiv:1910.03175.

    Example:
        >>> x = np.random.default_rng(0).random((16, 4), dtype=np.float32)
        >>> losses: list[float] = []
        >>> _ = train_mim(x, "mim", 4, 3, latent_dim=2, hidden_dim=8, history=losses)
        >>> len(losses)
        3
    """
    if method not in METHODS:
        raise UnknownName("method", method, list(METHODS))
    data = torch.as_tensor(x_train, dtype=torch.float32)
    if data.dim() != 2:
        raise BadInput(f"x_train must be a (rows, features) array, got shape {tuple(data.shape)}")
    if steps < 1:
        raise BadInput(f"steps must be at least 1, got {steps}")
    if not 1 <= batch_size <= len(data):
        raise BadInput(f"a batch of {batch_size} rows needs 1 to {len(data)} rows; lower it")
    if method == "infonce" and augment is None:
        raise BadInput("InfoNCE needs augment=, the function that draws a view of a batch")
    acc = make_accelerator(str(device), precision)
    world, rank = acc.num_processes, acc.process_index
    if batch_size % world:
        raise BadInput(
            f"a batch of {batch_size} rows does not split evenly over {world} processes; "
            f"use a multiple of {world}"
        )
    seed_everything(seed)
    generator = torch.Generator().manual_seed(seed)
    model = MIMAutoencoder(input_dim=data.shape[1], latent_dim=latent_dim, hidden_dim=hidden_dim)
    model.to(acc.device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    step_fn, optimizer = acc.prepare(_Step(model, method, temperature, world > 1), optimizer)
    per = batch_size // world
    mine = slice(rank * per, (rank + 1) * per)
    order, cursor = torch.randperm(len(data), generator=generator), 0
    steps_iter: Iterable[int] = range(steps)
    if progress is not None and acc.is_main_process:
        steps_iter = progress(steps_iter)
    for _ in steps_iter:
        if cursor + batch_size > len(data):
            order, cursor = torch.randperm(len(data), generator=generator), 0
        batch = data[order[cursor : cursor + batch_size]]
        cursor += batch_size
        views = None
        noise = None
        if method == "infonce":
            assert augment is not None  # checked above
            both = augment(batch, generator), augment(batch, generator)  # the whole batch
            views = (both[0][mine].to(acc.device), both[1][mine].to(acc.device))
        else:
            noise = torch.randn(batch_size, latent_dim, device=acc.device)[mine]
        with acc.autocast():
            loss = step_fn(batch[mine].to(acc.device), noise, views)
        optimizer.zero_grad(set_to_none=True)
        acc.backward(loss)
        optimizer.step()
        if history is not None:
            history.append(_over_ranks(acc, loss))
    acc.wait_for_everyone()
    return model.cpu().eval()


class _Step(nn.Module):
    """One batch share's loss: the module DDP wraps.

    For InfoNCE only the encoder is registered (the decoder takes no part in that loss and
    DDP expects every registered parameter to receive a gradient).
    """

    def __init__(self, model: MIMAutoencoder, method: str, temperature: float, gather: bool):
        super().__init__()
        self.method, self.temperature, self.gather = method, temperature, gather
        self._model = [model]  # a list: not registered twice
        if method == "infonce":
            self.encoder, self.to_stats = model.encoder, model.to_stats
        else:
            self.loss = CMIMLoss(
                model,
                contrastive_weight=1.0 if method == "cmim" else 0.0,
                temperature=temperature,
                gather_across_ranks=gather,
            )

    def forward(
        self, x: Tensor, noise: Tensor | None, views: tuple[Tensor, Tensor] | None
    ) -> Tensor:
        if views is not None:
            model = self._model[0]
            return info_nce(
                model(views[0]),
                model(views[1]),
                temperature=self.temperature,
                gather_across_ranks=self.gather,
            )
        return self.loss(x, noise=noise)


def _over_ranks(acc: Any, loss: Tensor) -> float:
    """The loss averaged over the processes (itself in one process)."""
    if acc.num_processes == 1:
        return float(loss.detach())
    return float(acc.reduce(loss.detach().float(), "mean"))
