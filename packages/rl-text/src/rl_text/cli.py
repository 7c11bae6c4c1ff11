"""``rl text ...``: one sub-group per paper, loaded on first use, and ``eval-sts``.

Registered under the entry-point group ``rl.commands`` as ``text``. ``rl text --help`` lists
every paper from the static table :data:`PAPERS` without importing any of them (nor torch);
``rl text <paper> ...`` imports ``rl_text.<paper>.cli`` and runs its ``group``.

Example:
    >>> from click.testing import CliRunner
    >>> result = CliRunner().invoke(group, ["--help"])
    >>> result.exit_code, "2dmse" in result.output, "lowrank-attention" in result.output
    (0, True, True)
"""

from __future__ import annotations

import importlib

import click

from rl_shared.cli import (
    batch_size_option,
    data_option,
    device_option,
    emit_json,
    json_option,
    model_option,
    precision_option,
    seed_option,
)
from rl_shared.sts import STS_PAIRS_FORMAT
from rl_text.core.commands import check_runtime, format_score

__all__ = ["PAPERS", "LazyPaperGroup", "group"]

#: sub-group name -> (module whose ``group`` it is, one-line summary shown by ``--help``)
PAPERS: dict[str, tuple[str, str]] = {
    "2dmse": (
        "rl_text.matryoshka2d.cli",
        "2D Matryoshka embeddings (layers × dims).",
    ),
    "dse": (
        "rl_text.dse.cli",
        "Cross-encoder distilled into a bi-encoder.",
    ),
    "kalm": ("rl_text.kalm.cli", "KaLM-Embedding-V2 contrastive training recipe."),
    "codiemb": ("rl_text.codiemb.cli", "CoDiEmb: joint retrieval + STS training."),
    "moe": ("rl_text.moe.cli", "Contrastive mixture of domain experts."),
    "defsent": ("rl_text.defsent.cli", "DefSent+: definitions onto isotropic entries."),
    "cvib": ("rl_text.cvib.cli", "CVIB: robust aspect sentiment by self-pruning."),
    "pixel": ("rl_text.pixel.cli", "Pixel sentence representations (rendered text)."),
    "gfun": ("rl_text.gfun.cli", "gFun: multilingual generalized funnelling."),
    "binary-pv": (
        "rl_text.binary_pv.cli",
        "Binary paragraph vectors for semantic hashing.",
    ),
    "disambiguated-skipgram": (
        "rl_text.disambiguated_skipgram.cli",
        "Sense vectors and induction (disambiguated SG).",
    ),
    "syntactic-domain": (
        "rl_text.syntactic_domain.cli",
        "Syntactic templates as spurious domain cues.",
    ),
    "lowrank-attention": (
        "rl_text.lowrank_attention.cli",
        "Low-rank attention classifier vs multi-head.",
    ),
}


class LazyPaperGroup(click.Group):
    """A click group whose paper sub-groups are imported only when one is run.

    ``list_commands`` and ``--help`` read :data:`PAPERS`; ``get_command`` imports the module
    and renames its ``group`` to the table's name.

    Example:
        >>> ctx = click.Context(group)
        >>> group.list_commands(ctx)[:3], "eval-sts" in group.list_commands(ctx)
        (['2dmse', 'binary-pv', 'codiemb'], True)
        >>> group.get_command(ctx, "lowrank-attention").name, group.get_command(ctx, "nosuch")
        ('lowrank-attention', None)
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *PAPERS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in PAPERS:
            return command
        module = importlib.import_module(PAPERS[cmd_name][0])
        command = module.group
        command.name = cmd_name
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, summary) for name, (_, summary) in PAPERS.items()]
        own = [
            (name, cmd.get_short_help_str(limit=formatter.width))
            for name, cmd in sorted(self.commands.items())
            if not cmd.hidden
        ]
        with formatter.section("Papers"):
            formatter.write_dl(rows)
        if own:
            with formatter.section("Commands"):
                formatter.write_dl(own)


@click.group("text", cls=LazyPaperGroup)
def group() -> None:
    """Sentence embeddings and text models: one sub-command group per paper.

    \b
    rl text <paper> train|evaluate|...   (see rl text <paper> --help)
    rl text eval-sts                     STS Spearman of any model, any layer and width
    rl reproduce text.<paper>            the paper's experiment (--smoke, --quick, --full)
    """


@group.command("eval-sts")
@model_option()
@data_option(
    help="CSV/TSV of pairs (STS-B layout unless --columns), or stsb[:split] / sick[:split].",
    formats=(STS_PAIRS_FORMAT.name,),
)
@click.option("--layer", type=click.IntRange(min=1), default=None, help="Use the first L layers.")
@click.option("--dim", type=click.IntRange(min=1), default=None, help="Keep the first D dims.")
@click.option("--columns", default=None, help="'s1,s2,score': header names or 0-based indices.")
@batch_size_option(default=64)
@seed_option
@device_option()
@precision_option
@json_option
def eval_sts_cmd(
    model: str,
    data: str,
    layer: int | None,
    dim: int | None,
    columns: str | None,
    batch_size: int,
    seed: int,
    device: str,
    precision: str,
    as_json: bool,
) -> None:
    """Spearman and Pearson correlation of cosine similarity with the gold scores."""
    from rl_shared.models import load_sentence_transformer
    from rl_shared.sts import named_or_file_pairs
    from rl_text.core.evaluation import evaluate_sts

    where = check_runtime(device, precision)
    pairs = named_or_file_pairs(data, columns)
    st = load_sentence_transformer(model, device=where)
    result = evaluate_sts(
        st, pairs, layer, dim, batch_size=batch_size, show_progress=not as_json,
        precision=precision,
    )  # fmt: skip
    if as_json:
        emit_json({"model": model, "data": data, **result})
        return
    click.echo(
        f"{model} on {data} ({result['pairs']} pairs, layer {result['layer']}, dim {result['dim']})"
    )
    click.echo(f"  Spearman {format_score(result['spearman'])}")
    click.echo(f"  Pearson  {format_score(result['pearson'])}")
