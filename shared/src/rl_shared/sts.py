"""STS pairs and their scoring: STS-B, SICK-R, any CSV/TSV of pairs, Spearman and Pearson.

The STS datasets (``stsb``, ``sick``, ``stsb-genre``) are registered here, under the
entry-point group ``rl.datasets``, so every member that scores sentence embeddings on STS
(rl-text, rl-vision) reads them the same way.

Every loader returns :class:`StsPairs` (two lists of sentences and a float score each) and
raises :class:`~rl_shared.errors.MalformedFile` naming the file and line of a bad row.
Line endings (LF or CRLF) and a UTF-8 BOM are accepted.

Example:
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pairs.csv"
    >>> _ = path.write_bytes(b'A man plays.,"A man, playing.",4.5\\r\\nA cat.,A dog.,1.0\\r\\n')
    >>> pairs = load_sts_pairs(path)
    >>> len(pairs), pairs.sentences2[0], pairs.scores
    (2, 'A man, playing.', [4.5, 1.0])
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rl_shared.data import Dataset
from rl_shared.errors import BadInput, MalformedFile, UnknownName
from rl_shared.formats import FileFormat, Table, register_format
from rl_shared.io import finite_float, iter_lines, read_csv

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "DATASETS",
    "SICK",
    "STSB",
    "STSB_GENRE",
    "STS_PAIRS_FORMAT",
    "StsPairs",
    "correlations",
    "load_sick",
    "load_sts_pairs",
    "load_stsb",
    "load_stsb_genre",
    "named_or_file_pairs",
    "parse_columns",
]

STSB_LANGUAGES = ("en", "de", "es", "fr", "it", "ja", "nl", "pl", "pt", "ru", "zh")
SICK_FILES = {
    "train": "SICK_train.txt",
    "dev": "SICK_trial.txt",
    "test": "SICK_test_annotated.txt",
}

STSB = Dataset(
    "stsb",
    "sts/stsb",
    ("stsb-en-train.csv", "stsb-en-dev.csv", "stsb-en-test.csv"),
    "STS Benchmark (5,749 / 1,500 / 1,379 pairs, scores 0-5) and its 10 machine translations",
    hint="put stsb-en-train.csv, stsb-en-dev.csv and stsb-en-test.csv (STSb-multi-mt CSVs, "
    "no header) there",
    used_by=("text.2dmse", "vision.grounded"),
)

SICK = Dataset(
    "sick",
    "sts/sick",
    ("SICK_train.txt", "SICK_trial.txt", "SICK_test_annotated.txt"),
    "SICK-R relatedness (4,500 / 500 / 4,927 pairs, scores 1-5), SemEval-2014 Task 1",
    hint="put SICK_train.txt, SICK_trial.txt and SICK_test_annotated.txt (tab-separated, "
    "with header) there",
)

STSB_GENRE = Dataset(
    "stsb-genre",
    "sts/stsb-genre",
    ("stsb-genre.csv",),
    "genre (news / captions / forum) of 6,881 STS-B rows, for all 11 STS-B languages",
    hint="put stsb-genre.csv (header split,row,source,genre) there",
    used_by=("text.gfun", "text.binary-pv", "text.moe"),
)

#: what rl-shared registers under ``rl.datasets``
DATASETS: list[Dataset] = [STSB, SICK, STSB_GENRE]


@dataclass
class StsPairs:
    """Sentence pairs with a gold similarity score each.

    Args:
        sentences1: first sentence of each pair.
        sentences2: second sentence of each pair.
        scores: gold similarity of each pair.

    Example:
        >>> pairs = StsPairs(["A cat.", "A man."], ["A dog.", "A person."], [1.0, 4.2])
        >>> len(pairs), pairs.head(1).scores
        (2, [1.0])
        >>> pairs.to_dict()["sentence2"]
        ['A dog.', 'A person.']
    """

    sentences1: list[str]
    sentences2: list[str]
    scores: list[float]

    def __len__(self) -> int:
        return len(self.scores)

    def head(self, n: int) -> StsPairs:
        """The first ``n`` pairs."""
        return StsPairs(self.sentences1[:n], self.sentences2[:n], self.scores[:n])

    def to_dict(self) -> dict[str, list]:
        """Columns ``sentence1, sentence2, score`` (for ``datasets.Dataset.from_dict``)."""
        return {"sentence1": self.sentences1, "sentence2": self.sentences2, "score": self.scores}


def parse_columns(spec: str) -> tuple[int | str, int | str, int | str]:
    """Parse ``"s1,s2,score"``: three column names, or three 0-based indices.

    Args:
        spec: the ``--columns`` value, three comma-separated names or indices.

    Raises:
        BadInput: not three non-empty parts, or names and indices mixed.

    Example:
        >>> parse_columns("1,2,3"), parse_columns("sentence_A,sentence_B,relatedness_score")
        ((1, 2, 3), ('sentence_A', 'sentence_B', 'relatedness_score'))
    """
    parts = [p.strip() for p in spec.split(",")]
    if len(parts) != 3 or not all(parts):
        raise BadInput(f"--columns needs three comma-separated columns 's1,s2,score', got '{spec}'")
    if all(p.isdigit() for p in parts):
        return int(parts[0]), int(parts[1]), int(parts[2])
    if any(p.isdigit() for p in parts):
        raise BadInput(
            f"--columns mixes names and indices in '{spec}'; use all names or all indices"
        )
    return parts[0], parts[1], parts[2]


def _delimiter(path: Path, delimiter: str | None) -> str:
    if delimiter is not None:
        return delimiter
    return "\t" if path.suffix.lower() in {".tsv", ".txt"} else ","


def _rows(path: Path, sep: str) -> Iterator[tuple[int, list[str]]]:
    """``(physical line, cells)`` of each non-blank row, read strictly through rl_shared.io."""
    return read_csv(path, delimiter=sep, quoted=sep == ",")


def load_sts_pairs(
    path: str | Path,
    columns: tuple[int | str, int | str, int | str] | str | None = None,
    *,
    delimiter: str | None = None,
) -> StsPairs:
    """Read sentence pairs and scores from a CSV (``,``) or TSV (``\\t``, also ``.txt``) file.

    The file is read through :func:`rl_shared.io.iter_lines` (strict UTF-8, a BOM dropped);
    every row must have as many columns as the header (or, without one, as the first row),
    and every score must be a finite number. Blank lines are skipped.

    Args:
        path: the file.
        columns: ``(s1, s2, score)`` as header names (the file then has a header row) or
            0-based indices (no header); a ``"s1,s2,score"`` string is parsed. ``None``:
            the STS-B layout, no header and columns ``0, 1, 2``.
        delimiter: overrides the one guessed from the suffix.

    Raises:
        MalformedFile: bytes that are not UTF-8, an empty file or a folder, a row with
            another number of columns, a score that is not a finite number, a header that
            lacks a named column, or no pairs; the message names the file and line.
        BadInput: the file does not exist.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "pairs.csv"
        >>> _ = path.write_text("A cat.,A dog.,1.0\\nA man.,A person.\\n")
        >>> try:
        ...     load_sts_pairs(path)
        ... except MalformedFile as err:
        ...     print(err.line, err.problem)
        2 2 columns, expected 3 as in line 1
    """
    path = Path(path)
    if not path.exists():
        raise BadInput(f"STS file {path} does not exist; pass a CSV or TSV of sentence pairs")
    if isinstance(columns, str):
        columns = parse_columns(columns)
    columns = columns if columns is not None else (0, 1, 2)
    rows = _rows(path, _delimiter(path, delimiter))
    named = all(isinstance(c, str) for c in columns)
    first = next(rows, None)
    if first is None:
        raise MalformedFile(path, None, "the file is empty")
    if named:
        header_line, header = first
        header = [h.strip() for h in header]
        missing = [c for c in columns if c not in header]
        if missing:
            raise MalformedFile(
                path,
                header_line,
                f"the header has no column {missing[0]!r} (it has {', '.join(header)})",
            )
        index = [header.index(c) for c in columns]  # type: ignore[arg-type]
        width, where, body = len(header), "the header", rows
    else:
        index = list(columns)  # type: ignore[arg-type]
        width, where = len(first[1]), f"line {first[0]}"
        if width <= max(index):
            raise MalformedFile(
                path, first[0], f"{width} columns, expected at least {max(index) + 1}"
            )
        body = itertools.chain([first], rows)
    out = StsPairs([], [], [])
    for line, row in body:
        if len(row) != width:
            raise MalformedFile(path, line, f"{len(row)} columns, expected {width} as in {where}")
        score = finite_float(row[index[2]].strip(), path=path, line=line, field="score")
        out.sentences1.append(row[index[0]])
        out.sentences2.append(row[index[1]])
        out.scores.append(score)
    if not out.scores:
        raise MalformedFile(path, None, "no sentence pairs found (only a header)")
    return out


def load_stsb(split: str = "test", lang: str = "en") -> StsPairs:
    """STS Benchmark split (``train``, ``dev``, ``test``) in one of 11 languages.

    Reads ``stsb-<lang>-<split>.csv`` (STSb-multi-mt layout: no header, columns
    sentence1, sentence2, score 0-5) from the ``stsb`` dataset folder.

    Args:
        split: ``"train"``, ``"dev"`` or ``"test"``.
        lang: one of ``en, de, es, fr, it, ja, nl, pl, pt, ru, zh``.

    Raises:
        DatasetNotFound: ``$RL_DATA_DIR/sts/stsb`` lacks the files.
        UnknownName: unknown split or language.

    Example:
        A tiny STS-B folder stands in for the real one (1,379 test pairs):

        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> env = mock.patch.dict(os.environ, {"RL_DATA_DIR": str(root / "data"),
        ...                                    "RL_CACHE_DIR": str(root / "cache")})
        >>> _ = env.start()
        >>> (root / "data" / "sts" / "stsb").mkdir(parents=True)
        >>> for split in ("train", "dev", "test"):
        ...     _ = (root / "data" / "sts" / "stsb" / f"stsb-en-{split}.csv").write_text(
        ...         "A man plays.,A man is playing.,4.5\\nA cat.,A dog.,1.0\\n")
        >>> pairs = load_stsb("test")
        >>> len(pairs), pairs.sentences1[0], pairs.scores
        (2, 'A man plays.', [4.5, 1.0])
        >>> _ = env.stop()
    """
    if split not in ("train", "dev", "test"):
        raise UnknownName("split", split, ["train", "dev", "test"])
    if lang not in STSB_LANGUAGES:
        raise UnknownName("language", lang, list(STSB_LANGUAGES))
    return load_sts_pairs(STSB.locate() / f"stsb-{lang}-{split}.csv")


def named_or_file_pairs(data: str, columns: str | None = None) -> StsPairs:
    """Pairs from ``stsb[:split]``, ``sick[:split]`` (default split ``test``) or a file.

    An existing path always wins over a dataset name.

    Args:
        data: the ``--data`` value: ``stsb``, ``stsb:<split>``, ``sick``, ``sick:<split>``
            or the path of a CSV/TSV file.
        columns: the file's ``"s1,s2,score"`` columns (see :func:`load_sts_pairs`);
            ignored for the named datasets.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "pairs.tsv"
        >>> _ = path.write_text("s1\\ts2\\tlabel\\nA cat.\\tA dog.\\t0.5\\n")
        >>> named_or_file_pairs(str(path), "s1,s2,label").scores
        [0.5]
        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> env = mock.patch.dict(os.environ, {"RL_DATA_DIR": str(root / "data"),
        ...                                    "RL_CACHE_DIR": str(root / "cache")})
        >>> _ = env.start()
        >>> (root / "data" / "sts" / "stsb").mkdir(parents=True)
        >>> for split in ("train", "dev", "test"):
        ...     _ = (root / "data" / "sts" / "stsb" / f"stsb-en-{split}.csv").write_text(
        ...         "A man plays.,A man is playing.,4.5\\nA cat.,A dog.,1.0\\n")
        >>> len(named_or_file_pairs("stsb:dev"))
        2
        >>> _ = env.stop()
    """
    name, _, split = data.partition(":")
    if not Path(data).exists() and name in ("stsb", "sick"):
        return (load_stsb if name == "stsb" else load_sick)(split or "test")
    return load_sts_pairs(data, columns)


def load_sick(split: str = "test") -> StsPairs:
    """SICK-R split (``train``, ``dev`` = the trial file, ``test``) with relatedness scores.

    Reads the tab-separated SemEval-2014 files by their header columns ``sentence_A``,
    ``sentence_B`` and ``relatedness_score`` (1-5).

    Args:
        split: ``"train"``, ``"dev"`` or ``"test"``.

    Raises:
        DatasetNotFound: ``$RL_DATA_DIR/sts/sick`` lacks the files.
        UnknownName: unknown split.

    Example:
        A tiny SICK folder stands in for the real one (4,927 test pairs):

        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> env = mock.patch.dict(os.environ, {"RL_DATA_DIR": str(root / "data"),
        ...                                    "RL_CACHE_DIR": str(root / "cache")})
        >>> _ = env.start()
        >>> folder = root / "data" / "sts" / "sick"
        >>> folder.mkdir(parents=True)
        >>> for name in ("SICK_train.txt", "SICK_trial.txt", "SICK_test_annotated.txt"):
        ...     _ = (folder / name).write_text(
        ...         "pair_ID\\tsentence_A\\tsentence_B\\trelatedness_score\\n"
        ...         "1\\tA boy runs.\\tA kid is running.\\t4.6\\n")
        >>> pairs = load_sick("test")
        >>> pairs.sentences2, pairs.scores
        (['A kid is running.'], [4.6])
        >>> _ = env.stop()
    """
    if split not in SICK_FILES:
        raise UnknownName("split", split, list(SICK_FILES))
    return load_sts_pairs(
        SICK.locate() / SICK_FILES[split], ("sentence_A", "sentence_B", "relatedness_score")
    )


def load_stsb_genre() -> dict[tuple[str, int], str]:
    """The genre of each labelled STS-B row: ``(split, row) -> "news" | "captions" | "forum"``.

    Raises:
        DatasetNotFound: ``sts/stsb-genre`` lacks ``stsb-genre.csv``.
        MalformedFile: a row lacks a column, or its row number is not an integer.

    Example:
        A tiny genre file stands in for the real one (6,881 rows):

        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> env = mock.patch.dict(os.environ, {"RL_DATA_DIR": str(root / "data"),
        ...                                    "RL_CACHE_DIR": str(root / "cache")})
        >>> _ = env.start()
        >>> (root / "data" / "sts" / "stsb-genre").mkdir(parents=True)
        >>> _ = (root / "data" / "sts" / "stsb-genre" / "stsb-genre.csv").write_text(
        ...     "split,row,source,genre\\ntrain,1000,images,captions\\n")
        >>> load_stsb_genre()
        {('train', 1000): 'captions'}
        >>> _ = env.stop()
    """
    path = STSB_GENRE.locate() / "stsb-genre.csv"
    out: dict[tuple[str, int], str] = {}
    reader = csv.DictReader(iter_lines(path))
    missing = {"split", "row", "genre"} - set(reader.fieldnames or ())
    if missing:
        raise MalformedFile(path, 1, f"the header lacks {', '.join(sorted(missing))}")
    for row in reader:
        line = reader.line_num
        if None in row or any(v is None for v in row.values()):
            raise MalformedFile(path, line, "the row does not have one cell per header column")
        try:
            out[(row["split"], int(row["row"]))] = row["genre"]
        except ValueError:
            raise MalformedFile(path, line, f"row {row['row']!r} is not an integer") from None
    return out


def correlations(
    predicted: Sequence[float] | np.ndarray, gold: Sequence[float] | np.ndarray
) -> dict[str, float | None]:
    """Spearman and Pearson correlation of predicted and gold scores (SciPy's).

    Args:
        predicted: one score per pair (e.g. cosine similarities).
        gold: the gold scores, as many.

    Shapes:
        predicted, gold: ``(n,)`` with ``n >= 2``.

    Returns:
        ``{"spearman": ..., "pearson": ...}``; a correlation that is undefined (constant
        scores) is ``None`` rather than NaN, so the result stays valid JSON.

    References:
        Spearman (1904); as in sentence-transformers' ``EmbeddingSimilarityEvaluator``.

    Example:
        >>> correlations([0.1, 0.5, 0.9], [1.0, 2.0, 5.0])["spearman"]
        1.0
    """
    import warnings

    import numpy as np
    from scipy.stats import pearsonr, spearmanr

    pred = np.asarray(predicted, dtype=np.float64)
    gold_arr = np.asarray(gold, dtype=np.float64)
    if pred.shape != gold_arr.shape or pred.ndim != 1 or pred.size < 2:
        raise BadInput("correlations need two equally long score lists of at least 2 pairs")
    if not (np.isfinite(pred).all() and np.isfinite(gold_arr).all()):
        raise BadInput("correlations need finite scores; a predicted or gold score is NaN or inf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rho = float(spearmanr(pred, gold_arr).statistic)
        r = float(pearsonr(pred, gold_arr).statistic)
    return {
        "spearman": rho if math.isfinite(rho) else None,
        "pearson": r if math.isfinite(r) else None,
    }


def _write_sts_sample(folder: Path) -> Path:
    """A three-pair STS-B-layout CSV (no header, a quoted sentence with a comma)."""
    path = folder / "pairs.csv"
    path.write_text(
        'A man plays a guitar.,"A man, playing a guitar.",4.8\n'
        "A cat sleeps on the bed.,Stocks fell sharply.,0.2\n"
        "A dog runs in the park.,A dog is running in a park.,4.5\n",
        encoding="utf-8",
    )
    return path


#: the ``--data`` file of the STS commands without ``--columns``: sentence1, sentence2, score
STS_PAIRS_FORMAT = register_format(
    FileFormat(
        "sts-pairs",
        "CSV of sentence1,sentence2,score rows (STS-B layout, no header; score a finite number)",
        _write_sts_sample,
        (Table("", ",", header=False, numeric=(2,), quoted=True),),
    )
)
