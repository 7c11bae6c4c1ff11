"""Read STS pair files: STS-B CSVs, SICK TSVs, or any CSV/TSV given its columns.

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
import math
from dataclasses import dataclass
from pathlib import Path

from rl_shared.errors import BadInput, MalformedFile, UnknownName

__all__ = [
    "StsPairs",
    "load_sick",
    "load_sts_pairs",
    "load_stsb",
    "named_or_file_pairs",
    "parse_columns",
]

STSB_LANGUAGES = ("en", "de", "es", "fr", "it", "ja", "nl", "pl", "pt", "ru", "zh")
SICK_FILES = {
    "train": "SICK_train.txt",
    "dev": "SICK_trial.txt",
    "test": "SICK_test_annotated.txt",
}


@dataclass
class StsPairs:
    """Sentence pairs with a gold similarity score each.

    Args:
        sentences1: first sentence of each pair.
        sentences2: second sentence of each pair.
        scores: gold similarity of each pair.
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


def load_sts_pairs(
    path: str | Path,
    columns: tuple[int | str, int | str, int | str] | str | None = None,
    *,
    delimiter: str | None = None,
) -> StsPairs:
    """Read sentence pairs and scores from a CSV (``,``) or TSV (``\\t``, also ``.txt``) file.

    Args:
        path: the file.
        columns: ``(s1, s2, score)`` as header names (the file then has a header row) or
            0-based indices (no header); a ``"s1,s2,score"`` string is parsed. ``None``:
            the STS-B layout, no header and columns ``0, 1, 2``.
        delimiter: overrides the one guessed from the suffix.

    Raises:
        MalformedFile: a row lacks a column, a score is not a finite number, the header
            lacks a named column, or the file has no pairs.
        BadInput: the file does not exist.
    """
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"STS file {path} does not exist; pass a CSV or TSV of sentence pairs")
    if isinstance(columns, str):
        columns = parse_columns(columns)
    columns = columns if columns is not None else (0, 1, 2)
    sep = _delimiter(path, delimiter)
    quoting = csv.QUOTE_MINIMAL if sep == "," else csv.QUOTE_NONE
    out = StsPairs([], [], [])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=sep, quoting=quoting)
        if all(isinstance(c, str) for c in columns):
            header = next(reader, None)
            if header is None:
                raise MalformedFile(path, 1, "the file is empty but columns were named")
            missing = [c for c in columns if c not in header]
            if missing:
                raise MalformedFile(
                    path, 1, f"the header has no column {missing[0]!r} (it has {', '.join(header)})"
                )
            index = [header.index(c) for c in columns]  # type: ignore[arg-type]
        else:
            index = list(columns)  # type: ignore[arg-type]
        width = max(index) + 1
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) < width:
                raise MalformedFile(
                    path, line, f"expected at least {width} columns, found {len(row)}"
                )
            text = row[index[2]].strip()
            try:
                score = float(text)
            except ValueError:
                raise MalformedFile(path, line, f"score {text!r} is not a number") from None
            if not math.isfinite(score):
                raise MalformedFile(path, line, f"score {text!r} is not finite")
            out.sentences1.append(row[index[0]])
            out.sentences2.append(row[index[1]])
            out.scores.append(score)
    if not out.scores:
        raise MalformedFile(path, None, "no sentence pairs found")
    return out


def load_stsb(split: str = "test", lang: str = "en") -> StsPairs:
    """STS Benchmark split (``train``, ``dev``, ``test``) in one of 11 languages.

    Raises:
        DatasetNotFound: ``$RL_DATA_DIR/sts/stsb`` lacks the files.
        UnknownName: unknown split or language.

    Example:
        >>> len(load_stsb("test"))  # doctest: +SKIP
        1379
    """
    from rl_text.datasets import STSB

    if split not in ("train", "dev", "test"):
        raise UnknownName("split", split, ["train", "dev", "test"])
    if lang not in STSB_LANGUAGES:
        raise UnknownName("language", lang, list(STSB_LANGUAGES))
    return load_sts_pairs(STSB.locate() / f"stsb-{lang}-{split}.csv")


def named_or_file_pairs(data: str, columns: str | None = None) -> StsPairs:
    """Pairs from ``stsb[:split]``, ``sick[:split]`` (default split ``test``) or a file.

    Example:
        >>> len(named_or_file_pairs("stsb:test"))  # doctest: +SKIP
        1379
    """
    name, _, split = data.partition(":")
    if not Path(data).exists() and name in ("stsb", "sick"):
        return (load_stsb if name == "stsb" else load_sick)(split or "test")
    return load_sts_pairs(data, columns)


def load_sick(split: str = "test") -> StsPairs:
    """SICK-R split (``train``, ``dev`` = the trial file, ``test``) with relatedness scores.

    Example:
        >>> len(load_sick("test"))  # doctest: +SKIP
        4927
    """
    from rl_text.datasets import SICK

    if split not in SICK_FILES:
        raise UnknownName("split", split, list(SICK_FILES))
    return load_sts_pairs(
        SICK.locate() / SICK_FILES[split], ("sentence_A", "sentence_B", "relatedness_score")
    )
