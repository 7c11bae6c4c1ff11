"""One real Any2Seg training step, under ``torchrun`` (``dist``) or as its reference (``ref``).

``dist OUT RESULTS``: every process records its writes under ``OUT``
(:func:`rl_shared.testing.distributed.record_writes`), runs :func:`rl_vision.any2seg.train.train`
for one step of each tested kind into ``OUT/<kind>`` (gloo, CPU) and saves its first-step
loss and the gradients DDP left on the model to ``RESULTS/<kind>-rank<R>.pt``.

``ref RESULTS WORLD`` (or :func:`ref`, which the test calls in its own process): one process builds the same model from the same seed, draws the same
batch and modality subset, and runs :func:`~rl_vision.any2seg.train.step_loss` on the rows
``r::WORLD`` of each rank ``r`` separately (BatchNorm normalises each process's rows apart
under plain DDP), averaging the losses and gradients; saved to ``RESULTS/<kind>-ref.pt``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import torch

#: the kinds tested: early fusion, and Any2Seg with modality dropout (unused encoders) and
#: no LSCD (no text model needed)
CONFIGS = {
    "early": dict(kind="early"),
    "any2seg": dict(kind="any2seg", lscd_weight=0.0, keep_probability=0.5),
}


def _config(kind: str):  # type: ignore[no-untyped-def]
    from rl_vision.any2seg.config import TrainConfig

    return TrainConfig(
        **CONFIGS[kind],  # type: ignore[arg-type]
        steps=1, batch_size=4, size=32, num_scenes=4, depth=3, checkpoint_every=0, seed=3,
    )  # fmt: skip


def _grads(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {
        n: (p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p))
        for n, p in model.named_parameters()
    }


def dist(out: Path, results: Path) -> None:
    from rl_shared.testing.distributed import record_writes

    rank = int(os.environ["RANK"])
    record_writes(results / f"writes-rank{rank}.jsonl", out)
    import rl_vision.any2seg.train as loop

    losses: list[torch.Tensor] = []
    real = loop.step_loss

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        loss = real(*args, **kwargs)
        losses.append(loss.detach().clone())
        return loss

    loop.step_loss = spy  # type: ignore[assignment]
    for kind in CONFIGS:
        losses.clear()
        model = loop.train(_config(kind), out / kind, device="cpu")
        torch.save({"loss": losses[0], "grads": _grads(model)}, results / f"{kind}-rank{rank}.pt")


def ref(results: Path, world: int) -> None:
    from rl_shared.runtime import seed_everything
    from rl_vision.any2seg.config import build_model
    from rl_vision.any2seg.sources import PoolSource
    from rl_vision.any2seg.train import _draw_subset, step_loss
    from rl_vision.core.scenes.dataset import make_batch

    for kind in CONFIGS:
        cfg = _config(kind)
        seed_everything(cfg.seed)
        model = build_model(cfg, 384, None)
        model.train()
        source = PoolSource(make_batch(range(cfg.num_scenes), cfg.size, cfg.train_conditions))
        inputs, labels, gen = next(iter(source.batches(range(1), cfg.batch_size, cfg.seed)))
        names = list(cfg.modalities)
        if cfg.modality_dropout:
            names = _draw_subset(gen, names, cfg.keep_probability)
        total = {n: torch.zeros_like(p) for n, p in model.named_parameters()}
        loss_sum = torch.zeros(())
        for rank in range(world):
            rows = slice(rank, None, world)
            model.zero_grad(set_to_none=True)
            loss = step_loss(model, kind, {m: inputs[m][rows] for m in names}, labels[rows])
            loss.backward()
            loss_sum += loss.detach()
            for n, g in _grads(model).items():
                total[n] += g
        grads = {n: g / world for n, g in total.items()}
        torch.save({"loss": loss_sum / world, "grads": grads}, results / f"{kind}-ref.pt")


if __name__ == "__main__":
    torch.set_num_threads(1)
    if sys.argv[1] == "dist":
        dist(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        ref(Path(sys.argv[2]), int(sys.argv[3]))
