"""Open-class part-of-speech lexicon read straight from WordNet's ``index.*`` and ``*.exc`` files.

WordNet lists every noun, verb, adjective and adverb lemma with its number of senses. With
WordNet's own inflection rules (``morphy``: suffix substitutions plus the exception lists)
that gives, for an inflected English word, the open-class tags it can take and how many
senses back each — the lexical half of :class:`~rl_text.syntactic_domain.tagger.LexiconTagger`.
The files are parsed directly (no ``nltk``, no download); the folder is the registered
``wordnet`` dataset (``wordnet/nltk_data/corpora/wordnet``).

References:
    Miller, "WordNet: A Lexical Database for English", CACM 1995; WordNet 3.0 ``morphy(7WN)``.

Example:
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "index.noun").write_text("  1 licence line\\ndog n 7 5 @ ~ 7 1 0\\n")
    >>> _ = (folder / "index.verb").write_text("dog v 1 1 @ 1 0 0\\nrun v 41 1 @ 41 0 0\\n")
    >>> _ = (folder / "verb.exc").write_text("ran run\\n")
    >>> lex = WordNetLexicon(folder)
    >>> lex.senses("dogs"), lex.senses("ran"), lex.senses("cat")
    ({'NOUN': 7, 'VERB': 1}, {'VERB': 41}, {})
"""

from __future__ import annotations

from pathlib import Path

from rl_shared.errors import MalformedFile

__all__ = ["WORDNET_POS", "WordNetLexicon", "default_wordnet_folder"]

#: WordNet file suffix -> universal tag
WORDNET_POS = {"noun": "NOUN", "verb": "VERB", "adj": "ADJ", "adv": "ADV"}

_RULES = {
    "NOUN": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
             ("shes", "sh"), ("men", "man"), ("ies", "y")],
    "VERB": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
             ("ing", "e"), ("ing", "")],
    "ADJ": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "ADV": [],
}  # fmt: skip


def default_wordnet_folder() -> Path:
    """The registered ``wordnet`` dataset's folder (raises DatasetNotFound if absent).

    Only the ``index.*`` files are required here (the lexicon reads no ``data.*`` file).

    Example:
        A temporary data folder with empty index files (the real ones live under
        ``$RL_DATA_DIR/wordnet/nltk_data/corpora/wordnet``):

        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> wn = root / "wordnet/nltk_data/corpora/wordnet"
        >>> wn.mkdir(parents=True)
        >>> for pos in WORDNET_POS:
        ...     _ = (wn / f"index.{pos}").write_text("")
        >>> env = {"RL_DATA_DIR": str(root), "RL_CACHE_DIR": str(root / "cache")}
        >>> with mock.patch.dict(os.environ, env):
        ...     default_wordnet_folder() == wn
        True
    """
    from rl_shared.data import Dataset

    return Dataset(
        "wordnet",
        "wordnet/nltk_data/corpora/wordnet",
        ("index.noun", "index.verb", "index.adj", "index.adv"),
        "WordNet 3.0 in nltk's layout",
        hint="put the WordNet 3.0 database files (index.*, *.exc) there",
    ).locate()


class WordNetLexicon:
    """Lemma -> {tag: number of senses}, with WordNet's inflection rules.

    Args:
        folder: a folder with ``index.{noun,verb,adj,adv}`` (and optionally ``*.exc``);
            default :func:`default_wordnet_folder`. Missing files are skipped.
    """

    def __init__(self, folder: str | Path | None = None) -> None:
        folder = Path(folder) if folder is not None else default_wordnet_folder()
        self.lemmas: dict[str, dict[str, int]] = {}
        self.exceptions: dict[str, dict[str, list[str]]] = {t: {} for t in WORDNET_POS.values()}
        for suffix, tag in WORDNET_POS.items():
            index = folder / f"index.{suffix}"
            if index.is_file():
                self._read_index(index, tag)
            exc = folder / f"{suffix}.exc"
            if exc.is_file():
                for line in exc.read_text(encoding="utf-8").splitlines():
                    parts = line.split()
                    if len(parts) >= 2:
                        self.exceptions[tag].setdefault(parts[0], []).extend(parts[1:])
        if not self.lemmas:
            raise MalformedFile(folder, None, "no WordNet index.{noun,verb,adj,adv} entries found")

    def _read_index(self, path: Path, tag: str) -> None:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line or line.startswith(" "):
                continue  # licence header
            parts = line.split()
            if len(parts) < 3:
                raise MalformedFile(path, number, "index line has fewer than 3 fields")
            try:
                count = int(parts[2])
            except ValueError:
                raise MalformedFile(
                    path, number, f"synset count '{parts[2]}' is not an int"
                ) from None
            self.lemmas.setdefault(parts[0], {})[tag] = count

    def base_forms(self, word: str, tag: str) -> list[str]:
        """Lemmas of ``word`` under ``tag`` that WordNet knows (``morphy``)."""
        word = word.lower()
        found = [b for b in self.exceptions[tag].get(word, []) if tag in self.lemmas.get(b, {})]
        if tag in self.lemmas.get(word, {}):
            found.append(word)
        for old, new in _RULES[tag]:
            if word.endswith(old) and len(word) > len(old):
                base = word[: len(word) - len(old)] + new
                if tag in self.lemmas.get(base, {}):
                    found.append(base)
        return list(dict.fromkeys(found))

    def senses(self, word: str) -> dict[str, int]:
        """Open-class tags ``word`` can take, each with the sense count of its best lemma."""
        out = {}
        for tag in WORDNET_POS.values():
            bases = self.base_forms(word, tag)
            if bases:
                out[tag] = max(self.lemmas[b][tag] for b in bases)
        return out
