"""Worker launched by torchrun in test_distributed.py: global-negative InfoNCE on one rank's slice."""

import os
import sys

import torch
import torch.distributed as dist

from rl_shared.losses import info_nce

WORLD, B, D = 2, 4, 8


def data() -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    return [
        torch.randn(WORLD * B, *shape, generator=g, dtype=torch.float64)
        for shape in ((D,), (D,), (2, D))
    ]


def main(out: str) -> None:
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    try:
        a, p, n = (t[rank * B : (rank + 1) * B].clone().requires_grad_() for t in data())
        loss = info_nce(a, p, n, temperature=0.1, gather_across_ranks=True)
        loss.backward()
        mean_loss = loss.detach().clone()
        dist.all_reduce(mean_loss)
        torch.save(
            {"loss": mean_loss / WORLD, "grad_a": a.grad, "grad_p": p.grad, "grad_n": n.grad},
            os.path.join(out, f"rank{rank}.pt"),
        )
        dist.barrier()
    finally:
        dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1])
