"""Grounded run folders: what ``rl vision grounded train|evaluate|compare|encode`` run.

:func:`grounded_experiment` trains the grounded encoder and the caption autoencoder on the
same captions and compares them with an untrained encoder (retrieval on test scenes, STS correlation);
:func:`evaluate_model` measures one trained model; :func:`encode_file` embeds a text file.

:func:`check_run_folder` refuses an ``--out`` that holds something else.

References:
    Merkx & Frank, "Learning semantic sentence representations from visually grounded language
    without lexical knowledge", Natural Language Engineering 25(4), 2019.
    https://arxiv.org/abs/1903.11393
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from rl_shared.errors import BadInput
from rl_shared.io import atomic_open, atomic_write_json
from rl_shared.runtime import autocast, resolve_device, resolve_precision, seed_everything
from rl_shared.sts import named_or_file_pairs
from rl_vision.grounded.char_encoder import CharSentenceEncoder, CharVocab
from rl_vision.grounded.data import make_caption_data, read_sentences
from rl_vision.grounded.evaluation import encode_sentences, evaluate_retrieval, sts_correlations
from rl_vision.grounded.model import GroundedConfig, load_grounded
from rl_vision.grounded.train import Progress, train_autoencoder, train_grounded

__all__ = [
    "TEST_SEED_OFFSET",
    "check_run_folder",
    "encode_file",
    "evaluate_model",
    "grounded_experiment",
]

#: seeds of the test scenes start here (training scenes use 0 .. num_scenes - 1)
TEST_SEED_OFFSET = 2_000_000


def _sts(encoder: CharSentenceEncoder, pairs: Any, vocab: CharVocab | None = None) -> dict:
    return sts_correlations(lambda t: encode_sentences(encoder, t, vocab=vocab), pairs)


def check_run_folder(out: Path) -> None:
    """Refuse an ``out`` that is a file, or a non-empty folder that holds no grounded run.

    A missing or empty folder, or one with ``checkpoints/`` or ``model/``, passes.

    Args:
        out: the ``--out`` folder.

    Raises:
        BadInput: ``out`` is a file, or a non-empty folder that is not a run folder.

    Example:
        >>> import tempfile
        >>> out = Path(tempfile.mkdtemp())
        >>> check_run_folder(out / "new")  # missing: fine
        >>> _ = (out / "notes.txt").write_text("mine")
        >>> check_run_folder(out)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        rl_shared.errors.BadInput: ... exists and is not a grounded run folder; choose another --out
    """
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
    device: str | torch.device = "auto",
    precision: str = "fp32",
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
        device: where to train and evaluate: ``auto``, ``cpu``, ``cuda[:N]`` or ``mps``
            (under ``torchrun`` each process trains on its local device).
        precision: ``fp32``, or ``bf16`` / ``fp16`` autocast of training and evaluation.
        progress: wraps the step loops, e.g. ``rl_shared.cli.progress(as_json)``.

    Raises:
        BadInput: ``out`` holds something else, or a bad ``device`` / ``precision``.

    Example:
        >>> r = grounded_experiment(steps=2, num_scenes=4, test_scenes=4, size=32, sts=None)
        >>> sorted(k for k in r if k.startswith("grounded.c2i"))
        ['grounded.c2i.r@1', 'grounded.c2i.r@10', 'grounded.c2i.r@5']
    """
    where = resolve_device(str(device))
    resolve_precision(precision, where)
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
    grounded = train_grounded(
        cfg, train_data, progress, out_dir=out, resume=resume, device=where, precision=precision
    )
    autoencoder = train_autoencoder(
        cfg, train_data, progress, out_dir=ae_dir, resume=resume, device=where,
        precision=precision,
    )  # fmt: skip
    seed_everything(seed)
    untrained = CharSentenceEncoder(len(CharVocab()), hidden=cfg.hidden).eval().to(where)
    main = _main_process()
    with autocast(where, precision):
        metrics = _compare(grounded, autoencoder, untrained, test_data, pairs)
    if out is not None and main:
        atomic_write_json(out / "metrics.json", metrics)
    return metrics


def _main_process() -> bool:
    """Whether this process writes the outputs (not distributed, or rank 0)."""
    import torch.distributed as dist

    return not (dist.is_available() and dist.is_initialized()) or dist.get_rank() == 0


def _compare(
    grounded: Any, autoencoder: Any, untrained: CharSentenceEncoder, test_data: Any, pairs: Any
) -> dict[str, Any]:
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
    return metrics


def evaluate_model(
    model_dir: str | Path,
    *,
    sts: str | None = "stsb:test",
    test_scenes: int = 200,
    size: int | None = None,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> dict[str, Any]:
    """Retrieval on generated test scenes and STS correlation of a trained grounded model.

    Args:
        model_dir: a model folder of :func:`~rl_vision.grounded.model.save_grounded` or
            the run folder above it.
        sts: STS pairs (see :func:`rl_shared.sts.named_or_file_pairs`); ``None`` skips it.
        test_scenes: generated test scenes (0 skips retrieval).
        size: image side of the test scenes (default: the training size).
        device: where the model runs (``auto``, ``cpu``, ``cuda[:N]``, ``mps``).
        precision: ``fp32``, or ``bf16`` / ``fp16`` autocast of the forward passes.

    Raises:
        BadInput: a bad ``device`` or ``precision``.

    Example:
        An untrained model's folder stands in for a trained one (``sts=None``: no STS data):

        >>> import tempfile
        >>> from rl_vision.grounded.model import GroundedModel, save_grounded
        >>> cfg = GroundedConfig(hidden=8, depth=3, size=32)
        >>> folder = save_grounded(GroundedModel(cfg), cfg, Path(tempfile.mkdtemp()) / "model")
        >>> metrics = evaluate_model(folder, sts=None, test_scenes=3)
        >>> sorted(metrics)[:3], all(0 <= v <= 1 for v in metrics.values())
        (['c2c.r@1', 'c2c.r@10', 'c2c.r@5'], True)
    """
    where = resolve_device(str(device))
    resolve_precision(precision, where)
    pairs = named_or_file_pairs(sts) if sts is not None else None  # the user's file checked first
    model, cfg = load_grounded(model_dir)
    model.to(where)
    metrics: dict[str, Any] = {}
    with autocast(where, precision):
        if test_scenes > 0:
            test = make_caption_data(
                range(TEST_SEED_OFFSET, TEST_SEED_OFFSET + test_scenes),
                size or cfg.size,
                cfg.captions_per_scene,
            )
            metrics |= evaluate_retrieval(model, test)
        if pairs is not None:
            found = _sts(model.sentences, pairs, model.vocab)
            metrics |= {"sts_spearman": found["spearman"], "sts_pearson": found["pearson"]}
    return metrics


def encode_file(
    model_dir: str | Path,
    input_path: str | Path,
    out: str | Path,
    batch_size: int = 256,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> dict[str, Any]:
    """Embed the sentences of ``input_path`` into ``out/embeddings.npy``.

    Row ``i`` of the ``(N, D)`` float32 array is the unit vector of line ``i + 1``.

    Args:
        model_dir: a grounded model folder or the run folder above it.
        input_path: UTF-8 text, one sentence a line (:func:`~rl_vision.grounded.data.read_sentences`).
        out: the output folder (created).
        batch_size: sentences per forward pass.
        device: where the model runs (``auto``, ``cpu``, ``cuda[:N]``, ``mps``).
        precision: ``fp32``, or ``bf16`` / ``fp16`` autocast (the file holds float32).

    Raises:
        BadInput: a bad ``device`` or ``precision``.

    Example:
        >>> import tempfile
        >>> from rl_vision.grounded.model import GroundedModel, save_grounded
        >>> cfg = GroundedConfig(hidden=8, depth=3)
        >>> work = Path(tempfile.mkdtemp())
        >>> folder = save_grounded(GroundedModel(cfg), cfg, work / "run" / "model")
        >>> _ = (work / "in.txt").write_text("a red car\\na tree", encoding="utf-8")
        >>> info = encode_file(work / "run", work / "in.txt", work / "out")
        >>> info["sentences"], info["dim"], np.load(info["output"]).shape
        (2, 16, (2, 16))
    """
    where = resolve_device(str(device))
    resolve_precision(precision, where)
    sentences = read_sentences(input_path)  # the user's file checked before the model loads
    model, _ = load_grounded(model_dir)
    model.to(where)
    with autocast(where, precision):
        emb = encode_sentences(model.sentences, sentences, batch_size, model.vocab).numpy()
    output = Path(out) / "embeddings.npy"
    with atomic_open(output, "wb") as handle:
        np.save(handle, emb.astype(np.float32))
    return {"sentences": len(sentences), "dim": int(emb.shape[1]), "output": str(output)}
