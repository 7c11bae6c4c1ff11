"""Read and write retrieval data in the BEIR layout, and LIMIT's jsonl qrels.

A BEIR folder holds ``corpus.jsonl`` (``{"_id", "title", "text"}``), ``queries.jsonl``
(``{"_id", "text"}``) and ``qrels/<split>.tsv`` (``query-id  corpus-id  score`` with a header
row). LIMIT ships ``qrels.jsonl`` (``{"query-id", "corpus-id", "score"}``) at the top level
instead; it is read as the ``test`` split. Loading is strict and raises
:class:`~rl_shared.errors.MalformedFile` with the file and line of the first bad one: bytes
that are not UTF-8, an empty file, a line that is not a JSON object, a missing ``_id`` or
``text`` (on every query line, judged or not), an ``_id`` used twice, a qrels row without its
three columns, and a relevance grade that is not an integer (``nan``, ``inf``, ``1.5``).

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

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rl_shared.errors import BadInput, DatasetNotFound, MalformedFile
from rl_shared.io import atomic_dir, atomic_open, finite_float, iter_lines

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
    """``(line number, object)`` for every non-blank line of a user's JSON-lines file, strictly.

    Bytes that are not UTF-8, an empty file, a folder, a line that is not a JSON object, and
    ``NaN`` / ``Infinity`` (which JSON does not allow) raise :class:`MalformedFile` naming the
    line.
    """
    for number, line in enumerate(iter_lines(path), start=1):
        if not line.strip():
            continue

        def refuse(constant: str, number: int = number) -> Any:
            raise MalformedFile(path, number, f"{constant} is not a number JSON allows")

        try:
            row = json.loads(line, parse_constant=refuse)
        except json.JSONDecodeError as err:
            raise MalformedFile(path, number, f"not valid JSON ({err.msg})") from None
        if not isinstance(row, dict):
            raise MalformedFile(path, number, "expected a JSON object")
        yield number, row


def _field(row: dict[str, Any], key: str, path: Path, number: int) -> str:
    """A required text field (``text``) of a JSON line: present and a string."""
    if key not in row:
        raise MalformedFile(path, number, f"missing the field '{key}'")
    value = row[key]
    if not isinstance(value, str):
        raise MalformedFile(path, number, f"the field '{key}' must be a string, got {value!r}")
    return value


def _identifier(row: dict[str, Any], key: str, path: Path, number: int) -> str:
    """A required id field (``_id``, ``query-id``): a non-empty string or an integer."""
    if key not in row:
        raise MalformedFile(path, number, f"missing the field '{key}'")
    value = row[key]
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MalformedFile(path, number, f"the id '{key}' must be a string, got {value!r}")
    text = str(value)
    if not text.strip():
        raise MalformedFile(path, number, f"the id '{key}' is empty")
    return text


def _score(value: Any, path: Path, number: int) -> int:
    """A relevance grade: a finite number with an integer value (``2``, ``"2"``, ``2.0``)."""
    if isinstance(value, bool):
        raise MalformedFile(path, number, f"relevance {value!r} is not an integer")
    grade = finite_float(str(value), path=path, line=number, field="relevance")
    if not grade.is_integer():
        raise MalformedFile(path, number, f"relevance {value!r} is not an integer")
    return int(grade)


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


_QRELS_HEADER = {"query-id", "query_id", "qid"}


def _read_qrels(path: Path) -> tuple[Qrels, dict[str, int]]:
    """The judgements of a qrels file and, per query, the line of its first judgement."""
    qrels: Qrels = {}
    first: dict[str, int] = {}

    def add(qid: str, did: str, grade: int, number: int) -> None:
        before = qrels.get(qid, {}).get(did)
        if before is not None and before != grade:
            raise MalformedFile(
                path, number, f"query '{qid}' judges document '{did}' again, {before} then {grade}"
            )
        qrels.setdefault(qid, {})[did] = grade
        first.setdefault(qid, number)

    if path.suffix == ".jsonl":
        for number, row in _jsonl(path):
            qid = _identifier(row, "query-id", path, number)
            did = _identifier(row, "corpus-id", path, number)
            add(qid, did, _score(row.get("score", 1), path, number), number)
    else:
        for number, line in enumerate(iter_lines(path), start=1):
            text = line.rstrip("\r\n")
            if not text.strip():
                continue
            cols = text.split("\t")
            if number == 1 and cols[0].strip().lower() in _QRELS_HEADER:
                continue
            if len(cols) != 3:
                raise MalformedFile(
                    path, number, f"expected 3 tab-separated columns, found {len(cols)}"
                )
            qid, did = cols[0].strip(), cols[1].strip()
            if not qid or not did:
                raise MalformedFile(path, number, "the query id or the document id is empty")
            add(qid, did, _score(cols[2].strip(), path, number), number)
    if not qrels:
        raise MalformedFile(path, None, "holds no relevance judgement")
    return qrels, first


def load_beir(folder: str | os.PathLike[str], split: str = "test") -> BeirData:
    """Load a BEIR folder (or a LIMIT folder with ``qrels.jsonl``).

    Args:
        folder: holds ``corpus.jsonl``, ``queries.jsonl`` and ``qrels/<split>.tsv``.
        split: which qrels file to read.

    Raises:
        DatasetNotFound: a file is missing; a missing split names the splits that exist.
        MalformedFile: a line cannot be parsed, an id is repeated, a grade is not an
            integer, a judged query is not in ``queries.jsonl``, a file is empty or not
            UTF-8, or a folder stands where a file should be (names file and line).

    References:
        Thakur et al., arXiv:2104.08663.

    Example:
        >>> load_beir("/nonexistent")  # doctest: +IGNORE_EXCEPTION_DETAIL
        Traceback (most recent call last):
        rl_shared.errors.DatasetNotFound: ...
    """
    folder = Path(folder)
    name = folder.name or str(folder)
    layout = "a BEIR folder holds corpus.jsonl, queries.jsonl and qrels/<split>.tsv"
    if folder.exists() and not folder.is_dir():
        raise MalformedFile(folder, None, f"is a file, where a folder was expected; {layout}")
    for file in ("corpus.jsonl", "queries.jsonl"):
        if not (folder / file).exists():
            raise DatasetNotFound(name, folder, f"{file} is missing; {layout}")
    candidates = [folder / "qrels" / f"{split}.tsv", folder / "qrels" / f"{split}.jsonl"]
    if split == "test":
        candidates.append(folder / "qrels.jsonl")
    qrels_path = next((p for p in candidates if p.exists()), None)
    if qrels_path is None:
        splits = available_splits(folder)
        have = ", ".join(splits) if splits else "none"
        raise DatasetNotFound(name, folder, f"no qrels for split '{split}'; splits found: {have}")
    qrels, first_line = _read_qrels(qrels_path)
    corpus: Corpus = {}
    seen: dict[str, int] = {}
    path = folder / "corpus.jsonl"
    for number, row in _jsonl(path):
        did = _identifier(row, "_id", path, number)
        if did in seen:
            raise MalformedFile(path, number, f"the _id '{did}' is already on line {seen[did]}")
        seen[did] = number
        title = row.get("title")
        if title is not None and not isinstance(title, str):
            raise MalformedFile(path, number, f"the field 'title' must be a string, got {title!r}")
        corpus[did] = {"title": title or "", "text": _field(row, "text", path, number)}
    queries: Queries = {}
    seen = {}
    path = folder / "queries.jsonl"
    for number, row in _jsonl(path):
        qid = _identifier(row, "_id", path, number)
        if qid in seen:
            raise MalformedFile(path, number, f"the _id '{qid}' is already on line {seen[qid]}")
        seen[qid] = number
        text = _field(row, "text", path, number)  # every query must have one, judged or not
        if qid in qrels:
            queries[qid] = text
    missing = [q for q in qrels if q not in queries]
    if missing:
        raise MalformedFile(
            qrels_path,
            first_line[missing[0]],
            f"query '{missing[0]}' is judged but not in queries.jsonl",
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
