"""``rl text syntactic-domain tag|probe``: the POS-template tagger and the template-swap probe.

References:
    Shaib et al., "Learning the Wrong Lessons: Syntactic-Domain Spurious Correlations in Language
    Models".

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import click

from rl_shared.cli import device_option, emit_json, json_option, precision_option, seed_option

__all__ = ["group"]


@click.group("syntactic-domain")
def group() -> None:
    """Syntactic-domain spurious correlations: POS templates and the template-swap probe."""


@group.command("tag")
@click.argument("text")
@json_option
def tag_cmd(text: str, as_json: bool) -> None:
    """POS tags and template of TEXT (WordNet rule + lexicon tagger; needs the wordnet data)."""
    from rl_shared.errors import BadInput
    from rl_text.syntactic_domain import LexiconTagger, extract_template

    if not text.strip():
        raise BadInput("TEXT is empty; give a sentence to tag")
    tagger = LexiconTagger()
    tagged = tagger.tag(text)
    template = extract_template(text, tagger)
    if as_json:
        emit_json({"text": text, "tokens": [[w, t] for w, t in tagged], "template": template})
        return
    click.echo(" ".join(f"{w}/{t}" for w, t in tagged))
    click.echo(f"template: {template}")


def _strengths(value: str) -> list[float]:
    from rl_shared.errors import BadInput

    try:
        out = [float(x) for x in value.split(",") if x.strip()]
    except ValueError:
        raise BadInput(
            f"--strength takes comma-separated numbers in [0, 1], got {value!r}"
        ) from None
    if not out or any(not 0.0 <= x <= 1.0 for x in out):
        raise BadInput(f"--strength takes comma-separated numbers in [0, 1], got {value!r}")
    return out


@group.command("probe")
@click.option(
    "--strength",
    default="0,0.5,0.9,1",
    show_default=True,
    help="Template-domain correlation strengths ρ of the training sets (comma-separated).",
)
@click.option(
    "--classifier",
    "classifiers",
    type=click.Choice(["bow", "gru-lowrank"]),
    multiple=True,
    default=("bow",),
    show_default=True,
    help="Classifier(s) to train (repeat the option for several).",
)
@click.option("--n-train", type=click.IntRange(min=10), default=900, show_default=True)
@click.option("--n-test", type=click.IntRange(min=10), default=300, show_default=True)
@click.option(
    "--association/--no-association",
    default=True,
    show_default=True,
    help="Tag the training set and report template-domain NMI and Cramér's V (needs wordnet).",
)
@device_option()
@precision_option
@seed_option
@json_option
def probe_cmd(
    strength: str,
    classifiers: tuple[str, ...],
    n_train: int,
    n_test: int,
    association: bool,
    device: str,
    precision: str,
    seed: int,
    as_json: bool,
) -> None:
    """Train on correlated synthetic instructions; accuracy drop under template swaps."""
    from rl_shared.cli import progress
    from rl_shared.runtime import is_main_process, resolve_device, resolve_precision
    from rl_text.syntactic_domain import LexiconTagger, correlation_sweep

    resolve_precision(precision, resolve_device(device))  # refused before any work
    rows = correlation_sweep(
        _strengths(strength),
        [seed],
        n_train,
        n_test,
        classifiers=classifiers,
        tagger=LexiconTagger() if association else None,
        progress=lambda jobs: progress(as_json)(jobs, "ρ"),
        device=device,
        precision=precision,
    )
    if not is_main_process():  # under torchrun every process trained its share; rank 0 reports
        return
    if as_json:
        emit_json({"seed": seed, "rows": rows})
        return
    click.echo("ρ      classifier    in-domain  swapped  drop     NMI")
    for r in rows:
        nmi = f"{r['nmi']:.3f}" if "nmi" in r else "-"
        click.echo(
            f"{r['strength']:<6g} {r['classifier']:<13} {r['in_domain']:<10.3f} "
            f"{r['swapped']:<8.3f} {r['drop']:<+8.3f} {nmi}"
        )
