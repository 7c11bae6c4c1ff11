"""``text.disambiguated-skipgram``: pseudo-word disambiguation and sense neighbours.

Training text: English sentences of STS-B, SICK, SemEval-14 ABSA and WordNet glosses
(:func:`rl_text.disambiguated_skipgram.pseudowords.corpus_sentences`). Pairs of unrelated words of
similar frequency are merged into pseudo-words in the whole text; 10 % of the sentences
are held out. The Disambiguated Skip-gram (3 senses) is trained on the rest and induces a
sense for each held-out pseudo-word occurrence; the single-sense baseline is gensim's
skip-gram, whose occurrences are clustered into 3 groups by k-means of their mean context
vector. Scores: accuracy (sense → majority word) and V-measure. Then the nearest
neighbours of each used sense of a few ambiguous WordNet words, beside gensim's
neighbours. ``--smoke``: 3,000 glosses, 4 pseudo-words, dim 16, 1 epoch (the code path
only). ``--quick``: 30,000 glosses, 8 pseudo-words, dim 50, 2 epochs; full: all
glosses, 20 pseudo-words, dim 100, 5 epochs.

References:
    Grzegorczyk, Kurdziel, "Disambiguated skip-gram model", EMNLP 2018.
"""

from __future__ import annotations

from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

__all__ = ["REPRODUCTION", "run"]

AMBIGUOUS = ("bank", "bass", "plant", "cell", "bat", "crane", "mouse", "spring", "star", "match")
SENSES = 3


def _plot(names, dsg, base, ctx: RunContext) -> None:
    import numpy as np

    from rl_shared.plotting import subplots

    x = np.arange(len(names))
    fig, ax = subplots(figsize=(max(5, 0.5 * len(names)), 3.6))
    ax.bar(x - 0.2, dsg, 0.4, label="Disambiguated Skip-gram (argmax sense)")
    ax.bar(x + 0.2, base, 0.4, label="gensim skip-gram + k-means of contexts")
    ax.set_xticks(x, names, rotation=60, ha="right", fontsize=7)
    ax.set_xlabel("pseudo-word (two merged words)")
    ax.set_ylabel("V-measure (held-out occurrences)")
    ax.set_title("Pseudo-word disambiguation")
    ax.legend(fontsize=7)
    ctx.save_figure(fig, "pseudoword_vmeasure.png")


def run(ctx: RunContext) -> Result:
    """Train both models on the merged text; score pseudo-words; list sense neighbours.

    Args:
        ctx: the harness's run context (output folder, size, seed, progress).

    Example:
        The harness calls it with a :class:`~rl_shared.reproduce.RunContext`; even the smoke
        size needs STS-B and WordNet, so only its registration is shown here:

        >>> REPRODUCTION.run is run, REPRODUCTION.datasets, REPRODUCTION.folder
        (True, ('stsb', 'wordnet'), 'rl_text.disambiguated_skipgram')
    """
    from rl_shared.runtime import threads

    with threads(1):
        return _run(ctx)


def _run(ctx: RunContext) -> Result:
    import random
    from collections import Counter

    import numpy as np
    import torch
    from gensim.models import Word2Vec
    from sklearn.cluster import KMeans

    from rl_shared.runtime import seed_everything, stable_hash
    from rl_text.disambiguated_skipgram import (
        DisambiguatedSkipGram,
        choose_pseudoword_pairs,
        context_windows,
        corpus_sentences,
        merge_pseudowords,
        pseudoword_scores,
        sense_usage,
        train_skipgram,
        wordnet_reader,
    )

    glosses, n_pairs, dim, epochs, min_count = ctx.pick(
        smoke=(3000, 4, 16, 1, 5), quick=(30000, 8, 50, 2, 5), full=(None, 20, 100, 5, 3)
    )
    window = 3
    sentences = corpus_sentences(glosses)
    pairs = choose_pseudoword_pairs(
        sentences, n_pairs, min_count=100, max_count=1000, seed=ctx.seed
    )
    rng = random.Random(ctx.seed)
    order = list(range(len(sentences)))
    rng.shuffle(order)
    n_held = len(order) // 10
    held_raw = [sentences[i] for i in order[:n_held]]
    train_tok = merge_pseudowords([sentences[i] for i in order[n_held:]], pairs)
    held_tok = merge_pseudowords(held_raw, pairs)
    freq = Counter(w for s in train_tok for w in s)
    vocab = sorted((w for w, c in freq.items() if c >= min_count), key=lambda w: (-freq[w], w))
    index = {w: i for i, w in enumerate(vocab)}
    counts = np.array([freq[w] for w in vocab])
    train_ids = [np.array([index[w] for w in s if w in index], dtype=np.int64) for s in train_tok]
    held_ids: list[np.ndarray] = []
    held_orig: list[str] = []
    for merged, raw in zip(held_tok, held_raw):
        keep = [j for j, w in enumerate(merged) if w in index]
        held_ids.append(np.array([index[merged[j]] for j in keep], dtype=np.int64))
        held_orig.extend(raw[j] for j in keep)

    seed_everything(ctx.seed)
    model = DisambiguatedSkipGram(len(vocab), dim, SENSES, sparse=True)
    losses = train_skipgram(
        model,
        train_ids,
        counts,
        epochs=epochs,
        window=window,
        lr=0.03,
        seed=ctx.seed,
        show_progress=False,
        device=ctx.device,
        precision=ctx.precision,
    )
    w2v = Word2Vec(
        train_tok,
        vector_size=dim,
        window=window,
        min_count=min_count,
        sg=1,
        negative=5,
        epochs=epochs,
        workers=1,
        seed=ctx.seed,
        sample=1e-4,
        hashfxn=stable_hash,  # Python's salted hash would seed each run differently
    )

    centers, ctxs, masks = context_windows(held_ids, window)
    induced = model.induce(
        torch.from_numpy(centers), torch.from_numpy(ctxs), torch.from_numpy(masks)
    ).numpy()
    vecs = np.stack([w2v.wv[w] if w in w2v.wv else np.zeros(dim) for w in vocab])
    metrics: dict[str, float] = {}
    rows, names, v_dsg, v_base = [], [], [], []
    for a, b in pairs:
        pid = index.get(f"{a}_{b}")
        if pid is None:
            continue
        where = np.flatnonzero(centers == pid)
        if len(where) < 10:
            continue
        truth = [held_orig[i] for i in where]
        ours = pseudoword_scores(truth, induced[where].tolist())
        cv = (vecs[ctxs[where]] * masks[where][..., None]).sum(1) / masks[where].sum(
            1, keepdims=True
        ).clip(1)
        km = KMeans(SENSES, n_init=4, random_state=ctx.seed).fit_predict(cv)
        base = pseudoword_scores(truth, km.tolist())
        major = max(Counter(truth).values()) / len(truth)
        rows.append(
            f"| {a}_{b} | {len(where)} | {major:.3f} | {ours['accuracy']:.3f} | "
            f"{ours['v_measure']:.3f} | {base['accuracy']:.3f} | {base['v_measure']:.3f} |"
        )
        names.append(f"{a}_{b}")
        v_dsg.append(ours["v_measure"])
        v_base.append(base["v_measure"])
        metrics.setdefault("_acc", 0.0)
        metrics["_acc"] += ours["accuracy"]
        metrics.setdefault("_bacc", 0.0)
        metrics["_bacc"] += base["accuracy"]
        metrics.setdefault("_major", 0.0)
        metrics["_major"] += major
    n = max(1, len(names))
    metrics = {
        "dsg/accuracy": round(metrics.get("_acc", 0.0) / n, 4),
        "dsg/v_measure": round(float(np.mean(v_dsg)) if v_dsg else 0.0, 4),
        "sgns-kmeans/accuracy": round(metrics.get("_bacc", 0.0) / n, 4),
        "sgns-kmeans/v_measure": round(float(np.mean(v_base)) if v_base else 0.0, 4),
        "majority/accuracy": round(metrics.get("_major", 0.0) / n, 4),
        "pseudowords": float(len(names)),
        "dsg/final_loss": round(losses[-1], 4),
    }
    _plot(names, v_dsg, v_base, ctx)

    # nearest neighbours of the used senses of ambiguous WordNet words
    wn = wordnet_reader()
    usage = sense_usage(model, train_ids, window)
    allowed = torch.from_numpy(usage >= 5)
    nn_lines = []
    for word in AMBIGUOUS:
        if word not in index:
            continue
        wid = index[word]
        total = usage[wid].sum()
        nn_lines.append(
            f"**{word}** ({len(wn.synsets(word))} WordNet synsets, {freq[word]} occurrences)"
        )
        for s in range(SENSES):
            if total == 0 or usage[wid, s] < max(5, 0.05 * total):
                continue
            near = ", ".join(vocab[w] for w, _, _ in model.nearest(wid, s, 8, allowed))
            nn_lines.append(f"- sense {s} ({usage[wid, s] / total:.0%} of occurrences): {near}")
        if word in w2v.wv:
            near = ", ".join(w for w, _ in w2v.wv.most_similar(word, topn=8))
            nn_lines.append(f"- gensim skip-gram (one vector): {near}")

    head = (
        "| pseudo-word | held-out occurrences | majority | DSG acc | DSG V | SGNS+k-means acc "
        "| SGNS+k-means V |\n|---|---|---|---|---|---|---|"
    )
    size = (
        f"{len(train_ids)} training sentences, {sum(map(len, train_ids))} tokens, vocabulary "
        f"{len(vocab)}, dim {dim}, {SENSES} senses, {epochs} epochs, window {window}, seed {ctx.seed}"
    )
    details = (
        f"### Pseudo-word disambiguation on held-out sentences ({size})\n\n"
        + "\n".join([head, *rows])
        + "\n\n### Nearest neighbours of used senses (≥ 5 % of occurrences)\n\n"
        + "\n".join(nn_lines)
    )
    return Result(
        metrics=metrics,
        anchors=[
            Anchor(
                "dsg/v_measure",
                "multi-sense vectors separate senses that a single vector conflates",
                "Grzegorczyk & Kurdziel, EMNLP 2018 (WSI on SemEval-2010/2013, SCWS)",
                "pseudo-words on a small corpus instead of the SemEval WSI sets",
            ),
        ],
        seeds=[ctx.seed],
        summary=(
            f"pseudo-word V-measure {metrics['dsg/v_measure']:.3f} (DSG argmax sense) vs "
            f"{metrics['sgns-kmeans/v_measure']:.3f} (gensim SGNS + k-means), accuracy "
            f"{metrics['dsg/accuracy']:.3f} vs {metrics['sgns-kmeans/accuracy']:.3f}, majority "
            f"{metrics['majority/accuracy']:.3f} ({len(names)} pseudo-words)"
        ),
        details=details,
        plots=["pseudoword_vmeasure.png"],
    )


REPRODUCTION = Reproduction(
    "text.disambiguated-skipgram",
    "Disambiguated Skip-gram: pseudo-word disambiguation and sense neighbours vs gensim skip-gram",
    run,
    datasets=("stsb", "wordnet"),
    paper="Disambiguated skip-gram model, EMNLP 2018",
)
