"""Any2Seg forward/backward throughput vs an early-fusion smp Unet, same process, same encoder.

Prints images per second (training step: forward, backward, optimizer step) of both models
on batches of all four modalities, and their ratio. Any2Seg encodes each modality
separately (4x the encoder work) and adds MFF at every stage and LSCD against a frozen
teacher; early fusion encodes one concatenated image.

    uv run python packages/rl-vision/benchmarks/any2seg_throughput.py [--size 64] [--encoder resnet18]
"""

from __future__ import annotations

import argparse
import time

import torch
import torch.nn.functional as F

from rl_shared.runtime import seed_everything, threads
from rl_vision.any2seg.baselines import EarlyFusionUnet
from rl_vision.any2seg.losses import LSCDLoss
from rl_vision.any2seg.model import Any2Seg
from rl_vision.any2seg.teacher import TrainedTeacher
from rl_vision.core.scenes.dataset import MODALITIES, make_batch
from rl_vision.core.scenes.layout import CLASSES


def _time(step, n: int) -> float:
    step()  # warm-up
    start = time.perf_counter()
    for _ in range(n):
        step()
    return (time.perf_counter() - start) / n


def main() -> None:
    with threads(_args().threads):
        _run(_args())


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--encoder", default="tu-mobilenetv3_small_050")
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    return parser.parse_args()


def _run(args: argparse.Namespace) -> None:
    seed_everything(0)
    batch = make_batch(range(args.batch_size), args.size)
    text = torch.nn.functional.normalize(torch.randn(len(CLASSES), 384), dim=1)
    any2seg = Any2Seg(len(CLASSES), MODALITIES, args.encoder, 4)
    teacher = TrainedTeacher(MODALITIES, text, args.encoder, 4).eval()
    lscd = LSCDLoss(text)
    early = EarlyFusionUnet(len(CLASSES), MODALITIES, args.encoder, 4)
    opt_a = torch.optim.AdamW(any2seg.parameters())
    opt_e = torch.optim.AdamW(early.parameters())

    def step_any2seg() -> None:
        out = any2seg(batch.inputs)
        with torch.no_grad():
            target = teacher.embed(batch.inputs)
        loss = F.cross_entropy(out.logits, batch.labels) + lscd(out.embeddings, target)
        opt_a.zero_grad()
        loss.backward()
        opt_a.step()

    def step_early() -> None:
        loss = F.cross_entropy(early(batch.inputs).logits, batch.labels)
        opt_e.zero_grad()
        loss.backward()
        opt_e.step()

    t_a = _time(step_any2seg, args.steps)
    t_e = _time(step_early, args.steps)
    ips_a, ips_e = args.batch_size / t_a, args.batch_size / t_e
    print(
        f"encoder {args.encoder}, {args.size}x{args.size}, batch {args.batch_size}, {args.threads} thread(s)"
    )
    print(
        f"Any2Seg (MFF + LSCD + teacher) train step: {ips_a:8.1f} images/s ({1000 * t_a:.0f} ms/step)"
    )
    print(
        f"early-fusion smp Unet train step:          {ips_e:8.1f} images/s ({1000 * t_e:.0f} ms/step)"
    )
    print(f"ratio Any2Seg / early fusion: {ips_a / ips_e:.2f}")


if __name__ == "__main__":
    main()
