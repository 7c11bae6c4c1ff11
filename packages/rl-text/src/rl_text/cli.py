"""``rl text ...``: evaluate sentence encoders on STS by layer and width, train them.

Registered under the entry-point group ``rl.commands`` as ``text``.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import click

from rl_shared.cli.common import emit_json, json_option, seed_option

__all__ = ["group"]


@click.group("text")
def group() -> None:
    """Sentence embeddings: STS evaluation (any layer × width) and 2DMSE training."""


def _pairs(data: str, columns: str | None):
    from rl_text.sts import named_or_file_pairs

    return named_or_file_pairs(data, columns)


@group.command("eval-sts")
@click.option("--model", default="minilm", show_default=True, help="Short name or local folder.")
@click.option(
    "--data",
    required=True,
    help="CSV/TSV of pairs (STS-B layout unless --columns), or stsb[:split] / sick[:split].",
)
@click.option("--layer", type=int, default=None, help="Use the first L transformer layers.")
@click.option("--dim", type=int, default=None, help="Keep the first D embedding dimensions.")
@click.option("--columns", default=None, help="'s1,s2,score': header names or 0-based indices.")
@click.option("--batch-size", type=int, default=64, show_default=True)
@seed_option
@json_option
def eval_sts_cmd(
    model: str,
    data: str,
    layer: int | None,
    dim: int | None,
    columns: str | None,
    batch_size: int,
    seed: int,
    as_json: bool,
) -> None:
    """Spearman and Pearson correlation of cosine similarity with the gold scores."""
    from rl_shared.models import load_sentence_transformer
    from rl_text.evaluation import evaluate_sts

    pairs = _pairs(data, columns)
    st = load_sentence_transformer(model)
    result = evaluate_sts(st, pairs, layer, dim, batch_size=batch_size, show_progress=not as_json)
    if as_json:
        emit_json({"model": model, "data": data, **result})
        return
    click.echo(
        f"{model} on {data} ({result['pairs']} pairs, layer {result['layer']}, dim {result['dim']})"
    )
    click.echo(f"  Spearman {result['spearman']:.4f}")
    click.echo(f"  Pearson  {result['pearson']:.4f}")


from rl_text.train_command import train_cmd  # noqa: E402

group.add_command(train_cmd)

from rl_text.absa.commands import absa as _absa  # noqa: E402

group.add_command(_absa)

from rl_text.binary_pv.commands import binary_pv as _binary_pv  # noqa: E402
from rl_text.gfun.commands import gfun as _gfun  # noqa: E402
from rl_text.pixel.commands import pixel as _pixel  # noqa: E402
from rl_text.skipgram.commands import skipgram as _skipgram  # noqa: E402

group.add_command(_pixel)
group.add_command(_gfun)
group.add_command(_binary_pv)
group.add_command(_skipgram)
