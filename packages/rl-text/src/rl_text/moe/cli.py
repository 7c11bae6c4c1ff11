"""``rl text moe``: train domain-expert (or shared / single-domain) encoders, score each domain.

References:
    Hallee et al., "Contrastive Learning and Mixture of Experts Enables Precise Vector Embeddings",
    arXiv 2024. https://arxiv.org/abs/2401.15713

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["train", "--help"]).exit_code
    0
"""

from __future__ import annotations

from pathlib import Path

import click

from rl_shared.cli import (
    batch_size_option,
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
from rl_text.core.commands import check_runtime, format_score, training_output
from rl_text.moe.formats import MOE_MODEL

__all__ = ["group"]

DOMAINS = ("sick", "stsb", "news", "captions", "forum")


def _domains(text: str) -> list[str]:
    names = [d.strip() for d in text.split(",") if d.strip()]
    unknown = [d for d in names if d not in DOMAINS]
    if not names or unknown:
        raise click.BadParameter(
            f"'{text}' must list domains among {', '.join(DOMAINS)}", param_hint="--domains"
        )
    return names


@click.group("moe")
def group() -> None:
    """Contrastive mixture of domain experts (arXiv:2401.15713), routed by a domain tag."""


@group.command("train")
@click.option(
    "--domains",
    default="sick,news,captions,forum",
    show_default=True,
    help="Domains among sick, stsb, news, captions, forum (STS-B genres); their positive "
    "training pairs are the data. One domain: a single-domain model.",
)
@model_option()
@out_option()
@click.option("--moe-layers", default=None, help="0-based layers given experts (default all).")
@click.option("--shared", is_flag=True, help="One shared model instead of experts.")
@steps_option(default=200)
@batch_size_option(default=32)
@lr_option(default=2e-5)
@click.option("--save-steps", type=click.IntRange(min=1), default=50, show_default=True)
@seed_option
@device_option()
@precision_option
@resume_option
@json_option
def train(
    domains: str,
    model: str,
    out: Path,
    moe_layers: str | None,
    shared: bool,
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
    """Train MODEL with multiple-negatives ranking on per-domain positive pairs; save OUT/model.

    An expert model loads with rl_text.moe.load_moe('OUT/model'), a shared one with
    SentenceTransformer('OUT/model').
    """
    from rl_text.moe.data import domain_positive_pairs
    from rl_text.moe.train import train_moe

    check_runtime(device, precision)
    names = _domains(domains)
    try:
        layers = [int(x) for x in moe_layers.split(",")] if moe_layers else None
    except ValueError:
        raise click.BadParameter(f"'{moe_layers}' is not a list of layer indices") from None
    with training_output(as_json):
        path = train_moe(
            model, domain_positive_pairs(names), out, moe=not shared, layers=layers,
            steps=steps, batch_size=batch_size, learning_rate=lr, seed=seed, resume=resume,
            save_steps=save_steps, device=device, precision=precision,
        )  # fmt: skip
    loader = "SentenceTransformer" if shared else "rl_text.moe.load_moe"
    if as_json:
        emit_json({"model": str(path), "domains": names, "experts": not shared, "steps": steps,
                   "seed": seed, "load_with": loader})  # fmt: skip
    else:
        click.echo(f"saved {path}  (load with {loader}('{path}'))")


@group.command("evaluate")
@model_option(
    help="A saved model: MoE (moe_config.json) or plain sentence-transformers.",
    formats=(MOE_MODEL.name,),
)
@click.option("--domains", default="sick,news,captions,forum", show_default=True)
@click.option("--untagged", is_flag=True, help="Score MoE models without domain tags.")
@batch_size_option(default=64)
@seed_option
@device_option()
@precision_option
@json_option
def evaluate(
    model: str,
    domains: str,
    untagged: bool,
    batch_size: int,
    seed: int,
    device: str,
    precision: str,
    as_json: bool,
) -> None:
    """Spearman of cosine similarity on each domain's test split (texts tagged for MoE)."""
    from rl_shared.models import load_sentence_transformer
    from rl_shared.sts import StsPairs
    from rl_text.core.evaluation import evaluate_sts
    from rl_text.moe.data import load_domain
    from rl_text.moe.model import is_moe_folder, load_moe, tag_text

    check_runtime(device, precision)
    names = _domains(domains)
    is_moe = is_moe_folder(model)
    st = (
        load_moe(model, device=device)
        if is_moe
        else load_sentence_transformer(model, device=device)
    )
    scores = {}
    for d in names:
        pairs = load_domain(d, "test")
        if is_moe and not untagged:
            pairs = StsPairs(
                [tag_text(s, d) for s in pairs.sentences1],
                [tag_text(s, d) for s in pairs.sentences2],
                pairs.scores,
            )
        scores[d] = evaluate_sts(st, pairs, batch_size=batch_size, precision=precision)["spearman"]
    if as_json:
        emit_json({"model": model, "moe": is_moe, "spearman": scores})
        return
    for d, v in scores.items():
        click.echo(f"  {d:<9} Spearman {format_score(v)}")
