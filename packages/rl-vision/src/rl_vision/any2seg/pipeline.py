"""What ``rl vision any2seg train`` and ``evaluate`` do: teacher, student, test scenes.

Example:
    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> s = train_run(out, steps=1, batch_size=2, size=32, num_scenes=2, lscd=False)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rl_shared.errors import BadInput
from rl_vision.any2seg.training import TEST_SEED_OFFSET, TrainConfig, evaluate, load_model, train
from rl_vision.scenes.dataset import make_batch, parse_modalities
from rl_vision.scenes.layout import CLASSES

__all__ = ["evaluate_run", "train_run"]


def _teacher(
    out: Path, base: TrainConfig, steps: int, text: Any, pool: Any, resume: bool, progress: Any
) -> Any:
    folder = out / "teacher"
    if resume and (folder / "final" / "model.json").is_file():
        return load_model(folder)[0]
    cfg = TrainConfig(
        **{**base.__dict__, "kind": "teacher", "steps": steps, "modality_dropout": False}
    )
    return train(cfg, folder, text=text, resume=resume, progress=progress, pool=pool)


def train_run(
    out: str | Path,
    *,
    steps: int = 400,
    teacher_steps: int = 300,
    batch_size: int = 8,
    size: int = 64,
    num_scenes: int = 512,
    encoder: str = "resnet18",
    kind: str = "any2seg",
    lscd: bool = True,
    mff: bool = True,
    resume: bool = False,
    seed: int = 0,
    progress: Callable[[Iterable[int], str], Iterable[int]] | None = None,
) -> dict[str, Any]:
    """Train (teacher and) model into ``out``; return a summary."""
    from rl_vision.any2seg.text import class_text_embeddings
    from rl_vision.any2seg.training import TRAIN_CONDITIONS

    out = Path(out)
    if out.exists() and any(out.iterdir()) and not resume and not (out / "checkpoints").exists():
        raise BadInput(f"{out} exists and is not an rl-vision run folder; choose another --out")
    cfg = TrainConfig(
        kind=kind, fusion="mff" if mff else "mean", lscd_weight=1.0 if (lscd and kind == "any2seg") else 0.0,
        steps=steps, batch_size=batch_size, size=size, num_scenes=num_scenes, encoder=encoder, seed=seed,
    )  # fmt: skip
    text = class_text_embeddings(CLASSES)
    pool = make_batch(range(num_scenes), size, TRAIN_CONDITIONS)
    teacher = (
        _teacher(out, cfg, teacher_steps, text, pool, resume, progress)
        if cfg.lscd_weight > 0
        else None
    )
    train(cfg, out, teacher=teacher, text=text, resume=resume, progress=progress, pool=pool)
    return {
        "kind": kind,
        "steps": steps,
        "model": str(out / "final"),
        "teacher": teacher is not None,
    }


def evaluate_run(
    model_dir: str | Path,
    modalities: str,
    condition: str = "clean",
    num_scenes: int = 128,
    size: int | None = None,
) -> dict[str, Any]:
    """mIoU of the model in ``model_dir`` on ``num_scenes`` test scenes."""
    names = parse_modalities(modalities)
    model, cfg = load_model(model_dir)
    missing = [m for m in names if m not in cfg.modalities]
    if missing:
        raise BadInput(
            f"the model was trained on {', '.join(cfg.modalities)}, not on {', '.join(missing)}"
        )
    data = make_batch(
        range(TEST_SEED_OFFSET, TEST_SEED_OFFSET + num_scenes), size or cfg.size, condition
    )
    result = evaluate(model, data, names)
    return {"modalities": list(names), "condition": condition, "num_scenes": num_scenes, **result}
