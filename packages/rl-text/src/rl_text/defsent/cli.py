"""``rl text defsent``: train a sentence encoder on WordNet definitions with DefSent+.

References:
    Liu, "DefSent+: Improving sentence embeddings of language models by projecting definition
    sentences into a quasi-isotropic or isotropic vector space of unlimited dictionary entries",
    arXiv 2024. https://arxiv.org/abs/2405.16153

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["train", "--help"]).exit_code
    0
"""

from __future__ import annotations

from pathlib import Path

import click

from rl_shared.cli import (
    FiniteFloat,
    batch_size_option,
    data_option,
    device_option,
    emit_json,
    json_option,
    lr_option,
    model_option,
    out_option,
    precision_option,
    resume_option,
    seed_option,
    steps_option,
)
from rl_text.core.commands import check_runtime, training_output
from rl_text.defsent.formats import DEFSENT_WORDNET

__all__ = ["group"]


@click.group("defsent")
def group() -> None:
    """DefSent+ (arXiv:2405.16153): definitions projected onto isotropic entry embeddings."""


@group.command("train")
@data_option(
    required=False,
    help="A WordNet folder in nltk's layout (index.noun, data.noun, ...); default: the "
    "registered 'wordnet' dataset.",
    formats=(DEFSENT_WORDNET.name,),
)
@model_option()
@out_option()
@click.option(
    "--definitions", type=click.IntRange(min=2), default=8000, show_default=True,
    help="About this many definitions, whole entries with at least two definitions each.",
)  # fmt: skip
@click.option(
    "--isotropy", type=click.Choice(["whiten", "ica", "none"]), default="whiten",
    show_default=True, help="Transform of the entry space.",
)  # fmt: skip
@click.option(
    "--entry-mode", type=click.Choice(["definitions", "entry"]), default="definitions",
    show_default=True, help="Entry embedding = mean of its definitions, or the entry string.",
)  # fmt: skip
@click.option("--prompt", is_flag=True, help="Prompt-based [MASK] pooling.")
@click.option(
    "--refresh-steps", type=click.IntRange(min=1), default=100, show_default=True,
    help="Rebuild the entry space every this many steps.",
)  # fmt: skip
@click.option(
    "--temperature", type=FiniteFloat(min=0, min_open=True), default=0.05, show_default=True
)
@steps_option(default=200)
@batch_size_option(default=64)
@lr_option(default=2e-5)
@click.option("--save-steps", type=click.IntRange(min=1), default=50, show_default=True)
@seed_option
@device_option()
@precision_option
@resume_option
@json_option
def train(
    data: str | None,
    model: str,
    out: Path,
    definitions: int,
    isotropy: str,
    entry_mode: str,
    prompt: bool,
    refresh_steps: int,
    temperature: float,
    steps: int,
    batch_size: int,
    lr: float,
    save_steps: int,
    seed: int,
    device: str,
    precision: str,
    resume: bool,
    as_json: bool,
) -> None:
    """Train MODEL to project each definition onto its entry; save OUT/model.

    A mean-pooled model loads with SentenceTransformer('OUT/model'), a --prompt one with
    rl_text.defsent.load_prompt_model('OUT/model').
    """
    from rl_text.defsent.entries import load_wordnet_pairs, make_definition_set
    from rl_text.defsent.train import train_defsent

    check_runtime(device, precision)
    pairs = make_definition_set(
        load_wordnet_pairs(data), n=definitions, seed=seed, min_definitions=2
    )
    with training_output(as_json):
        path = train_defsent(
            model, pairs, out, isotropy=isotropy, entry_mode=entry_mode, prompt=prompt,
            refresh_steps=refresh_steps, temperature=temperature, steps=steps,
            batch_size=batch_size, learning_rate=lr, seed=seed, resume=resume,
            save_steps=save_steps, device=device, precision=precision,
        )  # fmt: skip
    loader = "rl_text.defsent.load_prompt_model" if prompt else "SentenceTransformer"
    if as_json:
        emit_json({"model": str(path), "definitions": len(pairs.definitions),
                   "entries": len(pairs.entries), "steps": steps, "seed": seed,
                   "load_with": loader})  # fmt: skip
    else:
        click.echo(f"saved {path}  (load with {loader}('{path}'))")
