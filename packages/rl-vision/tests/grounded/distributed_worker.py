"""The first training step of the grounded model and the autoencoder, over ``torchrun``.

``dist OUT RESULTS``: every process records its writes under ``OUT``
(:func:`rl_shared.testing.distributed.record_writes`), runs
:func:`~rl_vision.grounded.train.train_grounded` and
:func:`~rl_vision.grounded.train.train_autoencoder` for one step (gloo, CPU) into
``OUT/grounded`` and ``OUT/autoencoder``, and saves the loss it backpropagated and the
gradients DDP left on the model to ``RESULTS/rank<R>.pt``. :func:`reference` is the same
step in one process (the test calls it in its own process).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import torch


def _setup():  # type: ignore[no-untyped-def]
    from rl_vision.grounded.data import make_caption_data
    from rl_vision.grounded.model import GroundedConfig

    cfg = GroundedConfig(
        steps=1, batch_size=4, num_scenes=8, size=32, hidden=8, depth=3, checkpoint_every=0,
        seed=5,
    )  # fmt: skip
    return cfg, make_caption_data(range(8), 32, 2)


def _grads(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {
        n: (p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p))
        for n, p in model.named_parameters()
    }


def _recording(losses: list[torch.Tensor]) -> Any:
    """A ``make_accelerator`` whose accelerators record the loss each backward pass gets."""
    from rl_shared.runtime import make_accelerator

    def make(*args: Any, **kwargs: Any) -> Any:
        acc = make_accelerator(*args, **kwargs)
        real = acc.backward

        def backward(loss: torch.Tensor, **kw: Any) -> None:
            losses.append(loss.detach().clone())
            real(loss, **kw)

        acc.backward = backward
        return acc

    return make


def first_steps(out: Path | None) -> dict[str, dict[str, Any]]:
    """This process's first-step loss and gradients of both loops (through their code)."""
    import rl_vision.grounded.train as loop

    cfg, data = _setup()
    losses: list[torch.Tensor] = []
    real = loop.make_accelerator
    loop.make_accelerator = _recording(losses)  # type: ignore[assignment]
    try:
        grounded = loop.train_grounded(
            cfg, data, out_dir=out / "grounded" if out else None, device="cpu"
        )
        autoencoder = loop.train_autoencoder(
            cfg, data, out_dir=out / "autoencoder" if out else None, device="cpu"
        )
    finally:
        loop.make_accelerator = real  # type: ignore[assignment]
    return {
        "grounded": {"loss": losses[0], "grads": _grads(grounded)},
        "autoencoder": {"loss": losses[1], "grads": _grads(autoencoder)},
    }


def reference(world: int) -> dict[str, dict[str, Any]]:
    """One process, the whole batch: the autoencoder through its loop; the grounded model's
    step by hand, encoding each rank's images apart (BatchNorm statistics per process)."""
    from rl_shared.runtime import seed_everything
    from rl_vision.grounded.losses import hinge_contrastive
    from rl_vision.grounded.model import GroundedModel

    result = first_steps(None)  # one process: the whole batch
    cfg, data = _setup()
    seed_everything(cfg.seed)
    model = GroundedModel(cfg)
    model.train()
    gen = torch.Generator().manual_seed(cfg.seed)  # the loop's data-order generator
    idx = torch.randperm(len(data.captions), generator=gen)[: cfg.batch_size]
    pick = torch.randint(0, 1 << 30, (len(idx),), generator=gen).tolist()
    texts = [data.captions[i][p % len(data.captions[i])] for i, p in zip(idx.tolist(), pick)]
    per = cfg.batch_size // world
    images = torch.cat(
        [model.images(data.images[idx[r * per : (r + 1) * per]]) for r in range(world)]
    )
    loss = hinge_contrastive(images, model.encode_text(texts), margin=cfg.margin)
    loss.backward()
    result["grounded"] = {"loss": loss.detach(), "grads": _grads(model)}
    return result


def dist(out: Path, results: Path) -> None:
    from rl_shared.testing.distributed import record_writes

    rank = int(os.environ["RANK"])
    record_writes(results / f"writes-rank{rank}.jsonl", out)
    torch.save(first_steps(out), results / f"rank{rank}.pt")


if __name__ == "__main__":
    torch.set_num_threads(1)
    dist(Path(sys.argv[2]), Path(sys.argv[3]))
