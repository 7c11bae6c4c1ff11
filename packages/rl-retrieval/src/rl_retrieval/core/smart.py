"""Convert the SMART format of the classic test collections into the BEIR layout.

Cranfield, CISI, MEDLINE, CACM and NPL ship documents and queries as tagged records
(``.I <id>`` then fields such as ``.T`` title, ``.A`` authors, ``.B`` source, ``.W`` text)
and relevance judgements as whitespace-separated lines. :func:`convert_smart` reads the three
files and writes a BEIR folder that :func:`rl_retrieval.core.beir_format.load_beir` reads.

Relevance lines come as ``qid docid rel`` (Cranfield), ``qid 0 docid rel`` (TREC) or
``qid docid 0 0.0`` (CISI); ``"auto"`` tells them apart by column count. Cranfield's codes
follow Cleverdon's scale where 1 is *most* relevant and -1 is not relevant; with
``relevance="cleverdon"`` code ``c`` in 1..4 becomes grade ``5 - c`` and -1 is dropped.
Cranfield's qrels number queries by position (1..225) while ``cran.qry`` has ids 001..365;
``query_ids="position"`` maps the k-th record to ``k``.

What it adds: no maintained Python library writes BEIR folders from SMART files.

References:
    Salton, "The SMART Retrieval System" (1971); Cleverdon, "The Cranfield tests on index
    language devices" (1967); Thakur et al., BEIR, arXiv:2104.08663.

Example:
    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (tmp / "docs").write_text(".I 1\\n.T\\nwings\\n.W\\nlift of wings\\n")
    >>> _ = (tmp / "qry").write_text(".I 001\\n.W\\nwhat lifts?\\n")
    >>> _ = (tmp / "rel").write_text("1 1 2\\n")
    >>> convert_smart(tmp / "docs", tmp / "qry", tmp / "rel", tmp / "beir").qrels
    {'1': {'1': 3}}
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from rl_retrieval.core.beir_format import BeirData, Qrels, write_beir
from rl_shared.errors import BadInput, DatasetNotFound, MalformedFile
from rl_shared.io import finite_float, iter_lines

__all__ = ["convert_smart", "find_smart_files", "read_smart", "read_smart_qrels", "write_smart"]

#: file-name patterns (lower case, fnmatch) of each role in the classic collections' folders:
#: Cranfield (cran.all.1400, cran.qry, cranqrel), CISI / MEDLINE / ADI (X.ALL, X.QRY, X.REL),
#: CACM (cacm.all, query.text, qrels.text) and NPL (doc-text, query-text, rlv-ass)
SMART_PATTERNS: dict[str, tuple[str, ...]] = {
    "docs": ("*.all", "*.all.*", "doc-text"),
    "queries": ("*.qry", "query.text", "query-text"),
    "qrels": ("*qrel", "*qrels", "*.rel", "qrels.text", "rlv-ass"),
}

_TEXT_FIELDS = ("W",)


def find_smart_files(
    folder: str | os.PathLike[str],
    *,
    docs: str | os.PathLike[str] | None = None,
    queries: str | os.PathLike[str] | None = None,
    qrels: str | os.PathLike[str] | None = None,
) -> tuple[Path, Path, Path]:
    """The ``(docs, queries, qrels)`` files of a SMART collection's folder.

    Each file is found by :data:`SMART_PATTERNS` unless named: a given name is taken
    relative to ``folder`` (an absolute path as is).

    Args:
        folder: the folder holding the collection's files.
        docs: the document file, when its name is not one of the patterns.
        queries: the query file.
        qrels: the relevance file.

    Raises:
        DatasetNotFound: the folder is missing, or no single file fits a role.

    Example:
        >>> import tempfile, pathlib
        >>> tmp = pathlib.Path(tempfile.mkdtemp())
        >>> for name in ("cran.all.1400", "cran.qry", "cranqrel"):
        ...     _ = (tmp / name).write_text("")
        >>> [p.name for p in find_smart_files(tmp)]
        ['cran.all.1400', 'cran.qry', 'cranqrel']
    """
    import fnmatch

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise MalformedFile(
            folder, None, "is a file, where the folder of a SMART collection was expected"
        )
    if not folder.is_dir():
        raise DatasetNotFound(folder.name, folder.parent, "the SMART collection folder is missing")
    entries = sorted(folder.iterdir())
    files = [p.name for p in entries if p.is_file()]
    folders = [p.name for p in entries if p.is_dir()]
    given = {"docs": docs, "queries": queries, "qrels": qrels}
    found: list[Path] = []
    for role, patterns in SMART_PATTERNS.items():
        if given[role] is not None:
            found.append(folder / Path(given[role]))  # type: ignore[arg-type]
            continue

        def fits(name: str, patterns: tuple[str, ...] = patterns) -> bool:
            return any(fnmatch.fnmatch(name.lower(), p) for p in patterns)

        hits = [n for n in files if fits(n)]
        if not hits:  # a folder named like the file: reading it says so, naming it
            hits = [n for n in folders if fits(n)][:2]
        if len(hits) != 1:
            what = f"{len(hits)} files ({', '.join(hits)})" if hits else "no file"
            raise DatasetNotFound(
                folder.name,
                folder,
                f"{what} look like the {role} file; name it with --{role} FILE",
            )
        found.append(folder / hits[0])
    return found[0], found[1], found[2]


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(physical line number, text without its line ending)``, read strictly (UTF-8)."""
    for number, line in enumerate(iter_lines(path), start=1):
        yield number, line.rstrip("\r\n")


def _records(path: Path) -> Iterator[tuple[int, str, dict[str, str]]]:
    """``(line of the .I tag, id, {field letter: text})`` of every SMART record, in file order."""
    current_id: str | None = None
    where = 0
    fields: dict[str, list[str]] = {}
    tag: str | None = None

    def record() -> tuple[int, str, dict[str, str]]:
        return where, current_id or "", {k: " ".join(v).strip() for k, v in fields.items()}

    for number, line in _lines(path):
        if line.startswith(".I") and (len(line) == 2 or line[2].isspace()):
            parts = line.split()
            if len(parts) < 2:
                raise MalformedFile(path, number, "a '.I' record has no id")
            if current_id is not None:
                yield record()
            current_id, where, fields, tag = parts[1].lstrip("0") or "0", number, {}, None
        elif len(line) >= 2 and line[0] == "." and line[1].isalpha() and line[2:].strip() == "":
            if current_id is None:
                raise MalformedFile(path, number, "a field comes before the first '.I' record")
            tag = line[1]
            fields.setdefault(tag, [])
        elif line.strip():
            if current_id is None or tag is None:
                raise MalformedFile(path, number, "text comes before any '.I' record or field tag")
            fields[tag].append(line.strip())
    if current_id is not None:
        yield record()


def read_smart(path: str | os.PathLike[str]) -> list[tuple[str, dict[str, str]]]:
    """Read SMART records: ``[(id, {field_letter: text})]`` in file order.

    Args:
        path: a SMART file (``.I`` records; CRLF or LF line endings).

    Raises:
        BadInput: nothing exists at ``path``.
        MalformedFile: text before the first ``.I``, an ``.I`` without an id, or bytes that
            are not UTF-8 (file:line); the file is empty or a folder.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "docs"
        >>> _ = path.write_text(".I 001\\n.T\\nwings\\n.W\\nlift of\\nwings\\n")
        >>> read_smart(path)
        [('1', {'T': 'wings', 'W': 'lift of wings'})]
    """
    path = Path(path)
    return [(rid, fields) for _, rid, fields in _records(path)]


def read_smart_qrels(
    path: str | os.PathLike[str], fmt: str = "auto"
) -> list[tuple[str, str, float]]:
    """Read relevance lines as ``[(query_no, doc_id, relevance)]``.

    Args:
        path: the relevance file.
        fmt: ``"auto"``, ``"qdr"`` (``q d rel``), ``"trec"`` (``q 0 d rel``) or ``"cisi"``
            (``q d 0 0.0``, every line relevant).

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "qrels"
        >>> _ = path.write_text("1 0 5 2\\n1 7 1\\n")
        >>> read_smart_qrels(path)
        [('1', '5', 2.0), ('1', '7', 1.0)]
    """
    return [(q, d, rel) for _, q, d, rel in _qrels_lines(Path(path), fmt)]


def _qrels_lines(path: Path, fmt: str) -> Iterator[tuple[int, str, str, float]]:
    """``(physical line, query, document, relevance)`` of every relevance line, strictly."""
    if fmt not in ("auto", "qdr", "trec", "cisi"):
        raise BadInput(f"qrels format must be auto, qdr, trec or cisi, got '{fmt}'")
    for number, line in _lines(path):
        cols = line.split()
        if not cols:
            continue
        kind = fmt
        if kind == "auto":
            kind = (
                "qdr"
                if len(cols) == 3
                else ("trec" if len(cols) == 4 and cols[1] == "0" else "cisi")
            )
        want = 3 if kind == "qdr" else 4
        if len(cols) != want:
            raise MalformedFile(
                path, number, f"expected {want} columns ({kind} format), found {len(cols)}"
            )
        if kind == "cisi":
            yield number, cols[0], cols[1], 1.0
            continue
        query, doc, text = (
            (cols[0], cols[1], cols[2]) if kind == "qdr" else (cols[0], cols[2], cols[3])
        )
        rel = finite_float(text, path=path, line=number, field="relevance")
        if not rel.is_integer():
            raise MalformedFile(path, number, f"relevance {text!r} is not an integer")
        yield number, query, doc, rel


def _norm(token: str) -> str:
    return token.lstrip("0") or "0"


def convert_smart(
    docs: str | os.PathLike[str],
    queries: str | os.PathLike[str],
    qrels: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    *,
    relevance: str = "cleverdon",
    query_ids: str = "position",
    qrels_format: str = "auto",
    split: str = "test",
) -> BeirData:
    """Convert SMART documents, queries and relevance files into BEIR data (and write it).

    Args:
        docs: the document file (``.I/.T/.A/.B/.W`` records).
        queries: the query file (``.I/.W`` records).
        qrels: the relevance file.
        out: write a BEIR folder here (atomically); ``None`` only returns the data.
        relevance: ``"cleverdon"`` (1 best .. 4, -1 dropped: grade ``5 - c``), ``"raw"``
            (kept as integers, values <= 0 dropped) or ``"binary"`` (every listed pair is 1).
        query_ids: ``"position"`` (qrels number the k-th query record ``k``) or ``"record"``
            (qrels use the ``.I`` ids).
        qrels_format: see :func:`read_smart_qrels`.
        split: name of the written qrels split.

    Raises:
        MalformedFile: a bad line (not UTF-8, a wrong column count, a relevance that is not a
            finite integer), a document id used twice, a judgement naming an unknown query or
            document (each names its physical line), or no relevant judgement at all.

    Example:
        >>> import pathlib, tempfile
        >>> tmp = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (tmp / "docs").write_text(".I 1\\n.W\\nlift\\n.I 2\\n.W\\nheat\\n")
        >>> _ = (tmp / "qry").write_text(".I 1\\n.W\\nheat?\\n")
        >>> _ = (tmp / "rel").write_text("1 2 1\\n")
        >>> convert_smart(tmp / "docs", tmp / "qry", tmp / "rel", relevance="binary").qrels
        {'1': {'2': 1}}
    """
    if relevance not in ("cleverdon", "raw", "binary"):
        raise BadInput(f"relevance must be cleverdon, raw or binary, got '{relevance}'")
    if query_ids not in ("position", "record"):
        raise BadInput(f"query_ids must be position or record, got '{query_ids}'")
    docs_path, queries_path, qrels_path = Path(docs), Path(queries), Path(qrels)
    corpus: dict[str, dict[str, str]] = {}
    seen: dict[str, int] = {}
    for number, did, fields in _records(docs_path):
        if did in seen:
            raise MalformedFile(docs_path, number, f"document {did} is already on line {seen[did]}")
        seen[did] = number
        text = " ".join(fields.get(f, "") for f in _TEXT_FIELDS).strip()
        title = fields.get("T", "")
        if text.startswith(title) and title:  # Cranfield repeats the title in .W
            text = text[len(title) :].strip()
        corpus[did] = {"title": title, "text": text}
    records = list(_records(queries_path))
    if query_ids == "position":
        query_map = {str(i): f.get("W", "") for i, (_, _, f) in enumerate(records, start=1)}
    else:
        query_map = {}
        for number, qid, fields in records:
            if qid in query_map:
                raise MalformedFile(queries_path, number, f"query {qid} is listed twice")
            query_map[qid] = fields.get("W", "")
    judged: Qrels = {}
    for line, qno, did, rel in _qrels_lines(qrels_path, qrels_format):
        qid, did = _norm(qno), _norm(did)
        if relevance == "cleverdon":
            grade = 5 - int(rel) if 1 <= rel <= 4 else 0
        elif relevance == "binary":
            grade = 1
        else:
            grade = int(rel)
        if grade <= 0:
            continue
        if qid not in query_map:
            raise MalformedFile(qrels_path, line, f"query {qno} is not in {queries_path.name}")
        if did not in corpus:
            raise MalformedFile(qrels_path, line, f"document {did} is not in {docs_path.name}")
        judged.setdefault(qid, {})[did] = grade
    if not judged:
        raise MalformedFile(
            qrels_path, None, f"holds no relevant judgement (with --relevance {relevance})"
        )
    data = BeirData(corpus, {q: t for q, t in query_map.items() if q in judged}, judged)
    if out is not None:
        write_beir(data, out, split=split)
    return data


def write_smart(
    data: BeirData,
    docs: str | os.PathLike[str],
    queries: str | os.PathLike[str],
    qrels: str | os.PathLike[str],
) -> None:
    """Write BEIR data as SMART files (Cranfield style: qrels by position, Cleverdon codes).

    The inverse of :func:`convert_smart` with its defaults, for round trips and for tools that
    read SMART. Grades must be 1..4 (written as code ``5 - grade``).

    Args:
        data: the corpus (``title`` and ``text`` of each document), queries and qrels; a
            query's qrels are written under its position (from 1) in ``data.queries``.
        docs: the documents file to write (``.I``/``.T``/``.W`` records, like
            ``cran.all.1400``).
        queries: the queries file to write (``.I``/``.W`` records, like ``cran.qry``).
        qrels: the relevance file to write (``query-position doc-id code`` rows, like
            ``cranqrel``).

    Raises:
        BadInput: a grade outside 1..4.

    Example:
        >>> import pathlib, tempfile
        >>> tmp = pathlib.Path(tempfile.mkdtemp())
        >>> data = BeirData({"7": {"title": "t", "text": "x"}}, {"1": "x?"}, {"1": {"7": 3}})
        >>> write_smart(data, tmp / "d", tmp / "q", tmp / "r")
        >>> convert_smart(tmp / "d", tmp / "q", tmp / "r").qrels
        {'1': {'7': 3}}
    """
    from rl_shared.io import atomic_write_text

    doc_lines = []
    for did, doc in data.corpus.items():
        doc_lines += [f".I {did}", ".T", doc.get("title", ""), ".W", doc.get("text", "")]
    atomic_write_text(docs, "\n".join(doc_lines) + "\n")
    qids = list(data.queries)
    query_lines = []
    for qid in qids:
        query_lines += [f".I {qid}", ".W", data.queries[qid]]
    atomic_write_text(queries, "\n".join(query_lines) + "\n")
    rel_lines = []
    for position, qid in enumerate(qids, start=1):
        for did, grade in data.qrels.get(qid, {}).items():
            if not 1 <= grade <= 4:
                raise BadInput(f"SMART (Cleverdon) grades are 1..4, query {qid} has {grade}")
            rel_lines.append(f"{position} {did} {5 - grade}")
    atomic_write_text(qrels, "\n".join(rel_lines) + "\n")
