"""Attention pooling: LowRankMultiheadAttention vs torch.nn.MultiheadAttention + mean pooling.

One training step (forward + backward of the pooled vector's sum) on one sequence of n
states of dimension 256 (batch 1), n = 256 … 8192, same process, same input. Peers:

* ``MHA``: ``nn.MultiheadAttention(256, 4)`` self-attention with ``need_weights=False`` (PyTorch
  then runs ``scaled_dot_product_attention``, whose CPU kernel is tiled, O(n) memory), then the
  mean over tokens;
* ``MHA+w``: the same with ``need_weights=True`` (the default call, returning the (n, n)
  attention weights, as ours returns its (heads, n) weights): the n × n matrices are stored.

Ours: ``LowRankMultiheadAttention(256, num_heads=4, rank=64)``. A second memory table
measures a ``no_grad`` forward (inference), where no input gradient is kept.

Peak memory is measured in-process and exactly: a ``TorchDispatchMode`` sees every tensor
each ATen op creates during the step, adds its storage's bytes when first seen and subtracts
them when the last tensor on that storage is freed (``weakref.finalize``); the figure is the
maximum of live bytes after any op, not counting the input, the parameters and their
gradient buffers, which existed before (views of them are not new memory). It
counts activations, saved tensors, gradients and transient outputs; it does not see scratch
buffers a kernel allocates and frees inside one op (e.g. SDPA's per-thread blocks), nor
allocator caching. Time is the best of repeats (the CPU is shared), measured without the counter.
Both run on one torch thread by default (``--threads``), so that a shared CPU's busy cores
do not stall OpenMP barriers. Target at n = 4096: peak memory of ours ≤ 10 % of the peer's.

    uv run nox -s bench-rl-shared
    python shared/benchmarks/low_rank_attention_vs_mha.py --max-n 8192
"""

from __future__ import annotations

import argparse
import time
import weakref
from collections.abc import Callable

import torch
from torch import Tensor, nn
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves

from rl_shared.attention.low_rank import LowRankMultiheadAttention

MiB = 2**20


class LiveTensorPeak(TorchDispatchMode):
    """Peak bytes of live tensor storages created by ATen ops inside the ``with`` block."""

    def __init__(self, existing: list[Tensor]) -> None:
        super().__init__()
        self.live = self.peak = 0
        self.refs: dict[int, tuple[int, int]] = {}  # storage pointer -> (live tensors, bytes)
        self.existing = {t.untyped_storage().data_ptr() for t in existing}  # not counted

    def _drop(self, key: int) -> None:
        count, size = self.refs[key]
        if count == 1:
            del self.refs[key]
            self.live -= size
        else:
            self.refs[key] = (count - 1, size)

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for t in tree_leaves(out):
            if isinstance(t, Tensor):
                storage = t.untyped_storage()
                key, size = storage.data_ptr(), storage.nbytes()
                if key == 0 or size == 0 or key in self.existing:
                    continue
                count, _ = self.refs.get(key, (0, size))
                self.live += size if count == 0 else 0
                self.refs[key] = (count + 1, size)
                weakref.finalize(t, self._drop, key)
        self.peak = max(self.peak, self.live)
        return out


def step(fn: Callable[[Tensor], Tensor], x: Tensor) -> None:
    x.grad = None
    fn(x).sum().backward()


def peak_bytes(
    fn: Callable[[Tensor], Tensor], x: Tensor, params: list[Tensor], train: bool = True
) -> int:
    """Peak live bytes of a training step (``train``) or of a ``no_grad`` forward.

    The input, the parameters and their gradient buffers (accumulated in place) exist before
    and are not counted; the input's gradient is (``x.grad`` is reset each step).
    """
    if not train:
        with torch.no_grad(), LiveTensorPeak([x, *params]) as counter:
            fn(x)
        return counter.peak
    step(fn, x)  # parameter gradients exist before measuring, as in training
    with LiveTensorPeak([x, *params, *(p.grad for p in params if p.grad is not None)]) as counter:
        step(fn, x)
    return counter.peak


def best_time(fn: Callable[[Tensor], Tensor], x: Tensor, repeats: int) -> float:
    step(fn, x)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step(fn, x)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dim", type=int, default=256)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--rank", type=int, default=64)
    parser.add_argument("--max-n", type=int, default=8192)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (0: torch's default)")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    ours = LowRankMultiheadAttention(args.dim, num_heads=args.heads, rank=args.rank)
    mha = nn.MultiheadAttention(args.dim, args.heads, batch_first=True)
    params = [*ours.parameters(), *mha.parameters()]
    models = {
        "ours": lambda x: ours(x)[0],
        "MHA": lambda x: mha(x, x, x, need_weights=False)[0].mean(dim=1),
        "MHA+w": lambda x: mha(x, x, x)[0].mean(dim=1),
    }
    print(
        f"attention pooling, fwd+bwd, batch 1, dim {args.dim}, heads {args.heads}, rank {args.rank}, "
        f"torch {torch.__version__}, threads {torch.get_num_threads()}"
    )
    print(
        f"{'n':>6} | {'time ms: ours':>13} {'MHA':>9} {'MHA+w':>9} | "
        f"{'peak MiB: ours':>14} {'MHA':>8} {'MHA+w':>8} | {'mem ours/MHA':>12} {'ours/MHA+w':>10} | "
        f"{'no_grad fwd MiB: ours':>21} {'MHA':>7} {'MHA+w':>8} | {'ours/MHA':>8} {'ours/MHA+w':>10}"
    )
    rows = {}
    n = 256
    while n <= args.max_n:
        x = torch.randn(1, n, args.dim, generator=torch.Generator().manual_seed(n)).requires_grad_()
        repeats = 7 if n <= 1024 else 3 if n <= 4096 else 1
        t = {k: best_time(f, x, repeats) for k, f in models.items()}
        m = {k: peak_bytes(f, x, params) for k, f in models.items()}
        i = {k: peak_bytes(f, x, params, train=False) for k, f in models.items()}
        rows[n] = (t, m, i)
        print(
            f"{n:>6} | {t['ours'] * 1e3:>13.2f} {t['MHA'] * 1e3:>9.2f} {t['MHA+w'] * 1e3:>9.2f} | "
            f"{m['ours'] / MiB:>14.2f} {m['MHA'] / MiB:>8.2f} {m['MHA+w'] / MiB:>8.2f} | "
            f"{m['ours'] / m['MHA']:>12.3f} {m['ours'] / m['MHA+w']:>10.4f} | "
            f"{i['ours'] / MiB:>21.2f} {i['MHA'] / MiB:>7.2f} {i['MHA+w'] / MiB:>8.2f} | "
            f"{i['ours'] / i['MHA']:>8.3f} {i['ours'] / i['MHA+w']:>10.4f}",
            flush=True,
        )
        n *= 2
    if 4096 in rows:
        t, m, i = rows[4096]
        print(
            f"n = 4096, ours / peer (target: peak memory <= 0.10): training-step peak memory "
            f"{m['ours'] / m['MHA']:.3f} vs MHA, {m['ours'] / m['MHA+w']:.4f} vs MHA+w; no_grad "
            f"forward peak {i['ours'] / i['MHA']:.3f} vs MHA, {i['ours'] / i['MHA+w']:.4f} vs MHA+w; "
            f"time {t['ours'] / t['MHA']:.4f} vs MHA, {t['ours'] / t['MHA+w']:.4f} vs MHA+w"
        )


if __name__ == "__main__":
    main()
