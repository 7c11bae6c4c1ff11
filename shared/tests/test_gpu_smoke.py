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
