"""``rl text skipgram train|neighbours|induce``: the Disambiguated Skip-gram.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(skipgram, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import click

from rl_shared.cli.common import emit_json, json_option, seed_option

__all__ = ["skipgram"]


@click.group("skipgram")
def skipgram() -> None:
    """Disambiguated Skip-gram: several sense vectors per word, chosen by context."""


@skipgram.command("train")
@click.option("--out", required=True, type=click.Path(file_okay=False))
@click.option(
    "--input",
    "input_",
    default=None,
    type=click.Path(exists=True, dir_okay=False),
    help="One sentence per line; default: STS-B + SICK + ABSA + WordNet glosses.",
)
@click.option("--senses", type=int, default=3, show_default=True)
@click.option("--dim", type=int, default=100, show_default=True)
@click.option("--epochs", type=int, default=3, show_default=True)
@click.option("--window", type=int, default=3, show_default=True)
@click.option("--min-count", type=int, default=5, show_default=True)
@click.option(
    "--sample", type=float, default=1e-4, show_default=True, help="Subsampling threshold; 0 = none."
)
@seed_option
@json_option
def train_cmd(out, input_, senses, dim, epochs, window, min_count, sample, seed, as_json) -> None:
    """Train and save to OUT."""
    from collections import Counter

    import numpy as np
    import torch

    from rl_shared.errors import BadInput
    from rl_text.binary_pv.data import tokenize
    from rl_text.disambiguated_skipgram import DisambiguatedSkipGram, corpus_sentences, train_skipgram
    from rl_text.disambiguated_skipgram.storage import save_skipgram

    if input_:
        sents = [tokenize(t) for t in open(input_, encoding="utf-8").read().splitlines()]
    else:
        sents = corpus_sentences()
    freq = Counter(w for s in sents for w in s)
    vocab = sorted((w for w, c in freq.items() if c >= min_count), key=lambda w: (-freq[w], w))
    if not vocab:
        raise BadInput(f"no word occurs {min_count} times; lower --min-count")
    index = {w: i for i, w in enumerate(vocab)}
    ids = [np.array([index[w] for w in s if w in index], dtype=np.int64) for s in sents]
    torch.manual_seed(seed)
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
    )
    save_skipgram(out, model, vocab)
    if as_json:
        emit_json({"model": out, "vocabulary": len(vocab), "final_loss": losses[-1]})
    else:
        click.echo(f"saved {out}: {len(vocab)} words × {senses} senses, loss {losses[-1]:.4f}")


@skipgram.command("neighbours")
@click.option("--model", required=True, type=click.Path(exists=True, file_okay=False))
@click.argument("word")
@click.option("-k", type=int, default=8, show_default=True)
@json_option
def neighbours_cmd(model, word, k, as_json) -> None:
    """Nearest neighbours (other words' senses) of each sense of WORD."""
    from rl_shared.errors import UnknownName
    from rl_text.disambiguated_skipgram.storage import load_skipgram

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


@skipgram.command("induce")
@click.option("--model", required=True, type=click.Path(exists=True, file_okay=False))
@click.argument("sentence")
@click.option("--window", type=int, default=3, show_default=True)
@json_option
def induce_cmd(model, sentence, window, as_json) -> None:
    """The induced sense (and its probabilities) of every known word of SENTENCE."""
    import numpy as np
    import torch

    from rl_text.binary_pv.data import tokenize
    from rl_text.disambiguated_skipgram import context_windows
    from rl_text.disambiguated_skipgram.storage import load_skipgram

    m, vocab = load_skipgram(model)
    index = {w: i for i, w in enumerate(vocab)}
    words = [w for w in tokenize(sentence) if w in index]
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
