"""The grounded-sentence experiment: grounded encoder vs caption-only autoencoder vs untrained.

Example:
    >>> r = grounded_experiment(steps=2, num_scenes=8, test_scenes=10, size=32, stsb=False, encoder="resnet18")
    >>> sorted(k for k in r if k.startswith("grounded.c2i"))
    ['grounded.c2i.r@1', 'grounded.c2i.r@10', 'grounded.c2i.r@5']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import torch

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
    progress: Callable[[Iterable[int], str], Iterable[int]] | None = None,
) -> dict[str, Any]:
    """Train both encoders on the same captions; return retrieval and STS-B metrics."""
    cfg = GroundedConfig(
        steps=steps, num_scenes=num_scenes, size=size, seed=seed, encoder=encoder,
        batch_size=min(batch_size, num_scenes),
    )  # fmt: skip
    train_data = make_caption_data(range(num_scenes), size, cfg.captions_per_scene)
    test_data = make_caption_data(
        range(TEST_SEED_OFFSET, TEST_SEED_OFFSET + test_scenes), size, cfg.captions_per_scene
    )
    grounded = train_grounded(cfg, train_data, progress)
    autoencoder = train_autoencoder(cfg, train_data, progress)
    torch.manual_seed(seed)
    untrained = CharSentenceEncoder(len(CharVocab()), hidden=cfg.hidden).eval()
    out: dict[str, Any] = {}
    out |= {f"grounded.{k}": v for k, v in evaluate_retrieval(grounded, test_data).items()}
    out |= {
        f"autoencoder.{k}": v
        for k, v in evaluate_retrieval(None, test_data, autoencoder.encoder).items()
    }
    out |= {f"untrained.{k}": v for k, v in evaluate_retrieval(None, test_data, untrained).items()}
    if stsb:
        s1, s2, gold = load_stsb_test()
        for name, enc in (
            ("grounded", grounded.sentences),
            ("autoencoder", autoencoder.encoder),
            ("untrained", untrained),
        ):
            out[f"{name}.stsb_spearman"] = sts_spearman(
                lambda t, e=enc: encode_sentences(e, t), s1, s2, gold
            )
    return out
