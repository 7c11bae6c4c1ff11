"""Train and evaluate the grounded sentence encoder and its autoencoder baseline.

Data: generated scenes (:mod:`rl_vision.scenes`) with ``captions_per_scene`` captions each
(:func:`~rl_vision.scenes.captions.make_captions`). The grounded model pairs each image
with one of its captions per step and minimises
:func:`~rl_vision.grounded.losses.hinge_contrastive`; the baseline
(:class:`~rl_vision.grounded.autoencoder.CharAutoencoder`) reconstructs the same captions.

Given ``out_dir``, training writes checkpoints to ``out_dir/checkpoints`` with
:class:`rl_shared.checkpoint.CheckpointManager` (safetensors weights; optimizer,
scheduler, RNG and the data-order generator's state), and ``resume=True`` continues from
the newest one, reaching the weights of an uninterrupted run. The trained grounded model
is written to ``out_dir/final`` (:func:`~rl_vision.grounded.storage.save_grounded`).

Example:
    >>> cfg = GroundedConfig(steps=2, batch_size=4, num_scenes=8, size=32, hidden=16, depth=3)
    >>> data = make_caption_data(range(8), 32, 2)
    >>> model = train_grounded(cfg, data)
    >>> sorted(evaluate_retrieval(model, data))[:2]
    ['c2c.r@1', 'c2c.r@10']
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from torch import Tensor, nn

from rl_shared.checkpoint import CheckpointManager
from rl_shared.errors import BadInput, NonFiniteLoss
from rl_vision.grounded.autoencoder import CharAutoencoder
from rl_vision.grounded.char_encoder import CharSentenceEncoder, CharVocab
from rl_vision.grounded.evaluation import recall_at_k
from rl_vision.grounded.losses import hinge_contrastive
from rl_vision.grounded.model import GroundedConfig, GroundedModel
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


def _check_finite(loss: Tensor, step: int) -> None:
    if not torch.isfinite(loss):
        raise NonFiniteLoss(
            f"the loss became {float(loss)} at step {step}; lower the learning rate"
        )


def _encode_generator(gen: torch.Generator) -> str:
    return base64.b64encode(gen.get_state().numpy().tobytes()).decode("ascii")


def _decode_generator(text: str) -> Tensor:
    return torch.frombuffer(bytearray(base64.b64decode(text)), dtype=torch.uint8)


def _fit(
    model: nn.Module,
    config: GroundedConfig,
    step_loss: Callable[[torch.Generator], Tensor],
    desc: str,
    out_dir: str | Path | None,
    resume: bool,
    progress: Progress | None,
) -> None:
    """Adam + one-cycle loop shared by both models, with checkpoints in ``out_dir``."""
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, config.lr, total_steps=config.steps, pct_start=0.1
    )
    gen = torch.Generator().manual_seed(config.seed)
    manager = CheckpointManager(Path(out_dir) / "checkpoints") if out_dir is not None else None
    start = 0
    latest = manager.latest() if resume and manager is not None else None
    if manager is not None and latest is not None:
        saved = json.loads((latest / "state.json").read_text(encoding="utf-8"))
        if saved.get("config") != asdict(config) or "generator" not in saved.get("extra", {}):
            raise BadInput(
                f"the checkpoint in {manager.directory} was trained with another configuration"
            )
        state = manager.load(model, opt, sched)
        gen.set_state(_decode_generator(state.extra["generator"]))
        start = state.step
    steps: Iterable[int] = range(start, config.steps)
    if progress is not None:
        steps = progress(steps, desc)
    model.train()
    for step in steps:
        loss = step_loss(gen)
        _check_finite(loss, step)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 2.0)
        opt.step()
        sched.step()
        done = step + 1
        if manager is not None and (
            done == config.steps
            or (config.checkpoint_every and done % config.checkpoint_every == 0)
        ):
            extra = {"generator": _encode_generator(gen)}
            manager.save(done, model, opt, sched, config=asdict(config), extra=extra)
    model.eval()


def train_grounded(
    config: GroundedConfig,
    data: CaptionData,
    progress: Progress | None = None,
    *,
    out_dir: str | Path | None = None,
    resume: bool = False,
) -> GroundedModel:
    """Train the grounded model on image-caption pairs with the hinge contrastive loss.

    Args:
        config: what to train.
        data: training images and their captions.
        progress: wraps the step range, e.g. a tqdm factory ``(iterable, desc) -> iterable``.
        out_dir: run folder (checkpoints in ``out_dir/checkpoints``, the trained model in
            ``out_dir/final``); ``None`` keeps everything in memory.
        resume: continue from the newest checkpoint in ``out_dir``.
    """
    if len(data.captions) < max(2, config.batch_size):
        raise BadInput("need at least batch_size (and 2) scenes to train the grounded model")
    torch.manual_seed(config.seed)
    model = GroundedModel(config)

    def step_loss(gen: torch.Generator) -> Tensor:
        idx = torch.randperm(len(data.captions), generator=gen)[: config.batch_size]
        pick = torch.randint(0, 1 << 30, (len(idx),), generator=gen).tolist()
        texts = [data.captions[i][p % len(data.captions[i])] for i, p in zip(idx.tolist(), pick)]
        return hinge_contrastive(
            model.images(data.images[idx]), model.encode_text(texts), margin=config.margin
        )

    _fit(model, config, step_loss, "train grounded", out_dir, resume, progress)
    if out_dir is not None:
        from rl_vision.grounded.storage import save_grounded

        save_grounded(model, config, out_dir)
    return model


def train_autoencoder(
    config: GroundedConfig,
    data: CaptionData,
    progress: Progress | None = None,
    *,
    out_dir: str | Path | None = None,
    resume: bool = False,
) -> CharAutoencoder:
    """Train the caption-only character autoencoder for the same number of steps.

    ``out_dir`` and ``resume`` work as in :func:`train_grounded` (checkpoints only).
    """
    torch.manual_seed(config.seed)
    vocab = CharVocab()
    model = CharAutoencoder(len(vocab), hidden=config.hidden)
    flat = [c for caps in data.captions for c in caps]

    def step_loss(gen: torch.Generator) -> Tensor:
        idx = torch.randperm(len(flat), generator=gen)[: config.batch_size].tolist()
        return model.loss(*vocab.encode_batch([flat[i] for i in idx]))

    _fit(model, config, step_loss, "train autoencoder", out_dir, resume, progress)
    return model


@torch.no_grad()
def encode_sentences(
    encoder: CharSentenceEncoder,
    texts: Sequence[str],
    batch_size: int = 256,
    vocab: CharVocab | None = None,
) -> Tensor:
    """Unit vectors of ``texts`` from a character encoder (with ``vocab``, default CharVocab)."""
    vocab = vocab or CharVocab()
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
