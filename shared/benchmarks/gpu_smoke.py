"""GPU smoke check: every paper's model trains on CUDA in fp32 and bf16, and starts where the CPU does.

Run on a machine with a CUDA GPU (prints why and exits 0 without one):

    python shared/benchmarks/gpu_smoke.py                 # every reproduction whose data is present
    python shared/benchmarks/gpu_smoke.py text.2dmse ...  # some of them
    python shared/benchmarks/gpu_smoke.py --device cpu    # a dry run of the script on the CPU

For each reproduction it runs the real code path (data, training, evaluation, report) at the
smoke size three times, as ``rl reproduce NAME --smoke`` does: on the CPU in fp32, then on
the device in fp32 and in bf16, while :func:`rl_shared.testing.steps.record_training_steps`
logs every ``Accelerator.backward`` call (each hand-written loop and sentence-transformers'
trainer go through it). The first loop of each run with at least ``--steps`` (5) steps is
the paper's model (reproductions train it before their baselines or beside them) and is
checked:

- every recorded loss of every loop is finite, and the run ends ``ok``;
- the loss falls: the lowest loss of steps 2..5 is below step 1's (a minibatch loss is
  noisy, so no later step is required to be the lowest);
- step 1's fp32 loss on the device is within ``--rtol`` (relative, default 0.05) of the
  CPU's: the weights are initialised on the CPU from the same seed and the first batch is the
  same, so only summation order and the draws of dropout or sampling layers (which come from
  the device's own generator) differ.

Then it prints one table (reproduction, step 1 loss on each, step time on the CPU and on the
device in fp32 and bf16 as the median of steps 2..5, their ratio, peak GPU memory) and runs
``gpu_attention.py --quick``. Reproductions that train no network (BM25, gensim, SCF-only)
appear with "no training loop". Exit code 1 when any check fails.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    """One reproduction on one device and precision."""

    status: str
    message: str
    losses: list[float] | None  # the first loop's first ``steps`` losses
    step_s: float
    all_finite: bool
    peak_mib: float


def check(name: str, cpu: Run, fp32: Run, bf16: Run, rtol: float) -> list[str]:
    """The failures of one reproduction's three runs (empty when it passes).

    Example:
        >>> ok = Run("ok", "", [2.0, 1.5, 1.0, 1.2, 0.9], 0.1, True, 0.0)
        >>> check("toy", ok, ok, ok, 0.05)
        []
        >>> flat = Run("ok", "", [2.0, 2.0, 2.1, 2.0, 2.2], 0.1, True, 0.0)
        >>> check("toy", ok, flat, ok, 0.05)
        ['toy cuda fp32: the loss did not fall below step 1 (2) in 5 steps']
        >>> off = Run("ok", "", [2.2, 1.5, 1.0, 1.2, 0.9], 0.1, True, 0.0)
        >>> check("toy", ok, off, ok, 0.05)
        ["toy: step 1's fp32 loss 2.2 is 0.1 off the CPU's 2 (rtol 0.05)"]
    """
    failures = []
    for label, run in (("cpu fp32", cpu), ("cuda fp32", fp32), ("cuda bf16", bf16)):
        if run.status != "ok":
            failures.append(f"{name} {label}: {run.status} {run.message}".rstrip())
        if not run.all_finite:
            failures.append(f"{name} {label}: a training loss is not finite")
        if run.losses and not min(run.losses[1:]) < run.losses[0]:
            failures.append(
                f"{name} {label}: the loss did not fall below step 1 ({run.losses[0]:.4g}) "
                f"in {len(run.losses)} steps"
            )
    if cpu.losses and fp32.losses:
        a, b = cpu.losses[0], fp32.losses[0]
        if not abs(a - b) <= rtol * max(abs(a), 1e-12):
            failures.append(
                f"{name}: step 1's fp32 loss {b:.6g} is {abs(a - b) / max(abs(a), 1e-12):.2g} "
                f"off the CPU's {a:.6g} (rtol {rtol})"
            )
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="reproductions (default: all with data)")
    parser.add_argument("--steps", type=int, default=5, help="steps checked per loop")
    parser.add_argument("--rtol", type=float, default=0.05, help="step 1 loss, device vs CPU")
    parser.add_argument(
        "--device", default="cuda", help="cuda (default), cuda:N, or cpu for a dry run"
    )
    args = parser.parse_args()
    if args.steps < 2:
        parser.error("--steps must be at least 2")

    import torch

    on_cuda = args.device.startswith("cuda")
    if on_cuda and not torch.cuda.is_available():
        print(
            "gpu_smoke: no CUDA device is visible here; nothing to check (run it on a GPU machine)"
        )
        return 0
    from rich.console import Console

    from rl_shared.data import list_datasets
    from rl_shared.reproduce.harness import run_reproductions
    from rl_shared.reproduce.registry import list_reproductions
    from rl_shared.testing.steps import record_training_steps, step_seconds

    available = list_reproductions()
    unknown = [n for n in args.names if n not in available]
    if unknown:
        parser.error(f"unknown reproduction(s): {', '.join(unknown)}")
    datasets = list_datasets()
    chosen = [available[n] for n in args.names] if args.names else list(available.values())
    chosen = [r for r in chosen if not r.missing_datasets(datasets)]
    console = Console(stderr=True)
    rows, failures = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for repro in chosen:
            runs = []
            for device, precision in (
                ("cpu", "fp32"),
                (args.device, "fp32"),
                (args.device, "bf16"),
            ):
                if on_cuda:
                    torch.cuda.reset_peak_memory_stats()
                with record_training_steps() as log:
                    (outcome,) = run_reproductions(
                        [repro],
                        Path(tmp) / f"{device}-{precision}",
                        size="smoke",
                        console=console,
                        device=device,
                        precision=precision,
                    )
                first = log.first_loop(args.steps)
                runs.append(
                    Run(
                        outcome.status,
                        outcome.message,
                        [s.loss for s in first] if first else None,
                        step_seconds(first) if first else math.nan,
                        log.all_finite(),
                        torch.cuda.max_memory_allocated() / 2**20 if on_cuda else math.nan,
                    )
                )
            cpu, fp32, bf16 = runs
            failures += check(repro.name, cpu, fp32, bf16, args.rtol)
            rows.append((repro.name, cpu, fp32, bf16))
    print(
        f"| reproduction | step 1 loss CPU | step 1 loss {args.device} fp32 | CPU s/step "
        f"| {args.device} fp32 s/step | CPU / {args.device} | {args.device} bf16 s/step "
        "| peak GPU MiB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, cpu, fp32, bf16 in rows:
        if not (cpu.losses and fp32.losses):
            print(f"| {name} | no training loop | | | | | | |")
            continue
        peak = f"{max(fp32.peak_mib, bf16.peak_mib):.0f}" if on_cuda else "n/a"
        print(
            f"| {name} | {cpu.losses[0]:.6g} | {fp32.losses[0]:.6g} | {cpu.step_s:.4f} "
            f"| {fp32.step_s:.4f} | {cpu.step_s / fp32.step_s:.2f} | {bf16.step_s:.4f} "
            f"| {peak} |"
        )
    if on_cuda:
        attention = Path(__file__).with_name("gpu_attention.py")
        code = subprocess.run([sys.executable, str(attention), "--quick"], check=False).returncode
        if code:
            failures.append(f"gpu_attention.py --quick exited {code}")
    for line in failures:
        print("FAIL", line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
