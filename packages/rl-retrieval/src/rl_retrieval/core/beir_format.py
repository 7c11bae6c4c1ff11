"""Read and write retrieval data in the BEIR layout, and LIMIT's jsonl qrels.

A BEIR folder holds ``corpus.jsonl`` (``{"_id", "title", "text"}``), ``queries.jsonl``
(``{"_id", "text"}``) and ``qrels/<split>.tsv`` (``query-id  corpus-id  score`` with a header
row). LIMIT ships ``qrels.jsonl`` (``{"query-id", "corpus-id", "score"}``) at the top level
instead; it is read as the ``test`` split. Loading checks every line and raises
:class:`~rl_shared.errors.MalformedFile` with the file and line of the first bad one.

What it adds to ``beir.datasets.data_loader``: no network, line-numbered errors, the
LIMIT layout, and atomic writing.

References:
    Thakur et al., "BEIR: A Heterogeneous Benchmark for Zero-shot Evaluation of
    Information Retrieval Models", arXiv:2104.08663.

Example:
    >>> import tempfile
    >>> data = BeirData({"d1": {"title": "", "text": "hi"}}, {"q1": "hi?"}, {"q1": {"d1": 1}})
    >>> folder = tempfile.mkdtemp()
    >>> write_beir(data, folder)
    >>> load_beir(folder).qrels
    {'q1': {'d1': 1}}
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rl_shared.errors import BadInput, DatasetNotFound, MalformedFile
from rl_shared.io import atomic_dir, atomic_open

__all__ = ["BeirData", "Corpus", "Qrels", "Queries", "available_splits", "load_beir", "write_beir"]

#: ``{doc_id: {"title": str, "text": str}}``
Corpus = dict[str, dict[str, str]]
#: ``{query_id: text}``
Queries = dict[str, str]
#: ``{query_id: {doc_id: relevance}}``
Qrels = dict[str, dict[str, int]]


@dataclass
class BeirData:
    """A retrieval collection: corpus, queries and the relevance judgements of one split.

    Args:
        corpus: ``{doc_id: {"title": ..., "text": ...}}``.
        queries: ``{query_id: text}``, only those judged in ``qrels`` after loading.
        qrels: ``{query_id: {doc_id: relevance}}``.

    Example:
        >>> data = BeirData({"d1": {"title": "T", "text": "x"}}, {"q": "x?"}, {"q": {"d1": 1}})
        >>> data.doc_texts()
        (['d1'], ['T x'])
    """

    corpus: Corpus
    queries: Queries
    qrels: Qrels

    def doc_texts(self) -> tuple[list[str], list[str]]:
        """``(doc_ids, "title text" strings)`` in corpus order."""
        ids = list(self.corpus)
        texts = [f"{d.get('title', '')} {d.get('text', '')}".strip() for d in self.corpus.values()]
        return ids, texts


def _jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise MalformedFile(path, number, f"not valid JSON ({err.msg})") from None
            if not isinstance(row, dict):
                raise MalformedFile(path, number, "expected a JSON object")
            yield number, row


def _field(row: dict[str, Any], key: str, path: Path, number: int) -> str:
    if key not in row:
        raise MalformedFile(path, number, f"missing the field '{key}'")
    return str(row[key])


def _score(value: str, path: Path, number: int) -> int:
    try:
        return int(float(value))
    except ValueError:
        raise MalformedFile(path, number, f"relevance '{value}' is not a number") from None


def available_splits(folder: str | os.PathLike[str]) -> list[str]:
    """The qrels splits a BEIR folder holds (``qrels.jsonl`` counts as ``test``).

    Args:
        folder: a BEIR folder; its ``qrels/*.tsv`` and ``qrels/*.jsonl`` files name the splits.

    Returns:
        The split names, sorted (empty when the folder holds no qrels).

    Example:
        >>> import tempfile
        >>> folder = tempfile.mkdtemp()
        >>> write_beir(BeirData({"d": {"text": "x"}}, {"q": "x"}, {"q": {"d": 1}}), folder, split="dev")
        >>> available_splits(folder)
        ['dev']
    """
    folder = Path(folder)
    found = {p.stem for p in (folder / "qrels").glob("*.tsv")} | {
        p.stem for p in (folder / "qrels").glob("*.jsonl")
    }
    if (folder / "qrels.jsonl").is_file():
        found.add("test")
    return sorted(found)


def _read_qrels(path: Path) -> Qrels:
    qrels: Qrels = {}
    if path.suffix == ".jsonl":
        for number, row in _jsonl(path):
            qid = _field(row, "query-id", path, number)
            did = _field(row, "corpus-id", path, number)
            qrels.setdefault(qid, {})[did] = _score(str(row.get("score", 1)), path, number)
        return qrels
    with open(path, encoding="utf-8", newline="") as handle:
        for number, cols in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if not cols or not "".join(cols).strip():
                continue
            if number == 1 and cols[0].strip().lower() in {"query-id", "query_id", "qid"}:
                continue
            if len(cols) != 3:
                raise MalformedFile(
                    path, number, f"expected 3 tab-separated columns, found {len(cols)}"
                )
            qrels.setdefault(cols[0], {})[cols[1]] = _score(cols[2], path, number)
    return qrels


def load_beir(folder: str | os.PathLike[str], split: str = "test") -> BeirData:
    """Load a BEIR folder (or a LIMIT folder with ``qrels.jsonl``).

    Args:
        folder: holds ``corpus.jsonl``, ``queries.jsonl`` and ``qrels/<split>.tsv``.
        split: which qrels file to read.

    Raises:
        DatasetNotFound: a file is missing; a missing split names the splits that exist.
        MalformedFile: a line cannot be parsed (names file and line).

    References:
        Thakur et al., arXiv:2104.08663.

    Example:
        >>> load_beir("/nonexistent")  # doctest: +IGNORE_EXCEPTION_DETAIL
        Traceback (most recent call last):
        rl_shared.errors.DatasetNotFound: ...
    """
    folder = Path(folder)
    name = folder.name or str(folder)
    for file in ("corpus.jsonl", "queries.jsonl"):
        if not (folder / file).is_file():
            raise DatasetNotFound(
                name,
                folder,
                f"{file} is missing; a BEIR folder holds corpus.jsonl, queries.jsonl and qrels/<split>.tsv",
            )
    candidates = [folder / "qrels" / f"{split}.tsv", folder / "qrels" / f"{split}.jsonl"]
    if split == "test":
        candidates.append(folder / "qrels.jsonl")
    qrels_path = next((p for p in candidates if p.is_file()), None)
    if qrels_path is None:
        splits = available_splits(folder)
        have = ", ".join(splits) if splits else "none"
        raise DatasetNotFound(name, folder, f"no qrels for split '{split}'; splits found: {have}")
    qrels = _read_qrels(qrels_path)
    corpus: Corpus = {}
    path = folder / "corpus.jsonl"
    for number, row in _jsonl(path):
        corpus[_field(row, "_id", path, number)] = {
            "title": str(row.get("title") or ""),
            "text": _field(row, "text", path, number),
        }
    queries: Queries = {}
    path = folder / "queries.jsonl"
    for number, row in _jsonl(path):
        qid = _field(row, "_id", path, number)
        if qid in qrels:
            queries[qid] = _field(row, "text", path, number)
    missing = [q for q in qrels if q not in queries]
    if missing:
        raise MalformedFile(
            qrels_path, None, f"query '{missing[0]}' is judged but not in queries.jsonl"
        )
    return BeirData(corpus, queries, qrels)


def write_beir(data: BeirData, folder: str | os.PathLike[str], split: str = "test") -> None:
    """Write ``data`` as a BEIR folder, atomically (the folder appears complete or not at all).

    Args:
        data: what to write.
        folder: the output folder; an existing one is replaced.
        split: name of the qrels file (``qrels/<split>.tsv``).

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp()) / "tiny"
        >>> write_beir(BeirData({"d": {"title": "", "text": "x"}}, {"q": "x"}, {"q": {"d": 1}}), folder)
        >>> sorted(p.name for p in folder.iterdir())
        ['corpus.jsonl', 'qrels', 'queries.jsonl']
    """
    if not split or "/" in split:
        raise BadInput(f"split must be a plain name, got '{split}'")
    with atomic_dir(folder) as tmp:
        with atomic_open(tmp / "corpus.jsonl") as out:
            for did, doc in data.corpus.items():
                row = {"_id": did, "title": doc.get("title", ""), "text": doc.get("text", "")}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        with atomic_open(tmp / "queries.jsonl") as out:
            for qid, text in data.queries.items():
                out.write(json.dumps({"_id": qid, "text": text}, ensure_ascii=False) + "\n")
        with atomic_open(tmp / "qrels" / f"{split}.tsv") as out:
            out.write("query-id\tcorpus-id\tscore\n")
            for qid, docs in data.qrels.items():
                for did, rel in docs.items():
                    out.write(f"{qid}\t{did}\t{rel}\n")
