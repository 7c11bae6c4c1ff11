"""Worker of ``test_distributed.py`` (the text classifiers: CVIB and low-rank attention).

Run under ``torchrun`` with 2 gloo processes::

    python -m torch.distributed.run --nproc-per-node=2 distributed_worker.py \
        MODEL SEG RESULTS OUT

Each process first audits its writes under ``OUT/cvib`` and ``OUT/lowrank``
(:func:`rl_shared.testing.distributed.record_writes`), then takes one real training step of
each loop through the loop's own step functions, prepared by
:func:`rl_shared.runtime.make_accelerator` (CVIB: :func:`rl_text.cvib.train.absa_step_loss`;
low-rank / MHA attention: :func:`rl_text.lowrank_attention.train.classifier_step_loss`), on
its share of a fixed global batch, and saves the loss (averaged over ranks) and the
DDP-averaged gradients to ``RESULTS/<loop>-rank<r>.pt``; at last it runs the real
commands ``rl text cvib train`` and ``rl text lowrank-attention train`` (2 steps / epochs)
into ``OUT``. :func:`first_step` in one plain process gives the reference on the whole batch.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import torch

from rl_shared.runtime import make_accelerator, seed_everything

TEXTS = [
    ("the dog is big and red", "dog", 2),
    ("the cat sleeps on a bed", "cat", 1),
    ("a man plays the guitar", "guitar", 2),
    ("the car is slow", "car", 0),
    ("the child kicks the ball", "ball", 1),
    ("the woman drives a car", "car", 0),
    ("a small dog plays with the ball", "dog", 2),
    ("the man eats food", "food", 1),
]
ROWS = [(s, a, y, s.index(a)) for s, a, y in TEXTS]  # (sentence, aspect, label, offset)
LOOPS = ("cvib", "lowrank", "mha")


def _cvib_step(model_dir: str, acc: Any) -> tuple[float, float, dict[str, torch.Tensor]]:
    from accelerate.utils import DistributedDataParallelKwargs
    from sentence_transformers import SentenceTransformer

    from rl_text.cvib.data import AbsaExample
    from rl_text.cvib.model import AspectSentimentModel
    from rl_text.cvib.train import AbsaObjective, AbsaTrainConfig, absa_step_loss

    if acc.num_processes > 1:  # as train_absa does: the encoder's pooler is not in the loss
        acc.ddp_handler = DistributedDataParallelKwargs(find_unused_parameters=True)
    st = SentenceTransformer(model_dir, device="cpu", local_files_only=True)
    # no dropout: every process computes the same function (gate noise: same seed, same draws)
    model = AspectSentimentModel(st, vib=True, dropout=0.0, max_length=16).to(acc.device)
    model.train()
    config = AbsaTrainConfig(method="cvib", batch_size=len(ROWS), max_length=16)
    objective, _ = acc.prepare(
        AbsaObjective(model, config), torch.optim.SGD(model.parameters(), lr=0.0)
    )
    batch = [AbsaExample(*row) for row in ROWS]
    loss, parts = absa_step_loss(objective, model, batch, config, acc)
    acc.backward(loss)
    grads = {n: p.grad.detach().clone() for n, p in model.named_parameters() if p.grad is not None}
    return parts["loss"], float(loss.detach()), grads


def _classifier_step(attention: str, acc: Any) -> tuple[float, float, dict[str, torch.Tensor]]:
    from rl_text.lowrank_attention.model import GRUAttentionClassifier
    from rl_text.lowrank_attention.train import EncodedText, classifier_step_loss

    gen = torch.Generator().manual_seed(1)
    ids = torch.randint(2, 30, (7, 6), generator=gen)
    lengths = torch.tensor([6, 5, 3, 6, 2, 4, 6])
    padding = torch.arange(6)[None, :] >= lengths[:, None]
    data = EncodedText(ids.masked_fill(padding, 0), padding, torch.tensor([0, 1, 2, 1, 0, 2, 2]))
    model = GRUAttentionClassifier(
        30, embed_dim=8, hidden=6, num_classes=3, attention=attention, num_heads=2, dropout=0.0
    ).to(acc.device)
    net, _ = acc.prepare(model, torch.optim.SGD(model.parameters(), lr=0.0))
    rows = [3, 0, 6, 1, 5, 2, 4]  # 7 rows: shares of 4 and 3 rows, weighted to the batch mean
    loss, mean, n = classifier_step_loss(net, data, rows, acc)
    acc.backward(loss)
    total = torch.tensor(mean * n, dtype=torch.float64)
    if acc.num_processes > 1:
        total = acc.reduce(total, "sum")
    grads = {n: p.grad.detach().clone() for n, p in model.named_parameters() if p.grad is not None}
    return float(total) / len(rows), float(loss.detach()), grads


def first_step(loop: str, model_dir: str) -> dict[str, Any]:
    """One step of ``loop`` on this process's share: global loss, this rank's loss, gradients."""
    acc = make_accelerator("cpu")
    seed_everything(0)
    if loop == "cvib":
        loss, local, grads = _cvib_step(model_dir, acc)
    else:
        loss, local, grads = _classifier_step(loop, acc)
    return {"loss": loss, "local_loss": local, "grads": grads, "world": acc.num_processes}


def main(model_dir: str, seg: str, results: str, out: str) -> None:
    from rl_shared.testing.distributed import record_writes

    rank = int(os.environ.get("RANK", "0"))
    for loop in ("cvib", "lowrank"):
        record_writes(Path(results) / f"writes-{loop}-rank{rank}.jsonl", Path(out) / loop)
    for loop in LOOPS:
        torch.save(first_step(loop, model_dir), Path(results) / f"{loop}-rank{rank}.pt")
    from rl_text.cvib.cli import group as cvib
    from rl_text.lowrank_attention.cli import group as lowrank

    common = ["--data", seg, "--model", model_dir, "--device", "cpu", "--json"]
    cvib.main(
        ["train", *common, "--out", f"{out}/cvib", "--method", "cvib", "--steps", "2",
         "--batch-size", "4"],
        standalone_mode=False,
    )  # fmt: skip
    lowrank.main(
        ["train", *common, "--out", f"{out}/lowrank", "--hidden", "8", "--heads", "2",
         "--rank", "4", "--epochs", "2", "--batch-size", "4"],
        standalone_mode=False,
    )  # fmt: skip


if __name__ == "__main__":
    main(*sys.argv[1:5])
