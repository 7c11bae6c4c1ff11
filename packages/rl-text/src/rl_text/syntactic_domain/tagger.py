"""A deterministic rule + lexicon part-of-speech tagger (no download, no trained model).

Why this tagger: NLTK's perceptron model is not in the ``nltk`` wheel and ``nltk.download``
is off limits; spaCy/Stanza models are separate downloads. What *is* here is WordNet 3.0
(``RL_DATA_DIR/wordnet``), which lists the open-class tags (noun, verb, adjective, adverb)
of ~147k lemmas with sense counts. English closed classes (determiners, pronouns,
prepositions, conjunctions, auxiliaries, particles, numerals) are short finite lists and
are written out below. Ambiguous open-class words are resolved by a few left-context
rules (after a determiner/adjective/preposition/possessive → noun; after ``to``, a pronoun subject,
an auxiliary or ``please`` → verb; sentence-initial before a word → verb, the imperative
of instructions; ``-ly`` → adverb), then by the larger WordNet sense count. Unknown words
fall back on suffixes. Tags follow the universal tagset (plus ``AUX``, ``INTJ``, ``PUNCT``).

It is a template extractor for instructions, not a state-of-the-art tagger: what matters
for :mod:`rl_text.syntactic_domain` is that the same syntactic frame gets the same tag sequence.

References:
    Shaib et al., "Learning the Wrong Lessons: Syntactic-Domain Spurious Correlations in Language
    Models".
    Miller, "WordNet: A Lexical Database for English", CACM 1995 (the lexicon the tagger reads).

Example:
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "index.noun").write_text("recipe n 1 1 @ 1 0 0\\nlist n 2 1 @ 2 0 0\\n")
    >>> _ = (folder / "index.verb").write_text("list v 5 1 @ 5 0 0\\n")
    >>> _ = (folder / "index.adj").write_text("quick a 7 1 & 7 0 0\\n")
    >>> tagger = LexiconTagger(WordNetLexicon(folder))
    >>> tagger.tag("List the quick recipes, please.")
    [('List', 'VERB'), ('the', 'DET'), ('quick', 'ADJ'), ('recipes', 'NOUN'), (',', 'PUNCT'), ('please', 'INTJ'), ('.', 'PUNCT')]
"""

from __future__ import annotations

import re

from rl_text.syntactic_domain.lexicon import WordNetLexicon

__all__ = ["CLOSED_CLASS", "TAGS", "LexiconTagger", "tokenize"]

TAGS = ("NOUN", "VERB", "ADJ", "ADV", "PRON", "DET", "ADP", "CONJ", "PRT", "AUX", "NUM",
        "INTJ", "PUNCT")  # fmt: skip

CLOSED_CLASS: dict[str, str] = {}
for _tag, _words in {
    "DET": "a an the this that these those every each some any no another all both either "
    "neither such what which whose",
    "PRON": "i me my mine you your yours he him his she her hers it its we us our ours they "
    "them their theirs myself yourself himself herself itself ourselves themselves someone "
    "something anyone anything everyone everything nobody nothing who whom",
    "ADP": "in on at by for with about against between into through during before after "
    "above below from up down of off over under than like near without within along across "
    "behind beyond per via",
    "CONJ": "and or but nor yet because although though while if unless whether",
    "PRT": "to not n't",
    "AUX": "is am are was were be been being do does did have has had can could will would "
    "shall should may might must 's 're 'm 've 'd 'll",
    "NUM": "zero one two three four five six seven eight nine ten hundred thousand million",
    "INTJ": "please hello hi thanks yes oh",
    "ADV": "how when where why very too also just only then there here so",
}.items():
    for _w in _words.split():
        CLOSED_CLASS[_w] = _tag

_TOKEN = re.compile(r"n't|\d+(?:[.,]\d+)*|\w+(?:-\w+)*|'\w+|[^\w\s]")
_VERB_CONTEXT = {"PRON", "AUX", "PRT", "INTJ"}
_NOUN_CONTEXT = {"DET", "ADJ", "ADP", "NUM"}
_POSSESSIVE = {"my", "your", "his", "her", "its", "our", "their"}


def tokenize(text: str) -> list[str]:
    """Words, numbers, clitics (``n't``, ``'s``) and single punctuation marks.

    Args:
        text: raw text (case is kept).

    Example:
        >>> tokenize("Don't list 3.5 items, OK?")
        ['Do', "n't", 'list', '3.5', 'items', ',', 'OK', '?']
    """
    text = re.sub(r"(\w)n't\b", r"\1 n't", text)
    return _TOKEN.findall(text)


class LexiconTagger:
    """Closed-class lists + WordNet open-class lexicon + left-context rules.

    Args:
        lexicon: a :class:`WordNetLexicon`; default the registered WordNet folder.
    """

    def __init__(self, lexicon: WordNetLexicon | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else WordNetLexicon()
        self._cache: dict[str, dict[str, int]] = {}

    def _senses(self, word: str) -> dict[str, int]:
        if word not in self._cache:
            self._cache[word] = self.lexicon.senses(word)
        return self._cache[word]

    def _open(
        self, word: str, prev: str | None, next_word: str | None, prev_word: str | None = None
    ) -> str:
        lower = word.lower()
        senses = self._senses(lower)
        if not senses:
            if lower.endswith("ly"):
                return "ADV"
            if lower.endswith(("ing", "ed", "ize", "ise")):
                return "VERB"
            if lower.endswith(("ous", "ful", "ive", "able", "ible", "al", "ic", "less")):
                return "ADJ"
            return "NOUN"
        if len(senses) == 1:
            return next(iter(senses))
        if "ADV" in senses and lower.endswith("ly"):
            return "ADV"
        next_senses = self._senses(next_word.lower()) if next_word else {}
        next_closed = next_word is not None and next_word.lower() in CLOSED_CLASS
        if prev in _NOUN_CONTEXT or (prev_word or "").lower() in _POSSESSIVE:
            if "ADJ" in senses and "NOUN" in next_senses and not next_closed:
                return "ADJ"
            if "NOUN" in senses:
                return "NOUN"
        if "VERB" in senses and (prev in _VERB_CONTEXT or (prev is None and next_word)):
            if not (prev is None and next_word and not next_word[0].isalnum()):
                return "VERB"
        return max(senses, key=lambda t: (senses[t], t == "NOUN"))

    def tag(self, text: str | list[str]) -> list[tuple[str, str]]:
        """``(token, tag)`` for each token of ``text`` (a string or a token list)."""
        tokens = tokenize(text) if isinstance(text, str) else list(text)
        out: list[tuple[str, str]] = []
        prev: str | None = None
        for i, token in enumerate(tokens):
            lower = token.lower()
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if not any(ch.isalnum() for ch in token):
                tag = "PUNCT"
            elif token[0].isdigit():
                tag = "NUM"
            elif lower == "to":
                tag = "PRT" if nxt and "VERB" in self._senses(nxt.lower()) else "ADP"
            elif lower in ("that", "this", "these", "those") and (
                nxt is None or not nxt[0].isalnum() or nxt.lower() in CLOSED_CLASS
            ):
                tag = "PRON"
            elif lower in CLOSED_CLASS:
                tag = CLOSED_CLASS[lower]
            else:
                tag = self._open(token, prev, nxt, tokens[i - 1] if i else None)
            out.append((token, tag))
            prev = None if tag == "PUNCT" and token in ".!?:;" else tag
        return out

    def tags(self, text: str | list[str]) -> list[str]:
        """The tag sequence of ``text``."""
        return [t for _, t in self.tag(text)]
