"""Training and evaluation of Any2Seg, its ablations, the baselines and the LSCD teacher.

One loop trains every kind of model, on generated scenes (:mod:`rl_vision.scenes`) or on
a real dataset streamed by a :class:`~rl_vision.any2seg.sources.DatasetSource`
(DELIVER, MCubeS; the config's ``channels`` and ``classes`` then come from the dataset):

* ``teacher`` — :class:`~rl_vision.any2seg.teacher.TrainedTeacher` on all modalities,
  each modality classified alone against the class-prompt text embeddings;
* ``any2seg`` — :class:`~rl_vision.any2seg.model.Any2Seg` with random modality dropout,
  cross-entropy plus ``lscd_weight`` times LSCD against a frozen teacher;
* ``early`` / ``single`` — :class:`~rl_vision.any2seg.baselines.EarlyFusionUnet`.

Labels equal to :data:`IGNORE_INDEX` (255, void) count neither in the loss nor in the
metrics. The data order and the modality-dropout draws of step ``t`` come from a
generator seeded by ``(seed, t)`` (see :mod:`rl_vision.any2seg.sources`), and :class:`rl_shared.checkpoint.CheckpointManager` restores weights,
optimizer, scheduler and RNG, so a resumed run ends where an uninterrupted one does.

Example:
    >>> cfg = TrainConfig(kind="early", steps=2, batch_size=2, size=32, num_scenes=4, depth=3)
    >>> model = train(cfg)
    >>> evaluate(model, make_batch(range(10**6, 10**6 + 2), 32), ("rgb",))["miou"] >= 0
    True
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from torch import nn

from rl_shared.checkpoint import CheckpointManager
from rl_shared.errors import BadInput, NonFiniteLoss
from rl_shared.io import atomic_dir
from rl_vision.any2seg.baselines import EarlyFusionUnet
from rl_vision.any2seg.distillation import LSCDLoss
from rl_vision.any2seg.metrics import SegmentationMeter
from rl_vision.any2seg.model import Any2Seg
from rl_vision.any2seg.sources import BatchSource, PoolSource
from rl_vision.any2seg.teacher import ModalityTeacher, TrainedTeacher
from rl_vision.scenes.conditions import CONDITIONS
from rl_vision.scenes.dataset import MODALITIES, SceneBatch, make_batch
from rl_vision.scenes.layout import CLASSES

__all__ = [
    "IGNORE_INDEX",
    "TEST_SEED_OFFSET",
    "TrainConfig",
    "build_model",
    "evaluate",
    "load_model",
    "save_model",
    "segmentation_loss",
    "train",
]

TEST_SEED_OFFSET = 1_000_000
#: label value of void pixels (DELIVER, MCubeS); ignored by the loss and the metrics
IGNORE_INDEX = 255
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


def segmentation_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Cross-entropy over the labelled pixels (void = :data:`IGNORE_INDEX` left out).

    A batch without a labelled pixel gives a zero loss (not NaN).

    Shapes:
        logits ``(B, K, H, W)``, labels ``(B, H, W)`` -> scalar.

    Example:
        >>> logits = torch.zeros(1, 2, 1, 2)
        >>> round(float(segmentation_loss(logits, torch.tensor([[[0, IGNORE_INDEX]]]))), 4)
        0.6931
        >>> float(segmentation_loss(logits, torch.full((1, 1, 2), IGNORE_INDEX)))
        0.0
    """
    if not bool((labels != IGNORE_INDEX).any()):
        return logits.sum() * 0.0
    return F.cross_entropy(logits, labels, ignore_index=IGNORE_INDEX)


def train(
    config: TrainConfig,
    out_dir: str | Path | None = None,
    *,
    teacher: ModalityTeacher | None = None,
    text: torch.Tensor | None = None,
    resume: bool = False,
    progress: Callable[[Iterable[int], str], Iterable[int]] | None = None,
    pool: SceneBatch | None = None,
    source: BatchSource | None = None,
) -> nn.Module:
    """Train the model of ``config``; checkpoints and final weights go to ``out_dir``.

    Args:
        config: what to train.
        out_dir: run folder (checkpoints in ``out_dir/checkpoints``, final weights in
            ``out_dir/model.safetensors`` + ``model.json``); ``None`` keeps it in memory.
        teacher: frozen teacher for LSCD (needed when ``kind="any2seg"`` and ``lscd_weight > 0``).
        text: ``(K, D)`` class text embeddings (for LSCD and the teacher).
        resume: continue from the newest checkpoint in ``out_dir``.
        progress: wraps the step range, e.g. a tqdm factory ``(iterable, desc) -> iterable``.
        pool: pre-rendered training scenes (default: render ``config.num_scenes``).
        source: where the batches come from instead (e.g. a
            :class:`~rl_vision.any2seg.sources.DatasetSource` over DELIVER); overrides ``pool``.
    """
    uses_lscd = config.kind == "any2seg" and config.lscd_weight > 0
    if uses_lscd and (teacher is None or text is None):
        raise BadInput("LSCD needs a teacher and the class text embeddings (or set lscd_weight=0)")
    torch.manual_seed(config.seed)
    text_dim = text.shape[1] if text is not None else 384
    model = build_model(config, text_dim, text)
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
                f"the checkpoint in {manager.directory} was trained with another configuration"
            )
        start = manager.load(model, opt, sched).step
    if source is None:
        if pool is None:
            pool = make_batch(range(config.num_scenes), config.size, config.train_conditions)
        source = PoolSource(pool)
    lscd = LSCDLoss(text) if uses_lscd else None
    if isinstance(teacher, nn.Module):
        teacher.eval()
    steps: Iterable[int] = range(start, config.steps)
    if progress is not None:
        steps = progress(steps, f"train {config.kind}")
    model.train()
    batches = source.batches(range(start, config.steps), config.batch_size, config.seed)
    for step, (batch_inputs, labels, gen) in zip(steps, batches):
        names = list(config.modalities)
        if config.modality_dropout and config.kind in ("any2seg", "early"):
            names = _draw_subset(gen, names, config.keep_probability)
        inputs = {m: batch_inputs[m] for m in names}
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
        save_model(model, config, out_dir)
    return model


def _jsonable(config: TrainConfig) -> dict[str, Any]:
    d = asdict(config)
    d["modalities"] = list(config.modalities)
    d["train_conditions"] = list(config.train_conditions)
    d["classes"] = list(config.classes)
    d["channels"] = dict(config.channels)
    return d


def save_model(model: nn.Module, config: TrainConfig, out_dir: str | Path) -> Path:
    """Write ``model.safetensors`` and ``model.json`` into ``out_dir`` (atomically, as one folder)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    weights = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    with atomic_dir(out / "final") as tmp:
        save_file(weights, str(tmp / "model.safetensors"))
        meta = {
            "config": _jsonable(config),
            "classes": list(config.classes),
            "dataset": config.dataset,
        }
        (tmp / "model.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return out / "final"


def load_model(run_dir: str | Path) -> tuple[nn.Module, TrainConfig]:
    """Load what :func:`save_model` wrote (``run_dir`` or ``run_dir/final``)."""
    run = Path(run_dir)
    folder = run / "final" if (run / "final" / "model.json").is_file() else run
    if not (folder / "model.json").is_file() or not (folder / "model.safetensors").is_file():
        raise BadInput(
            f"{run} holds no trained model (model.json and model.safetensors are missing); train one with `rl vision any2seg train --out {run}`"
        )
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    config = TrainConfig(**meta["config"])
    weights = load_file(str(folder / "model.safetensors"))
    text = weights.get("text")
    model = build_model(config, text.shape[1] if text is not None else _embed_dim(weights), text)
    model.load_state_dict(weights)
    return model.eval(), config


def _embed_dim(weights: dict[str, torch.Tensor]) -> int:
    key = "embedding_head.mix.3.weight"
    return int(weights[key].shape[0]) if key in weights else 384


@torch.no_grad()
def evaluate(
    model: nn.Module,
    data: SceneBatch,
    modalities: Sequence[str],
    batch_size: int = 32,
    classes: Sequence[str] = CLASSES,
) -> dict[str, Any]:
    """mIoU and per-class IoU of ``model`` on ``data`` given only ``modalities``.

    For real datasets see :func:`rl_vision.any2seg.real_data.evaluate_frames`.
    """
    model.eval()
    meter = SegmentationMeter(len(classes), ignore_index=IGNORE_INDEX)
    for i in range(0, len(data), batch_size):
        part = data.index(slice(i, i + batch_size))
        inputs = {m: part.inputs[m] for m in modalities}
        out = model(inputs, embeddings=False)
        logits = out.logits if hasattr(out, "logits") else out
        meter.update(logits, part.labels)
    per_class = meter.per_class_iou().tolist()
    return {"miou": meter.miou(), "per_class_iou": dict(zip(classes, per_class))}
