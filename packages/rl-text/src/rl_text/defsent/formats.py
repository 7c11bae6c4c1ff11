"""The user folder ``rl text defsent train --data`` reads, declared for :mod:`rl_shared.formats`.

* ``defsent-wordnet``: a WordNet folder in nltk's layout (``lexnames``, ``index.noun``,
  ``data.noun``, the other parts of speech and the ``*.exc`` exception lists), read by
  :func:`rl_text.defsent.entries.load_wordnet_pairs`; here a five-synset noun WordNet in which
  two entries have two definitions each (the other parts of speech empty).

Importing this module is light (no torch, no nltk).

References:
    Liu, "DefSent+: Improving sentence embeddings of language models by projecting definition
    sentences into a quasi-isotropic or isotropic vector space of unlimited dictionary entries",
    arXiv 2024. https://arxiv.org/abs/2405.16153

Example:
    >>> import os, tempfile, warnings
    >>> from pathlib import Path
    >>> from unittest import mock
    >>> from rl_shared.formats import get_format
    >>> from rl_text.defsent.entries import load_wordnet_pairs
    >>> folder = get_format("defsent-wordnet").write_sample(Path(tempfile.mkdtemp()))
    >>> with mock.patch.dict(os.environ, {"RL_CACHE_DIR": tempfile.mkdtemp()}), \\
    ...         warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # nltk: no multilingual data in this WordNet
    ...     pairs = load_wordnet_pairs(folder)
    >>> len(pairs), pairs[0]
    (7, ('a domesticated canine', 'dog'))
"""

from __future__ import annotations

from pathlib import Path

from rl_shared.formats import FileFormat, Lines, register_format

__all__ = ["DEFSENT_WORDNET"]

_DATA_NOUN = (
    "00000000 05 n 02 dog 0 domestic_dog 0 000 | a domesticated canine  \n"
    "00000001 05 n 02 cat 0 house_cat 0 000 | a small domesticated feline  \n"
    "00000002 05 n 01 guitar 0 000 | a stringed instrument played by plucking  \n"
    "00000003 05 n 01 dog 0 000 | an unpleasant person  \n"
    "00000004 05 n 01 cat 0 000 | a spiteful gossip  \n"
)
_INDEX_NOUN = (
    "cat n 2 0 2 0 00000001 00000004  \n"
    "dog n 2 0 2 0 00000000 00000003  \n"
    "domestic_dog n 1 0 1 0 00000000  \n"
    "guitar n 1 0 1 0 00000002  \n"
    "house_cat n 1 0 1 0 00000001  \n"
)
_LEXNAMES = (
    "00\tadj.all\t3\n"
    "01\tadj.pert\t3\n"
    "02\tadv.all\t4\n"
    "03\tnoun.Tops\t1\n"
    "04\tnoun.act\t1\n"
    "05\tnoun.animal\t1\n"
)


def _write(folder: Path) -> Path:
    from rl_text.defsent.entries import WORDNET_FILES

    root = folder / "wordnet"
    root.mkdir()
    for name in WORDNET_FILES:
        (root / name).write_text("", encoding="utf-8")
    (root / "lexnames").write_text(_LEXNAMES, encoding="utf-8")
    (root / "index.noun").write_text(_INDEX_NOUN, encoding="utf-8")
    (root / "data.noun").write_text(_DATA_NOUN, encoding="utf-8")
    return root


#: ``--data`` of ``rl text defsent train``
DEFSENT_WORDNET = register_format(
    FileFormat(
        "defsent-wordnet",
        "a WordNet folder in nltk's layout (lexnames, index.noun, data.noun, ...; UTF-8)",
        _write,
        (Lines("data.noun"), Lines("index.noun"), Lines("lexnames")),
    )
)
