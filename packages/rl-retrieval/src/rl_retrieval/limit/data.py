"""Generate LIMIT-style corpora of any size: people who like things, "Who likes X?" queries.

Each document reads "<Name> likes A, B, ... and Z."; each query asks "Who likes X?" and has
exactly two relevant documents. As in the paper's *dense* qrel pattern, the relevant pairs
are all C(n, 2) pairs among the smallest set of ``n`` core documents that supplies enough
pairs (46 documents for 1000 queries); every other document likes only attributes that no
query asks about. Names and attributes are made from local word lists and invented words, each attribute
lexically distinct; nothing is downloaded.

References:
    Weller et al., "On the Theoretical Limitations of Embedding-Based Retrieval",
    arXiv:2508.21038, Section 5 (LIMIT).

Example:
    >>> data = generate_limit(docs=60, queries=10, seed=0)
    >>> len(data.corpus), len(data.queries), {len(v) for v in data.qrels.values()}
    (60, 10, {2})
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random

import Stemmer

from rl_retrieval.core.beir_format import BeirData
from rl_shared.errors import BadInput
from rl_shared.io import atomic_dir, atomic_open

__all__ = ["core_size", "generate_limit", "write_limit"]

_ADJ = (
    "amber azure brisk calm coral crimson dusty emerald fuzzy gentle golden hidden icy ivory "
    "jade lively lunar misty mossy nimble ochre olive pale quiet rapid rustic saffron scarlet "
    "silver smoky solar spicy stormy sunny tawny teal tiny velvet violet vivid wild windy "
    "wooden woolly zesty ancient bold bright cosmic crisp dainty feral frosty glassy hazy"
).split()
_NOUN = (
    "Anchors Badgers Banjos Beetles Biscuits Blimps Bonsai Canoes Cactuses Comets Compasses "
    "Cupcakes Daisies Dolphins Dragons Drums Eagles Ferns Fiddles Fjords Flutes Foxes Gardens "
    "Geysers Glaciers Gliders Harps Hedgehogs Herons Kayaks Kites Lanterns Lemurs Lighthouses "
    "Llamas Lobsters Mangoes Maples Meadows Mosaics Narwhals Oboes Orchids Otters Pagodas "
    "Pancakes Parrots Pebbles Pianos Puffins Quilts Rivers Robots Saddles Sailboats Scones "
    "Sloths Sparrows Tapirs Teapots Tulips Tundras Volcanoes Walruses Willows Yaks Zebras"
).split()
_CONS = "b c d f g h j k l m n p r s t v w z br dr gl kr pl st tr".split()
_VOWELS = "a e i o u ai ea io".split()
_FIRST = ("an ber ca da el fa gi ha is jo ka li ma ne o pa qui ro sa ta u vi wy xa ya ze").split()
_MID = [*"bel dra lin mor nes ric sol tan vel wen".split(), ""]
_LAST = ("ford ley man son ton well wick worth berg dale field hart holm more stead vale").split()


def _names(count: int, rng: random.Random) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        first = (
            rng.choice(_FIRST) + rng.choice(_MID) + rng.choice(("a", "o", "ie", "en", "us", ""))
        ).capitalize()
        last = (rng.choice(_FIRST) + rng.choice(_MID) + rng.choice(_LAST)).capitalize()
        name = f"{first} {last}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _attributes(count: int, rng: random.Random) -> list[str]:
    """Distinct attributes: a word from the lists, or an invented one once those run out.

    Every attribute stems to a token no other attribute uses, so that (as in LIMIT) a
    lexical retriever can find exactly the people who like it.
    """
    stem = Stemmer.Stemmer("english").stemWord
    words = [*_NOUN, *(a.capitalize() + "s" for a in _ADJ)]
    rng.shuffle(words)
    seen: set[str] = set()
    out: list[str] = []
    for word in words:
        if stem(word.lower()) not in seen:
            seen.add(stem(word.lower()))
            out.append(word)
    while len(out) < count:
        word = "".join(rng.choice(_CONS) + rng.choice(_VOWELS) for _ in range(rng.randint(2, 3)))
        word = (word + rng.choice(_CONS)).capitalize() + "s"
        if stem(word.lower()) not in seen:
            seen.add(stem(word.lower()))
            out.append(word)
    rng.shuffle(out)
    return out[:count]


def core_size(queries: int) -> int:
    """The fewest documents whose pairs cover ``queries`` queries: smallest ``n`` with C(n, 2) >= it.

    Args:
        queries: the number of queries (each needs its own pair of relevant documents).

    Returns:
        That ``n``, at least 2.

    Example:
        >>> core_size(1000), core_size(45)
        (46, 10)
    """
    return max(2, math.ceil((1 + math.sqrt(1 + 8 * queries)) / 2))


def _text(name: str, likes: list[str]) -> str:
    body = likes[0] if len(likes) == 1 else ", ".join(likes[:-1]) + " and " + likes[-1]
    return f"{name} likes {body}."


def generate_limit(
    docs: int = 50_000, queries: int = 1000, attributes_per_doc: int = 46, seed: int = 0
) -> BeirData:
    """Make a LIMIT-style collection.

    Args:
        docs: corpus size (at least the core size for ``queries``).
        queries: number of queries, each with exactly two relevant documents.
        attributes_per_doc: attributes each document likes (core documents like at least
            every attribute whose query they answer).
        seed: random seed.

    Returns:
        :class:`~rl_retrieval.core.beir_format.BeirData` with ``_id`` = the person's name.

    Example:
        >>> data = generate_limit(docs=12, queries=3, seed=0)
        >>> sorted(len(v) for v in data.qrels.values())
        [2, 2, 2]
    """
    n_core = core_size(queries)
    if queries < 1 or docs < n_core:
        raise BadInput(f"{queries} queries need at least {n_core} documents, got docs={docs}")
    rng = random.Random(seed)
    vocab = _attributes(queries + max(attributes_per_doc * 4, 2000), rng)
    asked, filler = vocab[:queries], vocab[queries:]
    names = _names(docs, rng)
    core = names[:n_core]
    pairs = list(itertools.combinations(range(n_core), 2))
    rng.shuffle(pairs)
    likes: dict[str, list[str]] = {name: [] for name in names}
    qrels: dict[str, dict[str, int]] = {}
    query_text: dict[str, str] = {}
    for i, (a, b) in enumerate(pairs[:queries]):
        qid = f"query_{i}"
        likes[core[a]].append(asked[i])
        likes[core[b]].append(asked[i])
        query_text[qid] = f"Who likes {asked[i]}?"
        qrels[qid] = {core[a]: 1, core[b]: 1}
    for name in names:
        extra = max(0, attributes_per_doc - len(likes[name]))
        likes[name] += rng.sample(filler, extra)
        rng.shuffle(likes[name])
    order = names[:]
    rng.shuffle(order)
    corpus = {name: {"title": "", "text": _text(name, likes[name])} for name in order}
    return BeirData(corpus, query_text, qrels)


def write_limit(data: BeirData, out: str | os.PathLike[str]) -> None:
    """Write in LIMIT's layout (``corpus.jsonl``, ``queries.jsonl``, ``qrels.jsonl``), atomically.

    Args:
        data: the collection (e.g. from :func:`generate_limit`); each document's ``title``
            and ``text`` are written.
        out: the folder to write; an existing folder there is replaced as a whole.

    Example:
        >>> import pathlib, tempfile
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "limit"
        >>> write_limit(generate_limit(docs=12, queries=3, seed=0), out)
        >>> sorted(p.name for p in out.iterdir())
        ['corpus.jsonl', 'qrels.jsonl', 'queries.jsonl']
    """
    with atomic_dir(out) as tmp:
        with atomic_open(tmp / "corpus.jsonl") as handle:
            for did, doc in data.corpus.items():
                handle.write(
                    json.dumps({"_id": did, "title": doc["title"], "text": doc["text"]}) + "\n"
                )
        with atomic_open(tmp / "queries.jsonl") as handle:
            for qid, text in data.queries.items():
                handle.write(json.dumps({"_id": qid, "text": text}) + "\n")
        with atomic_open(tmp / "qrels.jsonl") as handle:
            for qid, rel in data.qrels.items():
                for did, score in rel.items():
                    handle.write(
                        json.dumps({"query-id": qid, "corpus-id": did, "score": score}) + "\n"
                    )
