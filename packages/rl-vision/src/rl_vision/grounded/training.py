"""Train and evaluate the grounded sentence encoder and its autoencoder baseline.

Data: generated scenes (:mod:`rl_vision.scenes`) with ``captions_per_scene`` captions each
(:func:`~rl_vision.scenes.captions.make_captions`). The grounded model pairs each image
with one of its captions per step and minimises
:func:`~rl_vision.grounded.losses.hinge_contrastive`; the baseline
(:class:`~rl_vision.grounded.autoencoder.CharAutoencoder`) reconstructs the same captions.

Example:
    >>> cfg = GroundedConfig(steps=2, batch_size=4, num_scenes=8, size=32, hidden=16, depth=3)
    >>> data = make_caption_data(range(8), 32, 2)
    >>> model = train_grounded(cfg, data)
    >>> sorted(evaluate_retrieval(model, data))[:2]
    ['c2c.r@1', 'c2c.r@10']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput, NonFiniteLoss
from rl_vision.grounded.autoencoder import CharAutoencoder
from rl_vision.grounded.char_encoder import CharSentenceEncoder, CharVocab
from rl_vision.grounded.evaluation import recall_at_k
from rl_vision.grounded.image_encoder import ImageEncoder
from rl_vision.grounded.losses import hinge_contrastive
from rl_vision.scenes.captions import make_captions
from rl_vision.scenes.layout import make_layout
from rl_vision.scenes.render import render_scene

__all__ = [
    "CaptionData",
    "GroundedConfig",
    "GroundedModel",
    "encode_sentences",
    "evaluate_retrieval",
    "make_caption_data",
    "train_autoencoder",
    "train_grounded",
]

Progress = Callable[[Iterable[int], str], Iterable[int]]


@dataclass
class GroundedConfig:
    """Hyper-parameters of the grounded model and the autoencoder baseline."""

    steps: int = 600
    batch_size: int = 32
    lr: float = 2e-3
    num_scenes: int = 1000
    captions_per_scene: int = 5
    size: int = 64
    hidden: int = 128
    dim: int = 256
    margin: float = 0.2
    encoder: str = "resnet18"
    depth: int = 4
    seed: int = 0


@dataclass
class CaptionData:
    """Images ``(N, 3, H, W)`` and ``captions[i]``, the captions of image ``i``."""

    images: Tensor
    captions: list[list[str]]


def make_caption_data(
    seeds: Iterable[int], size: int = 64, captions_per_scene: int = 5
) -> CaptionData:
    """Render scenes for ``seeds`` and caption each (clean condition)."""
    images, caps = [], []
    for s in seeds:
        scene = render_scene(make_layout(s), size)
        images.append((scene.rgb - 0.5) / 0.25)
        caps.append(make_captions(scene, captions_per_scene, seed=s))
    return CaptionData(torch.from_numpy(np.stack(images)).float(), caps)


class GroundedModel(nn.Module):
    """Character sentence encoder and image encoder sharing one space."""

    def __init__(self, config: GroundedConfig) -> None:
        super().__init__()
        self.vocab = CharVocab()
        self.sentences = CharSentenceEncoder(len(self.vocab), hidden=config.hidden)
        self.images = ImageEncoder(self.sentences.dim, config.encoder, config.depth)

    def encode_text(self, texts: Sequence[str]) -> Tensor:
        return self.sentences(*self.vocab.encode_batch(list(texts)))


def _check_finite(loss: Tensor, step: int) -> None:
    if not torch.isfinite(loss):
        raise NonFiniteLoss(
            f"the loss became {float(loss)} at step {step}; lower the learning rate"
        )


def train_grounded(
    config: GroundedConfig, data: CaptionData, progress: Progress | None = None
) -> GroundedModel:
    """Train the grounded model on image-caption pairs with the hinge contrastive loss."""
    if len(data.captions) < max(2, config.batch_size):
        raise BadInput("need at least batch_size (and 2) scenes to train the grounded model")
    torch.manual_seed(config.seed)
    model = GroundedModel(config)
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, config.lr, total_steps=config.steps, pct_start=0.1
    )
    gen = torch.Generator().manual_seed(config.seed)
    steps: Iterable[int] = range(config.steps)
    if progress is not None:
        steps = progress(steps, "train grounded")
    model.train()
    for step in steps:
        idx = torch.randperm(len(data.captions), generator=gen)[: config.batch_size]
        pick = torch.randint(0, 1 << 30, (len(idx),), generator=gen).tolist()
        texts = [data.captions[i][p % len(data.captions[i])] for i, p in zip(idx.tolist(), pick)]
        loss = hinge_contrastive(
            model.images(data.images[idx]), model.encode_text(texts), margin=config.margin
        )
        _check_finite(loss, step)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 2.0)
        opt.step()
        sched.step()
    return model.eval()


def train_autoencoder(
    config: GroundedConfig, data: CaptionData, progress: Progress | None = None
) -> CharAutoencoder:
    """Train the caption-only character autoencoder for the same number of steps."""
    torch.manual_seed(config.seed)
    vocab = CharVocab()
    model = CharAutoencoder(len(vocab), hidden=config.hidden)
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, config.lr, total_steps=config.steps, pct_start=0.1
    )
    flat = [c for caps in data.captions for c in caps]
    gen = torch.Generator().manual_seed(config.seed)
    steps: Iterable[int] = range(config.steps)
    if progress is not None:
        steps = progress(steps, "train autoencoder")
    model.train()
    for step in steps:
        idx = torch.randperm(len(flat), generator=gen)[: config.batch_size].tolist()
        loss = model.loss(*vocab.encode_batch([flat[i] for i in idx]))
        _check_finite(loss, step)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 2.0)
        opt.step()
        sched.step()
    return model.eval()


@torch.no_grad()
def encode_sentences(
    encoder: CharSentenceEncoder, texts: Sequence[str], batch_size: int = 256
) -> Tensor:
    """Unit vectors of ``texts`` from a character encoder."""
    vocab = CharVocab()
    encoder.eval()
    return torch.cat(
        [
            encoder(*vocab.encode_batch(list(texts[i : i + batch_size])))
            for i in range(0, len(texts), batch_size)
        ]
    )


@torch.no_grad()
def evaluate_retrieval(
    model: GroundedModel | None, data: CaptionData, encoder: CharSentenceEncoder | None = None
) -> dict[str, float]:
    """Caption->image, image->caption and caption->caption (same scene) recall@1/5/10.

    With ``model=None`` only caption->caption is measured, with ``encoder``.
    """
    enc = model.sentences if model is not None else encoder
    if enc is None:
        raise BadInput("give a grounded model or a sentence encoder")
    flat = [c for caps in data.captions for c in caps]
    owner = torch.tensor([i for i, caps in enumerate(data.captions) for _ in caps])
    cap = encode_sentences(enc, flat)
    out: dict[str, float] = {}
    same = owner[:, None] == owner[None, :]
    scores = cap @ cap.T
    scores.fill_diagonal_(-float("inf"))
    rel = same & ~torch.eye(len(flat), dtype=torch.bool)
    keep = rel.any(1)
    out |= {f"c2c.{k}": v for k, v in recall_at_k(scores[keep], rel[keep]).items()}
    if model is not None:
        model.eval()
        img = torch.cat(
            [model.images(data.images[i : i + 64]) for i in range(0, len(data.images), 64)]
        )
        out |= {f"c2i.{k}": v for k, v in recall_at_k(cap @ img.T, owner).items()}
        i2c_rel = owner[None, :] == torch.arange(len(img))[:, None]
        out |= {f"i2c.{k}": v for k, v in recall_at_k(img @ cap.T, i2c_rel).items()}
    return out
