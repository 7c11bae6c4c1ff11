"""The retrieval datasets this package reads, registered under ``rl.datasets``.

``cranfield`` is read from its raw SMART files and converted once into a BEIR folder under
``cache_dir("retrieval", "beir", "cranfield")``; ``limit-small`` and ``limit`` are BEIR
folders already (``limit``'s 50,000-document corpus is not in the data snapshot;
``rl retrieval limit generate`` makes a LIMIT-style corpus of any size instead).

Example:
    >>> sorted(d.name for d in DATASETS)
    ['cranfield', 'limit', 'limit-small']
"""

from __future__ import annotations

import hashlib

from rl_retrieval.beir import BeirData, load_beir
from rl_retrieval.smart import convert_smart
from rl_shared.data import Dataset, cache_dir
from rl_shared.errors import UnknownName

__all__ = ["DATASETS", "load_dataset"]

DATASETS: list[Dataset] = [
    Dataset(
        "cranfield",
        "retrieval/cranfield",
        ("cran.all.1400", "cran.qry", "cranqrel"),
        "Cranfield-1400 aeronautics abstracts, 225 queries, graded qrels (SMART files)",
        hint="put cran.all.1400, cran.qry and cranqrel (SMART format) there",
        used_by=("retrieval.cranfield",),
    ),
    Dataset(
        "limit-small",
        "retrieval/limit-small",
        ("corpus.jsonl", "queries.jsonl", "qrels.jsonl"),
        "LIMIT-small: 46 people, 1000 'Who likes X?' queries with 2 relevant each (arXiv:2508.21038)",
        hint="put LIMIT-small's corpus.jsonl, queries.jsonl and qrels.jsonl there",
        used_by=("retrieval.limit-small",),
    ),
    Dataset(
        "limit",
        "retrieval/limit",
        ("corpus.jsonl", "queries.jsonl", "qrels.jsonl"),
        "LIMIT: 50,000 people, 1000 queries (arXiv:2508.21038)",
        hint="put LIMIT's corpus.jsonl (50,000 documents), queries.jsonl and qrels.jsonl there; "
        "`rl retrieval limit generate --out DIR` makes a LIMIT-style corpus instead",
    ),
]


def load_dataset(name: str, split: str = "test") -> BeirData:
    """Load a registered retrieval dataset by name (Cranfield converted and cached on first use).

    Raises:
        UnknownName: not one of :data:`DATASETS`.
        DatasetNotFound: its files are missing.
    """
    known = {d.name: d for d in DATASETS}
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
        convert_smart(*files, out=out)
    return load_beir(out, split)
