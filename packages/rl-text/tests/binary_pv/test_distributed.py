"""``torchrun`` with 2 gloo processes: ``rl text binary-pv train`` takes the one-process step.

Each process trains on its half of the one global batch (the same shuffle and negatives on
both), DDP averages the gradients: the first step's loss (the mean over the ranks) and the
gradients equal those of one process on the whole batch, to ``atol=1e-6, rtol=1e-5`` (the
summation order differs). Only rank 0 writes under OUT.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import torch

from rl_shared.testing.distributed import read_writes, torchrun
from rl_text.binary_pv import Corpus

WORKER = Path(__file__).with_name("distributed_worker.py")
DOCS = ["a cat sat on the mat", "a dog ran in the park", "the cat ran", "a dog sat"] * 3
ATOL, RTOL = 1e-6, 1e-5


def _writes(log: Path) -> list[tuple[str, str]]:
    """The logged writes but ``--out``'s writability probe (an empty folder made and removed
    when the option is parsed, on every rank)."""
    return [(e, p) for e, p in read_writes(log) if not Path(p).name.startswith(".rl-probe-")]


def _worker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"{__name__}_worker", WORKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_processes_take_the_one_process_step(tmp_path: Path) -> None:
    pairs = len(Corpus.build(DOCS, min_count=1).pairs()[1])
    assert pairs % 2 == 0 and pairs <= 512  # one batch of train_pv's 512, equal halves
    data = tmp_path / "docs.txt"
    data.write_text("\n".join(DOCS) + "\n", encoding="utf-8")
    out, logs, results = (tmp_path / part for part in ("out", "logs", "results"))
    for folder in (out, logs, results):
        folder.mkdir()
    torchrun(WORKER, str(data), str(out), str(logs), str(results), nproc=2, timeout=300)
    ref = _worker().run(str(data), str(tmp_path / "one"))  # one process, the whole batch
    ranks = [torch.load(results / f"rank{r}.pt") for r in (0, 1)]
    assert ref["loss"] > 0 and any(bool(g.any()) for g in ref["grads"].values())
    for got in ranks:
        assert abs(got["loss"] - ref["loss"]) <= ATOL + RTOL * abs(ref["loss"])
        assert got["grads"].keys() == ref["grads"].keys()
        for name, grad in ref["grads"].items():
            assert torch.allclose(got["grads"][name], grad, atol=ATOL, rtol=RTOL), name

    assert _writes(logs / "writes-rank1.jsonl") == []
    written = {Path(path).name for _, path in _writes(logs / "writes-rank0.jsonl")}
    assert "config.json" in written or any(n.endswith(".safetensors") for n in written)
    assert (out / "model").is_dir() and (tmp_path / "one" / "model").is_dir()
