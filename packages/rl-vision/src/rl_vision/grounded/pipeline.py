"""The grounded-sentence experiment: grounded encoder vs caption-only autoencoder vs untrained.

With ``out``, both trainings are checkpointed (``out/checkpoints``,
``out/autoencoder/checkpoints``; ``resume=True`` continues them), the grounded model is
saved to ``out/final`` (load it with :func:`~rl_vision.grounded.storage.load_grounded`)
and the metrics to ``out/metrics.json``.

Example:
    >>> r = grounded_experiment(steps=2, num_scenes=8, test_scenes=10, size=32, stsb=False, encoder="resnet18")
    >>> sorted(k for k in r if k.startswith("grounded.c2i"))
    ['grounded.c2i.r@1', 'grounded.c2i.r@10', 'grounded.c2i.r@5']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import torch

from rl_shared.errors import BadInput
from rl_shared.io import atomic_write_json
from rl_vision.grounded.char_encoder import CharSentenceEncoder, CharVocab
from rl_vision.grounded.evaluation import load_stsb_test, sts_spearman
from rl_vision.grounded.training import (
    GroundedConfig,
    encode_sentences,
    evaluate_retrieval,
    make_caption_data,
    train_autoencoder,
    train_grounded,
)

__all__ = ["TEST_SEED_OFFSET", "grounded_experiment"]

TEST_SEED_OFFSET = 2_000_000


def grounded_experiment(
    steps: int = 600,
    num_scenes: int = 1000,
    test_scenes: int = 200,
    seed: int = 0,
    *,
    size: int = 64,
    batch_size: int = 32,
    encoder: str = "tu-mobilenetv3_small_050",
    stsb: bool = True,
    out: str | Path | None = None,
    resume: bool = False,
    checkpoint_every: int = 100,
    progress: Callable[[Iterable[int], str], Iterable[int]] | None = None,
) -> dict[str, Any]:
    """Train both encoders on the same captions; return retrieval and STS-B metrics.

    Args:
        out: run folder for checkpoints, the grounded model and the metrics (optional).
        resume: continue both trainings from their newest checkpoints in ``out``.
        checkpoint_every: steps between checkpoints.
        Others: sizes of the experiment (see :class:`GroundedConfig`).
    """
    if resume and out is None:
        raise BadInput("--resume needs the run folder (--out) to continue from")
    if out is not None:
        out = Path(out)
        if out.exists() and not out.is_dir():
            raise BadInput(f"{out} is a file; --out must be a folder")
        if out.is_dir() and any(out.iterdir()) and not resume:
            if (out / "checkpoints").is_dir():
                raise BadInput(f"{out} already holds a run; add --resume to continue it")
            raise BadInput(f"{out} exists and is not a grounded run folder; choose another --out")
    cfg = GroundedConfig(
        steps=steps, num_scenes=num_scenes, size=size, seed=seed, encoder=encoder,
        batch_size=min(batch_size, num_scenes), checkpoint_every=checkpoint_every,
    )  # fmt: skip
    train_data = make_caption_data(range(num_scenes), size, cfg.captions_per_scene)
    test_data = make_caption_data(
        range(TEST_SEED_OFFSET, TEST_SEED_OFFSET + test_scenes), size, cfg.captions_per_scene
    )
    ae_dir = out / "autoencoder" if out is not None else None
    grounded = train_grounded(cfg, train_data, progress, out_dir=out, resume=resume)
    autoencoder = train_autoencoder(cfg, train_data, progress, out_dir=ae_dir, resume=resume)
    torch.manual_seed(seed)
    untrained = CharSentenceEncoder(len(CharVocab()), hidden=cfg.hidden).eval()
    metrics: dict[str, Any] = {}
    metrics |= {f"grounded.{k}": v for k, v in evaluate_retrieval(grounded, test_data).items()}
    metrics |= {
        f"autoencoder.{k}": v
        for k, v in evaluate_retrieval(None, test_data, autoencoder.encoder).items()
    }
    metrics |= {
        f"untrained.{k}": v for k, v in evaluate_retrieval(None, test_data, untrained).items()
    }
    if stsb:
        s1, s2, gold = load_stsb_test()
        for name, enc in (
            ("grounded", grounded.sentences),
            ("autoencoder", autoencoder.encoder),
            ("untrained", untrained),
        ):
            metrics[f"{name}.stsb_spearman"] = sts_spearman(
                lambda t, e=enc: encode_sentences(e, t), s1, s2, gold
            )
    if out is not None:
        atomic_write_json(out / "metrics.json", metrics)
    return metrics
