"""InfoNCE forward+backward: rl_shared.losses.info_nce vs sentence-transformers' MNRL.

Same random embeddings (batch 256, dim 384, one hard negative), same process, interleaved
repeats; prints the fastest and the median time of each and the ratio ours / peer of the
fastest runs (the least disturbed by other processes on a shared machine). Target: <= 1.05.

    uv run nox -s bench-rl-shared
    python shared/benchmarks/info_nce_vs_mnrl.py --batch 256 --dim 384 --repeats 50
"""

from __future__ import annotations

import argparse
import statistics
import time

import sentence_transformers
import torch
from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

from rl_shared.losses import info_nce


def _time(fn, tensors) -> float:
    for t in tensors:
        t.grad = None
    start = time.perf_counter()
    fn().backward()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    g = torch.Generator().manual_seed(0)
    a, p, n = (torch.randn(args.batch, args.dim, generator=g).requires_grad_() for _ in range(3))
    peer = MultipleNegativesRankingLoss(None, scale=20.0)
    ours_fn = lambda: info_nce(a, p, n, temperature=0.05)  # noqa: E731
    peer_fn = lambda: peer.compute_loss_from_embeddings([a, p, n], None)  # noqa: E731
    assert abs(float(ours_fn().detach()) - float(peer_fn().detach())) < 1e-5
    for _ in range(5):  # warm-up
        _time(ours_fn, (a, p, n)), _time(peer_fn, (a, p, n))
    ours, theirs = [], []
    for _ in range(args.repeats):
        ours.append(_time(ours_fn, (a, p, n)))
        theirs.append(_time(peer_fn, (a, p, n)))
    o, t = min(ours), min(theirs)
    om, tm = statistics.median(ours), statistics.median(theirs)
    print(
        f"InfoNCE fwd+bwd, batch {args.batch}, dim {args.dim}, 1 hard negative, torch {torch.__version__}, "
        f"threads {torch.get_num_threads()}"
    )
    peer_name = f"sentence-transformers {sentence_transformers.__version__} MNRL"
    print(f"  {'rl_shared.info_nce':<36} fastest {o * 1e3:8.3f} ms, median {om * 1e3:8.3f} ms")
    print(f"  {peer_name:<36} fastest {t * 1e3:8.3f} ms, median {tm * 1e3:8.3f} ms")
    print(
        f"  ratio ours / peer, fastest of {args.repeats}: {o / t:.3f} (target <= 1.05); medians {om / tm:.3f}"
    )


if __name__ == "__main__":
    main()
