"""Time one 2DMSE training step: ours vs sentence-transformers' Matryoshka2dLoss vs plain MNRL.

Same batch (64 STS-B train pairs, MiniLM, MultipleNegativesRankingLoss as inner loss), same
process, interleaved repetitions; a step is forward + loss + backward. Prints the median
seconds of each and the ratios. Targets: ours ≤ 1.0× Matryoshka2dLoss, ≤ 1.3× MNRL.

Run: RL_DATA_DIR=../shared/data python packages/rl-text/benchmarks/bench_matryoshka2d.py [--reps 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import sentence_transformers
import torch
from sentence_transformers.sentence_transformer import losses

from rl_shared.models import load_sentence_transformer
from rl_shared.runtime import seed_everything
from rl_shared.sts import load_stsb
from rl_text.core.layers import tokenize
from rl_text.matryoshka2d import Matryoshka2dLoss

DIMS = [384, 256, 128, 64, 32]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    seed_everything(0)
    random.seed(0)
    model = load_sentence_transformer("minilm")
    model.train()
    pairs = load_stsb("train").head(args.batch)
    features = [tokenize(model, pairs.sentences1), tokenize(model, pairs.sentences2)]
    labels = torch.zeros(args.batch)
    mnrl = losses.MultipleNegativesRankingLoss(model)
    candidates = {
        "ours": Matryoshka2dLoss(model, mnrl, DIMS),
        "st": losses.Matryoshka2dLoss(model, mnrl, DIMS),
        "mnrl": mnrl,
    }
    times: dict[str, list[float]] = {k: [] for k in candidates}
    for rep in range(args.reps + 1):  # the first round warms up
        for name, loss in candidates.items():
            model.zero_grad(set_to_none=True)
            start = time.perf_counter()
            loss([dict(f) for f in features], labels).backward()
            if rep:
                times[name].append(time.perf_counter() - start)
    med = {k: statistics.median(v) for k, v in times.items()}
    low = {k: min(v) for k, v in times.items()}
    print(
        f"sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__}, "
        f"threads {torch.get_num_threads()}, batch {args.batch} pairs, {args.reps} reps"
    )
    for name, label in (
        ("ours", "rl_text Matryoshka2dLoss"),
        ("st", "ST Matryoshka2dLoss"),
        ("mnrl", "plain MNRL"),
    ):
        print(f"  {label:<26} {med[name]:.3f} s/step  (min {min(times[name]):.3f})")
    for stat, val in (("median", med), ("min", low)):
        print(
            f"  {stat:<6} ours / ST Matryoshka2dLoss = {val['ours'] / val['st']:.2f}x  (target <= 1.0x)"
        )
        print(
            f"  {stat:<6} ours / plain MNRL          = {val['ours'] / val['mnrl']:.2f}x  (target <= 1.3x)"
        )
    print("  (on a shared, loaded CPU the minimum is the steadier statistic)")


if __name__ == "__main__":
    main()
