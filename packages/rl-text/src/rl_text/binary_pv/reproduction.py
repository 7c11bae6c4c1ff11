"""``text.binary-pv``: retrieve same-genre STS-B documents by Hamming distance of binary codes.

Documents are English STS-B rows (both sentences) with a genre label (news / captions /
forum, ``sts/stsb-genre``): the labelled train rows are the database, the labelled test rows
the queries (their codes are inferred with the word weights frozen). Relevant = same genre.
Compared: Binary PV-DBOW at 32 / 64 / 128 bits; gensim's real-valued Doc2Vec (PV-DBOW)
hashed to the same number of bits with random hyperplanes; Doc2Vec's real vectors with
cosine (no hashing); and Real-Binary PV-DBOW (32-bit code filters the 100 nearest by
Hamming distance, its real code re-ranks them by cosine). ``--smoke``: 200 database and 40
query documents, 2 epochs, 32 / 64 bits (the code path only). ``--quick``: 2,000 database and
300 query documents, 12 epochs; full: all 4,749 / 1,005, 40 epochs.

References:
    Grzegorczyk, Kurdziel, "Binary Paragraph Vectors", arXiv:1611.01116.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

__all__ = ["REPRODUCTION", "run"]

BITS = (32, 64, 128)


def _plot(rows: dict[str, dict[int, float]], bits: tuple[int, ...], ctx: RunContext) -> None:
    from rl_shared.plotting import subplots

    fig, ax = subplots(figsize=(5, 3.5))
    for name, series in rows.items():
        ax.plot(list(series), list(series.values()), marker="o", label=name)
    ax.set_xscale("log", base=2)
    ax.set_xticks(bits, [str(b) for b in bits])
    ax.set_xlabel("code bits")
    ax.set_ylabel("precision@10 (same genre)")
    ax.set_title("Same-genre STS-B retrieval by Hamming distance")
    ax.legend(fontsize=8)
    ctx.save_figure(fig, "precision_vs_bits.png")


def run(ctx: RunContext) -> Result:
    """Train the binary models and gensim's Doc2Vec, retrieve, score.

    Args:
        ctx: the harness's run context (output folder, size, seed, progress).

    Returns:
        P@10 and mAP of every code, the anchors and ``precision_vs_bits.png``.

    Example:
        The harness calls it with a :class:`~rl_shared.reproduce.RunContext`; even the smoke
        size needs the STS-B genre data, so only its registration is shown here:

        >>> REPRODUCTION.run is run, REPRODUCTION.datasets, REPRODUCTION.folder
        (True, ('stsb', 'stsb-genre'), 'rl_text.binary_pv')
    """
    from rl_shared.runtime import threads

    with threads(1):  # tiny ops: one thread is many times faster on a busy machine
        return _run(ctx)


@contextlib.contextmanager
def _stable_inference() -> Iterator[None]:
    """Make gensim's ``Doc2Vec.infer_vector`` repeat across processes.

    ``infer_vector`` starts each document from ``pseudorandom_weak_vector(...)`` seeded with
    Python's salted ``hash`` (not the model's ``hashfxn``), so the same seed gives other codes
    in another process; for the block, that start is seeded with
    :func:`rl_shared.runtime.stable_hash` instead.
    """
    import functools

    from gensim.models import doc2vec

    from rl_shared.runtime import stable_hash

    original = doc2vec.pseudorandom_weak_vector
    doc2vec.pseudorandom_weak_vector = functools.partial(original, hashfxn=stable_hash)  # type: ignore[assignment]
    try:
        yield
    finally:
        doc2vec.pseudorandom_weak_vector = original  # type: ignore[assignment]


def _run(ctx: RunContext) -> Result:
    import random

    import numpy as np
    from gensim.models.doc2vec import Doc2Vec, TaggedDocument

    from rl_shared.runtime import seed_everything, stable_hash
    from rl_text.binary_pv import (
        BinaryParagraphVector,
        Corpus,
        RealBinaryParagraphVector,
        infer_codes,
        mean_average_precision,
        precision_at_k,
        random_hyperplane_codes,
        rank_by_hamming,
        rerank,
        tokenize,
        train_pv,
    )
    from rl_text.gfun.data import load_genre_corpus

    n_db, n_q, epochs = ctx.pick(smoke=(200, 40, 2), quick=(2000, 300, 12), full=(None, None, 40))
    bits_list = ctx.pick(smoke=(32, 64), quick=BITS, full=BITS)
    train, test = load_genre_corpus("train", ["en"]), load_genre_corpus("test", ["en"])
    rng = random.Random(ctx.seed)
    # database in random order: STS-B rows are grouped by source, and Hamming ties (many at
    # 32 bits) keep database order, which would favour one genre
    db_idx = rng.sample(range(len(train.rows)), n_db or len(train.rows))
    q_idx = sorted(rng.sample(range(len(test.rows)), n_q)) if n_q else range(len(test.rows))
    db_docs, db_y = train.select("en", db_idx)
    q_docs, q_y = test.select("en", q_idx)
    corpus = Corpus.build(db_docs, min_count=2)
    metrics: dict[str, float] = {}
    p10: dict[str, dict[int, float]] = {"Binary PV-DBOW": {}, "Doc2Vec + random hyperplanes": {}}

    def score(name: str, ranking) -> None:
        metrics[f"{name}/p@10"] = round(precision_at_k(ranking, q_y, db_y, 10), 4)
        metrics[f"{name}/map"] = mean_average_precision(ranking, q_y, db_y)

    dev, prec = ctx.device, ctx.precision  # the loops' --device/--precision
    for bits in ctx.track(bits_list, "binary PV-DBOW"):
        seed_everything(ctx.seed)
        model = BinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits)
        train_pv(
            model,
            corpus,
            epochs=epochs,
            batch_size=512,
            lr=0.01,
            seed=ctx.seed,
            device=dev,
            precision=prec,
        )
        q_codes, _ = infer_codes(
            model, corpus, q_docs, epochs=epochs, seed=ctx.seed, device=dev, precision=prec
        )
        score(f"binary-pv-{bits}", rank_by_hamming(q_codes.numpy(), model.codes().numpy()))
        p10["Binary PV-DBOW"][bits] = metrics[f"binary-pv-{bits}/p@10"]

    tagged = [TaggedDocument(tokenize(d), [i]) for i, d in enumerate(db_docs)]
    d2v = Doc2Vec(
        tagged,
        dm=0,
        vector_size=128,
        min_count=2,
        negative=5,
        epochs=epochs,
        workers=1,
        seed=ctx.seed,
        hashfxn=stable_hash,  # Python's salted hash would seed each run differently
    )
    db_real = np.stack([d2v.dv[i] for i in range(len(db_docs))])
    with _stable_inference():
        q_real = np.stack([d2v.infer_vector(tokenize(d), epochs=epochs) for d in q_docs])
    cos = (q_real / np.linalg.norm(q_real, axis=1, keepdims=True)) @ (
        db_real / np.linalg.norm(db_real, axis=1, keepdims=True)
    ).T
    score("doc2vec-real-128d", np.argsort(-cos, axis=1, kind="stable"))
    for bits in bits_list:
        db_codes, planes = random_hyperplane_codes(db_real, bits, seed=ctx.seed)
        q_codes, _ = random_hyperplane_codes(q_real, bits, planes=planes)
        score(f"doc2vec-lsh-{bits}", rank_by_hamming(q_codes, db_codes))
        p10["Doc2Vec + random hyperplanes"][bits] = metrics[f"doc2vec-lsh-{bits}/p@10"]

    seed_everything(ctx.seed)
    rb = RealBinaryParagraphVector(len(corpus.vocab), len(corpus.docs), bits=32, dim=128)
    train_pv(
        rb,
        corpus,
        epochs=epochs,
        batch_size=512,
        lr=0.01,
        seed=ctx.seed,
        device=dev,
        precision=prec,
    )
    q_codes, table = infer_codes(
        rb, corpus, q_docs, epochs=epochs, seed=ctx.seed, device=dev, precision=prec
    )
    ranking = rank_by_hamming(q_codes.numpy(), rb.codes().numpy())
    score("real-binary-32bit-filter", ranking)
    score(
        "real-binary-rerank-top100", rerank(ranking, rb.real(table).numpy(), rb.real().numpy(), 100)
    )
    _plot(p10, bits_list, ctx)

    chance = float(np.mean(q_y[:, None] == db_y[None, :]))
    metrics["chance/p@10"] = round(chance, 4)
    names = sorted({k.rsplit("/", 1)[0] for k in metrics if k != "chance/p@10"})
    table_md = "| codes | P@10 | mAP |\n|---|---|---|\n" + "\n".join(
        f"| {n} | {metrics[f'{n}/p@10']:.4f} | {metrics[f'{n}/map']:.4f} |" for n in names
    )
    size = (
        f"{len(db_docs)} database / {len(q_docs)} query documents, vocabulary "
        f"{len(corpus.vocab)}, {epochs} epochs, seed {ctx.seed}; chance P@10 {chance:.4f}"
    )
    best_bin = max(bits_list, key=lambda b: metrics[f"binary-pv-{b}/p@10"])
    return Result(
        metrics=metrics,
        anchors=[
            Anchor(
                "binary-pv-128/p@10",
                "Binary PV-DBOW beats hashing of real-valued paragraph vectors at equal bits",
                "Grzegorczyk & Kurdziel, arXiv:1611.01116, §4 (20 Newsgroups, RCV1, English Wikipedia)",
                "3 genres of short STS-B documents instead of 20NG/RCV1 topics",
            ),
            Anchor(
                "real-binary-rerank-top100/p@10",
                "re-ranking the Hamming-filtered short-code list with the real code raises precision",
                "Grzegorczyk & Kurdziel, arXiv:1611.01116, Real-Binary PV-DBOW",
            ),
        ],
        seeds=[ctx.seed],
        summary=(
            f"best Binary PV-DBOW P@10 {metrics[f'binary-pv-{best_bin}/p@10']:.3f} ({best_bin} bits) "
            f"vs Doc2Vec+LSH {metrics[f'doc2vec-lsh-{best_bin}/p@10']:.3f}; real-binary re-rank "
            f"{metrics['real-binary-rerank-top100/p@10']:.3f} ({size})"
        ),
        details=f"### Retrieval of same-genre documents ({size})\n\n{table_md}",
        plots=["precision_vs_bits.png"],
    )


REPRODUCTION = Reproduction(
    "text.binary-pv",
    "Binary / Real-Binary PV-DBOW codes vs gensim Doc2Vec + random-hyperplane hashing (STS-B genres)",
    run,
    datasets=("stsb", "stsb-genre"),
    paper="Binary Paragraph Vectors, arXiv:1611.01116",
)
