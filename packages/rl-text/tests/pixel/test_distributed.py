"""``torchrun``, 2 gloo processes: ``rl text pixel train`` takes the one-process step.

Both processes draw the same global batch of 8 pairs; each renders and encodes its 4, and
the symmetric InfoNCE gathers every rank's embeddings as negatives
(:mod:`rl_text.pixel.loss`). With dropout off, the first step's loss (the mean over the
ranks) and the gradients (after DDP's average and the clipping to norm 1) equal those of
one process on all 8 pairs, to ``atol=1e-6, rtol=1e-4`` (the summation order differs).
Only rank 0 writes under OUT.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import torch

from rl_shared.testing.distributed import read_writes, torchrun
from rl_text.pixel.model import PixelConfig, PixelEncoder
from rl_text.pixel.train import new_encoder

WORKER = Path(__file__).with_name("distributed_worker.py")
PAIRS = [
    ("a man plays the guitar", "a man plays a guitar"),
    ("a cat sits on the bed", "the cat sleeps on a bed"),
    ("the woman drives a red car", "a woman drives a car"),
    ("a child kicks the ball", "the child kicks a ball"),
    ("a dog runs in the park", "a dog runs in a park"),
    ("the big cat eats", "a big cat eats food"),
    ("the man eats food", "a man eats"),
    ("a small dog plays", "the small dog plays with a ball"),
]
ATOL, RTOL = 1e-6, 1e-4


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
    config = PixelConfig(max_patches=8, hidden_size=32, layers=1, heads=2, dropout=0.0)
    model = str(new_encoder(config, seed=0).save(tmp_path / "tiny"))
    assert PixelEncoder.load(model).config.dropout == 0.0
    data = tmp_path / "pairs.tsv"
    data.write_text("".join(f"{a}\t{b}\n" for a, b in PAIRS), encoding="utf-8")
    out, logs, results = (tmp_path / part for part in ("out", "logs", "results"))
    for folder in (out, logs, results):
        folder.mkdir()
    batch = str(len(PAIRS))
    torchrun(WORKER, model, str(data), batch, str(out), str(logs), str(results), nproc=2)
    ref = _worker().run(model, str(data), batch, str(tmp_path / "one"))  # one process, 8 pairs
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
