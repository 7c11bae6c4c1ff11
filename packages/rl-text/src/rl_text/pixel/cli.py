"""``rl text pixel train|evaluate|encode|render``: the pixel sentence encoder.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(pixel, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import click

from rl_shared.cli.common import emit_json, json_option, seed_option

__all__ = ["pixel"]


@click.group("pixel")
def pixel() -> None:
    """Pixel sentence representations: render text, perturb it, train a ViT contrastively."""


@pixel.command("train")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option(
    "--stage",
    type=click.Choice(["visual", "entailment"]),
    default="visual",
    show_default=True,
    help="visual: perturbed copies of STS-B train sentences; entailment: SICK-E pairs.",
)
@click.option("--perturb", default="swap,drop,keyboard,shuffle", show_default=True)
@click.option(
    "--init", "init", default=None, type=click.Path(exists=True), help="Start from a saved encoder."
)
@click.option("--steps", type=int, default=200, show_default=True)
@click.option("--batch-size", type=int, default=32, show_default=True)
@click.option("--lr", type=float, default=3e-4, show_default=True)
@seed_option
@json_option
def train_cmd(out, stage, perturb, init, steps, batch_size, lr, seed, as_json) -> None:
    """Train one stage and save the encoder to OUT."""
    from rl_text.pixel import PixelEncoder, load_sick_entailment, train_pairs, train_unsupervised
    from rl_text.pixel.train import new_encoder
    from rl_text.sts import load_stsb

    model = PixelEncoder.load(init) if init else new_encoder(seed=seed)
    if stage == "visual":
        train = load_stsb("train")
        kinds = [k for k in perturb.split(",") if k]
        losses = train_unsupervised(
            model,
            sorted(set(train.sentences1 + train.sentences2)),
            kinds,
            steps=steps,
            batch_size=batch_size,
            lr=lr,
            seed=seed,
            show_progress=True,
        )
    else:
        losses = train_pairs(
            model,
            load_sick_entailment("train"),
            steps=steps,
            batch_size=batch_size,
            lr=lr,
            seed=seed,
            show_progress=True,
        )
    model.save(out)
    if as_json:
        emit_json({"stage": stage, "model": out, "steps": steps, "final_loss": losses[-1]})
    else:
        click.echo(f"saved {out} (final loss {losses[-1]:.4f})")


@pixel.command("evaluate")
@click.option("--model", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--lang", default="en", show_default=True, help="STS-B language (11 available).")
@click.option("--split", default="test", show_default=True)
@json_option
def evaluate_cmd(model, lang, split, as_json) -> None:
    """Spearman correlation of cosine similarity with STS-B gold scores."""
    from scipy.stats import spearmanr

    from rl_text.pixel import PixelEncoder
    from rl_text.sts import load_stsb

    enc = PixelEncoder.load(model)
    pairs = load_stsb(split, lang)
    a = enc.encode(pairs.sentences1, show_progress=not as_json)
    b = enc.encode(pairs.sentences2, show_progress=not as_json)
    rho = float(spearmanr((a * b).sum(-1).numpy(), pairs.scores)[0])
    if as_json:
        emit_json({"model": model, "lang": lang, "split": split, "spearman": rho})
    else:
        click.echo(f"STS-B {lang} {split}: Spearman {rho:.4f} ({len(pairs)} pairs)")


@pixel.command("encode")
@click.option("--model", required=True, type=click.Path(exists=True, file_okay=False))
@click.option(
    "--input",
    "input_",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="One sentence per line.",
)
@click.option("--output", required=True, type=click.Path(dir_okay=False), help="A .npy file.")
def encode_cmd(model, input_, output) -> None:
    """Embed every line of INPUT into OUTPUT (float32, unit length)."""
    import io

    import numpy as np

    from rl_shared.io import atomic_open
    from rl_text.pixel import PixelEncoder

    lines = [t for t in open(input_, encoding="utf-8").read().splitlines() if t.strip()]
    emb = PixelEncoder.load(model).encode(lines, show_progress=True).numpy()
    buf = io.BytesIO()
    np.save(buf, emb.astype(np.float32))
    with atomic_open(output, "wb") as handle:
        handle.write(buf.getvalue())
    click.echo(f"wrote {emb.shape[0]} × {emb.shape[1]} embeddings to {output}")


@pixel.command("render")
@click.argument("text")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="A .png file.")
@click.option("--perturb", default=None, help="Apply one perturbation first (e.g. swap).")
@seed_option
def render_cmd(text, out, perturb, seed) -> None:
    """Render TEXT as the encoder sees it (16 px high, 16 × 16 patches)."""
    import random

    from PIL import Image

    from rl_shared.errors import UnknownName
    from rl_text.pixel import PERTURBATIONS, TextRenderer

    if perturb:
        if perturb not in PERTURBATIONS:
            raise UnknownName("perturbation", perturb, list(PERTURBATIONS))
        text = PERTURBATIONS[perturb](text, random.Random(seed))
    img = TextRenderer().render(text)
    Image.fromarray((255 * (1 - img)).astype("uint8")).save(out)
    click.echo(f"{text!r} -> {out}")
