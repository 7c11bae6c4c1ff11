"""Train and evaluate the grounded sentence encoder and its autoencoder baseline.

Data: generated scenes with ``captions_per_scene`` captions each
(:func:`~rl_vision.grounded.data.make_caption_data`). The grounded model pairs each image
with one of its captions per step and minimises
:func:`~rl_vision.grounded.losses.hinge_contrastive`; the baseline
(:class:`~rl_vision.grounded.autoencoder.CharAutoencoder`) reconstructs the same captions.

Given ``out_dir``, training writes checkpoints to ``out_dir/checkpoints`` with
:class:`rl_shared.checkpoint.CheckpointManager` (safetensors weights; optimizer,
scheduler, RNG and the data-order generator's state), and ``resume=True`` continues from
the newest one, reaching the weights of an uninterrupted run. The trained grounded model
is written to ``out_dir/model`` (:func:`~rl_vision.grounded.model.save_grounded`).

:func:`grounded_experiment` trains both on the same captions and compares them with an
untrained encoder (retrieval on test scenes, STS correlation);
:func:`evaluate_model` measures one trained model; :func:`encode_file` embeds a text file.

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
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from rl_shared.checkpoint import CheckpointManager
from rl_shared.errors import BadInput, NonFiniteLoss
from rl_shared.io import atomic_open, atomic_write_json
from rl_shared.runtime import seed_everything
from rl_vision.grounded.autoencoder import CharAutoencoder
from rl_vision.grounded.char_encoder import CharSentenceEncoder, CharVocab
from rl_vision.grounded.data import CaptionData, make_caption_data, read_sentences
from rl_vision.grounded.evaluation import recall_at_k, sts_correlations
from rl_vision.grounded.losses import hinge_contrastive
from rl_vision.grounded.model import GroundedConfig, GroundedModel, load_grounded, save_grounded

__all__ = [
    "TEST_SEED_OFFSET",
    "CaptionData",
    "GroundedConfig",
    "GroundedModel",
    "check_run_folder",
    "encode_file",
    "encode_sentences",
    "evaluate_model",
    "evaluate_retrieval",
    "grounded_experiment",
    "make_caption_data",
    "train_autoencoder",
    "train_grounded",
]

Progress = Callable[..., Iterable[Any]]
#: seeds of the test scenes start here (training scenes use 0 .. num_scenes - 1)
TEST_SEED_OFFSET = 2_000_000


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
    """Adam + one-cycle loop shared by both models, with checkpoints in ``out_dir``.

    Without ``resume`` the checkpoints of an earlier run in ``out_dir`` are removed first.
    """
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
    elif manager is not None and manager.directory.is_dir():
        shutil.rmtree(manager.directory)  # --no-resume: start over
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
    device: str | torch.device = "cpu",
) -> GroundedModel:
    """Train the grounded model on image-caption pairs with the hinge contrastive loss.

    Args:
        config: what to train.
        data: training images and their captions.
        progress: wraps the step range, e.g. ``rl_shared.cli.progress(as_json)``.
        out_dir: run folder (checkpoints in ``out_dir/checkpoints``, the trained model in
            ``out_dir/model``); ``None`` keeps everything in memory.
        resume: continue from the newest checkpoint in ``out_dir`` (none there: start).
        device: where to train (the saved model is on the CPU).
    """
    if len(data.captions) < max(2, config.batch_size):
        raise BadInput("need at least batch_size (and 2) scenes to train the grounded model")
    seed_everything(config.seed)
    model = GroundedModel(config).to(device)

    def step_loss(gen: torch.Generator) -> Tensor:
        idx = torch.randperm(len(data.captions), generator=gen)[: config.batch_size]
        pick = torch.randint(0, 1 << 30, (len(idx),), generator=gen).tolist()
        texts = [data.captions[i][p % len(data.captions[i])] for i, p in zip(idx.tolist(), pick)]
        images = data.images[idx].to(device)
        return hinge_contrastive(
            model.images(images), model.encode_text(texts), margin=config.margin
        )

    _fit(model, config, step_loss, "train grounded", out_dir, resume, progress)
    if out_dir is not None:
        save_grounded(model, config, Path(out_dir) / "model")
    return model


def train_autoencoder(
    config: GroundedConfig,
    data: CaptionData,
    progress: Progress | None = None,
    *,
    out_dir: str | Path | None = None,
    resume: bool = False,
    device: str | torch.device = "cpu",
) -> CharAutoencoder:
    """Train the caption-only character autoencoder for the same number of steps.

    Args:
        config: what to train (``hidden``, ``steps``, ``batch_size``, ``lr``, ``seed``).
        data: the captions (the images are not used).
        progress: wraps the step range.
        out_dir: run folder for checkpoints (``out_dir/checkpoints``); nothing else is saved.
        resume: continue from the newest checkpoint in ``out_dir``.
        device: where to train.
    """
    seed_everything(config.seed)
    vocab = CharVocab()
    model = CharAutoencoder(len(vocab), hidden=config.hidden).to(device)
    flat = [c for caps in data.captions for c in caps]

    def step_loss(gen: torch.Generator) -> Tensor:
        idx = torch.randperm(len(flat), generator=gen)[: config.batch_size].tolist()
        ids, lengths = vocab.encode_batch([flat[i] for i in idx])
        return model.loss(ids.to(device), lengths)

    _fit(model, config, step_loss, "train autoencoder", out_dir, resume, progress)
    return model


@torch.no_grad()
def encode_sentences(
    encoder: CharSentenceEncoder,
    texts: Sequence[str],
    batch_size: int = 256,
    vocab: CharVocab | None = None,
) -> Tensor:
    """Unit vectors of ``texts`` from a character encoder, on the CPU.

    Args:
        encoder: the sentence encoder (on any device).
        texts: the sentences.
        batch_size: sentences per forward pass.
        vocab: its character vocabulary (default :class:`CharVocab`).

    Shapes:
        ``-> (len(texts), encoder.dim)``.
    """
    vocab = vocab or CharVocab()
    encoder.eval()
    device = encoder.embed.weight.device
    parts = []
    for i in range(0, len(texts), batch_size):
        ids, lengths = vocab.encode_batch(list(texts[i : i + batch_size]))
        parts.append(encoder(ids.to(device), lengths).cpu())
    return torch.cat(parts)


@torch.no_grad()
def evaluate_retrieval(
    model: GroundedModel | None, data: CaptionData, encoder: CharSentenceEncoder | None = None
) -> dict[str, float]:
    """Caption->image, image->caption and caption->caption (same scene) recall@1/5/10.

    With ``model=None`` only caption->caption is measured, with ``encoder``.

    Args:
        model: a grounded model (its sentence and image encoders).
        data: test scenes and their captions.
        encoder: a sentence encoder alone (when ``model`` is ``None``).
    """
    enc = model.sentences if model is not None else encoder
    if enc is None:
        raise BadInput("give a grounded model or a sentence encoder")
    vocab = model.vocab if model is not None else None
    flat = [c for caps in data.captions for c in caps]
    owner = torch.tensor([i for i, caps in enumerate(data.captions) for _ in caps])
    cap = encode_sentences(enc, flat, vocab=vocab)
    out: dict[str, float] = {}
    same = owner[:, None] == owner[None, :]
    scores = cap @ cap.T
    scores.fill_diagonal_(-float("inf"))
    rel = same & ~torch.eye(len(flat), dtype=torch.bool)
    keep = rel.any(1)
    out |= {f"c2c.{k}": v for k, v in recall_at_k(scores[keep], rel[keep]).items()}
    if model is not None:
        model.eval()
        device = enc.embed.weight.device
        img = torch.cat(
            [
                model.images(data.images[i : i + 64].to(device)).cpu()
                for i in range(0, len(data.images), 64)
            ]
        )
        out |= {f"c2i.{k}": v for k, v in recall_at_k(cap @ img.T, owner).items()}
        i2c_rel = owner[None, :] == torch.arange(len(img))[:, None]
        out |= {f"i2c.{k}": v for k, v in recall_at_k(img @ cap.T, i2c_rel).items()}
    return out


def _sts(encoder: CharSentenceEncoder, pairs: Any, vocab: CharVocab | None = None) -> dict:
    return sts_correlations(lambda t: encode_sentences(encoder, t, vocab=vocab), pairs)


def check_run_folder(out: Path) -> None:
    """Refuse an ``out`` that is a file, or a non-empty folder that holds no grounded run."""
    if out.exists() and not out.is_dir():
        raise BadInput(f"{out} is a file; --out must be a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "checkpoints").is_dir():
        if not (out / "model").is_dir():
            raise BadInput(f"{out} exists and is not a grounded run folder; choose another --out")


def grounded_experiment(
    steps: int = 600,
    num_scenes: int = 1000,
    test_scenes: int = 200,
    seed: int = 0,
    *,
    size: int = 64,
    batch_size: int = 32,
    lr: float = 2e-3,
    encoder: str = "tu-mobilenetv3_small_050",
    sts: str | None = "stsb:test",
    out: str | Path | None = None,
    resume: bool = True,
    checkpoint_every: int = 100,
    device: str | torch.device = "cpu",
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Train the grounded encoder and the caption autoencoder on the same captions; compare.

    Both are compared with an untrained character encoder: caption->image, image->caption
    and caption->caption recall@k on ``test_scenes`` fresh scenes, and Spearman / Pearson
    correlation on the STS pairs ``sts``.

    With ``out``, both trainings are checkpointed (``out/checkpoints``,
    ``out/autoencoder/checkpoints``; ``resume`` continues them), the grounded model is saved
    to ``out/model`` and the metrics to ``out/metrics.json``.

    Args:
        steps, num_scenes, size, batch_size, lr, encoder: see :class:`GroundedConfig`.
        test_scenes: generated test scenes (5 captions each).
        seed: seed of initialisation and data order.
        sts: STS pairs (``stsb[:split]``, ``sick[:split]`` or a file, see
            :func:`rl_shared.sts.named_or_file_pairs`); ``None`` skips the STS test.
        out: run folder (optional).
        resume: continue from the newest checkpoints in ``out`` when there are some.
        checkpoint_every: steps between checkpoints.
        device: where to train.
        progress: wraps the step loops, e.g. ``rl_shared.cli.progress(as_json)``.

    Example:
        >>> r = grounded_experiment(steps=2, num_scenes=8, test_scenes=10, size=32, sts=None, encoder="resnet18")
        >>> sorted(k for k in r if k.startswith("grounded.c2i"))
        ['grounded.c2i.r@1', 'grounded.c2i.r@10', 'grounded.c2i.r@5']
    """
    from rl_shared.sts import named_or_file_pairs

    if out is not None:
        out = Path(out)
        check_run_folder(out)
    pairs = named_or_file_pairs(sts) if sts is not None else None
    cfg = GroundedConfig(
        steps=steps, num_scenes=num_scenes, size=size, seed=seed, encoder=encoder, lr=lr,
        batch_size=min(batch_size, num_scenes), checkpoint_every=checkpoint_every,
    )  # fmt: skip
    train_data = make_caption_data(range(num_scenes), size, cfg.captions_per_scene)
    test_data = make_caption_data(
        range(TEST_SEED_OFFSET, TEST_SEED_OFFSET + test_scenes), size, cfg.captions_per_scene
    )
    ae_dir = out / "autoencoder" if out is not None else None
    grounded = train_grounded(cfg, train_data, progress, out_dir=out, resume=resume, device=device)
    autoencoder = train_autoencoder(
        cfg, train_data, progress, out_dir=ae_dir, resume=resume, device=device
    )
    seed_everything(seed)
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
    if pairs is not None:
        for name, enc in (
            ("grounded", grounded.sentences),
            ("autoencoder", autoencoder.encoder),
            ("untrained", untrained),
        ):
            found = _sts(enc, pairs)
            metrics[f"{name}.sts_spearman"] = found["spearman"]
            metrics[f"{name}.sts_pearson"] = found["pearson"]
    if out is not None:
        atomic_write_json(out / "metrics.json", metrics)
    return metrics


def evaluate_model(
    model_dir: str | Path,
    *,
    sts: str | None = "stsb:test",
    test_scenes: int = 200,
    size: int | None = None,
    device: str | torch.device = "cpu",
) -> dict[str, Any]:
    """Retrieval on generated test scenes and STS correlation of a trained grounded model.

    Args:
        model_dir: a model folder of :func:`~rl_vision.grounded.model.save_grounded` or
            the run folder above it.
        sts: STS pairs (see :func:`rl_shared.sts.named_or_file_pairs`); ``None`` skips it.
        test_scenes: generated test scenes (0 skips retrieval).
        size: image side of the test scenes (default: the training size).
        device: where the model runs.
    """
    from rl_shared.sts import named_or_file_pairs

    model, cfg = load_grounded(model_dir)
    model.to(torch.device(device))
    metrics: dict[str, Any] = {}
    if test_scenes > 0:
        test = make_caption_data(
            range(TEST_SEED_OFFSET, TEST_SEED_OFFSET + test_scenes),
            size or cfg.size,
            cfg.captions_per_scene,
        )
        metrics |= evaluate_retrieval(model, test)
    if sts is not None:
        found = _sts(model.sentences, named_or_file_pairs(sts), model.vocab)
        metrics |= {"sts_spearman": found["spearman"], "sts_pearson": found["pearson"]}
    return metrics


def encode_file(
    model_dir: str | Path,
    input_path: str | Path,
    out: str | Path,
    batch_size: int = 256,
    device: str | torch.device = "cpu",
) -> dict[str, Any]:
    """Embed the sentences of ``input_path`` into ``out/embeddings.npy``.

    Row ``i`` of the ``(N, D)`` float32 array is the unit vector of line ``i + 1``.

    Args:
        model_dir: a grounded model folder or the run folder above it.
        input_path: UTF-8 text, one sentence a line (:func:`~rl_vision.grounded.data.read_sentences`).
        out: the output folder (created).
        batch_size: sentences per forward pass.
        device: where the model runs.
    """
    model, _ = load_grounded(model_dir)
    model.to(torch.device(device))
    sentences = read_sentences(input_path)
    emb = encode_sentences(model.sentences, sentences, batch_size, model.vocab).numpy()
    output = Path(out) / "embeddings.npy"
    with atomic_open(output, "wb") as handle:
        np.save(handle, emb.astype(np.float32))
    return {"sentences": len(sentences), "dim": int(emb.shape[1]), "output": str(output)}
