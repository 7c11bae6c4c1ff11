"""GPU smoke check: every paper's reproduction, at the smoke size, on CUDA in fp32 and bf16.

Run on a machine with a CUDA GPU (prints why and exits 0 without one):

    python shared/benchmarks/gpu_smoke.py                 # every reproduction whose data is present
    python shared/benchmarks/gpu_smoke.py text.2dmse ...  # some of them

For each reproduction it runs the real code path (data loading, a few training steps,
evaluation, report) three times through the harness, as ``rl reproduce NAME --smoke`` does:
on the CPU in fp32, on CUDA in fp32 and on CUDA in bf16. It checks that each run ends ``ok``
with finite metrics, and that the fp32 CUDA metrics agree with the CPU's within
``--tolerance`` (absolute, default 0.05: a few training steps on another device differ by
floating-point summation order, which a handful of optimizer steps amplifies), then prints one
table: reproduction, CPU seconds, CUDA fp32 seconds, their ratio, CUDA bf16 seconds, peak GPU
memory, and the largest fp32 metric difference. Then it runs ``gpu_attention.py --quick``.
Exit code 1 when any check fails.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
from pathlib import Path


def _finite(metrics: dict[str, object]) -> bool:
    return all(math.isfinite(float(v)) for v in metrics.values() if isinstance(v, int | float))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="reproductions (default: all with data)")
    parser.add_argument("--tolerance", type=float, default=0.05)
    args = parser.parse_args()

    import torch

    if not torch.cuda.is_available():
        print(
            "gpu_smoke: no CUDA device is visible here; nothing to check (run it on a GPU machine)"
        )
        return 0
    from rich.console import Console

    from rl_shared.data import list_datasets
    from rl_shared.reproduce.harness import run_reproductions
    from rl_shared.reproduce.registry import list_reproductions

    available = list_reproductions()
    datasets = list_datasets()
    chosen = [available[n] for n in args.names] if args.names else list(available.values())
    chosen = [r for r in chosen if not r.missing_datasets(datasets)]
    console = Console(stderr=True)
    rows, failures = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for repro in chosen:
            runs = {}
            for device, precision in (("cpu", "fp32"), ("cuda", "fp32"), ("cuda", "bf16")):
                torch.cuda.reset_peak_memory_stats()
                out = Path(tmp) / f"{device}-{precision}"
                (outcome,) = run_reproductions(
                    [repro], out, size="smoke", console=console, device=device, precision=precision
                )
                peak = torch.cuda.max_memory_allocated() / 2**20
                runs[device, precision] = (outcome, peak)
                metrics = outcome.result.metrics if outcome.result else {}
                if outcome.status != "ok" or not _finite(metrics):
                    failures.append(
                        f"{repro.name} {device} {precision}: {outcome.status} {outcome.message}"
                    )
            cpu, cuda, bf16 = (
                runs["cpu", "fp32"][0],
                runs["cuda", "fp32"][0],
                runs["cuda", "bf16"][0],
            )
            diff = float("nan")
            if cpu.result and cuda.result:
                shared = [
                    k
                    for k, v in cpu.result.metrics.items()
                    if isinstance(v, int | float)
                    and isinstance(cuda.result.metrics.get(k), int | float)
                ]
                diff = max(
                    (
                        abs(float(cpu.result.metrics[k]) - float(cuda.result.metrics[k]))
                        for k in shared
                    ),
                    default=0.0,
                )
                if diff > args.tolerance:
                    failures.append(
                        f"{repro.name}: fp32 CUDA metrics differ from the CPU's by {diff:.3g}"
                    )
            rows.append(
                (
                    repro.name,
                    cpu.seconds,
                    cuda.seconds,
                    bf16.seconds,
                    max(p for _, p in runs.values()),
                    diff,
                )
            )
    print(
        f"| reproduction | CPU s | CUDA fp32 s | CPU / CUDA | CUDA bf16 s | peak GPU MiB | max fp32 Δ (tol {args.tolerance}) |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, cpu_s, cuda_s, bf16_s, peak, diff in rows:
        ratio = cpu_s / cuda_s if cuda_s else float("nan")
        print(
            f"| {name} | {cpu_s:.1f} | {cuda_s:.1f} | {ratio:.2f} | {bf16_s:.1f} | {peak:.0f} | {diff:.3g} |"
        )
    attention = Path(__file__).with_name("gpu_attention.py")
    code = subprocess.run([sys.executable, str(attention), "--quick"], check=False).returncode
    if code:
        failures.append(f"gpu_attention.py --quick exited {code}")
    for line in failures:
        print("FAIL", line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
