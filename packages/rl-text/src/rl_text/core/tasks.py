"""Training and evaluation tasks shared by the contrastive recipes (KaLM, CoDiEmb).

* **Pairs** (:func:`positive_pairs`): STS-B training pairs scored ≥ 4 and SICK training pairs
  judged ``ENTAILMENT``: ``(anchor, positive)`` for in-batch-negative training.
* **Retrieval** (:func:`cranfield_split`): Cranfield's judged queries split in two halves by a
  fixed seed; the training half gives ``(query, relevant document, ...)`` examples, the other
  half is held out for nDCG@10 (:func:`retrieval_ndcg`, through rl-retrieval's dense
  retriever and ``ir-measures``), so no test query is ever trained on.
* **Hard negatives** (:func:`mine_negatives`): the highest-scoring non-positive candidates of
  each anchor under a model, skipping any that score within ``margin`` of the anchor's weakest
  positive (likely false negatives, as KaLM-Embedding-V2 filters them). sentence-transformers'
  ``mine_hard_negatives`` takes one positive per anchor; retrieval anchors here have several.

Example:
    >>> ex = Examples(["q"], [["d1", "d2"]], [["d3"]])
    >>> ex.to_dict(num_positives=2, num_negatives=1)
    {'anchor': ['q'], 'positive_1': ['d1'], 'positive_2': ['d2'], 'negative_1': ['d3']}
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rl_shared.errors import BadInput

__all__ = [
    "Examples",
    "cranfield_split",
    "load_examples",
    "mine_negatives",
    "positive_pairs",
    "retrieval_examples",
    "retrieval_ndcg",
]


@dataclass
class Examples:
    """Anchors with their positives and (optionally) hard negatives.

    Args:
        anchors: anchor texts.
        positives: each anchor's positive texts (at least one).
        negatives: each anchor's hard negatives (may be empty lists).
    """

    anchors: list[str]
    positives: list[list[str]]
    negatives: list[list[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.negatives:
            self.negatives = [[] for _ in self.anchors]
        if not (len(self.anchors) == len(self.positives) == len(self.negatives)):
            raise BadInput("anchors, positives and negatives must have one entry per anchor")
        if any(not p for p in self.positives):
            raise BadInput("every anchor needs at least one positive")

    def __len__(self) -> int:
        return len(self.anchors)

    def __add__(self, other: Examples) -> Examples:
        return Examples(
            self.anchors + other.anchors,
            self.positives + other.positives,
            self.negatives + other.negatives,
        )

    def to_dict(
        self, num_positives: int = 1, num_negatives: int = 0, seed: int = 0
    ) -> dict[str, list[str]]:
        """Columns ``anchor, positive_1.., negative_1..`` with fixed counts per row.

        Positives beyond ``num_positives`` are dropped, missing ones repeat (seeded choice); rows
        with fewer than ``num_negatives`` negatives are dropped.
        """
        rng = random.Random(seed)
        cols: dict[str, list[str]] = {"anchor": []}
        for i in range(num_positives):
            cols[f"positive_{i + 1}"] = []
        for i in range(num_negatives):
            cols[f"negative_{i + 1}"] = []
        for anchor, pos, neg in zip(self.anchors, self.positives, self.negatives):
            if len(neg) < num_negatives:
                continue
            chosen = pos[:num_positives]
            while len(chosen) < num_positives:
                chosen.append(rng.choice(pos))
            cols["anchor"].append(anchor)
            for i, text in enumerate(chosen):
                cols[f"positive_{i + 1}"].append(text)
            for i in range(num_negatives):
                cols[f"negative_{i + 1}"].append(neg[i])
        if not cols["anchor"]:
            raise BadInput(f"no example has {num_negatives} hard negatives; mine more or use fewer")
        return cols


def positive_pairs(min_score: float = 4.0, sick: bool = True) -> Examples:
    """STS-B train pairs with score ≥ ``min_score`` (+ SICK train entailment pairs).

    Args:
        min_score: the lowest STS-B gold score (0-5) of a pair kept as a positive.
        sick: add SICK's training pairs judged ``ENTAILMENT``.

    Raises:
        DatasetNotFound: ``$RL_DATA_DIR/sts/stsb`` (or ``sts/sick`` with ``sick``) lacks its files.

    Example:
        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> stsb, sick = root / "sts" / "stsb", root / "sts" / "sick"
        >>> stsb.mkdir(parents=True); sick.mkdir(parents=True)
        >>> for split in ("train", "dev", "test"):
        ...     _ = (stsb / f"stsb-en-{split}.csv").write_text(
        ...         "A cat sits.,A cat is sitting.,4.6\\nA man runs.,Stocks fell.,0.4\\n")
        >>> for name in ("SICK_train.txt", "SICK_trial.txt", "SICK_test_annotated.txt"):
        ...     _ = (sick / name).write_text(
        ...         "pair_ID\\tsentence_A\\tsentence_B\\trelatedness_score\\tentailment_judgment\\n"
        ...         "1\\tA boy plays.\\tA kid plays.\\t4.5\\tENTAILMENT\\n"
        ...         "2\\tA boy plays.\\tA boy sleeps.\\t2.0\\tCONTRADICTION\\n")
        >>> env = {"RL_DATA_DIR": str(root), "RL_CACHE_DIR": tempfile.mkdtemp()}
        >>> with mock.patch.dict(os.environ, env):
        ...     pairs = positive_pairs()
        >>> pairs.anchors, pairs.positives
        (['A cat sits.', 'A boy plays.'], [['A cat is sitting.'], ['A kid plays.']])
    """
    from rl_shared.sts import SICK, load_stsb

    stsb = load_stsb("train")
    anchors, positives = [], []
    for a, b, s in zip(stsb.sentences1, stsb.sentences2, stsb.scores):
        if s >= min_score:
            anchors.append(a)
            positives.append([b])
    if sick:
        import csv

        from rl_shared.errors import MalformedFile
        from rl_shared.io import iter_lines

        path = SICK.locate() / "SICK_train.txt"
        reader = csv.DictReader(iter_lines(path), delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            if row.get("entailment_judgment") != "ENTAILMENT":
                continue
            if not row.get("sentence_A") or not row.get("sentence_B"):
                raise MalformedFile(path, reader.line_num, "an entailment pair lacks a sentence")
            anchors.append(row["sentence_A"])
            positives.append([row["sentence_B"]])
    return Examples(anchors, positives)


def cranfield_split(seed: int = 0) -> tuple[Any, Any]:
    """Cranfield with its judged queries split into a training and a held-out half.

    Args:
        seed: seeds the shuffle of the judged query ids before they are halved (the test half
            gets the extra query of an odd count).

    Returns:
        ``(train, test)`` ``BeirData`` sharing the corpus; qrels of relevance ≥ 1 only.

    Raises:
        DatasetNotFound: ``$RL_DATA_DIR/retrieval/cranfield`` lacks the SMART files.

    Example:
        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> cran = root / "retrieval" / "cranfield"
        >>> cran.mkdir(parents=True)
        >>> _ = (cran / "cran.all.1400").write_text(
        ...     "".join(f".I {i}\\n.T\\ntitle {i}\\n.W\\nwing lift {i}\\n" for i in range(1, 7)))
        >>> _ = (cran / "cran.qry").write_text(
        ...     "".join(f".I {i:03d}\\n.W\\nlift of wing {i}?\\n" for i in range(1, 5)))
        >>> _ = (cran / "cranqrel").write_text("".join(f"{q} {q} 1\\n" for q in range(1, 5)))
        >>> env = {"RL_DATA_DIR": str(root), "RL_CACHE_DIR": tempfile.mkdtemp()}
        >>> with mock.patch.dict(os.environ, env):
        ...     train, test = cranfield_split(seed=0)
        >>> len(train.queries), len(test.queries), len(train.corpus)
        (2, 2, 6)
        >>> set(train.queries) & set(test.queries)
        set()
    """
    from rl_retrieval import BeirData, load_dataset

    data = load_dataset("cranfield")
    qids = sorted(q for q, rel in data.qrels.items() if any(v > 0 for v in rel.values()))
    random.Random(seed).shuffle(qids)
    half = len(qids) // 2

    def part(ids: Sequence[str]) -> BeirData:
        return BeirData(
            data.corpus,
            {q: data.queries[q] for q in ids},
            {q: {d: v for d, v in data.qrels[q].items() if v > 0} for q in ids},
        )

    return part(sorted(qids[:half])), part(sorted(qids[half:]))


def mine_negatives(
    model: Any,
    anchors: Sequence[str],
    positives: Sequence[Sequence[str]],
    corpus: Sequence[str],
    *,
    num: int = 2,
    margin: float = 0.05,
    skip_top: int = 0,
    batch_size: int = 64,
    precision: str = "fp32",
) -> list[list[str]]:
    """Hard negatives for each anchor: the best-scoring corpus texts that are not positives.

    A candidate is skipped when it is one of the anchor's positives, equals the anchor, or
    scores above ``min(score(positives)) − margin`` (a likely false negative).

    Args:
        model: a ``SentenceTransformer`` (cosine similarity of normalised embeddings).
        anchors: anchor texts.
        positives: each anchor's positives.
        corpus: candidate texts.
        num: negatives per anchor.
        margin: false-negative margin on cosine similarity.
        skip_top: ignore this many top-ranked candidates first (beyond the filters).
        batch_size: encoding batch size.
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the encoding, on the model's
            device (:func:`rl_shared.runtime.autocast`).

    Shapes:
        ``len(anchors)`` lists of at most ``num`` texts.

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> model = load_sentence_transformer("minilm")
        >>> corpus = ["A cat is sitting.", "Stocks fell.", "The market crashed.", "Rain is due."]
        >>> anchors, positives = ["A cat sits."], [["A cat is sitting."]]
        >>> negatives = mine_negatives(model, anchors, positives, corpus, num=2)
        >>> len(negatives), len(negatives[0]), "A cat is sitting." in negatives[0]
        (1, 2, False)
    """
    from rl_shared.runtime import autocast

    if num < 1:
        raise BadInput(f"num must be at least 1, got {num}")
    corpus = list(dict.fromkeys(corpus))
    device = getattr(model, "device", "cpu")

    def enc(texts: Sequence[str]) -> np.ndarray:
        with autocast(device, precision):
            vectors = model.encode(
                list(texts),
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    a, c = enc(anchors), enc(corpus)
    pos_texts = sorted({t for p in positives for t in p})
    p_index = {t: i for i, t in enumerate(pos_texts)}
    p = enc(pos_texts)
    sims = a @ c.T
    depth = min(len(corpus), num + skip_top + 64)
    top = np.argpartition(-sims, depth - 1, axis=1)[:, :depth]
    out: list[list[str]] = []
    for i, (anchor, pos) in enumerate(zip(anchors, positives)):
        floor = min(float(a[i] @ p[p_index[t]]) for t in pos) - margin
        order = top[i][np.argsort(-sims[i, top[i]])]
        chosen, skipped = [], 0
        own = set(pos) | {anchor}
        for j in order:
            if corpus[j] in own or sims[i, j] > floor:
                continue
            if skipped < skip_top:
                skipped += 1
                continue
            chosen.append(corpus[j])
            if len(chosen) == num:
                break
        out.append(chosen)
    return out


def retrieval_examples(data: Any) -> Examples:
    """``(query, its relevant documents)`` examples from a ``BeirData`` split.

    Documents are ordered by relevance (highest first) and given as ``"title text"``; queries
    without a relevant document are skipped.

    Args:
        data: a ``rl_retrieval.BeirData`` (corpus, queries, qrels).

    Example:
        >>> from rl_retrieval import BeirData
        >>> data = BeirData({"d1": {"title": "Wings", "text": "lift"}, "d2": {"text": "drag"}},
        ...                 {"q1": "what lifts?", "q2": "what drags?"},
        ...                 {"q1": {"d1": 1, "d2": 2}, "q2": {"d1": 0}})
        >>> ex = retrieval_examples(data)
        >>> ex.anchors, ex.positives
        (['what lifts?'], [['drag', 'Wings lift']])
    """
    anchors, positives = [], []
    for qid, rel in data.qrels.items():
        docs = [d for d, v in sorted(rel.items(), key=lambda kv: -kv[1]) if v > 0]
        if docs:
            anchors.append(data.queries[qid])
            positives.append([_doc_text(data.corpus[d]) for d in docs])
    return Examples(anchors, positives)


def _doc_text(doc: dict[str, str]) -> str:
    return f"{doc.get('title', '')} {doc.get('text', '')}".strip()


def retrieval_ndcg(model: Any, data: Any, k: int = 10, *, precision: str = "fp32") -> float:
    """nDCG@``k`` of dense retrieval with ``model`` on a ``BeirData`` split.

    The top 100 documents of each query are retrieved (no embedding cache) and scored with
    ``ir-measures`` through :func:`rl_retrieval.evaluate`.

    Args:
        model: a ``SentenceTransformer``.
        data: a ``rl_retrieval.BeirData`` split (corpus, queries, qrels).
        k: the nDCG cut-off.
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the encoding (on the model's
            device).

    Example:
        >>> from rl_retrieval import BeirData
        >>> from rl_shared.models import load_sentence_transformer
        >>> data = BeirData({"d1": {"text": "A cat sleeps on the sofa."},
        ...                  "d2": {"text": "Stock markets fell sharply."}},
        ...                 {"q1": "where is the cat sleeping?", "q2": "did stocks fall?"},
        ...                 {"q1": {"d1": 1}, "q2": {"d2": 1}})
        >>> retrieval_ndcg(load_sentence_transformer("minilm"), data)
        1.0
    """
    from rl_retrieval import DenseRetriever, evaluate

    dense = DenseRetriever(model, cache=False, precision=precision)
    run = dense.fit(data.corpus).search(data.queries, k=100)
    return float(evaluate(data.qrels, run, [f"nDCG@{k}"])[f"nDCG@{k}"])


def load_examples(path: str | Path) -> Examples:
    """Examples from a CSV / TSV with a header: ``anchor``, ``positive``, then any ``negative*``.

    Columns named ``positive*`` are all positives. Errors name the file and line.

    Args:
        path: a ``.csv`` file, or ``.tsv`` / ``.tab`` (tab-separated, no quoting), in
            UTF-8 (read through :func:`rl_shared.io.iter_lines`); blank lines and empty
            positive / negative cells are skipped.

    Raises:
        BadInput: the file does not exist.
        MalformedFile: bytes that are not UTF-8, an empty file or a folder, a bad header, a
            row with another field count, a row without an anchor or a positive, or no rows
            at all (the message names the file and line).

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "pairs.csv"
        >>> _ = path.write_text("anchor,positive,negative\\nq,d1,d2\\n")
        >>> ex = load_examples(path)
        >>> ex.anchors, ex.positives, ex.negatives
        (['q'], [['d1']], [['d2']])
    """

    from rl_shared.errors import MalformedFile
    from rl_shared.io import read_csv

    path = Path(path)
    if not path.exists():
        raise BadInput(f"no such file: {path}")
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","

    def rows() -> Any:
        return read_csv(path, delimiter=delimiter, quoted=delimiter == ",")

    found = rows()
    first = next(found, None)
    if first is None:
        raise MalformedFile(path, None, "the file is empty")
    header_line, header = first[0], [h.strip() for h in first[1]]
    if not header or header[0] != "anchor" or not any(h.startswith("positive") for h in header):
        raise MalformedFile(
            path,
            header_line,
            f"the header must start with 'anchor' and name a 'positive' column, got "
            f"{','.join(header)!r}",
        )
    pos_cols = [i for i, h in enumerate(header) if h.startswith("positive")]
    neg_cols = [i for i, h in enumerate(header) if h.startswith("negative")]
    anchors, positives, negatives = [], [], []
    for line, row in found:
        if len(row) != len(header):
            raise MalformedFile(
                path, line, f"{len(row)} fields, expected {len(header)} as in the header"
            )
        if not row[0].strip():
            raise MalformedFile(path, line, "an empty anchor")
        anchors.append(row[0])
        positives.append([row[i] for i in pos_cols if row[i].strip()])
        negatives.append([row[i] for i in neg_cols if row[i].strip()])
        if not positives[-1]:
            raise MalformedFile(path, line, "no positive text")
    if not anchors:
        raise MalformedFile(path, None, "no examples after the header")
    return Examples(anchors, positives, negatives)
