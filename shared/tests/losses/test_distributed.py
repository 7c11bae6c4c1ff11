"""Global in-batch negatives: 2 gloo processes equal one process on the concatenated batch."""

import os
import socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from rl_shared.losses import info_nce

WORLD, B, D = 2, 4, 8


def _data():
    g = torch.Generator().manual_seed(0)
    return [torch.randn(WORLD * B, *shape, generator=g, dtype=torch.float64) for shape in ((D,), (D,), (2, D))]


def _worker(rank: int, port: int, out: str) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=WORLD)
    try:
        a, p, n = (t[rank * B : (rank + 1) * B].clone().requires_grad_() for t in _data())
        loss = info_nce(a, p, n, temperature=0.1, gather_across_ranks=True)
        loss.backward()
        mean_loss = loss.detach().clone()
        dist.all_reduce(mean_loss)
        torch.save({"loss": mean_loss / WORLD, "grad_a": a.grad, "grad_p": p.grad, "grad_n": n.grad},
                   os.path.join(out, f"rank{rank}.pt"))
    finally:
        dist.destroy_process_group()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gathered_loss_and_gradients_equal_single_process(tmp_path):
    mp.spawn(_worker, args=(_free_port(), str(tmp_path)), nprocs=WORLD, join=True)
    a, p, n = (t.clone().requires_grad_() for t in _data())
    single = info_nce(a, p, n, temperature=0.1)
    single.backward()
    ranks = [torch.load(tmp_path / f"rank{r}.pt", weights_only=True) for r in range(WORLD)]
    assert abs(float(ranks[0]["loss"]) - float(single)) < 1e-10
    for key, full in (("grad_a", a.grad), ("grad_p", p.grad), ("grad_n", n.grad)):
        # each rank's gradient is the sum over ranks' losses; DDP averages it over the world
        gathered = torch.cat([r[key] for r in ranks]) / WORLD
        assert torch.allclose(gathered, full, atol=1e-12), key
