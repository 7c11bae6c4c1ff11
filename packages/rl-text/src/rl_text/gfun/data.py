"""The STS-B genre corpus in 11 languages, and its non-parallel and low-resource splits.

A document is one STS-B row (``sentence1 + " " + sentence2``) in one language; its label is
the row's genre (``news``, ``captions``, ``forum``) from ``sts/stsb-genre/stsb-genre.csv``.
In the non-parallel setting each language is given a different, disjoint subset of the
labelled training rows, so no document is seen in two languages (as in gFun's RCV1/RCV2
setting); in the low-resource setting some languages keep only a few documents.

References:
    Moreo et al., "Generalized Funnelling: Ensemble Learning and Heterogeneous Document Embeddings
    for Cross-Lingual Text Classification", ACM TOIS 40 (2022). https://arxiv.org/abs/2110.14764

Example:
    >>> split = nonparallel_split(10, ["en", "it"], seed=0)
    >>> sorted(len(v) for v in split.values()), set(split["en"]) & set(split["it"])
    ([5, 5], set())
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rl_shared.errors import MalformedFile, UnknownName

__all__ = [
    "GENRES",
    "GenreCorpus",
    "LabelledDocuments",
    "load_genre_corpus",
    "nonparallel_split",
    "read_documents",
]

GENRES = ("news", "captions", "forum")


@dataclass
class GenreCorpus:
    """Labelled rows of one STS-B split in several languages (rows are parallel).

    Args:
        rows: STS-B row index of each labelled row.
        labels: genre index of each row (into :data:`GENRES`).
        docs: ``{lang: documents}``, one per row, in ``rows`` order.

    Example:
        >>> corpus = GenreCorpus([3, 7], np.array([0, 1]), {"en": ["stocks fell", "a cat sits"]})
        >>> corpus.select("en", [1])
        (['a cat sits'], array([1]))
    """

    rows: list[int]
    labels: np.ndarray
    docs: dict[str, list[str]]

    def select(self, lang: str, idx: Sequence[int]) -> tuple[list[str], np.ndarray]:
        """Documents and labels of the positions ``idx`` in language ``lang``."""
        return [self.docs[lang][i] for i in idx], self.labels[list(idx)]


def load_genre_corpus(split: str, langs: Sequence[str]) -> GenreCorpus:
    """The labelled rows of ``stsb-{lang}-{split}.csv`` with their genre.

    Genres come from :func:`rl_shared.sts.load_stsb_genre`, sentences from
    :func:`rl_shared.sts.load_stsb`.

    Args:
        split: ``train``, ``dev`` or ``test``.
        langs: STS-B languages to read.

    Raises:
        DatasetNotFound: the STS-B or genre files are missing.
        UnknownName: an unknown genre in the label file.

    Example:
        A toy STS-B and genre file in a temporary data folder (the real ones live under
        ``$RL_DATA_DIR/sts``):

        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> (root / "sts/stsb").mkdir(parents=True); (root / "sts/stsb-genre").mkdir()
        >>> for name in ("train", "dev", "test"):
        ...     _ = (root / f"sts/stsb/stsb-en-{name}.csv").write_text(
        ...         "A cat sits.,A cat is sitting.,4.5\\nStocks fell.,Markets dropped.,3.0\\n")
        >>> _ = (root / "sts/stsb-genre/stsb-genre.csv").write_text(
        ...     "split,row,source,genre\\ntest,1,headlines,news\\ntrain,0,images,captions\\n")
        >>> env = {"RL_DATA_DIR": str(root), "RL_CACHE_DIR": str(root / "cache")}
        >>> with mock.patch.dict(os.environ, env):
        ...     corpus = load_genre_corpus("test", ["en"])
        >>> corpus.rows, corpus.labels.tolist(), corpus.docs["en"]
        ([1], [0], ['Stocks fell. Markets dropped.'])
    """
    from rl_shared.sts import STSB, load_stsb, load_stsb_genre

    labelled: dict[int, int] = {}
    for (row_split, row), genre in load_stsb_genre().items():
        if row_split != split:
            continue
        if genre not in GENRES:
            raise UnknownName("genre", genre, list(GENRES))
        labelled[row] = GENRES.index(genre)
    STSB.locate()
    rows = sorted(labelled)
    docs = {}
    for lang in langs:
        pairs = load_stsb(split, lang)
        docs[lang] = [f"{pairs.sentences1[i]} {pairs.sentences2[i]}" for i in rows]
    return GenreCorpus(rows, np.array([labelled[i] for i in rows]), docs)


def nonparallel_split(
    n: int, langs: Sequence[str], seed: int = 0, sizes: dict[str, int] | None = None
) -> dict[str, list[int]]:
    """Disjoint positions ``0..n-1`` for each language (sizes: cap some, e.g. low-resource).

    The positions are shuffled and dealt into ``len(langs)`` equal chunks; a language in
    ``sizes`` keeps only the first ``sizes[lang]`` of its chunk.

    Args:
        n: number of labelled rows.
        langs: the languages to deal them to.
        seed: seed of the shuffle.
        sizes: cap on the rows of some languages.

    Example:
        >>> {k: len(v) for k, v in nonparallel_split(9, ["en", "it", "de"], sizes={"de": 1}).items()}
        {'en': 3, 'it': 3, 'de': 1}
    """
    order = list(range(n))
    random.Random(seed).shuffle(order)
    chunk = n // len(langs)
    out = {}
    for k, lang in enumerate(langs):
        part = order[k * chunk : (k + 1) * chunk]
        if sizes and lang in sizes:
            part = part[: sizes[lang]]
        out[lang] = sorted(part)
    return out


@dataclass
class LabelledDocuments:
    """Rows of a user's ``lang / text [/ label]`` file, in file order.

    Args:
        langs: language code of each row.
        texts: document of each row.
        labels: label string of each row (``None`` for an unlabelled file).
        lines: the 1-based line of the file each row starts on (empty when not from a file).
        path: the file the rows were read from (``None`` when not from a file).

    Example:
        >>> docs = LabelledDocuments(["en", "it", "en"], ["a cat", "un gatto", "a dog"], None)
        >>> docs.by_language()
        {'en': [0, 2], 'it': [1]}
    """

    langs: list[str]
    texts: list[str]
    labels: list[str] | None
    lines: list[int] = field(default_factory=list)
    path: Path | None = None

    def by_language(self) -> dict[str, list[int]]:
        """Row positions of each language, in first-seen order."""
        out: dict[str, list[int]] = {}
        for i, lang in enumerate(self.langs):
            out.setdefault(lang, []).append(i)
        return out

    def line_of(self, row: int) -> int | None:
        """The line of the file row ``row`` is on (``None`` when unknown)."""
        return self.lines[row] if row < len(self.lines) else None


def read_documents(path: str | Path, *, labelled: bool) -> LabelledDocuments:
    r"""Read a CSV (``.csv``) or TSV (otherwise) file with a header naming ``lang`` and ``text``,
    and ``label`` when ``labelled``.

    The file is read strictly (:mod:`rl_shared.io`): every row has as many fields as the
    header, and no required field is empty. A CSV may quote fields; a TSV is not quoted (a
    ``"`` is an ordinary character).

    Args:
        path: the file (UTF-8, a BOM is accepted); other columns are ignored.
        labelled: require (and read) a ``label`` column.

    Raises:
        BadInput: the file does not exist.
        MalformedFile: not UTF-8, empty or a folder; a column is missing from the header, a
            row has more or fewer fields than the header, or an empty required field (the
            line is named).

    Example:
        >>> import pathlib, tempfile
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "docs.tsv"
        >>> _ = f.write_text("lang\ttext\tlabel\nen\ta cat\tcaptions\nit\tun gatto\tcaptions\n")
        >>> docs = read_documents(f, labelled=True)
        >>> docs.by_language(), docs.lines
        ({'en': [0], 'it': [1]}, [2, 3])
    """
    from rl_shared.io import iter_lines

    path = Path(path)
    need = ("lang", "text", "label") if labelled else ("lang", "text")
    csv_file = path.suffix.lower() == ".csv"
    reader = csv.reader(
        iter_lines(path),
        delimiter="," if csv_file else "	",
        quoting=csv.QUOTE_MINIMAL if csv_file else csv.QUOTE_NONE,
        strict=True,
    )
    langs, texts, labels, lines = [], [], [], []
    header: list[str] | None = None
    index: dict[str, int] = {}
    start = 1
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if not row or all(not cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                missing = [c for c in need if c not in header]
                if missing:
                    raise MalformedFile(
                        path, line, f"the header lacks the column(s) {', '.join(missing)}"
                    )
                index = {c: header.index(c) for c in need}
                continue
            if len(row) != len(header):
                raise MalformedFile(
                    path, line, f"expected {len(header)} fields as in the header, found {len(row)}"
                )
            empty = [c for c in need if not row[index[c]].strip()]
            if empty:
                raise MalformedFile(path, line, f"empty {empty[0]!r} field")
            langs.append(row[index["lang"]].strip())
            texts.append(row[index["text"]])
            lines.append(line)
            if labelled:
                labels.append(row[index["label"]].strip())
    except csv.Error as err:
        raise MalformedFile(path, reader.line_num or None, f"not valid CSV ({err})") from None
    if not texts:
        raise MalformedFile(path, None, "no rows under the header")
    return LabelledDocuments(langs, texts, labels if labelled else None, lines, path)
