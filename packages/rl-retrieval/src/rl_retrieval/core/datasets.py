"""The retrieval datasets this package reads, registered under ``rl.datasets``.

``cranfield`` is read from its raw SMART files and converted once into a BEIR folder under
``cache_dir("retrieval", "beir", "cranfield")``; ``limit-small`` and ``limit`` are BEIR
folders already (``limit``'s 50,000-document corpus is not in the data snapshot;
``rl retrieval limit generate`` makes a LIMIT-style corpus of any size instead). The 18
BEIR sets follow (``beir-scifact``, ...; :mod:`rl_retrieval.beir.datasets`), 14 of them
downloadable. CQADupStack is 12 forums: one is named ``beir-cqadupstack/<forum>``, and all
of them are loaded by :func:`rl_retrieval.beir.quirks.load_cqadupstack`.

:func:`load_data` resolves a command's ``--data``: a BEIR (or LIMIT) folder or one of these
names, each optionally followed by ``:split``.

Example:
    >>> [d.name for d in DATASETS][:4]
    ['cranfield', 'limit-small', 'limit', 'beir-trec-covid']
    >>> len(DATASETS)
    21
    >>> split_spec("limit-small:test"), split_spec("some/folder")
    (('limit-small', 'test'), ('some/folder', None))
    >>> split_spec("beir-cqadupstack/tex:test")
    ('beir-cqadupstack/tex', 'test')
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from rl_retrieval.beir.datasets import BEIR_DATASETS, CQADUPSTACK_FORUMS
from rl_retrieval.core.beir_format import BeirData, load_beir
from rl_retrieval.core.smart import convert_smart
from rl_shared.data import Dataset, cache_dir, github
from rl_shared.errors import BadInput, UnknownName

__all__ = ["DATASETS", "load_data", "load_dataset", "split_spec"]

CRANFIELD_SOURCE = github(
    "noramtboraas/information-retrieval",
    "4ea1b8e02da1db64b68b0364d50620b3c95528dc",
    """
    1684117 fbb8935a93263ab6c9fadefb507fd7cd5e101e7fbeb31c12e6bff6dd501315e8 cran.all.1400
    28957 99578ceb88941ef89c14faf7c63c23776a376d8fba319b990f01d0c601d8b03f cran.qry
    21377 a90f56082cd44db70bf2c21ebca39a1a34e37c82ccb5ddf1bcc64f18795234c7 cranqrel
    1487 5d5b5e72a4799df3e4ea98476ed803b2caac01d90c859a91771ac794971a1ad3 cranqrel.readme
    """,
    licence="not stated",
    citation="Cleverdon 1967, The Cranfield tests on index language devices (Aslib Proceedings 19)",
)

LIMIT_SMALL_SOURCE = github(
    "google-deepmind/limit",
    "90c5dd3a7c3c0d68bc6cc7a0c5b0f4ca124dfdcb",
    """
    29465 ebc38fa10c96fa02e4501e41968edf586efffc6241b6cd10f1c8757c1854dc53 data/limit-small/corpus.jsonl
    137231 f6a0cbf1ac3c405e1cffc96c87bd19a5f77a671d123f547cf946bf17874a27f8 data/limit-small/qrels.jsonl
    54483 0afedee8bb9aec36053568673bc7b5eb3e5fc416b49d44f187026de930084db8 data/limit-small/queries.jsonl
    """,
    strip="data/limit-small/",
    licence="CC BY 4.0",
    citation=(
        "Weller et al. 2025, On the Theoretical Limitations of Embedding-Based Retrieval "
        "(arXiv:2508.21038)"
    ),
)

LIMIT_SOURCE = github(
    "google-deepmind/limit",
    "90c5dd3a7c3c0d68bc6cc7a0c5b0f4ca124dfdcb",
    """
    ? ? data/limit/corpus.jsonl
    135812 a4f9b25b694623c240c6499fb8d8a4896355db9c840f29bd14580d0d4100ea89 data/limit/qrels.jsonl
    54646 1ead4c54487728173aa1433778a2ab0f4cf1cf8aeeedb886c05238b32d818594 data/limit/queries.jsonl
    """,
    strip="data/limit/",
    licence="CC BY 4.0",
    citation=(
        "Weller et al. 2025, On the Theoretical Limitations of Embedding-Based Retrieval "
        "(arXiv:2508.21038)"
    ),
)

DATASETS: list[Dataset] = [
    Dataset(
        "cranfield",
        "retrieval/cranfield",
        ("cran.all.1400", "cran.qry", "cranqrel"),
        "Cranfield-1400 aeronautics abstracts, 225 queries, graded qrels (SMART files)",
        hint="put cran.all.1400, cran.qry and cranqrel (SMART format) there",
        used_by=("retrieval.beir.cranfield",),
        source=CRANFIELD_SOURCE,
    ),
    Dataset(
        "limit-small",
        "retrieval/limit-small",
        ("corpus.jsonl", "queries.jsonl", "qrels.jsonl"),
        "LIMIT-small: 46 people, 1000 'Who likes X?' queries with 2 relevant each (arXiv:2508.21038)",
        hint="put LIMIT-small's corpus.jsonl, queries.jsonl and qrels.jsonl there",
        used_by=("retrieval.limit.small",),
        source=LIMIT_SMALL_SOURCE,
    ),
    Dataset(
        "limit",
        "retrieval/limit",
        ("corpus.jsonl", "queries.jsonl", "qrels.jsonl"),
        "LIMIT: 50,000 people, 1000 queries (arXiv:2508.21038)",
        hint="put LIMIT's corpus.jsonl (50,000 documents), queries.jsonl and qrels.jsonl there; "
        "`rl retrieval limit generate --out DIR` makes a LIMIT-style corpus instead",
        source=LIMIT_SOURCE,
    ),
    *BEIR_DATASETS,
]

_CQADUPSTACK = "beir-cqadupstack"


def _forum(name: str) -> str | None:
    """The forum of a ``beir-cqadupstack/<forum>`` name (no ``:split`` in it), else ``None``."""
    head, sep, forum = name.partition("/")
    return forum if sep and head == _CQADUPSTACK and forum and ":" not in forum else None


def _is_name(name: str) -> bool:
    """A registered name, or a CQADupStack forum name (a valid forum or not)."""
    return name in {d.name for d in DATASETS} or _forum(name) is not None


def load_dataset(name: str, split: str = "test") -> BeirData:
    """Load a registered retrieval dataset by name (Cranfield converted and cached on first use).

    Args:
        name: one of :data:`DATASETS` (``"cranfield"``, ``"limit-small"``, ``"beir-scifact"``,
            ...), or ``"beir-cqadupstack/<forum>"`` for one CQADupStack forum.
        split: the qrels split to read.

    Raises:
        UnknownName: not one of :data:`DATASETS`, or not a CQADupStack forum.
        BadInput: ``"beir-cqadupstack"`` itself, which is 12 collections scored apart (load
            them with :func:`rl_retrieval.beir.quirks.load_cqadupstack`, or name one forum).
        DatasetNotFound: its files are missing.

    Example:
        >>> load_dataset("nosuch")  # doctest: +IGNORE_EXCEPTION_DETAIL
        Traceback (most recent call last):
        rl_shared.errors.UnknownName: unknown dataset 'nosuch'; valid datasets: beir-arguana, ...
    """
    known = {d.name: d for d in DATASETS}
    forum = _forum(name)
    if forum is not None:
        if forum not in CQADUPSTACK_FORUMS:
            raise UnknownName("CQADupStack forum", forum, CQADUPSTACK_FORUMS)
        return load_beir(known[_CQADUPSTACK].locate() / forum, split)
    if name == _CQADUPSTACK:
        raise BadInput(
            "beir-cqadupstack is 12 forums that BEIR scores apart and averages; load them "
            "with rl_retrieval.beir.quirks.load_cqadupstack, or name one as "
            f"beir-cqadupstack/<forum> ({', '.join(CQADUPSTACK_FORUMS)})"
        )
    if name not in known:
        raise UnknownName("dataset", name, list(known))
    folder = known[name].locate()
    if name != "cranfield":
        return load_beir(folder, split)
    files = [folder / f for f in known[name].files]
    stamp = hashlib.sha256(
        "|".join(f"{f}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files).encode()
    )
    out = cache_dir("retrieval", "beir") / f"cranfield-{stamp.hexdigest()[:12]}"
    if not (out / "qrels" / "test.tsv").is_file():
        docs, queries, qrels = files  # CRANFIELD names exactly these three files
        convert_smart(docs, queries, qrels, out=out)
    return load_beir(out, split)


def split_spec(spec: str) -> tuple[str, str | None]:
    """Split ``--data``'s ``name[:split]`` (or ``folder[:split]``) into ``(name, split)``.

    A trailing ``:split`` is taken off only when what precedes it is a registered name or an
    existing path and the whole string is not, so folders with a colon in their name still work.

    Args:
        spec: ``name``, ``name:split``, ``folder`` or ``folder:split``.

    Returns:
        ``(name_or_folder, split)``, with ``split`` ``None`` when ``spec`` names none.

    Example:
        >>> split_spec("cranfield:test")
        ('cranfield', 'test')
    """
    head, sep, tail = spec.rpartition(":")
    if sep and head and tail and "/" not in tail and not _is_name(spec) and not Path(spec).exists():
        if _is_name(head) or Path(head).exists():
            return head, tail
    return spec, None


def load_data(spec: str, split: str = "test") -> BeirData:
    """Load what a command's ``--data`` names: a BEIR/LIMIT folder or a registered name.

    Args:
        spec: ``folder``, ``folder:split``, ``name`` or ``name:split`` (names: :data:`DATASETS`
            and ``beir-cqadupstack/<forum>``).
        split: the qrels split when ``spec`` names none.

    Raises:
        BadInput: ``spec`` is neither an existing path nor a registered name, or it is
            ``beir-cqadupstack`` as a whole (name a forum).
        UnknownName: ``beir-cqadupstack/<forum>`` names no CQADupStack forum.
        DatasetNotFound: the folder's files are missing (a missing split names those found).
        MalformedFile: a line cannot be parsed, or a file is empty, not UTF-8 or a folder
            (names file and line).

    Example:
        >>> import pathlib, tempfile
        >>> from rl_retrieval.core.beir_format import write_beir
        >>> folder = pathlib.Path(tempfile.mkdtemp()) / "tiny"
        >>> write_beir(BeirData({"d": {"title": "", "text": "x"}}, {"q": "x"}, {"q": {"d": 1}}), folder, split="dev")
        >>> load_data(f"{folder}:dev").qrels
        {'q': {'d': 1}}
    """
    name, named_split = split_spec(spec)
    split = named_split or split
    names = sorted(d.name for d in DATASETS)
    if not Path(name).exists():
        if _is_name(name):
            return load_dataset(name, split)
        raise BadInput(
            f"no folder at {name}, and it is not a registered dataset ({', '.join(names)}); "
            "pass a BEIR folder (corpus.jsonl, queries.jsonl, qrels/<split>.tsv) or a name"
        )
    return load_beir(name, split)
