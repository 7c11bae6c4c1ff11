"""``rl text disambiguated-skipgram train|neighbours|induce``: the Disambiguated Skip-gram.

``train`` saves the model to ``OUT/model/``; ``neighbours`` and ``induce`` read it.

References:
    Grzegorczyk & Kurdziel, "Disambiguated skip-gram model", EMNLP 2018, pp. 1445–1454.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

from pathlib import Path

import click

from rl_shared.cli import (
    FiniteFloat,
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
from rl_text.disambiguated_skipgram import formats as _formats  # noqa: F401  (registers them)

__all__ = ["group"]


@click.group("disambiguated-skipgram")
def group() -> None:
    """Disambiguated Skip-gram: several sense vectors per word, chosen by context."""


@group.command("train")
@out_option(help="Output folder; the model is saved to OUT/model/.")
@data_option(
    required=False,
    help="A text file, one sentence per line (default: STS-B + SICK + ABSA + WordNet glosses).",
    formats=("disambiguated-skipgram-corpus",),
)
@click.option("--senses", type=click.IntRange(min=1), default=3, show_default=True)
@click.option("--dim", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--epochs", type=click.IntRange(min=1), default=3, show_default=True)
@click.option("--window", type=click.IntRange(min=1), default=3, show_default=True)
@click.option("--min-count", type=click.IntRange(min=1), default=5, show_default=True)
@click.option(
    "--sample",
    type=FiniteFloat(min=0),
    default=1e-4,
    show_default=True,
    help="Subsampling threshold; 0 = none.",
)
@device_option()
@precision_option
@seed_option
@json_option
def train_cmd(
    out, data, senses, dim, epochs, window, min_count, sample, device, precision, seed, as_json
) -> None:
    """Train and save to OUT/model/.

    Under ``torchrun`` every process trains on its part of each batch and only the main
    process writes OUT/model/.
    """
    from collections import Counter

    import numpy as np

    from rl_shared.errors import BadInput
    from rl_shared.io import read_text
    from rl_shared.runtime import is_main_process
    from rl_text.binary_pv.data import tokenize
    from rl_text.disambiguated_skipgram import (
        DisambiguatedSkipGram,
        corpus_sentences,
        train_skipgram,
    )
    from rl_text.disambiguated_skipgram.model import save_skipgram

    if data:
        sents = [tokenize(t) for t in read_text(data).splitlines()]  # strict: names a bad line
    else:
        sents = corpus_sentences()
    freq = Counter(w for s in sents for w in s)
    vocab = sorted((w for w, c in freq.items() if c >= min_count), key=lambda w: (-freq[w], w))
    if not vocab:
        raise BadInput(
            f"no word of {data or 'the corpus'} occurs {min_count} times; lower --min-count"
        )
    index = {w: i for i, w in enumerate(vocab)}
    ids = [np.array([index[w] for w in s if w in index], dtype=np.int64) for s in sents]
    model = DisambiguatedSkipGram(len(vocab), dim, senses, sparse=True)
    losses = train_skipgram(
        model,
        ids,
        np.array([freq[w] for w in vocab]),
        epochs=epochs,
        window=window,
        lr=0.03,
        sample=sample,
        seed=seed,
        show_progress=not as_json,
        device=device,
        precision=precision,
    )
    if not is_main_process():  # the other processes trained their part; rank 0 writes
        return
    with writing_to(out):
        folder = save_skipgram(Path(out) / "model", model, vocab)
    if as_json:
        emit_json({"model": str(folder), "vocabulary": len(vocab), "final_loss": losses[-1]})
    else:
        click.echo(f"saved {folder}: {len(vocab)} words × {senses} senses, loss {losses[-1]:.4f}")


@group.command("neighbours")
@model_option(
    default=None,
    help="OUT/model from `rl text disambiguated-skipgram train`.",
    formats=("disambiguated-skipgram-model",),
)
@click.argument("word")
@click.option("-k", type=click.IntRange(min=1), default=8, show_default=True)
@json_option
def neighbours_cmd(model, word, k, as_json) -> None:
    """Nearest neighbours (other words' senses) of each sense of WORD."""
    from rl_shared.errors import UnknownName
    from rl_text.disambiguated_skipgram.model import load_skipgram

    m, vocab = load_skipgram(model)
    if word not in vocab:
        raise UnknownName("word", word, vocab[:20])
    wid = vocab.index(word)
    out = {s: [(vocab[w], t, c) for w, t, c in m.nearest(wid, s, k)] for s in range(m.senses)}
    if as_json:
        emit_json({"word": word, "senses": out})
        return
    for s, near in out.items():
        click.echo(f"{word}#{s}: " + ", ".join(f"{w}#{t}" for w, t, _ in near))


@group.command("induce")
@model_option(
    default=None,
    help="OUT/model from `rl text disambiguated-skipgram train`.",
    formats=("disambiguated-skipgram-model",),
)
@click.argument("sentence")
@click.option("--window", type=click.IntRange(min=1), default=3, show_default=True)
@json_option
def induce_cmd(model, sentence, window, as_json) -> None:
    """The induced sense (and its probabilities) of every known word of SENTENCE."""
    import numpy as np
    import torch

    from rl_text.binary_pv.data import tokenize
    from rl_text.disambiguated_skipgram import context_windows
    from rl_text.disambiguated_skipgram.model import load_skipgram

    m, vocab = load_skipgram(model)
    index = {w: i for i, w in enumerate(vocab)}
    words = [w for w in tokenize(sentence) if w in index]
    if not words:
        from rl_shared.errors import BadInput

        raise BadInput(
            f"no word of {sentence!r} is in the model's vocabulary of {len(vocab)} words"
        )
    c, x, mask = context_windows([np.array([index[w] for w in words], dtype=np.int64)], window)
    with torch.no_grad():
        p = m.sense_probs(torch.from_numpy(c), torch.from_numpy(x), torch.from_numpy(mask))
    rows = [
        {"word": w, "sense": int(pr.argmax()), "probs": [round(float(v), 3) for v in pr]}
        for w, pr in zip(words, p)
    ]
    if as_json:
        emit_json({"sentence": sentence, "words": rows})
        return
    for r in rows:
        click.echo(f"{r['word']}#{r['sense']}  {r['probs']}")
