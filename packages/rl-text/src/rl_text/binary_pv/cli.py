"""``rl text binary-pv train|encode|evaluate``: binary paragraph vectors.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(binary_pv, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import click

from rl_shared.cli.common import emit_json, json_option, seed_option

__all__ = ["binary_pv"]


def _lines(path: str) -> list[str]:
    return [t for t in open(path, encoding="utf-8").read().splitlines() if t.strip()]


@click.group("binary-pv")
def binary_pv() -> None:
    """Binary Paragraph Vectors: PV-DBOW with bit codes, retrieval by Hamming distance."""


@binary_pv.command("train")
@click.option(
    "--input",
    "input_",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="One document per line.",
)
@click.option("--out", required=True, type=click.Path(file_okay=False))
@click.option("--bits", type=int, default=64, show_default=True)
@click.option(
    "--real-dim", type=int, default=None, help="Real-Binary model with a real code of this size."
)
@click.option("--epochs", type=int, default=20, show_default=True)
@click.option("--min-count", type=int, default=2, show_default=True)
@seed_option
@json_option
def train_cmd(input_, out, bits, real_dim, epochs, min_count, seed, as_json) -> None:
    """Train on INPUT's lines and save the model (codes of the training documents inside)."""
    import torch

    from rl_text.binary_pv import BinaryParagraphVector, Corpus, RealBinaryParagraphVector, train_pv
    from rl_text.binary_pv.storage import save_pv

    corpus = Corpus.build(_lines(input_), min_count=min_count)
    torch.manual_seed(seed)
    if real_dim:
        model = RealBinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits, real_dim)
    else:
        model = BinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits)
    losses = train_pv(model, corpus, epochs=epochs, seed=seed, show_progress=not as_json)
    save_pv(out, model, corpus)
    if as_json:
        emit_json(
            {"model": out, "bits": bits, "documents": len(corpus.docs), "final_loss": losses[-1]}
        )
    else:
        click.echo(
            f"saved {out}: {len(corpus.docs)} documents, {len(corpus.vocab)} words, loss {losses[-1]:.4f}"
        )


@binary_pv.command("encode")
@click.option("--model", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--input", "input_", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--output", required=True, type=click.Path(dir_okay=False), help="Bit strings, one per line."
)
@click.option("--epochs", type=int, default=20, show_default=True)
@seed_option
def encode_cmd(model, input_, output, epochs, seed) -> None:
    """Infer binary codes of INPUT's lines (word weights frozen)."""
    from rl_shared.io import atomic_write_text
    from rl_text.binary_pv import infer_codes
    from rl_text.binary_pv.storage import load_pv

    pv, corpus = load_pv(model)
    codes, _ = infer_codes(pv, corpus, _lines(input_), epochs=epochs, seed=seed)
    atomic_write_text(output, "".join("".join(map(str, row)) + "\n" for row in codes.tolist()))
    click.echo(f"wrote {len(codes)} codes of {codes.shape[1]} bits to {output}")


@binary_pv.command("evaluate")
@click.option("--bits", type=int, default=64, show_default=True)
@click.option("--epochs", type=int, default=20, show_default=True)
@seed_option
@json_option
def evaluate_cmd(bits, epochs, seed, as_json) -> None:
    """Same-genre retrieval on STS-B (train rows = database, test rows = queries)."""
    import torch

    from rl_text.binary_pv import (
        BinaryParagraphVector,
        Corpus,
        infer_codes,
        mean_average_precision,
        precision_at_k,
        rank_by_hamming,
        train_pv,
    )
    from rl_text.gfun.data import load_genre_corpus

    train, test = load_genre_corpus("train", ["en"]), load_genre_corpus("test", ["en"])
    corpus = Corpus.build(train.docs["en"])
    torch.manual_seed(seed)
    model = BinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits)
    train_pv(model, corpus, epochs=epochs, seed=seed, show_progress=not as_json)
    q, _ = infer_codes(model, corpus, test.docs["en"], epochs=epochs, seed=seed)
    order = torch.randperm(len(corpus.docs), generator=torch.Generator().manual_seed(seed)).numpy()
    ranking = order[rank_by_hamming(q.numpy(), model.codes().numpy()[order])]
    res = {
        "bits": bits,
        "p@10": round(precision_at_k(ranking, test.labels, train.labels), 4),
        "map": mean_average_precision(ranking, test.labels, train.labels),
    }
    if as_json:
        emit_json(res)
    else:
        click.echo(f"{bits}-bit Binary PV-DBOW: P@10 {res['p@10']:.4f}, mAP {res['map']:.4f}")
