"""``shared/benchmarks/gpu_smoke.py`` says why and exits 0 on a machine without CUDA."""

import subprocess
import sys
from pathlib import Path

import pytest
import torch

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "gpu_smoke.py"


@pytest.mark.skipif(torch.cuda.is_available(), reason="a CUDA device is present: run the script")
def test_gpu_smoke_without_cuda_says_so_and_exits_0():
    proc = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (
        "gpu_smoke: no CUDA device is visible here; nothing to check (run it on a GPU machine)"
    )


def test_a_dry_run_on_the_cpu_sees_the_training_loop_and_passes() -> None:
    """``--device cpu`` runs the same checks CPU against CPU: the loop is seen, step 1 agrees."""
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--device", "cpu", "shared.cmim"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (row,) = [line for line in proc.stdout.splitlines() if line.startswith("| shared.cmim")]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == cells[2] and float(cells[1]) > 0  # same seed, same first batch
    assert all(float(c) > 0 for c in cells[3:7]) and cells[7] == "n/a"
    assert "FAIL" not in proc.stdout


def test_unknown_reproduction_is_refused() -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--device", "cpu", "no.such"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "unknown reproduction(s): no.such" in proc.stderr
