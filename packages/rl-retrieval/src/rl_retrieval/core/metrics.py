"""Retrieval metrics through ir-measures' pytrec_eval provider; nothing re-derived by hand.

Measures are named as in ir-measures: ``nDCG@10``, ``R@100`` (recall), ``AP@100`` (MAP cut
at 100), ``RR@10`` (MRR@10), ``P@10``. Values are those of pytrec_eval (trec_eval's C code).
Which queries the means run over is ``missing``:

- ``"skip"`` (the default): the queries both judged and in the run, as pytrec_eval,
  BEIR's ``EvaluateRetrieval`` and plain ``trec_eval`` do; a judged query the run lacks
  is left out.
- ``"zero"``: every judged query, one the run lacks counting 0 (``trec_eval -c``).

The two differ only when the run misses judged queries (``rl retrieval beir evaluate --run``
warns when it does; ``--missing zero`` picks the second).

References:
    Van Gysel & de Rijke, "Pytrec_eval: An Extremely Fast Python Interface to trec_eval",
    arXiv:1805.01597; MacAvaney et al., "Streamlining Evaluation with ir-measures",
    arXiv:2111.13466.

Example:
    >>> qrels = {"q1": {"d1": 1}}
    >>> run = {"q1": {"d1": 2.0, "d2": 1.0}}
    >>> evaluate(qrels, run, ["nDCG@10", "RR@10"])
    {'nDCG@10': 1.0, 'RR@10': 1.0}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, get_args

import ir_measures

from rl_shared.errors import BadInput, UnknownName

__all__ = [
    "DEFAULT_MEASURES",
    "MISSING",
    "Missing",
    "evaluate",
    "evaluate_per_query",
    "parse_measures",
]

#: What ``rl retrieval evaluate`` prints: nDCG@10, Recall@10/100, MAP@100, MRR@10.
DEFAULT_MEASURES: tuple[str, ...] = ("nDCG@10", "R@10", "R@100", "AP@100", "RR@10")

_ALIASES = {"recall": "R", "map": "AP", "mrr": "RR", "ndcg": "nDCG", "precision": "P"}

Run = Mapping[str, Mapping[str, float]]
QrelsLike = Mapping[str, Mapping[str, int]]
#: How a judged query the run lacks enters the means: left out, or counted 0 (trec_eval -c).
Missing = Literal["skip", "zero"]
#: The values of :data:`Missing`, in the order the CLI lists them.
MISSING: tuple[str, ...] = get_args(Missing)


def parse_measures(names: Sequence[str]) -> list[ir_measures.Measure]:
    """Parse measure names (``"nDCG@10"``, ``"Recall@100"``, ``"MAP@100"``, ``"MRR@10"``).

    Args:
        names: ir-measures names, or the aliases ``Recall``, ``MAP``, ``MRR``, ``nDCG`` and
            ``Precision`` (any case) before an optional ``@cutoff``.

    Returns:
        One ``ir_measures`` measure per name, in order.

    Raises:
        UnknownName: a name ir-measures cannot parse.

    Example:
        >>> [str(m) for m in parse_measures(["MRR@10", "Recall@100"])]
        ['RR@10', 'R@100']
    """
    out = []
    for name in names:
        head, _, cut = name.partition("@")
        text = _ALIASES.get(head.lower(), head) + (f"@{cut}" if cut else "")
        try:
            out.append(ir_measures.parse_measure(text))
        except (ValueError, NameError, SyntaxError, AttributeError, TypeError):
            raise UnknownName(
                "measure", name, ["nDCG@k", "R@k", "AP@k", "RR@k", "P@k", "AP"]
            ) from None
    return out


def _check(
    qrels: QrelsLike, run: Run, missing: str = "skip"
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, float]]]:
    """String-keyed copies; with ``missing="skip"`` the qrels keep only the run's queries."""
    if missing not in MISSING:
        raise UnknownName("missing convention", missing, list(MISSING))
    if not qrels:
        raise BadInput("the qrels are empty; nothing can be evaluated")
    q = {str(k): {str(d): int(r) for d, r in v.items()} for k, v in qrels.items()}
    r = {str(k): {str(d): float(s) for d, s in v.items()} for k, v in run.items()}
    if missing == "skip":
        q = {k: v for k, v in q.items() if k in r}
        if not q:
            raise BadInput(
                "the run ranks no judged query, so there is nothing to average over "
                "(missing='zero' scores every judged query as 0)"
            )
    return q, r


def evaluate(
    qrels: QrelsLike,
    run: Run,
    measures: Sequence[str] = DEFAULT_MEASURES,
    *,
    missing: Missing = "skip",
) -> dict[str, float]:
    """Mean of each measure over the judged queries (those of ``run`` unless ``missing="zero"``).

    Args:
        qrels: ``{query_id: {doc_id: relevance}}``.
        run: ``{query_id: {doc_id: score}}`` (BEIR results); its queries that are not judged
            are ignored.
        measures: ir-measures names.
        missing: ``"skip"`` (default) averages over the queries in both ``qrels`` and ``run``,
            as pytrec_eval and BEIR do; ``"zero"`` averages over every judged query, one the
            run lacks counting 0, as ``trec_eval -c`` does.

    Returns:
        ``{measure name as given: value}``.

    Raises:
        BadInput: ``qrels`` is empty, or (``missing="skip"``) the run has no judged query.
        UnknownName: a measure name cannot be parsed, or ``missing`` is neither value.

    References:
        arXiv:1805.01597, arXiv:2111.13466; trec_eval's ``-c`` option.

    Example:
        >>> qrels = {"a": {"d1": 1}, "b": {"d1": 1}}
        >>> run = {"a": {"d2": 2.0, "d1": 1.0}}
        >>> evaluate(qrels, run, ["RR@10", "R@1"])
        {'RR@10': 0.5, 'R@1': 0.0}
        >>> evaluate(qrels, run, ["RR@10"], missing="zero")
        {'RR@10': 0.25}
    """
    parsed = parse_measures(measures)
    q, r = _check(qrels, run, missing)
    values = _aggregate(parsed, q, r)
    return {name: float(values.get(m, 0.0)) for name, m in zip(measures, parsed)}


def _truncate(run: dict[str, dict[str, float]], k: int) -> dict[str, dict[str, float]]:
    """The best ``k`` per query in trec_eval's order (score descending, then doc id descending)."""
    out = {}
    for qid, scores in run.items():
        ranked = sorted(scores.items(), key=lambda item: (item[1], item[0]), reverse=True)[:k]
        out[qid] = dict(ranked)
    return out


def _aggregate(parsed: list, q: dict, r: dict) -> dict:
    """pytrec_eval for every measure; ``RR@k`` (which ir-measures' pytrec_eval provider
    computes without its cut-off) as trec_eval's ``recip_rank`` on the run cut at ``k``."""
    values: dict = {}
    direct = [m for m in parsed if ir_measures.pytrec_eval.supports(m)]
    if direct:
        values.update(ir_measures.pytrec_eval.calc_aggregate(direct, q, r))
    for m in parsed:
        if m in values:
            continue
        cutoff = m.params.get("cutoff")
        if m.NAME == "RR" and cutoff is not None:
            plain = ir_measures.parse_measure("RR")
            got = ir_measures.pytrec_eval.calc_aggregate([plain], q, _truncate(r, int(cutoff)))
            values[m] = got.get(plain, 0.0)
        else:
            values.update(ir_measures.calc_aggregate([m], q, r))
    return values


def evaluate_per_query(
    qrels: QrelsLike,
    run: Run,
    measures: Sequence[str] = DEFAULT_MEASURES,
    *,
    missing: Missing = "skip",
) -> dict[str, dict[str, float]]:
    """``{query_id: {measure: value}}`` for every query in both ``qrels`` and ``run``.

    Args:
        qrels: ``{query_id: {doc_id: relevance}}``.
        run: ``{query_id: {doc_id: score}}`` (BEIR results).
        measures: ir-measures names (as in :func:`evaluate`); the inner keys are these names
            as given.
        missing: ``"skip"`` (default) leaves out the judged queries the run lacks, as
            pytrec_eval does; ``"zero"`` gives each of them 0 (``trec_eval -c``).

    Returns:
        The per-query values whose means :func:`evaluate` returns for the same ``missing``.

    Raises:
        BadInput: ``qrels`` is empty, or (``missing="skip"``) the run has no judged query.
        UnknownName: a measure name cannot be parsed, or ``missing`` is neither value.

    Example:
        >>> per = evaluate_per_query({"a": {"d": 1}, "b": {"d": 1}}, {"a": {"d": 1.0}, "b": {"e": 1.0}}, ["R@10"])
        >>> sorted(per.items())
        [('a', {'R@10': 1.0}), ('b', {'R@10': 0.0})]
        >>> evaluate_per_query({"a": {"d": 1}, "b": {"d": 1}}, {"a": {"d": 1.0}}, ["R@10"])
        {'a': {'R@10': 1.0}}
        >>> sorted(evaluate_per_query({"a": {"d": 1}, "b": {"d": 1}}, {"a": {"d": 1.0}}, ["R@10"], missing="zero"))
        ['a', 'b']
    """
    parsed = parse_measures(measures)
    names = {m: n for n, m in zip(measures, parsed)}
    q, r = _check(qrels, run, missing)
    out: dict[str, dict[str, float]] = {}
    for measure, name in names.items():
        if ir_measures.pytrec_eval.supports(measure):
            metrics = ir_measures.pytrec_eval.iter_calc([measure], q, r)
        elif measure.NAME == "RR" and measure.params.get("cutoff") is not None:
            plain = ir_measures.parse_measure("RR")
            metrics = ir_measures.pytrec_eval.iter_calc(
                [plain], q, _truncate(r, int(measure.params["cutoff"]))
            )
        else:
            metrics = ir_measures.iter_calc([measure], q, r)
        for metric in metrics:
            out.setdefault(metric.query_id, {})[name] = float(metric.value)
    return out
