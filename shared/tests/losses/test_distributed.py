"""Global in-batch negatives: 2 gloo processes (torchrun) equal one process on the concatenated batch."""

import importlib.util
import socket
import subprocess
import sys
from pathlib import Path

import torch

from rl_shared.losses import info_nce

WORKER = Path(__file__).with_name("gloo_worker.py")
_spec = importlib.util.spec_from_file_location("gloo_worker", WORKER)
worker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(worker)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gathered_loss_and_gradients_equal_single_process(tmp_path):
    cmd = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--nproc-per-node",
        str(worker.WORLD),
        "--master-addr",
        "127.0.0.1",
        "--master-port",
        str(_free_port()),
        str(WORKER),
        str(tmp_path),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    a, p, n = (t.clone().requires_grad_() for t in worker.data())
    single = info_nce(a, p, n, temperature=0.1)
    single.backward()
    ranks = [torch.load(tmp_path / f"rank{r}.pt", weights_only=True) for r in range(worker.WORLD)]
    assert abs(float(ranks[0]["loss"]) - float(single.detach())) < 1e-10
    for key, full in (("grad_a", a.grad), ("grad_p", p.grad), ("grad_n", n.grad)):
        # each rank's gradient sums every rank's loss; DDP then averages over the world
        gathered = torch.cat([r[key] for r in ranks]) / worker.WORLD
        assert torch.allclose(gathered, full, atol=1e-12), key
