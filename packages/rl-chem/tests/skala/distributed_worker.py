"""Run by test_distributed.py under torchrun: one real step of ``train_fixed`` per rank.

Each rank trains on its share of the molecules (``[rank::world]``) through the same loop
``rl chem skala train`` runs; it saves the first step's loss (averaged over ranks) and the
gradients DDP left on the weights.

Usage: ``distributed_worker.py OUT_DIR RESULT_DIR`` (``RESULT_DIR/data.pt``: the densities
of :func:`data`, saved by the test so that the ranks run no SCF). With a third argument
``pipeline`` it runs ``train_pipeline`` instead (references into ``RL_CACHE_DIR``, densities,
one step) and logs which systems each rank computed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import torch

from rl_shared.testing.distributed import record_writes

MOLECULES = ["H2", "LiH"]
SYSTEMS = ["H", "Li", *MOLECULES]
REFERENCE = {"H2": 109.0, "LiH": 58.0}


def data() -> dict:
    """The frozen densities every rank (and the one-process run) trains on."""
    from rl_chem.skala.train import fixed_density

    return {n: fixed_density(n, basis="sto-3g", grid_level=0) for n in SYSTEMS}


def first_step(out_dir: str | Path, densities: dict) -> tuple[float, dict[str, torch.Tensor]]:
    """One step of ``train_fixed``: the loss and the gradients of the weights."""
    from rl_chem.skala.model import NeuralXC
    from rl_chem.skala.train import train_fixed

    torch.manual_seed(0)
    model = NeuralXC(hidden=4)
    fit = train_fixed(model, densities, REFERENCE, MOLECULES, [], out_dir, steps=1, lr=1e-2,
                      checkpoint_every=1, resume=False, device="cpu")  # fmt: skip
    grads = {k: p.grad.detach().clone() for k, p in model.named_parameters()}
    return fit["loss"][0], grads


def pipeline(out_dir: str, results: Path, rank: int) -> None:
    """``train_pipeline`` on H2 and LiH (HF references), logging each rank's SCFs."""
    import json

    from rl_chem.core import reference_data
    from rl_chem.skala import train

    computed: dict[str, list[str]] = {"reference": [], "density": []}
    energy, density = reference_data.total_energy, train.fixed_density

    def counted_energy(mol, method):
        computed["reference"].append(f"{mol.natm} atom(s)")
        return energy(mol, method)

    def counted_density(name, **kwargs):
        computed["density"].append(name)
        return density(name, **kwargs)

    reference_data.total_energy, train.fixed_density = counted_energy, counted_density
    fit = train.train_pipeline(MOLECULES, out_dir, basis="sto-3g", steps=1, grid_level=0,
                               n_val=0, n_test=0, method="hf", hidden=4, resume=False,
                               device="cpu")  # fmt: skip
    summary = {"reference_ae": fit["reference_ae"], **computed}
    (results / f"pipeline-rank{rank}.json").write_text(json.dumps(summary))


def main(out_dir: str, results: str, mode: str = "step") -> None:
    rank = int(os.environ["RANK"])
    record_writes(Path(results) / f"writes-rank{rank}.jsonl", out_dir)
    if mode == "pipeline":
        pipeline(out_dir, Path(results), rank)
        return
    from rl_chem.skala.train import FixedDensity

    saved = torch.load(Path(results) / "data.pt", weights_only=True)
    densities = {k: FixedDensity(k, d["weights"], d["rho"], d["e_nonxc"]) for k, d in saved.items()}
    loss, grads = first_step(out_dir, densities)
    torch.save({"loss": loss, "grads": grads}, Path(results) / f"rank{rank}.pt")


if __name__ == "__main__":
    main(*sys.argv[1:4])
