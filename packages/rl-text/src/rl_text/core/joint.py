"""What the KaLM and CoDiEmb reproductions share: data, mining once, and the two scores.

Training data: STS-B / SICK positive pairs (:func:`rl_text.core.tasks.positive_pairs`) and the
training half of Cranfield's queries (one example per relevant document for in-batch
training; every relevant document as a positive for CoDiEmb). Scores: STS-B test Spearman
(cosine) and nDCG@10 on the held-out half of Cranfield's queries. ``quick`` shrinks
everything: 300 training pairs, 60 training queries mined against their relevant documents
plus 200 others, 40 held-out queries over their relevant documents plus 100 others, 150
STS-B test pairs, 600 STS-B training pairs; ``smoke`` shrinks it further (:data:`SIZES`);
``full`` uses everything.

Example:
    >>> SIZES["quick"].pairs, SIZES["smoke"].sts_test
    (300, 30)
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, cast

__all__ = ["SIZES", "JointData", "JointSize", "load_joint", "plot_rows", "score"]


@dataclass(frozen=True)
class JointSize:
    """How much of each data set a run uses (``None`` everywhere: all of it).

    Args:
        pairs: STS-B / SICK positive pairs kept.
        train_queries, train_others: training queries, and documents beyond their relevant ones.
        test_queries, test_others: held-out queries, and documents beyond their relevant ones.
        sts_test: STS-B test pairs.
        sts_train: STS-B training pairs.

    Example:
        >>> JointSize(pairs=10, train_queries=4, test_queries=4, sts_test=8, sts_train=8).shrunk
        True
        >>> JointSize().shrunk, SIZES["full"] == JointSize()
        (False, True)
    """

    pairs: int | None = None
    train_queries: int | None = None
    train_others: int = 0
    test_queries: int | None = None
    test_others: int = 0
    sts_test: int | None = None
    sts_train: int | None = None

    @property
    def shrunk(self) -> bool:
        return self.pairs is not None


#: the data sizes of the reproduction sizes
SIZES = {
    "smoke": JointSize(24, 6, 10, 6, 10, 30, 40),
    "quick": JointSize(300, 60, 200, 40, 100, 150, 600),
    "full": JointSize(),
}


@dataclass
class JointData:
    """Training examples and test sets for joint STS + retrieval runs (:func:`load_joint`).

    Attributes:
        pairs: STS-B / SICK positive pairs, with mined negatives (``Examples``).
        queries: one ``(query, relevant document)`` per row, with the query's mined negatives.
        multi: each training query with all its relevant documents, and mined negatives.
        sts_train: STS-B training pairs (``StsPairs``).
        sts_test: STS-B test pairs (``StsPairs``), scored by :func:`score`.
        retrieval_test: the held-out Cranfield queries (``BeirData``), scored by :func:`score`.

    Example:
        >>> from rl_text.core.tasks import Examples
        >>> ex = Examples(["q"], [["d"]])
        >>> data = JointData(ex, ex, ex, None, None, None)
        >>> len(data.pairs), data.retrieval_test is None
        (1, True)
    """

    pairs: Any  # Examples with mined negatives
    queries: Any  # Examples: one (query, relevant doc) per row, with mined negatives
    multi: Any  # Examples: each query with all its relevant documents, mined negatives
    sts_train: Any
    sts_test: Any
    retrieval_test: Any


def _doc(d: dict) -> str:
    return f"{d.get('title', '')} {d.get('text', '')}".strip()


def _shrink(data: Any, n_queries: int, n_others: int, rng: random.Random) -> Any:
    """``n_queries`` of the queries, over their relevant documents plus ``n_others`` more."""
    from rl_retrieval import BeirData

    qids = sorted(rng.sample(sorted(data.qrels), min(n_queries, len(data.qrels))))
    relevant = {d for q in qids for d in data.qrels[q]}
    others = sorted(set(data.corpus) - relevant)
    chosen = relevant | set(rng.sample(others, min(n_others, len(others))))
    return BeirData(
        {d: data.corpus[d] for d in data.corpus if d in chosen},
        {q: data.queries[q] for q in qids},
        {q: data.qrels[q] for q in qids},
    )


def load_joint(
    model: Any,
    size: str | JointSize,
    seed: int,
    negatives: int = 2,
    margin: float = 0.05,
    *,
    precision: str = "fp32",
) -> JointData:
    """Build the training examples (negatives mined with ``model``) and the test sets.

    Args:
        model: the ``SentenceTransformer`` that mines the hard negatives.
        size: ``"smoke"``, ``"quick"``, ``"full"`` or a :class:`JointSize`.
        seed: seeds the subsets.
        negatives: mined negatives per example.
        margin: false-negative margin of the mining.
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the mining's encoding.

    Raises:
        DatasetNotFound: STS-B, SICK or Cranfield is missing from ``$RL_DATA_DIR``.

    Example:
        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> import numpy as np
        >>> class LetterCounts:  # a stand-in encoder: normalised letter counts
        ...     def encode(self, texts, **kwargs):
        ...         v = np.array([[t.count(c) for c in "aeilnost"] for t in texts], float) + 1
        ...         return v / np.linalg.norm(v, axis=1, keepdims=True)
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> stsb, sick = root / "sts" / "stsb", root / "sts" / "sick"
        >>> cran = root / "retrieval" / "cranfield"
        >>> for folder in (stsb, sick, cran):
        ...     folder.mkdir(parents=True)
        >>> for split in ("train", "dev", "test"):
        ...     _ = (stsb / f"stsb-en-{split}.csv").write_text(
        ...         "A cat sits.,A cat is sitting.,4.6\\nA man runs.,Stocks fell.,0.4\\n"
        ...         "A dog barks.,A dog is barking.,4.2\\n")
        >>> for name in ("SICK_train.txt", "SICK_trial.txt", "SICK_test_annotated.txt"):
        ...     _ = (sick / name).write_text(
        ...         "pair_ID\\tsentence_A\\tsentence_B\\trelatedness_score\\tentailment_judgment\\n"
        ...         "1\\tA boy plays.\\tA kid plays.\\t4.5\\tENTAILMENT\\n")
        >>> _ = (cran / "cran.all.1400").write_text(
        ...     "".join(f".I {i}\\n.T\\ntitle {i}\\n.W\\nwing lift {i}\\n" for i in range(1, 7)))
        >>> _ = (cran / "cran.qry").write_text(
        ...     "".join(f".I {i:03d}\\n.W\\nlift of wing {i}?\\n" for i in range(1, 5)))
        >>> _ = (cran / "cranqrel").write_text(
        ...     "".join(f"{q} {q} 1\\n{q} {q + 1} 2\\n" for q in range(1, 5)))
        >>> env = {"RL_DATA_DIR": str(root), "RL_CACHE_DIR": tempfile.mkdtemp()}
        >>> size = JointSize(pairs=2, train_queries=2, train_others=1, test_queries=2,
        ...                  test_others=1, sts_test=2, sts_train=2)
        >>> with mock.patch.dict(os.environ, env):
        ...     data = load_joint(LetterCounts(), size, seed=0, negatives=1)
        >>> len(data.pairs), len(data.multi), len(data.queries), len(data.retrieval_test.queries)
        (2, 2, 4, 2)
        >>> len(data.sts_train), len(data.sts_test)
        (2, 2)
    """
    from rl_shared.sts import StsPairs, load_stsb
    from rl_text.core.tasks import (
        Examples,
        cranfield_split,
        mine_negatives,
        positive_pairs,
        retrieval_examples,
    )

    rng = random.Random(seed)
    train, test = cranfield_split(seed=0)
    docs = [_doc(d) for d in train.corpus.values()]
    multi = retrieval_examples(train)
    pairs = positive_pairs()
    sizes = SIZES[size] if isinstance(size, str) else size
    if sizes.shrunk:  # a shrunk size sets every count (see SIZES)
        keep = sorted(rng.sample(range(len(pairs)), cast(int, sizes.pairs)))
        pairs = Examples([pairs.anchors[i] for i in keep], [pairs.positives[i] for i in keep])
        test = _shrink(test, cast(int, sizes.test_queries), sizes.test_others, rng)
        small = _shrink(train, cast(int, sizes.train_queries), sizes.train_others, rng)
        multi = retrieval_examples(small)
        docs = [_doc(d) for d in small.corpus.values()]
    multi = Examples(
        multi.anchors,
        multi.positives,
        mine_negatives(
            model,
            multi.anchors,
            multi.positives,
            docs,
            num=negatives,
            margin=margin,
            precision=precision,
        ),
    )
    pool = list(dict.fromkeys([*pairs.anchors, *(p for ps in pairs.positives for p in ps)]))
    pairs = Examples(
        pairs.anchors,
        pairs.positives,
        mine_negatives(
            model,
            pairs.anchors,
            pairs.positives,
            pool,
            num=negatives,
            margin=margin,
            precision=precision,
        ),
    )
    single = Examples(
        [a for a, ps in zip(multi.anchors, multi.positives) for _ in ps],
        [[p] for ps in multi.positives for p in ps],
        [n for n, ps in zip(multi.negatives, multi.positives) for _ in ps],
    )
    sts_test = load_stsb("test")
    if sizes.shrunk:
        rows = sorted(rng.sample(range(len(sts_test)), cast(int, sizes.sts_test)))
        s1, s2, scores = sts_test.sentences1, sts_test.sentences2, sts_test.scores
        sts_test = StsPairs([s1[i] for i in rows], [s2[i] for i in rows], [scores[i] for i in rows])
    sts_train = load_stsb("train")
    if sizes.shrunk:
        sts_train = sts_train.head(cast(int, sizes.sts_train))
    return JointData(pairs, single, multi, sts_train, sts_test, test)


def score(model: Any, data: JointData, *, precision: str = "fp32") -> dict[str, float]:
    """``{"stsb": Spearman, "cranfield_ndcg10": nDCG@10}`` of ``model``, rounded to 4 places.

    Puts ``model`` in eval mode; encodes on the model's device.

    Args:
        model: a ``SentenceTransformer``.
        data: the test sets (``sts_test`` and ``retrieval_test`` are read).
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the encoding.

    Example:
        >>> from rl_retrieval import BeirData
        >>> from rl_shared.models import load_sentence_transformer
        >>> from rl_shared.sts import StsPairs
        >>> sts = StsPairs(["A man plays a guitar.", "A cat sleeps.", "A dog runs."],
        ...                ["A man is playing guitar.", "Stocks fell.", "A dog is running."],
        ...                [4.8, 0.2, 4.0])
        >>> beir = BeirData({"d1": {"text": "A cat sleeps on the sofa."},
        ...                  "d2": {"text": "Stock markets fell sharply."}},
        ...                 {"q1": "where is the cat sleeping?", "q2": "did stocks fall?"},
        ...                 {"q1": {"d1": 1}, "q2": {"d2": 1}})
        >>> data = JointData(None, None, None, None, sts, beir)
        >>> result = score(load_sentence_transformer("minilm"), data)
        >>> sorted(result), -1 <= result["stsb"] <= 1, 0 <= result["cranfield_ndcg10"] <= 1
        (['cranfield_ndcg10', 'stsb'], True, True)
    """
    from rl_text.core.evaluation import evaluate_sts
    from rl_text.core.tasks import retrieval_ndcg

    model.eval()
    return {
        "stsb": round(
            cast(float, evaluate_sts(model, data.sts_test, precision=precision)["spearman"]), 4
        ),
        "cranfield_ndcg10": round(
            retrieval_ndcg(model, data.retrieval_test, precision=precision), 4
        ),
    }


def plot_rows(rows: dict[str, dict[str, float]], title: str) -> Any:
    """STS-B Spearman against Cranfield nDCG@10, one labelled point per model; the figure.

    Args:
        rows: model name -> :func:`score`'s result (``"stsb"`` and ``"cranfield_ndcg10"``).
        title: the axes' title.

    Returns:
        a matplotlib ``Figure`` (Agg-backed, :func:`rl_shared.plotting.subplots`).

    Example:
        >>> fig = plot_rows({"base": {"stsb": 0.80, "cranfield_ndcg10": 0.30},
        ...                  "tuned": {"stsb": 0.84, "cranfield_ndcg10": 0.41}}, "toy")
        >>> ax = fig.axes[0]
        >>> ax.get_title(), len(ax.collections)
        ('toy', 2)
    """
    from rl_shared.plotting import subplots

    fig, ax = subplots(figsize=(7, 4.5))
    for i, (name, r) in enumerate(rows.items()):
        ax.scatter(r["cranfield_ndcg10"], r["stsb"], color=f"C{i % 10}", label=name)
    ax.set(xlabel="Cranfield nDCG@10 (held-out queries)", ylabel="STS-B test Spearman", title=title)
    ax.legend(fontsize=7, loc="best")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
