"""GPU benchmark of the Triton attention kernels: correctness first, then TFLOP/s beside PyTorch SDPA.

Run on one CUDA GPU (prints "skipped" and exits 0 without one):

    python shared/benchmarks/gpu_attention.py            # full table, a few minutes on an H100
    python shared/benchmarks/gpu_attention.py --quick    # a subset

1. Correctness: flash_attention forward and backward against SDPA (fp16, bf16; causal or
   not; a varlen batch against per-sequence SDPA) and the 2-simplicial kernel against a
   naive einsum on small shapes. Any mismatch stops the script with exit code 1.
2. Throughput: flash_attention forward and forward+backward against SDPA with the
   FlashAttention backend, seq 1k-16k (16k tokens per batch, 16 heads), head_dim 64/128,
   fp16 and bf16; FLOPs counted as 4 n^2 d per head forward (half with a causal mask)
   and 2.5x that backward. Target: forward >= 0.7x SDPA.
3. The 2-simplicial Triton forward with windows (w1, w2) = (512, 32), FLOPs counted as
   4 n w1 w2 d per head (score products and value products); published anchor: 337
   TFLOP/s for the Triton 2-simplicial forward on an H100 (Roy et al., arXiv:2507.02754).
"""

from __future__ import annotations

import argparse
import sys

import torch


def _check_flash() -> None:
    from rl_shared.attention import flash_attention, flash_attention_reference

    torch.manual_seed(0)
    for dtype in (torch.float16, torch.bfloat16):
        for causal in (False, True):
            for d in (64, 128):
                q, k, v = (
                    torch.randn(2, 4, 1000, d, device="cuda", dtype=dtype, requires_grad=True)
                    for _ in range(3)
                )
                out = flash_attention(q, k, v, causal=causal)
                grad = torch.randn_like(out)
                out.backward(grad)
                ours = [out, q.grad, k.grad, v.grad]
                for t in (q, k, v):
                    t.grad = None
                ref_out = flash_attention_reference(q.float(), k.float(), v.float(), causal=causal)
                ref_out.backward(grad.float())
                refs = [ref_out, q.grad, k.grad, v.grad]
                tol = 2e-2 if dtype == torch.float16 else 6e-2
                for name, a, b in zip(("out", "dq", "dk", "dv"), ours, refs, strict=True):
                    err = (a.float() - b.float()).abs().max().item()
                    if err > tol:
                        sys.exit(
                            f"FAIL flash {dtype} causal={causal} d={d} {name}: max error {err:.3g} > {tol}"
                        )
    cu = torch.tensor([0, 100, 612, 613, 2000], dtype=torch.int32, device="cuda")
    q, k, v = (torch.randn(1, 4, 2000, 64, device="cuda", dtype=torch.float16) for _ in range(3))
    err = (
        (
            flash_attention(q, k, v, causal=True, cu_seqlens=cu).float()
            - flash_attention_reference(q.float(), k.float(), v.float(), causal=True, cu_seqlens=cu)
        )
        .abs()
        .max()
        .item()
    )
    if err > 2e-2:
        sys.exit(f"FAIL flash varlen: max error {err:.3g}")
    print("flash_attention: forward/backward match SDPA (fp16, bf16, causal, varlen)")


def _check_simplicial() -> None:
    from rl_shared.attention.simplicial_triton import simplicial_attention_triton

    torch.manual_seed(0)
    n, d = 128, 64
    xs = [
        torch.randn(1, 2, n, d, device="cuda", dtype=torch.float16, requires_grad=True)
        for _ in range(5)
    ]
    out = simplicial_attention_triton(*xs, window=(64, 16))
    out.float().sum().backward()
    ref_in = [x.detach().float().requires_grad_() for x in xs]
    q, k1, k2, v1, v2 = ref_in
    i, j, l = (
        torch.arange(n, device="cuda").view(*s) for s in ((-1, 1, 1), (1, -1, 1), (1, 1, -1))
    )
    keep = (j <= i) & (j > i - 64) & (l <= i) & (l > i - 16)
    s = torch.einsum("bhid,bhjd,bhld->bhijl", q, k1, k2) * d**-0.5
    p = torch.softmax(s.masked_fill(~keep, float("-inf")).flatten(-2), -1).view_as(s)
    ref = torch.einsum("bhijl,bhjd,bhld->bhid", p, v1, v2)
    ref.sum().backward()
    for name, a, b in zip(
        ("out", "dq", "dk1", "dk2", "dv1", "dv2"),
        [out, *(x.grad for x in xs)],
        [ref, *(x.grad for x in ref_in)],
        strict=True,
    ):
        err = (a.float() - b).abs().max().item()
        if err > 3e-2:
            sys.exit(f"FAIL simplicial {name}: max error {err:.3g}")
    print("simplicial_attention_triton: forward/backward match the einsum reference")


def _bench_flash(quick: bool) -> None:
    from torch.nn.attention import SDPBackend, sdpa_kernel
    from triton.testing import do_bench

    from rl_shared.attention import flash_attention

    seqs = (1024, 4096) if quick else (1024, 2048, 4096, 8192, 16384)
    print(
        f"\n{'dtype':8} {'d':>4} {'seq':>6} {'causal':>6} | {'fwd ours':>9} {'fwd SDPA':>9} {'ratio':>6} | "
        f"{'f+b ours':>9} {'f+b SDPA':>9} {'ratio':>6}   (TFLOP/s)"
    )
    for dtype in (torch.float16, torch.bfloat16):
        for d in (64, 128):
            for n in seqs:
                for causal in (False, True):
                    heads, batch = 2048 // d, max(1, 16384 // n)
                    q, k, v = (
                        torch.randn(
                            batch, heads, n, d, device="cuda", dtype=dtype, requires_grad=True
                        )
                        for _ in range(3)
                    )
                    flops = 4 * batch * heads * n * n * d / (2 if causal else 1)

                    def sdpa(q=q, k=k, v=v, causal=causal):
                        with sdpa_kernel(SDPBackend.FLASH_ATTENTION):
                            return torch.nn.functional.scaled_dot_product_attention(
                                q, k, v, is_causal=causal
                            )

                    def ours(q=q, k=k, v=v, causal=causal):
                        return flash_attention(q, k, v, causal=causal)

                    row = []
                    for fn in (ours, sdpa):
                        row.append(flops / do_bench(fn) * 1e-9)
                    for fn in (ours, sdpa):
                        out = fn()
                        grad = torch.randn_like(out)
                        row.append(
                            3.5
                            * flops
                            / do_bench(lambda fn=fn, grad=grad: fn().backward(grad))
                            * 1e-9
                        )
                    name = str(dtype).split(".")[-1]
                    print(
                        f"{name:8} {d:>4} {n:>6} {causal!s:>6} | {row[0]:9.1f} {row[1]:9.1f} {row[0] / row[1]:6.2f} | "
                        f"{row[2]:9.1f} {row[3]:9.1f} {row[2] / row[3]:6.2f}"
                    )


def _bench_simplicial(quick: bool) -> None:
    from triton.testing import do_bench

    from rl_shared.attention.simplicial_triton import simplicial_attention_triton

    w1, w2, d, heads = 512, 32, 128, 8
    print(
        f"\n2-simplicial Triton forward, windows ({w1}, {w2}), head_dim {d}, {heads} heads (anchor: 337 TFLOP/s, H100)"
    )
    for n in (2048,) if quick else (2048, 8192, 16384):
        xs = [torch.randn(1, heads, n, d, device="cuda", dtype=torch.bfloat16) for _ in range(5)]
        ms = do_bench(lambda xs=xs: simplicial_attention_triton(*xs, window=(w1, w2)))
        flops = 4 * heads * n * w1 * w2 * d
        print(f"  seq {n:>6}: {ms:8.2f} ms  {flops / ms * 1e-9:7.1f} TFLOP/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print("gpu_attention: no CUDA device; GPU benchmark skipped")
        return
    print(f"device: {torch.cuda.get_device_name()}, torch {torch.__version__}")
    _check_flash()
    _check_simplicial()
    _bench_flash(args.quick)
    _bench_simplicial(args.quick)


if __name__ == "__main__":
    main()
