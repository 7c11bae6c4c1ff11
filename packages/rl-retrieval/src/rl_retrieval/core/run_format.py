"""Read and write runs in TREC run format: ``qid Q0 docid rank score tag`` per line.

References:
    Voorhees & Harman, "TREC: Experiment and Evaluation in Information Retrieval" (2005).

Example:
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "run.txt")
    >>> write_trec_run({"q1": {"d1": 2.0, "d2": 1.0}}, path, tag="demo")
    >>> read_trec_run(path)
    {'q1': {'d1': 2.0, 'd2': 1.0}}
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from rl_shared.errors import BadInput, MalformedFile
from rl_shared.io import atomic_open, finite_float, iter_lines

__all__ = ["Run", "read_trec_run", "top_k", "write_trec_run"]

#: ``{query_id: {doc_id: score}}``
Run = dict[str, dict[str, float]]


def top_k(scores: Mapping[str, float], k: int) -> list[tuple[str, float]]:
    """The ``k`` best ``(doc_id, score)``, by score descending, ties by doc id ascending.

    Args:
        scores: ``{doc_id: score}`` of one query.
        k: how many to keep (all when there are fewer).

    Example:
        >>> top_k({"a": 1.0, "b": 2.0, "c": 2.0}, 2)
        [('b', 2.0), ('c', 2.0)]
    """
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]


def write_trec_run(
    run: Mapping[str, Mapping[str, float]],
    path: str | os.PathLike[str],
    tag: str = "rl",
    k: int | None = None,
) -> None:
    """Write ``run`` in TREC format, ranks from 1, atomically.

    Args:
        run: ``{query_id: {doc_id: score}}``.
        path: output file.
        tag: the run tag (last column; no spaces).
        k: keep only the best ``k`` per query.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "run.trec")
        >>> write_trec_run({"q": {"a": 1.0, "b": 3.0}}, path, tag="demo", k=1)
        >>> open(path).read().split()
        ['q', 'Q0', 'b', '1', '3.0', 'demo']
    """
    if not tag or any(c.isspace() for c in tag):
        raise BadInput(f"a run tag must be one word, got '{tag}'")
    with atomic_open(path) as out:
        for qid, scores in run.items():
            ranked = top_k(scores, k if k is not None else len(scores))
            for rank, (did, score) in enumerate(ranked, start=1):
                if any(c.isspace() for c in qid + did):
                    raise BadInput(f"ids in a TREC run cannot contain spaces: '{qid}' / '{did}'")
                out.write(f"{qid} Q0 {did} {rank} {score!r} {tag}\n")


def read_trec_run(path: str | os.PathLike[str]) -> Run:
    """Read a TREC run; raises :class:`MalformedFile` naming the file and line of a bad row.

    Args:
        path: a file of ``qid Q0 docid rank score tag`` rows, columns separated by
            whitespace (blank lines skipped); the rank is checked to be a non-negative
            integer but not used (documents are ranked by score, as trec_eval does).

    Returns:
        ``{query_id: {doc_id: score}}``.

    Raises:
        BadInput: nothing exists at ``path``.
        MalformedFile: a row has not 6 columns, a rank that is not an integer, a score that
            is not a finite number, or repeats a (query, document) pair; the file is empty,
            not UTF-8 or a folder.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "run.trec")
        >>> write_trec_run({"q": {"a": 1.0, "b": 3.0}}, path)
        >>> read_trec_run(path)
        {'q': {'b': 3.0, 'a': 1.0}}
    """
    path = Path(path)
    run: Run = {}
    for number, line in enumerate(iter_lines(path), start=1):
        cols = line.split()
        if not cols:
            continue
        if len(cols) != 6:
            raise MalformedFile(
                path,
                number,
                f"expected 6 columns 'qid Q0 docid rank score tag', found {len(cols)}",
            )
        try:
            rank = int(cols[3])
        except ValueError:
            raise MalformedFile(path, number, f"rank {cols[3]!r} is not an integer") from None
        if rank < 0:
            raise MalformedFile(path, number, f"rank {rank} is negative")
        score = finite_float(cols[4], path=path, line=number, field="score")
        qid, did = cols[0], cols[2]
        if did in run.get(qid, {}):
            raise MalformedFile(path, number, f"query '{qid}' lists document '{did}' twice")
        run.setdefault(qid, {})[did] = score
    return run
