"""The formats of the user files rl-retrieval's commands read, registered in :mod:`rl_shared.formats`.

* ``beir-folder``: a BEIR folder (``corpus.jsonl``, ``queries.jsonl``, ``qrels/test.tsv``),
  read by :func:`rl_retrieval.core.beir_format.load_beir`;
* ``limit-folder``: LIMIT's layout, the same with ``qrels.jsonl`` at the top level;
* ``trec-run``: a TREC run file (``qid Q0 docid rank score tag``), read by
  :func:`rl_retrieval.core.run_format.read_trec_run`;
* ``beir-smart-collection``: a folder of SMART files (Cranfield's ``cran.all.1400``,
  ``cran.qry``, ``cranqrel``), and each of its files alone (``beir-smart-docs``,
  ``beir-smart-queries``, ``beir-smart-qrels``), read by :mod:`rl_retrieval.core.smart`.

Each sample is a few lines, consistent across formats (documents ``1``/``d1`` .. ``4``/``d4``,
queries ``1``/``q1`` .. ``3``/``q3``), so that a command given several of them at once (a BEIR
folder and a run of it) accepts them. This module is imported by the commands' ``cli.py`` and
imports nothing heavy.

References:
    Thakur et al., "BEIR", arXiv:2104.08663; Kamalloo et al., "Resources for Brewing BEIR",
    arXiv:2306.07471; Weller et al., "On the Theoretical Limitations of Embedding-Based
    Retrieval", arXiv:2508.21038 (LIMIT); Salton, "The SMART Retrieval System" (1971).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from rl_retrieval.core.beir_format import load_beir
    >>> from rl_shared.formats import get_format
    >>> sample = get_format("beir-folder").write_sample(Path(tempfile.mkdtemp()))
    >>> load_beir(sample).qrels
    {'q1': {'d1': 2, 'd4': 1}, 'q2': {'d2': 1}}
"""

from __future__ import annotations

import json
from pathlib import Path

from rl_shared.formats import FileFormat, JsonLines, Lines, Table, register_format

__all__ = ["BEIR_FOLDER", "LIMIT_FOLDER", "SMART_COLLECTION", "TREC_RUN"]

_DOCS = {
    "d1": ("Wings", "lift of a wing in a propeller slipstream"),
    "d2": ("Heat", "heat transfer in hypersonic boundary layers"),
    "d3": ("Shells", "buckling of thin cylindrical shells under pressure"),
    "d4": ("", "the slipstream increases the lift of the wing"),
}
_QUERIES = {
    "q1": "wing lift in a slipstream",
    "q2": "hypersonic heat transfer",
    "q3": "shell buckling",  # not judged: a query file may hold more queries than the qrels
}
_QRELS = [("q1", "d1", 2), ("q1", "d4", 1), ("q2", "d2", 1)]


def _write_lines(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _corpus_and_queries(folder: Path) -> None:
    _write_lines(
        folder / "corpus.jsonl",
        [json.dumps({"_id": d, "title": t, "text": x}) for d, (t, x) in _DOCS.items()],
    )
    _write_lines(
        folder / "queries.jsonl", [json.dumps({"_id": q, "text": t}) for q, t in _QUERIES.items()]
    )


def _beir_sample(folder: Path) -> Path:
    _corpus_and_queries(folder)
    rows = [f"{q}\t{d}\t{r}" for q, d, r in _QRELS]
    _write_lines(folder / "qrels" / "test.tsv", ["query-id\tcorpus-id\tscore", *rows])
    return folder


def _limit_sample(folder: Path) -> Path:
    _corpus_and_queries(folder)
    rows = [json.dumps({"query-id": q, "corpus-id": d, "score": r}) for q, d, r in _QRELS]
    _write_lines(folder / "qrels.jsonl", rows)
    return folder


def _run_sample(folder: Path) -> Path:
    path = folder / "run.trec"
    ranked = {"q1": [("d4", 3.5), ("d1", 2.25), ("d3", 0.5)], "q2": [("d2", 4.0), ("d1", 1.0)]}
    lines = [
        f"{q} Q0 {d} {rank} {score} sample"
        for q, docs in ranked.items()
        for rank, (d, score) in enumerate(docs, start=1)
    ]
    _write_lines(path, lines)
    return path


# SMART: documents 1..4 and queries 1..3 (ids as Cranfield writes them), Cleverdon codes
def _smart_docs(path: Path) -> Path:
    lines = []
    for i, (title, text) in enumerate(_DOCS.values(), start=1):
        lines += [f".I {i}", ".T", title or "untitled", ".A", "smith,j.", ".W", text]
    _write_lines(path, lines)
    return path


def _smart_queries(path: Path) -> Path:
    lines = []
    for i, text in enumerate(_QUERIES.values(), start=1):
        lines += [f".I {i:03d}", ".W", text]
    _write_lines(path, lines)
    return path


def _smart_qrels(path: Path) -> Path:
    # query position, document id, Cleverdon code (1 most relevant .. 4)
    _write_lines(path, ["1 1 2", "1 4 3", "2 2 1", "3 3 4"])
    return path


def _smart_sample(folder: Path) -> Path:
    _smart_docs(folder / "cran.all.1400")
    _smart_queries(folder / "cran.qry")
    _smart_qrels(folder / "cranqrel")
    return folder


_CORPUS = JsonLines("corpus.jsonl", required=("_id", "text"))
_QUERY_LINES = JsonLines("queries.jsonl", required=("_id", "text"))
_SMART_QRELS_TABLE = Table("", " ", header=False, numeric=(2,))

#: a BEIR folder: corpus.jsonl, queries.jsonl, qrels/test.tsv (header, integer grades)
BEIR_FOLDER = register_format(
    FileFormat(
        "beir-folder",
        "a BEIR folder: corpus.jsonl ({_id, title, text}), queries.jsonl ({_id, text}) and "
        "qrels/<split>.tsv (query-id, corpus-id, integer score; a header row)",
        _beir_sample,
        (_CORPUS, _QUERY_LINES, Table("qrels/test.tsv", "\t", header=True, numeric=(2,))),
    )
)
#: LIMIT's layout: corpus.jsonl, queries.jsonl and qrels.jsonl at the top level
LIMIT_FOLDER = register_format(
    FileFormat(
        "limit-folder",
        "a LIMIT folder: corpus.jsonl, queries.jsonl and qrels.jsonl "
        "({query-id, corpus-id, score}; an integer score, 1 when absent)",
        _limit_sample,
        (
            _CORPUS,
            _QUERY_LINES,
            JsonLines("qrels.jsonl", required=("query-id", "corpus-id"), numeric=("score",)),
        ),
    )
)
#: a TREC run: ``qid Q0 docid rank score tag``, whitespace-separated
TREC_RUN = register_format(
    FileFormat(
        "trec-run",
        "a TREC run file: 'qid Q0 docid rank score tag' per line (whitespace-separated; "
        "an integer rank, a finite score)",
        _run_sample,
        (Table("", " ", header=False, numeric=(3, 4)),),
    )
)
#: the folder of a SMART collection (Cranfield's file names)
SMART_COLLECTION = register_format(
    FileFormat(
        "beir-smart-collection",
        "a SMART collection folder: documents (.I/.T/.A/.W records), queries (.I/.W records) "
        "and relevance lines 'query doc code' (cran.all.1400, cran.qry, cranqrel)",
        _smart_sample,
        (
            Lines("cran.all.1400"),
            Lines("cran.qry"),
            Table("cranqrel", " ", header=False, numeric=(2,)),
        ),
    )
)
register_format(
    FileFormat(
        "beir-smart-docs",
        "a SMART document file: .I <id> records with .T/.A/.B/.W fields",
        lambda folder: _smart_docs(folder / "docs.all"),
        (Lines(""),),
    )
)
register_format(
    FileFormat(
        "beir-smart-queries",
        "a SMART query file: .I <id> records with a .W field",
        lambda folder: _smart_queries(folder / "queries.qry"),
        (Lines(""),),
    )
)
register_format(
    FileFormat(
        "beir-smart-qrels",
        "a SMART relevance file: 'query doc relevance' lines (or 'q 0 d rel', 'q d 0 0.0')",
        lambda folder: _smart_qrels(folder / "qrels.rel"),
        (_SMART_QRELS_TABLE,),
    )
)
