"""Dictionary entries and their definitions from WordNet (or any reader with ``all_synsets``).

Every lemma of a synset is an entry, multi-word lemmas included (``ice_cream`` ->
``"ice cream"``), so the entry set is not limited to the tokens of a model's vocabulary; each
synset's gloss is a definition of each of its entries. WordNet is read with nltk's
``WordNetCorpusReader`` straight from the data folder (nothing is downloaded); the pairs are
cached as JSON in ``rl_shared.data.cache_dir("defsent")``.

References:
    Liu, "DefSent+: Improving sentence embeddings of language models by projecting definition
    sentences into a quasi-isotropic or isotropic vector space of unlimited dictionary entries",
    arXiv 2024. https://arxiv.org/abs/2405.16153
    Miller, "WordNet: A Lexical Database for English", CACM 1995 (the dictionary read here).

Example:
    >>> class Synset:
    ...     def __init__(self, names, gloss):
    ...         self._names, self._gloss = names, gloss
    ...     def lemma_names(self):
    ...         return self._names
    ...     def definition(self):
    ...         return self._gloss
    >>> class Reader:
    ...     def all_synsets(self, pos=None):
    ...         return [Synset(["ice_cream", "icecream"], "frozen dessert"),
    ...                 Synset(["dog"], "a domestic canine")]
    >>> definition_pairs(Reader())
    [('frozen dessert', 'ice cream'), ('frozen dessert', 'icecream'), ('a domestic canine', 'dog')]

    A one-synset WordNet in nltk's layout, read by :func:`wordnet_reader` and, cached in a
    temporary ``RL_CACHE_DIR``, by :func:`load_wordnet_pairs`:

    >>> import os, pathlib, tempfile, warnings
    >>> from unittest import mock
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "corpora" / "wordnet"
    >>> folder.mkdir(parents=True)
    >>> for name in ["index.sense", "index.verb", "index.adj", "index.adv", "data.verb",
    ...              "data.adj", "data.adv", "noun.exc", "verb.exc", "adj.exc", "adv.exc"]:
    ...     _ = (folder / name).write_text("")
    >>> _ = (folder / "lexnames").write_text("00\\tnoun.Tops\\t1\\n")
    >>> _ = (folder / "data.noun").write_text(
    ...     "00000000 00 n 02 dog 0 domestic_dog 0 000 | a domestic canine  \\n")
    >>> _ = (folder / "index.noun").write_text(
    ...     "dog n 1 0 1 0 00000000  \\ndomestic_dog n 1 0 1 0 00000000  \\n")
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # nltk: no multilingual data in this WordNet
    ...     reader = wordnet_reader(folder)
    >>> [s.name() for s in reader.all_synsets()]
    ['dog.n.01']
    >>> with mock.patch.dict(os.environ, {"RL_CACHE_DIR": tempfile.mkdtemp()}), \\
    ...         warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     first = load_wordnet_pairs(folder)
    ...     again = load_wordnet_pairs(folder)  # read back from the JSON cache
    >>> first == again == [("a domestic canine", "dog"), ("a domestic canine", "domestic dog")]
    True
"""

from __future__ import annotations

import hashlib
import json
import random
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rl_shared.errors import BadInput, MalformedFile

__all__ = [
    "WORDNET_FILES",
    "DefinitionSet",
    "check_wordnet_folder",
    "definition_pairs",
    "load_wordnet_pairs",
    "make_definition_set",
    "wordnet_reader",
]


def _first(err: BaseException) -> str:
    text = str(err)
    return text.splitlines()[0] if text else type(err).__name__


def wordnet_reader(path: str | Path | None = None) -> Any:
    """nltk's ``WordNetCorpusReader`` on ``path`` (default: the registered ``wordnet`` dataset).

    The nltk_data folder holding the corpus (``path``'s grandparent when it is
    ``corpora/wordnet``; otherwise a temporary one linking to it) is added to
    ``nltk.data.path``; nothing is downloaded. The module docstring
    builds a one-synset WordNet and reads it.

    Args:
        path: a WordNet folder in nltk's layout (``index.noun``, ``data.noun``, ``lexnames``,
            ...); ``None``: :data:`rl_text.datasets.WORDNET` located under ``RL_DATA_DIR``.

    Raises:
        DatasetNotFound: the WordNet folder is missing.
        BadInput: the folder has no ``index.noun`` (or lacks another file nltk reads).
        MalformedFile: a file of the folder is not UTF-8 text, empty or a folder
            (:func:`check_wordnet_folder`).

    Example:
        >>> import tempfile
        >>> wordnet_reader(tempfile.mkdtemp())  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        rl_shared.errors.BadInput: ... is not a WordNet folder in nltk's layout (no index.noun)
    """
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader, WordNetError

    if path is None:
        from rl_text.datasets import WORDNET

        path = WORDNET.locate()
    folder = Path(path).resolve()
    if not (folder / "index.noun").exists():
        raise BadInput(f"{folder} is not a WordNet folder in nltk's layout (no index.noun)")
    check_wordnet_folder(folder)
    # nltk >= 3.9 reads only below its data path, and the reader looks up ``corpora/wordnet``
    # there while it starts (to map sense keys onto WordNet 3.0): authorise the nltk_data
    # folder holding this corpus, nothing wider; a folder laid out otherwise is linked as
    # ``corpora/wordnet`` of a temporary nltk_data folder for that look-up
    if folder.name == "wordnet" and folder.parent.name == "corpora":
        root = str(folder.parents[1])
        if root not in nltk.data.path:
            nltk.data.path.append(root)
        return _open_reader(WordNetCorpusReader, folder, WordNetError)
    if str(folder) not in nltk.data.path:  # the reader reads data.* from it later
        nltk.data.path.append(str(folder))
    with tempfile.TemporaryDirectory(prefix="rl-wordnet-") as tmp:
        link = Path(tmp, "corpora", "wordnet")
        link.parent.mkdir()
        link.symlink_to(folder, target_is_directory=True)
        nltk.data.path.append(tmp)
        try:
            return _open_reader(WordNetCorpusReader, folder, WordNetError)
        finally:
            nltk.data.path.remove(tmp)


def _open_reader(reader_class: Any, folder: Path, wordnet_error: type[Exception]) -> Any:
    """``reader_class(folder)``, nltk's parse errors turned into one that names the folder."""
    try:
        return reader_class(str(folder), None)
    except (ValueError, KeyError, IndexError, AssertionError, LookupError, wordnet_error) as err:
        # lexnames, index.* and *.exc are parsed here; nltk's errors name no file
        raise MalformedFile(
            folder, None, f"nltk cannot read this WordNet's index files ({_first(err)})"
        ) from None


#: the files nltk's reader opens when it starts (``data.*`` are read as synsets are listed)
WORDNET_FILES = (
    "lexnames",
    "index.sense",
    *(f"index.{pos}" for pos in ("noun", "verb", "adj", "adv")),
    *(f"data.{pos}" for pos in ("noun", "verb", "adj", "adv")),
    *(f"{pos}.exc" for pos in ("noun", "verb", "adj", "adv")),
)
#: of those, the ones that cannot be empty: a WordNet needs nouns and lexicographer names
_NOT_EMPTY = ("lexnames", "index.noun", "data.noun")


def check_wordnet_folder(folder: str | Path) -> None:
    """Check a WordNet folder in nltk's layout before nltk reads it (nltk's own errors name
    no file).

    Each of :data:`WORDNET_FILES` must be there and be UTF-8 text, read through
    :func:`rl_shared.io.iter_lines` (so the message names the file and line of a bad byte);
    ``lexnames``, ``index.noun`` and ``data.noun`` must not be empty.

    Args:
        folder: the WordNet folder (``index.noun``, ``data.noun``, ``lexnames``, ...).

    Raises:
        BadInput: a file is missing.
        MalformedFile: a file is not UTF-8, is a folder, or is empty where it cannot be.

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> for name in WORDNET_FILES:
        ...     _ = (folder / name).write_text("")
        >>> try:
        ...     check_wordnet_folder(folder)
        ... except MalformedFile as err:
        ...     print(err.path.name, err.problem)
        lexnames the file is empty
    """
    from rl_shared.io import iter_lines

    folder = Path(folder)
    for name in WORDNET_FILES:
        path = folder / name
        if not path.exists():
            raise BadInput(f"{folder} is not a WordNet folder in nltk's layout (no {name})")
        for _ in iter_lines(path, allow_empty=name not in _NOT_EMPTY):
            pass


def definition_pairs(reader: Any, pos: str | None = None) -> list[tuple[str, str]]:
    """``(definition, entry)`` for every lemma of every synset of ``reader``.

    Args:
        reader: an object with ``all_synsets(pos)`` whose synsets have ``lemma_names()`` and
            ``definition()`` (nltk's WordNet reader).
        pos: restrict to one part of speech (``"n"``, ``"v"``, ``"a"``, ``"r"``).
    """
    out = []
    for synset in reader.all_synsets(pos):
        gloss = synset.definition().strip()
        if not gloss:
            continue
        seen = set()
        for name in synset.lemma_names():
            entry = name.replace("_", " ").strip()
            if entry and entry.lower() not in seen:
                seen.add(entry.lower())
                out.append((gloss, entry))
    return out


def load_wordnet_pairs(path: str | Path | None = None) -> list[tuple[str, str]]:
    """All WordNet ``(definition, entry)`` pairs, cached after the first read.

    The cache is a JSON file in ``rl_shared.data.cache_dir("defsent")``, keyed by the path,
    modification time and size of ``data.noun``; the folder's files are checked
    (:func:`check_wordnet_folder`) before a first read. The module docstring builds a
    one-synset WordNet, loads its pairs and reads them back from the cache.

    Args:
        path: a WordNet folder in nltk's layout; ``None``: the registered ``wordnet`` dataset.

    Returns:
        ``(definition, entry)`` pairs as :func:`definition_pairs` gives them.

    Example:
        >>> import os, tempfile
        >>> from unittest import mock
        >>> with mock.patch.dict(os.environ, {"RL_CACHE_DIR": tempfile.mkdtemp()}):
        ...     load_wordnet_pairs(tempfile.mkdtemp())  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        rl_shared.errors.BadInput: ... is not a WordNet folder in nltk's layout (no index.noun)
    """
    from rl_shared.data import cache_dir
    from rl_shared.io import atomic_write_text

    if path is None:
        from rl_text.datasets import WORDNET

        path = WORDNET.locate()
    data = Path(path).resolve() / "data.noun"
    info = data.stat() if data.is_file() else None
    stamp = f"{info.st_mtime_ns}:{info.st_size}" if info is not None else "0"
    key = hashlib.sha1(f"{data}:{stamp}".encode()).hexdigest()[:12]
    cache = cache_dir("defsent") / f"wordnet-pairs-{key}.json"
    if cache.is_file():
        return [tuple(p) for p in json.loads(cache.read_text())]
    from nltk.corpus.reader.wordnet import WordNetError

    reader = wordnet_reader(path)  # checks the files first (check_wordnet_folder)
    try:
        pairs = definition_pairs(reader)
    except (ValueError, KeyError, IndexError, AssertionError, WordNetError) as err:
        # nltk's parse errors name no file; the synsets come from the data.* files
        raise MalformedFile(data, None, f"nltk cannot read its synsets ({_first(err)})") from None
    if not pairs:
        raise MalformedFile(data, None, "the WordNet has no synset with a definition")
    atomic_write_text(cache, json.dumps(pairs))
    return pairs


@dataclass
class DefinitionSet:
    """Training definitions, each labelled with the index of its entry.

    Args:
        definitions: definition sentences.
        labels: entry index of each definition.
        entries: the distinct entry strings.

    Example:
        >>> ds = DefinitionSet(["a pet canine", "a barking animal", "a feline"], [0, 0, 1],
        ...                    ["dog", "cat"])
        >>> len(ds), ds.to_dict()["label"]
        (3, [0, 0, 1])
    """

    definitions: list[str]
    labels: list[int]
    entries: list[str]

    def __len__(self) -> int:
        return len(self.definitions)

    def to_dict(self) -> dict[str, list]:
        """Columns ``definition, label`` (for ``datasets.Dataset.from_dict``)."""
        return {"definition": self.definitions, "label": self.labels}


def make_definition_set(
    pairs: Sequence[tuple[str, str]],
    n: int | None = None,
    seed: int = 0,
    *,
    min_definitions: int = 1,
) -> DefinitionSet:
    """Label ``pairs`` with entry indices, keeping about ``n`` pairs drawn at random (seeded).

    Args:
        pairs: ``(definition, entry)`` pairs.
        n: keep this many pairs (default all). With ``min_definitions > 1`` whole entries
            are drawn (all their definitions) until ``n`` pairs are reached.
        seed: seeds the draw.
        min_definitions: keep only entries with at least this many definitions, so that an
            entry embedding built from definitions averages several of them.

    Example:
        >>> ds = make_definition_set([("frozen dessert", "ice cream"), ("a canine", "dog"),
        ...                           ("a pet", "dog")])
        >>> ds.entries, ds.labels
        (['ice cream', 'dog'], [0, 1, 1])
        >>> make_definition_set([("a", "x"), ("b", "y"), ("c", "y")],
        ...                     min_definitions=2).definitions
        ['b', 'c']
    """
    pairs = list(pairs)
    if n is not None and n < 2:
        raise BadInput(f"need at least 2 definitions, got n={n}")
    if min_definitions > 1:
        groups: dict[str, list[tuple[str, str]]] = {}
        for pair in pairs:
            groups.setdefault(pair[1], []).append(pair)
        kept = [g for g in groups.values() if len(g) >= min_definitions]
        if n is not None:
            random.Random(seed).shuffle(kept)
            chosen, total = [], 0
            for group in kept:
                if total >= n:
                    break
                chosen.append(group)
                total += len(group)
            kept = chosen
        pairs = [pair for group in kept for pair in group]
    elif n is not None:
        pairs = random.Random(seed).sample(pairs, min(n, len(pairs)))
    if len(pairs) < 2:
        raise BadInput("DefSent training needs at least 2 (definition, entry) pairs")
    index: dict[str, int] = {}
    labels = [index.setdefault(entry, len(index)) for _, entry in pairs]
    return DefinitionSet([d for d, _ in pairs], labels, list(index))
