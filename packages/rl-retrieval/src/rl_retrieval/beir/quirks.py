"""What BEIR's own evaluation does differently for some of its data sets.

* **Identical ids** (ArguAna, Quora): the queries are themselves documents of the corpus
  under the same id, so a retriever finds each query first. BEIR's ``EvaluateRetrieval``
  (``ignore_identical_ids=True``) drops, for each query, a retrieved document whose id is
  the query's; :func:`drop_identical_ids` does the same to a run, and
  :data:`IDENTICAL_ID_SETS` names the sets it applies to.
* **CQADupStack** is 12 StackExchange forums, each its own corpus, queries and qrels. Each
  forum is retrieved and scored on its own and BEIR reports the unweighted mean over the 12
  (:func:`load_cqadupstack`, :func:`mean_over_forums`); one forum is also loadable as
  ``beir-cqadupstack/<forum>`` through :func:`~rl_retrieval.core.datasets.load_data`.
* **Graded and negative judgements** (Touché-2020 v2 carries grades ``-2`` to ``2``, and
  many sets judge documents ``0``): :func:`~rl_retrieval.core.beir_format.load_beir` keeps
  every grade as the integer in the file. nDCG (pytrec_eval, through
  :mod:`rl_retrieval.core.metrics`) takes a grade ``<= 0`` as not relevant: it adds no gain
  where it is ranked, is left out of the ideal ranking, and a query whose grades are all
  ``<= 0`` scores 0 and stays in the mean. Recall, precision and MRR count a document as
  relevant from grade 1.

References:
    Thakur et al., "BEIR: A Heterogeneous Benchmark for Zero-shot Evaluation of Information
    Retrieval Models", arXiv:2104.08663;
    ``beir.retrieval.evaluation.EvaluateRetrieval.evaluate(..., ignore_identical_ids=True)``.

Example:
    >>> drop_identical_ids({"q1": {"q1": 9.0, "d2": 1.0}})
    {'q1': {'d2': 1.0}}
    >>> sorted(IDENTICAL_ID_SETS)
    ['beir-arguana', 'beir-quora']
    >>> mean_over_forums({"a": {"nDCG@10": 0.25}, "b": {"nDCG@10": 0.5}}, forums=("a", "b"))
    {'nDCG@10': 0.375}
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from rl_retrieval.beir.datasets import CQADUPSTACK_FORUMS
from rl_retrieval.core.beir_format import BeirData, load_beir
from rl_shared.errors import BadInput, DatasetNotFound

__all__ = [
    "CQADUPSTACK_FORUMS",
    "IDENTICAL_ID_SETS",
    "drop_identical_ids",
    "load_cqadupstack",
    "mean_over_forums",
]

#: the registered BEIR sets whose query ids are also document ids (drop them from runs)
IDENTICAL_ID_SETS: frozenset[str] = frozenset({"beir-arguana", "beir-quora"})


def drop_identical_ids(run: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """A copy of ``run`` without, for each query, the document whose id is the query's own.

    This is BEIR's ``ignore_identical_ids``: on ArguAna and Quora (:data:`IDENTICAL_ID_SETS`)
    each query is also a document under the same id, which a retriever would rank first
    and the qrels never judge relevant. Apply it before cutting the run to its top ``k``, as
    BEIR does (a run kept at ``k + 1`` per query still holds ``k`` after the drop).

    Args:
        run: ``{query_id: {doc_id: score}}`` (BEIR results).

    Returns:
        The same run as new dicts, without the ``doc_id == query_id`` entries; the other
        scores and their order are kept.

    References:
        ``beir.retrieval.evaluation.EvaluateRetrieval.evaluate``; Thakur et al.,
        arXiv:2104.08663.

    Example:
        >>> run = {"q1": {"q1": 3.0, "d1": 2.0}, "q2": {"d1": 1.0}}
        >>> drop_identical_ids(run)
        {'q1': {'d1': 2.0}, 'q2': {'d1': 1.0}}
        >>> run["q1"]["q1"]  # the input is left as it was
        3.0
    """
    return {
        qid: {did: score for did, score in docs.items() if did != qid} for qid, docs in run.items()
    }


def _default_folder() -> Path:
    from rl_retrieval.beir.datasets import BEIR_DATASETS

    return next(d for d in BEIR_DATASETS if d.name == "beir-cqadupstack").locate()


def load_cqadupstack(
    folder: str | os.PathLike[str] | None = None, split: str = "test"
) -> dict[str, BeirData]:
    """Load CQADupStack as its 12 forums, each a :class:`BeirData` to retrieve and score alone.

    Args:
        folder: the ``cqadupstack`` folder, holding ``<forum>/corpus.jsonl``,
            ``<forum>/queries.jsonl`` and ``<forum>/qrels/<split>.tsv`` for every forum of
            :data:`CQADUPSTACK_FORUMS`; ``None`` is the registered ``beir-cqadupstack``
            (``rl data download beir-cqadupstack``).
        split: the qrels split (BEIR has ``test`` only).

    Returns:
        ``{forum: data}`` in the order of :data:`CQADUPSTACK_FORUMS`.

    Raises:
        DatasetNotFound: ``folder`` lacks forums (the message names them), or a forum lacks
            a file or the split.
        MalformedFile: a forum's file cannot be parsed (names file and line).

    References:
        Hoogeveen et al., "CQADupStack: A Benchmark Data Set for Community
        Question-Answering Research", ADCS 2015; Thakur et al., arXiv:2104.08663.

    Example:
        >>> import pathlib, tempfile
        >>> from rl_retrieval.core.beir_format import write_beir
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> for forum in CQADUPSTACK_FORUMS:
        ...     write_beir(BeirData({"d": {"text": forum}}, {"q": forum}, {"q": {"d": 1}}), root / forum)
        >>> forums = load_cqadupstack(root)
        >>> len(forums), forums["tex"].queries
        (12, {'q': 'tex'})
    """
    root = _default_folder() if folder is None else Path(folder)
    missing = [forum for forum in CQADUPSTACK_FORUMS if not (root / forum).is_dir()]
    if missing:
        raise DatasetNotFound(
            "beir-cqadupstack",
            root,
            f"the forums {', '.join(missing)} are missing; the folder must hold one BEIR "
            f"folder per forum ({', '.join(CQADUPSTACK_FORUMS)}), as cqadupstack.zip does",
        )
    return {forum: load_beir(root / forum, split) for forum in CQADUPSTACK_FORUMS}


def mean_over_forums(
    scores: Mapping[str, Mapping[str, float]], forums: Sequence[str] = CQADUPSTACK_FORUMS
) -> dict[str, float]:
    """The unweighted mean of each measure over the forums, as BEIR reports CQADupStack.

    Every forum counts once, however many queries it has (BEIR's CQADupStack figure is this
    mean over its 12 forums, not a mean over the 13,145 queries pooled).

    Args:
        scores: ``{forum: {measure: value}}``, e.g. one
            :func:`~rl_retrieval.core.metrics.evaluate` per forum.
        forums: the forums that must all be there, and no other (the 12 of CQADupStack).

    Returns:
        ``{measure: mean}``, in the measure order of the first forum.

    Raises:
        BadInput: a forum is missing or not one of ``forums``, or the forums were scored
            on different measures, or ``forums`` is empty.

    Example:
        >>> per_forum = {f: {"nDCG@10": 0.5} for f in CQADUPSTACK_FORUMS}
        >>> per_forum["tex"] = {"nDCG@10": 0.2}
        >>> round(mean_over_forums(per_forum)["nDCG@10"], 4)
        0.475
    """
    if not forums:
        raise BadInput("forums is empty; name the forums to average over")
    missing = [f for f in forums if f not in scores]
    extra = sorted(f for f in scores if f not in forums)
    if missing or extra:
        problem = f"lacks {', '.join(missing)}" if missing else f"has {', '.join(extra)}"
        raise BadInput(
            f"the scores {problem}; the mean is over exactly the forums {', '.join(forums)}"
        )
    measures = list(scores[forums[0]])
    for forum in forums:
        if set(scores[forum]) != set(measures):
            raise BadInput(
                f"forum '{forum}' was scored on {sorted(scores[forum])}, forum '{forums[0]}' "
                f"on {sorted(measures)}; score every forum on the same measures"
            )
    return {m: sum(float(scores[f][m]) for f in forums) / len(forums) for m in measures}
