"""``rl text lowrank-attention train|evaluate``: BiGRU + low-rank (or MHA) attention pooling.

The classifier reads SemEval-2014 aspect pairs (``sentence [SEP] aspect``) through the frozen
input word embeddings and the tokenizer of a sentence encoder (``--model``, MiniLM by
default). ``train`` saves it to ``OUT/model/`` (the frozen embeddings are not copied: they
are read from the encoder again).

References:
    Mehta et al., "Low Rank Factorization for Compact Multi-Head Self-Attention", arXiv 2019.
    https://arxiv.org/abs/1912.00835

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
    writing_to,
)
from rl_text.cvib.formats import ABSA_FORMATS
from rl_text.lowrank_attention import formats as _formats  # noqa: F401  (registers the model)

__all__ = ["group"]


DATA_HELP = "A SemEval-2014 .seg/.xml file, a folder of the SemEval-2014 .seg files, or semeval14."
domain_option = click.option(
    "--domain",
    type=click.Choice(["laptop", "restaurant"]),
    default="laptop",
    show_default=True,
    help="SemEval-2014 domain (for a folder or semeval14).",
)


@click.group("lowrank-attention")
def group() -> None:
    """Low-rank multi-head attention pooling (LAMA) vs multi-head self-attention classifiers."""


@group.command("train")
@data_option(help=DATA_HELP + " The train split is used.", formats=ABSA_FORMATS)
@out_option(help="Output folder; the classifier is saved to OUT/model/.")
@domain_option
@model_option(help="The encoder whose frozen input embeddings and tokenizer are used.")
@click.option(
    "--attention",
    type=click.Choice(["lowrank", "mha"]),
    default="lowrank",
    show_default=True,
    help="lowrank: LowRankMultiheadAttention pooling; mha: nn.MultiheadAttention + mean.",
)
@click.option("--hidden", type=click.IntRange(min=1), default=64, show_default=True)
@click.option("--heads", type=click.IntRange(min=1), default=4, show_default=True)
@click.option("--rank", type=click.IntRange(min=1), default=32, show_default=True)
@click.option("--epochs", type=click.IntRange(min=1), default=4, show_default=True)
@batch_size_option(default=32)
@lr_option(default=2e-3)
@device_option()
@precision_option
@seed_option
@json_option
def train_cmd(
    data: str,
    out: Path,
    domain: str,
    model: str,
    attention: str,
    hidden: int,
    heads: int,
    rank: int,
    epochs: int,
    batch_size: int,
    lr: float,
    device: str,
    precision: str,
    seed: int,
    as_json: bool,
) -> None:
    """Train on the train split and save OUT/model/.

    Under ``torchrun`` each process trains on its share of every batch; rank 0 saves.
    """
    from rl_shared.cli import progress
    from rl_shared.models import load_sentence_transformer
    from rl_shared.runtime import is_main_process
    from rl_text.cvib.data import load_absa_data
    from rl_text.lowrank_attention import (
        GRUAttentionClassifier,
        count_parameters,
        encode_absa,
        minilm_embeddings,
        save_classifier,
        train_classifier,
    )

    examples = load_absa_data(data, domain, "train")
    matrix, tokenizer = minilm_embeddings(load_sentence_transformer(model))
    config = {
        "vocab_size": int(matrix.shape[0]),
        "hidden": hidden,
        "num_classes": 3,
        "attention": attention,
        "num_heads": heads,
        "rank": rank,
        "padding_idx": int(tokenizer.pad_token_id or 0),
    }
    classifier = GRUAttentionClassifier(embeddings=matrix, **config)
    losses = train_classifier(
        classifier,
        encode_absa(tokenizer, examples),
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        seed=seed,
        progress=lambda epochs_: progress(as_json)(epochs_, f"{attention} epochs"),
        device=device,
        precision=precision,
    )
    if not is_main_process():  # the other processes trained their share; rank 0 writes
        return
    with writing_to(out):
        folder = save_classifier(Path(out) / "model", classifier.cpu(), config, model)
    info = {
        "model": str(folder),
        "attention": attention,
        "train": len(examples),
        "epochs": epochs,
        "trainable_params": count_parameters(classifier),
        "attention_params": count_parameters(classifier.pool),
        "final_loss": round(losses[-1], 4),
        "seed": seed,
    }
    if as_json:
        emit_json(info)
    else:
        click.echo(
            f"saved {folder}  ({attention}, {info['attention_params']:,} attention parameters, "
            f"final loss {info['final_loss']})"
        )


@group.command("evaluate")
@model_option(
    default=None,
    help="The OUT/model folder written by `rl text lowrank-attention train`.",
    formats=("lowrank-attention-model",),
)
@data_option(help=DATA_HELP, formats=ABSA_FORMATS)
@domain_option
@click.option("--split", type=click.Choice(["train", "test"]), default="test", show_default=True)
@device_option()
@precision_option
@json_option
def evaluate_cmd(
    model: str, data: str, domain: str, split: str, device: str, precision: str, as_json: bool
) -> None:
    """Accuracy, macro-F1 and inference throughput (sentences / s) of a trained classifier."""
    from rl_text.cvib.data import load_absa_data
    from rl_text.lowrank_attention import (
        encode_absa,
        evaluate_classifier,
        load_classifier,
        throughput,
    )

    examples = load_absa_data(data, domain, split)  # the data is checked before the model
    classifier, _, tokenizer = load_classifier(model)
    encoded = encode_absa(tokenizer, examples)
    result = evaluate_classifier(classifier, encoded, device=device, precision=precision)
    result["sentences_per_s"] = round(throughput(classifier, encoded, 64, 2, precision), 1)
    if as_json:
        emit_json({"model": model, "data": data, **result})
        return
    click.echo(f"{model} on {data} ({result['n']} aspects)")
    click.echo(f"  accuracy {result['accuracy']:.4f}")
    click.echo(f"  macro-F1 {result['macro_f1']:.4f}")
    click.echo(f"  {result['sentences_per_s']:.0f} sentences / s")
