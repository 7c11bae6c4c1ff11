"""Training and evaluation of Any2Seg, its ablations, the baselines and the LSCD teacher.

One loop (:func:`train`) trains every kind of model, on generated scenes
(:mod:`rl_vision.core.scenes`) or on a real dataset streamed by a
:class:`~rl_vision.any2seg.sources.DatasetSource` (DELIVER, MCubeS; the config's
``channels`` and ``classes`` then come from the dataset):

* ``teacher`` — :class:`~rl_vision.any2seg.teacher.TrainedTeacher` on all modalities,
  each modality classified alone against the class-prompt text embeddings;
* ``any2seg`` — :class:`~rl_vision.any2seg.model.Any2Seg` with random modality dropout,
  cross-entropy plus ``lscd_weight`` times LSCD against a frozen teacher;
* ``early`` / ``single`` — :class:`~rl_vision.any2seg.baselines.EarlyFusionUnet`.

Labels equal to :data:`~rl_vision.any2seg.losses.IGNORE_INDEX` (255, void) count neither
in the loss nor in the metrics. The data order and the modality-dropout draws of step
``t`` come from a generator seeded by ``(seed, t)`` (see :mod:`rl_vision.any2seg.sources`),
and :class:`rl_shared.checkpoint.CheckpointManager` restores weights, optimizer, scheduler
and RNG, so a resumed run ends where an uninterrupted one does.

A trained model is a folder written by :func:`rl_shared.artifacts.save_model` (kind
``vision.any2seg``; ``config.json`` holds the :class:`TrainConfig`): :func:`train` with
``out_dir`` writes it to ``out_dir/model``, :func:`load_model` reads it back.
:func:`train_run` and :func:`evaluate_run` are what ``rl vision any2seg train`` and
``evaluate`` do (teacher and student into one run folder; test data from ``--data``).

Example:
    >>> cfg = TrainConfig(kind="early", steps=2, batch_size=2, size=32, num_scenes=4, depth=3)
    >>> model = train(cfg)
    >>> evaluate(model, make_batch(range(10**6, 10**6 + 2), 32), ("rgb",))["miou"] >= 0
    True
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, cast

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.utils.data import DataLoader, Dataset

from rl_shared.artifacts import load_model as load_artifact
from rl_shared.artifacts import save_model as save_artifact
from rl_shared.checkpoint import CheckpointManager
from rl_shared.errors import BadInput, ModelNotFound, NonFiniteLoss
from rl_shared.runtime import seed_everything
from rl_vision.any2seg.baselines import EarlyFusionUnet
from rl_vision.any2seg.losses import IGNORE_INDEX, LSCDLoss, segmentation_loss
from rl_vision.any2seg.metrics import SegmentationMeter
from rl_vision.any2seg.model import Any2Seg
from rl_vision.any2seg.sources import (
    BatchSource,
    DatasetSource,
    PoolSource,
    resize_frame,
    resize_shorter_side,
)
from rl_vision.any2seg.teacher import ModalityTeacher, TrainedTeacher
from rl_vision.core.scenes.conditions import CONDITIONS
from rl_vision.core.scenes.dataset import MODALITIES, SceneBatch, make_batch, parse_modalities
from rl_vision.core.scenes.layout import CLASSES

__all__ = [
    "IGNORE_INDEX",
    "KIND",
    "TEST_SEED_OFFSET",
    "TRAIN_CONDITIONS",
    "TrainConfig",
    "build_model",
    "evaluate",
    "evaluate_frames",
    "evaluate_run",
    "load_model",
    "save_model",
    "segmentation_loss",
    "train",
    "train_run",
]

#: the artifact kind of a saved Any2Seg (or baseline, or teacher) model folder
KIND = "vision.any2seg"
Progress = Callable[..., Iterable[Any]]

TEST_SEED_OFFSET = 1_000_000
#: training mixes clean scenes (weight 4) with every condition (weight 1 each)
TRAIN_CONDITIONS: tuple[str, ...] = ("clean",) * 3 + CONDITIONS


@dataclass
class TrainConfig:
    """Hyper-parameters of one training run (saved beside the weights as JSON).

    Args:
        kind: ``"any2seg"``, ``"teacher"``, ``"early"`` or ``"single"``.
        modalities: modalities the model takes (one for ``"single"``).
        fusion: ``"mff"`` or ``"mean"`` (Any2Seg without MFF).
        lscd_weight: weight of LSCD (0 trains Any2Seg without LSCD).
        modality_dropout: draw a random non-empty subset of modalities each step.
        keep_probability: probability that a modality is kept by the dropout.
        steps, batch_size, lr: optimisation (AdamW, cosine schedule).
        size, num_scenes: training image size and number of training scenes (generated
            scenes, or the frames of the real training split).
        encoder, depth: smp encoder name and depth.
        shared_encoder: one modality-embedded encoder for all modalities, or one each.
        seed: seed of initialisation, data order and dropout.
        checkpoint_every: steps between checkpoints (0: only at the end).
        train_conditions: conditions of the generated training scenes (empty for real data).
        dataset: ``"generated"``, ``"deliver"`` or ``"mcubes"`` (what the model was trained on).
        channels: modality -> input channels (default: the generated scenes' channels).
        classes: class names, in label order (default: the generated scenes' classes).
    """

    kind: str = "any2seg"
    modalities: tuple[str, ...] = tuple(MODALITIES)
    fusion: str = "mff"
    lscd_weight: float = 1.0
    modality_dropout: bool = True
    keep_probability: float = 0.5
    steps: int = 400
    batch_size: int = 8
    lr: float = 2e-3
    size: int = 64
    num_scenes: int = 512
    encoder: str = "resnet18"
    depth: int = 4
    shared_encoder: bool = False
    seed: int = 0
    checkpoint_every: int = 100
    train_conditions: tuple[str, ...] = field(default=TRAIN_CONDITIONS)
    dataset: str = "generated"
    channels: dict[str, int] = field(default_factory=dict)
    classes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.modalities = tuple(self.modalities)
        self.train_conditions = tuple(self.train_conditions)
        self.classes = tuple(self.classes) or CLASSES
        known = dict(self.channels) or MODALITIES
        missing = [m for m in self.modalities if m not in known]
        if missing or not self.modalities:
            raise BadInput(
                f"modalities must be a non-empty subset of {', '.join(known)}; got {list(self.modalities)}"
            )
        self.channels = {m: int(known[m]) for m in self.modalities}
        if self.kind not in ("any2seg", "teacher", "early", "single"):
            raise BadInput(
                f"unknown model kind '{self.kind}'; use any2seg, teacher, early or single"
            )
        if self.kind == "single" and len(self.modalities) != 1:
            raise BadInput(f"a single-modality model takes one modality, got {self.modalities}")
        if self.steps < 1 or self.batch_size < 1 or self.num_scenes < self.batch_size:
            raise BadInput("steps and batch size must be positive and num_scenes >= batch_size")


def build_model(
    config: TrainConfig, text_dim: int = 384, text: torch.Tensor | None = None
) -> nn.Module:
    """The untrained model ``config`` describes."""
    channels = dict(config.channels)
    if config.kind == "any2seg":
        return Any2Seg(
            len(config.classes),
            channels,
            config.encoder,
            config.depth,
            config.fusion,
            text_dim,
            shared_encoder=config.shared_encoder,
        )
    if config.kind == "teacher":
        if text is None:
            raise BadInput("a teacher needs the class text embeddings")
        return TrainedTeacher(
            channels, text, config.encoder, config.depth, shared_encoder=config.shared_encoder
        )
    return EarlyFusionUnet(len(config.classes), channels, config.encoder, config.depth)


def _draw_subset(gen: torch.Generator, names: Sequence[str], p: float) -> list[str]:
    keep = torch.rand(len(names), generator=gen) < p
    if not keep.any():
        keep[int(torch.randint(len(names), (1,), generator=gen))] = True
    return [m for m, k in zip(names, keep.tolist()) if k]


def train(
    config: TrainConfig,
    out_dir: str | Path | None = None,
    *,
    teacher: ModalityTeacher | None = None,
    text: torch.Tensor | None = None,
    resume: bool = False,
    progress: Progress | None = None,
    pool: SceneBatch | None = None,
    source: BatchSource | None = None,
    device: str | torch.device = "cpu",
) -> nn.Module:
    """Train the model of ``config``; checkpoints and the trained model go to ``out_dir``.

    Args:
        config: what to train.
        out_dir: run folder (checkpoints in ``out_dir/checkpoints``, the trained model in
            ``out_dir/model``); ``None`` keeps it in memory.
        teacher: frozen teacher for LSCD (needed when ``kind="any2seg"`` and ``lscd_weight > 0``).
        text: ``(K, D)`` class text embeddings (for LSCD and the teacher).
        resume: continue from the newest checkpoint in ``out_dir`` (none there: start).
        progress: wraps the step range, e.g. ``rl_shared.cli.progress(as_json)``.
        pool: pre-rendered training scenes (default: render ``config.num_scenes``).
        source: where the batches come from instead (e.g. a
            :class:`~rl_vision.any2seg.sources.DatasetSource` over DELIVER); overrides ``pool``.
        device: where the model trains (batches are moved there; the saved model is on the CPU).
    """
    uses_lscd = config.kind == "any2seg" and config.lscd_weight > 0
    if uses_lscd and (teacher is None or text is None):
        raise BadInput("LSCD needs a teacher and the class text embeddings (or set lscd_weight=0)")
    device = torch.device(device)
    seed_everything(config.seed)
    text_dim = text.shape[1] if text is not None else 384
    model = build_model(config, text_dim, text).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=config.lr, total_steps=config.steps, pct_start=0.1
    )
    manager = CheckpointManager(Path(out_dir) / "checkpoints") if out_dir is not None else None
    start = 0
    latest = manager.latest() if resume and manager is not None else None
    if manager is not None and latest is not None:
        saved = json.loads((latest / "state.json").read_text(encoding="utf-8"))
        if saved.get("config") != _jsonable(config):
            raise BadInput(
                f"the checkpoint in {manager.directory} was trained with another configuration; "
                "add --no-resume to start over or choose another --out"
            )
        start = manager.load(model, opt, sched).step
    elif manager is not None and manager.directory.is_dir():
        shutil.rmtree(manager.directory)  # --no-resume: start over
    if source is None:
        if pool is None:
            pool = make_batch(range(config.num_scenes), config.size, config.train_conditions)
        source = PoolSource(pool)
    lscd = LSCDLoss(text).to(device) if uses_lscd and text is not None else None
    if isinstance(teacher, nn.Module):
        teacher.to(device).eval()
    steps: Iterable[int] = range(start, config.steps)
    if progress is not None:
        steps = progress(steps, f"train {config.kind}")
    model.train()
    batches = source.batches(range(start, config.steps), config.batch_size, config.seed)
    for step, (batch_inputs, labels, gen) in zip(steps, batches):
        names = list(config.modalities)
        if config.modality_dropout and config.kind in ("any2seg", "early"):
            names = _draw_subset(gen, names, config.keep_probability)
        inputs = {m: batch_inputs[m].to(device) for m in names}
        labels = labels.to(device)
        if config.kind == "teacher":
            logits = model(inputs)
            loss = torch.stack([segmentation_loss(v, labels) for v in logits.values()]).mean()
        else:
            out = model(inputs, embeddings=lscd is not None)
            loss = segmentation_loss(out.logits, labels)
            if lscd is not None:
                with torch.no_grad():
                    target = teacher.embed(inputs)  # type: ignore[union-attr]
                loss = loss + config.lscd_weight * lscd(out.embeddings, target)
        if not torch.isfinite(loss):
            raise NonFiniteLoss(
                f"the training loss became {float(loss)} at step {step}; lower the learning rate"
            )
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        done = step + 1
        if manager is not None and (
            done == config.steps
            or (config.checkpoint_every and done % config.checkpoint_every == 0)
        ):
            manager.save(done, model, opt, sched, config=_jsonable(config))
    model.eval()
    if out_dir is not None:
        save_model(model, config, Path(out_dir) / "model", text_dim=text_dim)
    return model


def _jsonable(config: TrainConfig) -> dict[str, Any]:
    d = asdict(config)
    d["modalities"] = list(config.modalities)
    d["train_conditions"] = list(config.train_conditions)
    d["classes"] = list(config.classes)
    d["channels"] = dict(config.channels)
    return d


def save_model(
    model: nn.Module, config: TrainConfig, folder: str | Path, *, text_dim: int = 384
) -> Path:
    """Write ``model`` and its ``config`` as a model folder (:func:`rl_shared.artifacts.save_model`).

    Args:
        model: a model :func:`build_model` made for ``config``.
        config: its configuration (saved in ``config.json``).
        folder: the model folder (replaced atomically if it exists).
        text_dim: width of the LSCD embeddings (the text model's width).

    Example:
        >>> import tempfile
        >>> cfg = TrainConfig(kind="early", steps=1, batch_size=2, num_scenes=2, depth=3)
        >>> folder = save_model(build_model(cfg), cfg, tempfile.mkdtemp() + "/model")
        >>> load_model(folder)[1] == cfg
        True
    """
    summary = (
        f"A {config.kind} segmentation model ({', '.join(config.modalities)}; "
        f"{len(config.classes)} classes, trained on {config.dataset} data) from rl-vision's "
        "Any2Seg (`rl vision any2seg train`)."
    )
    return save_artifact(
        folder,
        kind=KIND,
        config={**_jsonable(config), "text_dim": int(text_dim)},
        tensors=model,
        citation=CITATION,
        summary=summary,
    )


def load_model(path: str | Path) -> tuple[nn.Module, TrainConfig]:
    """Load a model folder of :func:`save_model`; ``path`` is the folder or the run folder above it.

    Raises:
        ModelNotFound: no model is there.
        BadInput: the folder holds another kind of model.
    """
    run = Path(path)
    folder = run / "model" if (run / "model" / "config.json").is_file() else run
    if not (folder / "config.json").is_file():
        raise ModelNotFound(
            f"{run} holds no trained model (no model/config.json); train one with "
            f"`rl vision any2seg train --out {run}`"
        )
    art = load_artifact(folder, kind=KIND)
    saved = dict(art.config)
    text_dim = int(saved.pop("text_dim", 384))
    try:
        config = TrainConfig(**saved)
    except TypeError as err:
        raise BadInput(
            f"{folder / 'config.json'} is not an Any2Seg configuration ({err})"
        ) from None
    model = build_model(config, text_dim, art.tensors.get("text"))
    art.load_into(model)
    return model.eval(), config


CITATION = """@inproceedings{zheng2024any2seg,
  title     = {Learning Modality-agnostic Representation for Semantic Segmentation from Any Modalities},
  author    = {Zheng, Xu and Lyu, Yuanhuiyi and Wang, Lin},
  booktitle = {European Conference on Computer Vision (ECCV)},
  year      = {2024},
  eprint    = {2407.11351},
  archivePrefix = {arXiv}
}"""


def _device_of(model: nn.Module) -> torch.device:
    param = next(iter(model.parameters()), None)
    return param.device if param is not None else torch.device("cpu")


@torch.no_grad()
def evaluate(
    model: nn.Module,
    data: SceneBatch,
    modalities: Sequence[str],
    batch_size: int = 32,
    classes: Sequence[str] = CLASSES,
) -> dict[str, Any]:
    """mIoU and per-class IoU of ``model`` on generated scenes given only ``modalities``.

    Args:
        model: a segmentation model (on any device; the batches follow it).
        data: test scenes (:func:`~rl_vision.core.scenes.dataset.make_batch`).
        modalities: the modalities given to the model.
        batch_size: scenes per forward pass.
        classes: class names in label order.

    For real datasets see :func:`evaluate_frames`.
    """
    model.eval()
    device = _device_of(model)
    meter = SegmentationMeter(len(classes), ignore_index=IGNORE_INDEX)
    for i in range(0, len(data), batch_size):
        part = data.index(slice(i, i + batch_size))
        inputs = {m: part.inputs[m].to(device) for m in modalities}
        out = model(inputs, embeddings=False)
        logits = out.logits if hasattr(out, "logits") else out
        meter.update(logits.cpu(), part.labels)
    per_class = meter.per_class_iou().tolist()
    return {"miou": meter.miou(), "per_class_iou": dict(zip(classes, per_class))}


class _EvalFrames(Dataset):
    """Frames with inputs resized (shorter side ``size``) and labels at full resolution."""

    def __init__(self, dataset: Dataset, size: int) -> None:
        self.dataset, self.size = dataset, size

    def __len__(self) -> int:
        return len(self.dataset)  # type: ignore[arg-type]

    def __getitem__(self, index: int) -> tuple[dict[str, Tensor], Tensor]:
        inputs, label = self.dataset[index]
        first = next(iter(inputs.values()))
        height, width = first.shape[-2:]
        shape = resize_shorter_side(height, width, self.size, multiple=32)
        resized, _ = resize_frame(inputs, None, shape)
        return resized, label


@torch.no_grad()
def evaluate_frames(
    model: nn.Module,
    dataset: Dataset,
    modalities: Sequence[str],
    classes: Sequence[str],
    size: int,
    *,
    num_workers: int = 0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """mIoU and per-class IoU of ``model`` on every frame of a real dataset (void left out).

    Each frame's inputs are resized so the shorter side is ``size`` (the longer side keeps
    the aspect, rounded to a multiple of 32; no crop), the logits are upsampled bilinearly
    to the label map, and void pixels (255) are left out.

    Args:
        model: a segmentation model (``Any2Seg``, ``EarlyFusionUnet``).
        dataset: frames ``({modality: (C, H, W)}, label (H, W))`` (255 = void).
        modalities: the modalities given to the model.
        classes: class names in label order.
        size: shorter side of the model's input.
        num_workers: DataLoader workers reading frames.
        progress: wraps the frame loop, e.g. ``rl_shared.cli.progress(as_json)``.
    """
    model.eval()
    device = _device_of(model)
    meter = SegmentationMeter(len(classes), ignore_index=IGNORE_INDEX)
    loader: Iterable[Any] = DataLoader(
        _EvalFrames(dataset, size),
        batch_size=1,  # frames may differ in size; labels stay at full resolution
        num_workers=num_workers,
        generator=torch.Generator(),
    )
    if progress is not None:
        loader = progress(loader, "evaluate")
    frames = 0
    for inputs, label in loader:
        out = model({m: inputs[m].to(device) for m in modalities}, embeddings=False)
        logits = out.logits if hasattr(out, "logits") else out
        logits = F.interpolate(
            logits.cpu(), size=label.shape[-2:], mode="bilinear", align_corners=False
        )
        meter.update(logits.argmax(dim=1), label)
        frames += 1
    per_class = meter.per_class_iou().tolist()
    return {"miou": meter.miou(), "per_class_iou": dict(zip(classes, per_class)), "frames": frames}


def _teacher(
    out: Path,
    base: TrainConfig,
    steps: int,
    text: Tensor | None,
    source: BatchSource,
    resume: bool,
    progress: Progress | None,
    device: torch.device,
) -> TrainedTeacher:
    folder = out / "teacher"
    if resume and (folder / "model" / "config.json").is_file():
        return cast(TrainedTeacher, load_model(folder)[0])
    cfg = TrainConfig(
        **{**base.__dict__, "kind": "teacher", "steps": steps, "modality_dropout": False}
    )
    return cast(
        TrainedTeacher,
        train(
            cfg, folder, text=text, resume=resume, progress=progress, source=source, device=device
        ),
    )


def train_run(
    out: str | Path,
    *,
    data: str = "generated",
    steps: int = 400,
    teacher_steps: int = 300,
    batch_size: int = 8,
    lr: float = 2e-3,
    size: int = 64,
    num_scenes: int = 512,
    encoder: str = "resnet18",
    kind: str = "any2seg",
    lscd: bool = True,
    mff: bool = True,
    resume: bool = True,
    seed: int = 0,
    workers: int = 0,
    checkpoint_every: int = 100,
    device: str | torch.device = "cpu",
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Train (the LSCD teacher into ``out/teacher`` and) a model into ``out``; return a summary.

    The trained model is ``out/model`` (the teacher's ``out/teacher/model``); checkpoints
    are in ``out/checkpoints``.

    Args:
        out: the run folder.
        data: ``"generated"`` (``num_scenes`` rendered scenes), or a real dataset's train
            split, streamed (``deliver``, ``mcubes``, or a folder holding either; see
            :func:`~rl_vision.any2seg.data.resolve_data`; ``num_scenes`` is not used).
        resume: continue from the newest checkpoints in ``out`` when there are some;
            ``False`` starts over.
        workers: DataLoader worker processes reading real frames.
        checkpoint_every: steps between checkpoints.
        device: where to train.
        progress: wraps the step loops, e.g. ``rl_shared.cli.progress(as_json)``.
        Others: see :class:`TrainConfig`.
    """
    from rl_vision.any2seg.data import REAL_DATASETS, frame_channels, open_dataset, resolve_data
    from rl_vision.any2seg.text import class_text_embeddings

    spec = resolve_data(data, "train")
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / "checkpoints").exists():
        if not (out / "model").exists():
            raise BadInput(f"{out} exists and is not an Any2Seg run folder; choose another --out")
    device = torch.device(device)
    common = dict(
        kind=kind, fusion="mff" if mff else "mean", lscd_weight=1.0 if (lscd and kind == "any2seg") else 0.0,
        steps=steps, batch_size=batch_size, lr=lr, size=size, encoder=encoder, seed=seed,
        checkpoint_every=checkpoint_every,
    )  # fmt: skip
    source: BatchSource
    if spec.kind == "generated":
        cfg = TrainConfig(num_scenes=num_scenes, **common)  # type: ignore[arg-type]
        source = PoolSource(make_batch(range(num_scenes), size, TRAIN_CONDITIONS))
    else:
        assert spec.root is not None and spec.split is not None
        frames = open_dataset(spec.kind, spec.root, spec.split)
        n = len(frames)  # type: ignore[arg-type]
        if n < batch_size:
            raise BadInput(
                f"the {REAL_DATASETS[spec.kind].title} {spec.split} split in {spec.root} has "
                f"{n} frames, fewer than the batch size {batch_size}"
            )
        channels = frame_channels(frames)
        cfg = TrainConfig(
            num_scenes=n, dataset=spec.kind, modalities=tuple(channels), channels=channels,
            classes=REAL_DATASETS[spec.kind].classes, train_conditions=(), **common,  # type: ignore[arg-type]
        )  # fmt: skip
        source = DatasetSource(frames, size, num_workers=workers)
    text = class_text_embeddings(cfg.classes) if cfg.lscd_weight > 0 else None
    teacher = (
        _teacher(out, cfg, teacher_steps, text, source, resume, progress, device)
        if cfg.lscd_weight > 0
        else None
    )
    train(
        cfg, out, teacher=teacher, text=text, resume=resume, progress=progress, source=source,
        device=device,
    )  # fmt: skip
    return {
        "kind": kind,
        "data": spec.kind,
        "data_root": str(spec.root) if spec.root is not None else None,
        "split": spec.split,
        "steps": steps,
        "classes": len(cfg.classes),
        "modalities": list(cfg.modalities),
        "model": str(out / "model"),
        "teacher": str(out / "teacher" / "model") if teacher is not None else None,
        "device": str(device),
    }


def evaluate_run(
    model_dir: str | Path,
    *,
    data: str | None = None,
    modalities: str | None = None,
    condition: str | None = None,
    num_scenes: int = 128,
    size: int | None = None,
    workers: int = 0,
    device: str | torch.device = "cpu",
    progress: Progress | None = None,
) -> dict[str, Any]:
    """mIoU and per-class IoU of the model in ``model_dir``.

    Args:
        model_dir: a model folder of :func:`save_model`, or the run folder above it.
        data: what to evaluate on: ``generated``, ``deliver[:split]``, ``mcubes[:split]``
            or a folder holding either (default split ``test``); default: generated test
            scenes for a model trained on them, else the registered dataset it was trained on.
        modalities: comma-separated modalities given to the model (default all it knows).
        condition: generated: one condition (default clean); DELIVER: a condition or a
            comma-separated list (default all); MCubeS: none.
        num_scenes: generated test scenes (generated only).
        size: input size (shorter side for real data; default the training size).
        workers: DataLoader worker processes reading real frames.
        device: where the model runs.
        progress: wraps the frame loop of real-data evaluation.
    """
    from rl_vision.any2seg.data import open_dataset, resolve_data

    model, cfg = load_model(model_dir)
    model.to(torch.device(device))
    spec = resolve_data(data if data is not None else cfg.dataset, "test")
    if spec.kind != cfg.dataset:
        raise BadInput(
            f"the model in {model_dir} was trained on {cfg.dataset} data, not on {spec.kind}"
        )
    names = (
        parse_modalities(modalities, tuple(cfg.channels))
        if modalities is not None
        else tuple(cfg.modalities)
    )
    if spec.kind == "generated":
        condition = condition or "clean"
        scenes = make_batch(
            range(TEST_SEED_OFFSET, TEST_SEED_OFFSET + num_scenes), size or cfg.size, condition
        )
        result = evaluate(model, scenes, names, classes=cfg.classes)
        return {
            "data": "generated",
            "modalities": list(names),
            "condition": condition,
            "num_scenes": num_scenes,
            **result,
        }
    assert spec.root is not None and spec.split is not None
    frames = open_dataset(spec.kind, spec.root, spec.split, names, condition)
    result = evaluate_frames(
        model, frames, names, cfg.classes, size or cfg.size, num_workers=workers, progress=progress
    )
    return {
        "data": spec.kind,
        "data_root": str(spec.root),
        "split": spec.split,
        "modalities": list(names),
        "condition": condition,
        **result,
    }
