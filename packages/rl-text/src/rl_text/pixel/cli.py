"""``rl text pixel train|evaluate|encode|render``: the pixel sentence encoder.

References:
    Xiao et al., "Pixel Sentence Representation Learning", arXiv 2024.
    https://arxiv.org/abs/2402.08183

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

from pathlib import Path

import click

from rl_shared.cli import (
    batch_size_option,
    data_option,
    device_option,
    emit_json,
    json_option,
    lr_option,
    model_option,
    out_option,
    precision_option,
    seed_option,
    steps_option,
    writing_to,
)
from rl_text.pixel import formats as _formats  # noqa: F401  (registers the formats)

__all__ = ["group"]


def _numbered_lines(path: str) -> list[tuple[int, str]]:
    """``(line number, text)`` of the non-blank lines of a user's UTF-8 file, read strictly."""
    from rl_shared.io import read_text

    lines = read_text(path).splitlines()
    return [(n, t) for n, t in enumerate(lines, 1) if t.strip()]


def _lines(path: str) -> list[str]:
    return [t for _, t in _numbered_lines(path)]


def _sentences(data: str) -> list[str]:
    """Unlabelled sentences: both sides of ``stsb[:split]`` / ``sick[:split]``, or a text file."""
    from rl_shared.sts import named_or_file_pairs

    name = data.partition(":")[0]
    if not Path(data).exists() and name in ("stsb", "sick"):
        pairs = named_or_file_pairs(data if ":" in data else f"{name}:train")
        return sorted(set(pairs.sentences1 + pairs.sentences2))
    return _lines(data)


def _pairs(data: str) -> list[tuple[str, str]]:
    """Positive pairs: ``sick[:split]`` entailment pairs or a file of ``anchor<TAB>positive``."""
    from rl_shared.errors import MalformedFile
    from rl_text.pixel.train import load_sick_entailment

    name, _, split = data.partition(":")
    if not Path(data).exists() and name == "sick":
        return load_sick_entailment(split or "train")
    out = []
    for number, line in _numbered_lines(data):
        parts = line.split("\t")
        if len(parts) != 2 or not all(p.strip() for p in parts):
            raise MalformedFile(Path(data), number, "expected 'anchor<TAB>positive'")
        out.append((parts[0], parts[1]))
    return out


@click.group("pixel")
def group() -> None:
    """Pixel sentence representations: render text, perturb it, train a ViT contrastively."""


@group.command("train")
@out_option(help="Output folder; the encoder is saved to OUT/model/.")
@click.option(
    "--stage",
    type=click.Choice(["visual", "entailment"]),
    default="visual",
    show_default=True,
    help="visual: a sentence and its perturbed copy are positives; entailment: sentence pairs.",
)
@data_option(
    required=False,
    help="visual: stsb[:split], sick[:split] or a file of one sentence per line (default "
    "stsb:train); entailment: sick[:split] or a file of anchor<TAB>positive lines (default "
    "sick:train).",
    formats=("pixel-sentences", "pixel-pairs"),
)
@model_option(
    default="random",
    help="'random' (a fresh ViT) or a folder written by `rl text pixel train` to continue.",
    formats=("pixel-model",),
)
@click.option("--perturb", default="swap,drop,keyboard,shuffle", show_default=True)
@steps_option(default=200)
@batch_size_option(default=32)
@lr_option(default=3e-4)
@device_option()
@precision_option
@seed_option
@json_option
def train_cmd(
    out: Path,
    stage: str,
    data: str | None,
    model: str,
    perturb: str,
    steps: int,
    batch_size: int,
    lr: float,
    device: str,
    precision: str,
    seed: int,
    as_json: bool,
) -> None:
    """Train one stage and save the encoder to OUT/model/.

    Under ``torchrun`` every process takes its share of each batch (negatives gathered
    across processes) and only the main process writes OUT/model/.
    """
    from rl_shared.errors import UnknownName
    from rl_shared.runtime import is_main_process
    from rl_text.pixel import PERTURBATIONS, PixelEncoder, train_pairs, train_unsupervised
    from rl_text.pixel.train import new_encoder

    # every input is checked before any work
    kinds = [k.strip() for k in perturb.split(",") if k.strip()]
    for kind in kinds:
        if kind not in PERTURBATIONS:
            raise UnknownName("perturbation", kind, list(PERTURBATIONS))
    if stage == "visual":
        sentences = _sentences(data or "stsb:train")
    else:
        pairs = _pairs(data or "sick:train")
    encoder = new_encoder(seed=seed) if model == "random" else PixelEncoder.load(model)
    options = {"device": device, "precision": precision}
    if stage == "visual":
        losses = train_unsupervised(
            encoder,
            sentences,
            kinds,
            steps=steps,
            batch_size=batch_size,
            lr=lr,
            seed=seed,
            show_progress=not as_json,
            **options,
        )
    else:
        losses = train_pairs(
            encoder,
            pairs,
            steps=steps,
            batch_size=batch_size,
            lr=lr,
            seed=seed,
            show_progress=not as_json,
            **options,
        )
    if not is_main_process():  # the other processes trained their share; rank 0 writes
        return
    with writing_to(out):
        folder = encoder.cpu().save(out / "model")
    if as_json:
        emit_json({"stage": stage, "model": str(folder), "steps": steps, "final_loss": losses[-1]})
    else:
        click.echo(f"saved {folder} (final loss {losses[-1]:.4f})")


@group.command("evaluate")
@model_option(
    default=None,
    help="A folder written by `rl text pixel train` (OUT/model).",
    formats=("pixel-model",),
)
@data_option(
    default="stsb:test",
    help="stsb[:split], sick[:split], or a CSV/TSV of scored pairs.",
    formats=("sts-pairs",),
)
@click.option("--lang", default="en", show_default=True, help="STS-B language (11 available).")
@device_option()
@precision_option
@json_option
def evaluate_cmd(
    model: str, data: str, lang: str, device: str, precision: str, as_json: bool
) -> None:
    """Spearman and Pearson correlation of cosine similarity with the gold scores."""
    from rl_shared.runtime import resolve_device, resolve_precision
    from rl_shared.sts import correlations, load_stsb, named_or_file_pairs
    from rl_text.pixel import PixelEncoder

    target = resolve_device(device)
    resolve_precision(precision, target)  # a bad combination is refused before any work

    name, _, split = data.partition(":")
    if name == "stsb" and not Path(data).exists():
        pairs = load_stsb(split or "test", lang)
    else:
        pairs = named_or_file_pairs(data)
    encoder = PixelEncoder.load(model).to(target)  # after the data: a broken file first
    a = encoder.encode(pairs.sentences1, show_progress=not as_json, precision=precision)
    b = encoder.encode(pairs.sentences2, show_progress=not as_json, precision=precision)
    result = correlations((a * b).sum(-1).numpy(), pairs.scores)
    undefined = [k for k in ("spearman", "pearson") if result[k] is None]
    if undefined:
        click.echo(
            f"warning: {' and '.join(undefined)} undefined (constant scores); reported as null",
            err=True,
        )
    if as_json:
        emit_json({"model": model, "data": data, "lang": lang, "pairs": len(pairs), **result})
    else:
        shown = {k: "undefined" if v is None else f"{v:.4f}" for k, v in result.items()}
        click.echo(
            f"{data} ({lang}, {len(pairs)} pairs): Spearman {shown['spearman']}, "
            f"Pearson {shown['pearson']}"
        )


@group.command("encode")
@model_option(
    default=None,
    help="A folder written by `rl text pixel train` (OUT/model).",
    formats=("pixel-model",),
)
@data_option(help="A text file, one sentence per line.", formats=("pixel-sentences",))
@out_option(help="Output folder; the embeddings go to OUT/embeddings.npy.")
@device_option()
@precision_option
@json_option
def encode_cmd(
    model: str, data: str, out: Path, device: str, precision: str, as_json: bool
) -> None:
    """Embed every line of DATA into OUT/embeddings.npy (float32, unit length)."""
    import numpy as np

    from rl_shared.io import atomic_open
    from rl_shared.runtime import resolve_device, resolve_precision
    from rl_text.pixel import PixelEncoder

    target = resolve_device(device)
    resolve_precision(precision, target)
    lines = _lines(data)
    encoder = PixelEncoder.load(model).to(target)
    emb = encoder.encode(lines, show_progress=not as_json, precision=precision).numpy()
    path = out / "embeddings.npy"
    with writing_to(out), atomic_open(path, "wb") as handle:
        np.save(handle, emb.astype(np.float32))
    if as_json:
        emit_json({"out": str(path), "rows": emb.shape[0], "dim": emb.shape[1]})
    else:
        click.echo(f"wrote {emb.shape[0]} × {emb.shape[1]} embeddings to {path}")


@group.command("render")
@click.argument("text")
@out_option(help="Output folder; the picture goes to OUT/render.png.")
@click.option("--perturb", default=None, help="Apply one perturbation first (e.g. swap).")
@seed_option
@json_option
def render_cmd(text: str, out: Path, perturb: str | None, seed: int, as_json: bool) -> None:
    """Render TEXT as the encoder sees it (16 px high, 16 × 16 patches) into OUT/render.png."""
    import random

    from PIL import Image

    from rl_shared.errors import UnknownName
    from rl_shared.io import atomic_open
    from rl_text.pixel import PERTURBATIONS, TextRenderer

    if perturb:
        if perturb not in PERTURBATIONS:
            raise UnknownName("perturbation", perturb, list(PERTURBATIONS))
        text = PERTURBATIONS[perturb](text, random.Random(seed))
    img = TextRenderer().render(text)
    path = out / "render.png"
    with writing_to(out), atomic_open(path, "wb") as handle:
        Image.fromarray((255 * (1 - img)).astype("uint8")).save(handle, format="PNG")
    if as_json:
        emit_json({"text": text, "out": str(path), "width": img.shape[1], "height": img.shape[0]})
    else:
        click.echo(f"{text!r} -> {path}")
