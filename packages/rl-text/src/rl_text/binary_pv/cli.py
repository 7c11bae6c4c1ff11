"""``rl text binary-pv train|encode|evaluate``: binary paragraph vectors.

``train`` saves the model to ``OUT/model/``; ``encode`` writes ``OUT/codes.txt``.

References:
    Grzegorczyk & Kurdziel, "Binary Paragraph Vectors", RepL4NLP 2017.
    https://arxiv.org/abs/1611.01116

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

from pathlib import Path

import click

from rl_shared.cli import (
    data_option,
    device_option,
    emit_json,
    json_option,
    model_option,
    out_option,
    precision_option,
    seed_option,
    writing_to,
)
from rl_text.binary_pv import formats as _formats  # noqa: F401  (registers the formats)

__all__ = ["group"]


epochs_option = click.option("--epochs", type=click.IntRange(min=1), default=20, show_default=True)


def _lines(path: str) -> list[str]:
    """The non-blank lines of a user's UTF-8 file (read strictly, naming a bad line)."""
    from rl_shared.io import read_text

    return [t for t in read_text(path).splitlines() if t.strip()]


@click.group("binary-pv")
def group() -> None:
    """Binary Paragraph Vectors: PV-DBOW with bit codes, retrieval by Hamming distance."""


@group.command("train")
@data_option(help="A text file, one document per line.", formats=("binary-pv-docs",))
@out_option(
    help="Output folder; the model (with the training documents' codes) goes to OUT/model/."
)
@click.option("--bits", type=click.IntRange(min=1), default=64, show_default=True)
@click.option(
    "--real-dim",
    type=click.IntRange(min=1),
    default=None,
    help="Real-Binary model with a real code of this size.",
)
@epochs_option
@click.option("--min-count", type=click.IntRange(min=1), default=2, show_default=True)
@device_option()
@precision_option
@seed_option
@json_option
def train_cmd(
    data, out, bits, real_dim, epochs, min_count, device, precision, seed, as_json
) -> None:
    """Train on DATA's lines and save OUT/model/ (codes of the training documents inside).

    Under ``torchrun`` every process trains on its part of each batch and only the main
    process writes OUT/model/.
    """
    from rl_shared.runtime import is_main_process
    from rl_text.binary_pv import BinaryParagraphVector, Corpus, RealBinaryParagraphVector, train_pv
    from rl_text.binary_pv.model import save_pv

    corpus = Corpus.build(_lines(data), min_count=min_count)
    if real_dim:
        model = RealBinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits, real_dim)
    else:
        model = BinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits)
    losses = train_pv(
        model,
        corpus,
        epochs=epochs,
        seed=seed,
        show_progress=not as_json,
        device=device,
        precision=precision,
    )
    if not is_main_process():  # the other processes trained their part; rank 0 writes
        return
    with writing_to(out):
        folder = save_pv(Path(out) / "model", model, corpus)
    if as_json:
        emit_json(
            {
                "model": str(folder),
                "bits": bits,
                "documents": len(corpus.docs),
                "final_loss": losses[-1],
            }
        )
    else:
        click.echo(
            f"saved {folder}: {len(corpus.docs)} documents, {len(corpus.vocab)} words, "
            f"loss {losses[-1]:.4f}"
        )


@group.command("encode")
@model_option(
    default=None,
    help="OUT/model from `rl text binary-pv train`.",
    formats=("binary-pv-model",),
)
@data_option(help="A text file, one document per line.", formats=("binary-pv-docs",))
@out_option(help="Output folder; the bit strings go to OUT/codes.txt, one per line.")
@epochs_option
@device_option()
@precision_option
@seed_option
@json_option
def encode_cmd(model, data, out, epochs, device, precision, seed, as_json) -> None:
    """Infer binary codes of DATA's lines (word weights frozen) into OUT/codes.txt."""
    from rl_shared.io import atomic_write_text
    from rl_shared.runtime import is_main_process
    from rl_text.binary_pv import infer_codes
    from rl_text.binary_pv.model import load_pv

    docs = _lines(data)  # the data is checked before the model is loaded
    pv, corpus = load_pv(model)
    codes, _ = infer_codes(
        pv, corpus, docs, epochs=epochs, seed=seed, device=device, precision=precision
    )
    if not is_main_process():
        return
    path = Path(out) / "codes.txt"
    with writing_to(out):
        atomic_write_text(path, "".join("".join(map(str, row)) + "\n" for row in codes.tolist()))
    if as_json:
        emit_json({"out": str(path), "documents": len(codes), "bits": codes.shape[1]})
    else:
        click.echo(f"wrote {len(codes)} codes of {codes.shape[1]} bits to {path}")


@group.command("evaluate")
@click.option("--bits", type=click.IntRange(min=1), default=64, show_default=True)
@epochs_option
@device_option()
@precision_option
@seed_option
@json_option
def evaluate_cmd(bits, epochs, device, precision, seed, as_json) -> None:
    """Train and test on same-genre STS-B retrieval (train rows = database, test = queries)."""
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
    model = BinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits)
    train_pv(
        model,
        corpus,
        epochs=epochs,
        seed=seed,
        show_progress=not as_json,
        device=device,
        precision=precision,
    )
    q, _ = infer_codes(
        model, corpus, test.docs["en"], epochs=epochs, seed=seed, device=device, precision=precision
    )
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
