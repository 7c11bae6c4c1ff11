"""Training text for word-sense models, and the pseudo-word disambiguation test.

A pseudo-word merges two unrelated words of similar frequency into one token
(``"guitar"``, ``"river"`` → ``"guitar_river"``) everywhere in the text; a sense model that
works should give the occurrences that were ``guitar`` a different induced sense from those
that were ``river``. Scores: accuracy after mapping each induced sense to the original word
it most often stands for, and V-measure (Rosenberg & Hirschberg, 2007) between original
words and induced senses.

References:
    Gale, Church, Yarowsky, "Work on statistical methods for word sense disambiguation",
    AAAI Fall Symposium 1992; Schütze, "Dimensions of meaning", 1992 (pseudo-words).

Example:
    >>> merged = merge_pseudowords([["a", "cat", "and", "a", "dog"]], [("cat", "dog")])
    >>> merged
    [['a', 'cat_dog', 'and', 'a', 'cat_dog']]
    >>> pseudoword_scores(["cat", "cat", "dog", "dog"], [0, 0, 1, 1])
    {'accuracy': 1.0, 'v_measure': 1.0}
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from rl_shared.io import iter_lines, read_text
from rl_text.binary_pv.data import tokenize

__all__ = [
    "choose_pseudoword_pairs",
    "corpus_sentences",
    "merge_pseudowords",
    "pseudoword_scores",
    "wordnet_glosses",
    "wordnet_reader",
]


def wordnet_glosses(folder: Path, limit: int | None = None) -> list[str]:
    r"""Glosses (definitions with their examples) read from WordNet's ``data.*`` files.

    Args:
        folder: a WordNet folder holding ``data.noun``, ``data.verb``, ``data.adj`` and
            ``data.adv`` (licence lines, which start with two spaces, are skipped).
        limit: keep a random sample (seed 0) of at most this many glosses; ``None`` keeps
            all, in file order.

    Raises:
        MalformedFile: a file is not UTF-8 (naming its line) or is a folder.
        BadInput: a ``data.*`` file is missing.

    Example:
        >>> import pathlib, tempfile
        >>> wn = pathlib.Path(tempfile.mkdtemp())
        >>> for pos in ("noun", "verb", "adj", "adv"):
        ...     _ = (wn / f"data.{pos}").write_text("  1 licence text\n")
        >>> _ = (wn / "data.noun").write_text(
        ...     "  1 licence text\n"
        ...     '00000000 05 n 01 cat 0 000 | a small feline; "the cat purred"\n')
        >>> wordnet_glosses(wn)
        ['a small feline; "the cat purred"']
    """
    out: list[str] = []
    for pos in ("noun", "verb", "adj", "adv"):
        path = folder / f"data.{pos}"
        for line in iter_lines(path, allow_empty=True):  # strict UTF-8: a bad byte names its line
            if line.startswith("  ") or " | " not in line:
                continue
            out.append(line.split(" | ", 1)[1].strip())
    if limit is not None:
        out = random.Random(0).sample(out, min(limit, len(out)))
    return out


def wordnet_reader():
    r"""nltk's ``WordNetCorpusReader`` on ``$RL_DATA_DIR/wordnet/...`` (no download).

    nltk only opens files under a folder of ``nltk.data.path``, so the data set's
    ``nltk_data`` folder is added to it.

    Raises:
        DatasetNotFound: the ``wordnet`` data set is missing.

    Example:
        A one-synset WordNet in a temporary data folder (the real one lives under
        ``$RL_DATA_DIR/wordnet/nltk_data/corpora/wordnet``):

        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> wn = root / "wordnet/nltk_data/corpora/wordnet"
        >>> wn.mkdir(parents=True)
        >>> for pos in ("noun", "verb", "adj", "adv"):
        ...     for name in (f"index.{pos}", f"data.{pos}", f"{pos}.exc"):
        ...         _ = (wn / name).write_text("")
        >>> _ = (wn / "index.sense").write_text("")
        >>> _ = (wn / "lexnames").write_text("00 noun.Tops 1\n")
        >>> _ = (wn / "index.noun").write_text("cat n 1 0 1 0 00000000\n")
        >>> _ = (wn / "data.noun").write_text("00000000 00 n 01 cat 0 000 | a small feline\n")
        >>> env = {"RL_DATA_DIR": str(root), "RL_CACHE_DIR": str(root / "cache")}
        >>> with mock.patch.dict(os.environ, env):
        ...     reader = wordnet_reader()
        >>> [s.definition() for s in reader.synsets("cat")]
        ['a small feline']
        >>> import nltk
        >>> nltk.data.path.remove(str(wn.parent.parent))  # forget the toy folder again
    """
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    from rl_text.datasets import WORDNET

    folder = WORDNET.locate()
    root = str(folder.parent.parent)
    if root not in nltk.data.path:
        nltk.data.path.append(root)
    return WordNetCorpusReader(str(folder), None)


def _absa_sentences(folder: Path) -> list[str]:
    out = []
    for path in sorted(folder.glob("*.seg")):
        lines = read_text(path, allow_empty=True).splitlines()
        for i in range(0, len(lines) - 2, 3):
            out.append(lines[i].replace("$T$", lines[i + 1]))
    return sorted(set(out))


def corpus_sentences(max_glosses: int | None = None) -> list[list[str]]:
    r"""Tokenised English sentences: STS-B (all splits), SICK, SemEval-14 ABSA, WordNet glosses.

    Duplicates are removed; a source whose folder is missing is skipped (STS-B is required).
    Sentences of fewer than two tokens are dropped.

    Args:
        max_glosses: keep a random sample of at most this many WordNet glosses (``None``:
            all of them).

    Raises:
        DatasetNotFound: STS-B is missing.

    Example:
        A toy STS-B and WordNet in a temporary data folder:

        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> (root / "sts/stsb").mkdir(parents=True)
        >>> for name in ("train", "dev", "test"):
        ...     _ = (root / f"sts/stsb/stsb-en-{name}.csv").write_text(
        ...         "A cat sits.,A cat is sitting.,4.5\nA cat sits.,Hello,0.0\n")
        >>> wn = root / "wordnet/nltk_data/corpora/wordnet"
        >>> wn.mkdir(parents=True)
        >>> for pos in ("noun", "verb", "adj", "adv"):
        ...     _ = (wn / f"data.{pos}").write_text("")
        >>> _ = (wn / "data.noun").write_text("00000000 05 n 01 cat 0 000 | a small feline\n")
        >>> env = {"RL_DATA_DIR": str(root), "RL_CACHE_DIR": str(root / "cache")}
        >>> with mock.patch.dict(os.environ, env):
        ...     corpus_sentences()
        [['a', 'cat', 'sits'], ['a', 'cat', 'is', 'sitting'], ['a', 'small', 'feline']]
    """
    from rl_shared.data import data_dir
    from rl_shared.sts import STSB, load_sick, load_stsb

    STSB.locate()
    texts: list[str] = []
    for split in ("train", "dev", "test"):
        p = load_stsb(split)
        texts += p.sentences1 + p.sentences2
    try:
        for split in ("train", "dev", "test"):
            p = load_sick(split)
            texts += p.sentences1 + p.sentences2
    except Exception:  # SICK is optional here
        pass
    absa = data_dir() / "absa" / "semeval14"
    if absa.is_dir():
        texts += _absa_sentences(absa)
    wn = data_dir() / "wordnet" / "nltk_data" / "corpora" / "wordnet"
    if (wn / "data.noun").is_file():
        texts += wordnet_glosses(wn, max_glosses)
    seen: set[str] = set()
    out = []
    for t in texts:
        if t not in seen:
            seen.add(t)
            toks = tokenize(t)
            if len(toks) > 1:
                out.append(toks)
    return out


def choose_pseudoword_pairs(
    sentences: Sequence[Sequence[str]],
    n_pairs: int,
    *,
    min_count: int = 50,
    max_count: int = 500,
    seed: int = 0,
) -> list[tuple[str, str]]:
    """Random pairs of alphabetic non-stop-words of similar frequency (sorted by count).

    ``2 · n_pairs`` candidates are drawn at random from the words whose count lies in
    ``[min_count, max_count]``; sorted by frequency, neighbours form the pairs.

    Args:
        sentences: tokenised sentences.
        n_pairs: how many pairs.
        min_count, max_count: the frequency band of the candidate words.
        seed: seed of the draw.

    Example:
        >>> text = [["guitar"] * 60 + ["river"] * 60 + ["piano"] * 55 + ["forest"] * 55]
        >>> len(choose_pseudoword_pairs(text, 2, min_count=50))
        2
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    freq = Counter(w for s in sentences for w in s)
    cands = sorted(
        w
        for w, c in freq.items()
        if min_count <= c <= max_count
        and w.isalpha()
        and len(w) >= 4
        and w not in ENGLISH_STOP_WORDS
    )
    chosen = random.Random(seed).sample(cands, min(2 * n_pairs, len(cands) - len(cands) % 2))
    chosen.sort(key=lambda w: (freq[w], w))
    return [(chosen[i], chosen[i + 1]) for i in range(0, len(chosen) - 1, 2)]


def merge_pseudowords(
    sentences: Sequence[Sequence[str]], pairs: Sequence[tuple[str, str]]
) -> list[list[str]]:
    """Replace both words of each pair by the token ``"a_b"``.

    Args:
        sentences: tokenised sentences.
        pairs: the ``(a, b)`` word pairs to merge.

    Example:
        >>> merge_pseudowords([["a", "cat", "and", "a", "dog"]], [("cat", "dog")])
        [['a', 'cat_dog', 'and', 'a', 'cat_dog']]
    """
    table = {}
    for a, b in pairs:
        table[a] = table[b] = f"{a}_{b}"
    return [[table.get(w, w) for w in s] for s in sentences]


def pseudoword_scores(true_words: Sequence[str], induced: Sequence[int]) -> dict[str, float]:
    """Accuracy (each induced sense → its majority word) and V-measure of one pseudo-word.

    Args:
        true_words: the original word of each occurrence.
        induced: the induced sense of each occurrence.

    Example:
        >>> pseudoword_scores(["cat", "cat", "dog", "dog"], [0, 0, 1, 1])
        {'accuracy': 1.0, 'v_measure': 1.0}
    """
    from sklearn.metrics import v_measure_score

    true_words, induced = list(true_words), list(induced)
    majority = {}
    for s in set(induced):
        majority[s] = Counter(w for w, i in zip(true_words, induced) if i == s).most_common(1)[0][0]
    acc = float(np.mean([majority[i] == w for w, i in zip(true_words, induced)]))
    return {
        "accuracy": round(acc, 4),
        "v_measure": round(float(v_measure_score(true_words, induced)), 4),
    }
