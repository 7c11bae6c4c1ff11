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

from rl_shared.data import Dataset, Source, github
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

STSB_SOURCE = github(
    "PhilipMay/stsb-multi-mt",
    "30de0dec4ee199b7f42351d3f1a0b19592955385",
    """
    6456 c1453eb5164eb5a361c4482570c714ea666b64e92142f1fdd301faf4802674f4 LICENSE
    242726 40ddf84ce3d2dfb957e11687edea30e5567c542219998f906ee552cfd3ef6769 data/stsb-de-dev.csv
    188602 a92ce1015b201a342784ab7e34e024ceb0a0eeb479231fbadd05f756afb817fd data/stsb-de-test.csv
    847845 7a393283b1ec86d9919452bd793db2938831169b29f1584660c3d20e2ee2a53e data/stsb-de-train.csv
    204675 d29586e96558c4eb52cf5ea5d14e9c24d3bf0e44f111b017caba43a5adc33226 data/stsb-en-dev.csv
    158891 11523b625219e94e9ca05d2816b5f02cac1614c5894fe657376fa0806378d053 data/stsb-en-test.csv
    708863 e1e84fec60bbb598735552f54a35f4949904a484750fd2cb11e2720e49f63da6 data/stsb-en-train.csv
    240097 7afece0711add2fb35bc65874bdf0fbbacbd5c784ebb3b926f4099f3989317d4 data/stsb-es-dev.csv
    189142 2b6f60e63f19806436cdfd8fe314f91144f97e403d1d50f20ff9ffcb323d5b2f data/stsb-es-test.csv
    864921 c0b1e809c1d5e51f95e90753656a371a5c92fff9f459ba01be20ce23f3ecc8b4 data/stsb-es-train.csv
    249002 d9f0ed00811dc0d91663f195790bccc4627e0da3575e79e4e06ac777ec38039f data/stsb-fr-dev.csv
    195020 f7da31a1d88557344afcb26430dc1c6cb85e76b564333de1a29f8008205b39b2 data/stsb-fr-test.csv
    888493 29cece1d7e713cbc5c6940d4a0bbba7764da093e6d0b9da8fee26662b8af1d0a data/stsb-fr-train.csv
    237958 ee64355376825a84ee6cc82b36d9f22b7f03a77d73ea97756cb7aaf85079552b data/stsb-it-dev.csv
    186156 e6f0be0552dd3c9e49ac794505086056b07f9cf2be68615e961107841a540248 data/stsb-it-test.csv
    849516 2e6563f62debb6c9a1233dc411424083b8694c8fe0a6d85723c8ce1ec8cfd894 data/stsb-it-train.csv
    266161 ae4a1da6a8df882ad1bf7a822456730188327c21e4ed0a3aec428e05cbaeb2f2 data/stsb-ja-dev.csv
    210014 5ab39526aa6fb3c275f46310d807956dd5c0721fcd0a2687545287bba739b589 data/stsb-ja-test.csv
    925787 5c25383359fcc2482414fd665f642aa4eaedc27ea1ab0a7e6c4075de8f61346f data/stsb-ja-train.csv
    229492 d2b2a895824d6bd60a28dbf9c22248df6e65603a389c08943255b7c2c694f8f2 data/stsb-nl-dev.csv
    177327 a0ee96b6ee9ed0181664e687f6b42f6273a87c885f34833a1e5a06368759cb35 data/stsb-nl-test.csv
    810934 4d60f75ec8e7a51c79f2fd7207747cf567bb16812f12f798031b119a14018f7c data/stsb-nl-train.csv
    227287 0caa1ef060e886a41f6ae05bdead735089ed14e9715e63a47583ba2f13b4a17b data/stsb-pl-dev.csv
    176382 abea78b1b3c4a39017da96d5074f4d61c1b825590bfb65e50d64216a7c68de59 data/stsb-pl-test.csv
    808667 87a9c4443badde50c56e5fe4e198ee6bfd35c01cc82c487a9a97921c2a2e8415 data/stsb-pl-train.csv
    235432 8f063a119e9e4cd8eaa6de42ff125984867c54bfbacef14fce493783bbe6b113 data/stsb-pt-dev.csv
    183762 9ba9018a1919efd24d243112ecbb3c448e2d361eebaa1c9aadf8988e3767e9be data/stsb-pt-test.csv
    832314 8d769a45cf9435b840b3567dc8e327bee437a6a496eec0a1840d97262e032f60 data/stsb-pt-train.csv
    382231 8e4de0dcb2d87c1a2adc7bfdbe8ce4a7e0a1e10e3deba947e26069490ab66abd data/stsb-ru-dev.csv
    295513 87a92ee27b26e724c4e4923d744d8198f9eef49698be7b514734118a755c4fce data/stsb-ru-test.csv
    1373901 9b2fa623b9a0fa827151a47f4713c5ebc56313c069ff47855e393d505951aa30 data/stsb-ru-train.csv
    189283 f24a3580938f840d82ee3d520de3af2be355b389850f21d0cc5c228ba3f6cdc9 data/stsb-zh-dev.csv
    148541 a583195cb30b9d99ae5fe1d03cd3e544c4c2a1c48d27713fb0686c7bae9fbb19 data/stsb-zh-test.csv
    669068 6d44b5faa6c88e76f0c5f39fcd5963622c121b1d106f139a33b5b1df24c20ce2 data/stsb-zh-train.csv
    """,
    strip="data/",
    licence="CC BY-SA 4.0 (scores); sentences keep their sources' licences",
    citation=(
        "Cer et al. 2017, SemEval-2017 Task 1 (STS Benchmark); May 2021, STSb-multi-mt "
        "(DeepL translations)"
    ),
)

STSB = Dataset(
    "stsb",
    "sts/stsb",
    ("stsb-en-train.csv", "stsb-en-dev.csv", "stsb-en-test.csv"),
    "STS Benchmark (5,749 / 1,500 / 1,379 pairs, scores 0-5) and its 10 machine translations",
    hint="put stsb-en-train.csv, stsb-en-dev.csv and stsb-en-test.csv (STSb-multi-mt CSVs, "
    "no header) there",
    used_by=("text.2dmse", "vision.grounded"),
    source=STSB_SOURCE,
)

SICK_SOURCE = github(
    "brmson/dataset-sts",
    "e1d3375f5b3bc24f21aa4e46f96eb379e9fc1081",
    """
    5691 a479511d1d1f8feb7489f746abc8db297160a1b89b04b76d7afd18b7d6a9524f data/sts/sick2014/README.md
    559979 2b8aa806658d6fc23c6824c83776c2d4fee7556000817b5ec0f982861413b7d0 data/sts/sick2014/SICK_test_annotated.txt
    506243 266cf8047149bd1d68138dd30439f3122bff30069740ac6705bb6197d9f1b48e data/sts/sick2014/SICK_train.txt
    57225 5a88cfb62f8c6bd2a3cce0f2421ba2cb8c2be5ab4a800f6f01e2c64aafb7db56 data/sts/sick2014/SICK_trial.txt
    1337 4ff14a2b07603f2214c2803a6e012048c795be5ba4e5d1d33b87d7210f633bf7 data/sts/sick2014/readme.txt
    """,
    strip="data/sts/sick2014/",
    licence="CC BY-NC-SA 3.0",
    citation=(
        "Marelli et al. 2014, A SICK cure for the evaluation of compositional "
        "distributional semantic models (LREC)"
    ),
)

SICK = Dataset(
    "sick",
    "sts/sick",
    ("SICK_train.txt", "SICK_trial.txt", "SICK_test_annotated.txt"),
    "SICK-R relatedness (4,500 / 500 / 4,927 pairs, scores 1-5), SemEval-2014 Task 1",
    hint="put SICK_train.txt, SICK_trial.txt and SICK_test_annotated.txt (tab-separated, "
    "with header) there",
    source=SICK_SOURCE,
)

STSB_GENRE = Dataset(
    "stsb-genre",
    "sts/stsb-genre",
    ("stsb-genre.csv",),
    "genre (news / captions / forum) of 6,881 STS-B rows, for all 11 STS-B languages",
    hint="put stsb-genre.csv (header split,row,source,genre) there",
    used_by=("text.gfun", "text.binary-pv", "text.moe"),
    source=Source(
        page="https://github.com/brmson/dataset-sts/tree/e1d3375f5b3bc24f21aa4e46f96eb379e9fc1081",
        licence="as STS-B (labels derived from SemEval STS 2012-2016 source names)",
        citation="Agirre et al. 2012-2016, SemEval Semantic Textual Similarity tasks",
        manual="it is derived, by matching STS-B rows against the SemEval STS 2012-2016 files, "
        "and no public repository holds the result",
    ),
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
