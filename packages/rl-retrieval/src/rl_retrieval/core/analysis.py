"""Lucene's English analysis in Python: the token stream Pyserini's BM25 indexes see.

Pyserini's BEIR baselines index with Anserini's default English analyzer, the chain of
Lucene's ``EnglishAnalyzer``: ``StandardTokenizer`` (Unicode word boundaries, UAX #29),
``EnglishPossessiveFilter`` (a trailing ``'s`` removed), ``LowerCaseFilter``, ``StopFilter``
with Lucene's 33 English stop words, and ``PorterStemFilter``. :class:`LuceneEnglishAnalyzer`
rebuilds that chain: word boundaries by a regular expression that keeps the joins UAX #29
makes inside a word (across an apostrophe or full stop between two letters, ``wasn't``,
``U.S.A``; across a full stop, comma or semicolon between two digits, ``3.14``, ``1,000``;
``snake_case``) and splits everywhere else (hyphens, slashes, ``no.1``, ``ref.6``). Lucene's
``PorterStemmer`` is a port of Martin Porter's reference implementation, which departs from
the 1980 paper in step 2 (``bli`` -> ``ble``, and ``logi`` -> ``log``: *possibly* ->
``possibl``, *analogy* -> ``analog``) and leaves words of one or two letters alone; NLTK's
``PorterStemmer`` in ``MARTIN_EXTENSIONS`` mode is that implementation, memoised per word
here. (PyStemmer's ``porter`` follows the paper and differs on those words; it stays
selectable.)

What the expression does not reproduce of UAX #29: ideographic and Southeast-Asian scripts
(Lucene emits one token per Han character; here a run of them stays one token), emoji, and
the 255-character token limit. ``benchmarks/bench_lucene.py`` compares the two analyzers
token by token on a corpus: on Cranfield no document's terms differ from Lucene's.

References:
    Lucene ``org.apache.lucene.analysis.en.EnglishAnalyzer`` and ``PorterStemmer``; Unicode
    Standard Annex #29, "Unicode Text Segmentation"; Porter, "An algorithm for suffix
    stripping" (1980) and his reference implementation (tartarus.org/martin/PorterStemmer);
    Lin et al., "Pyserini", SIGIR 2021.

Example:
    >>> LuceneEnglishAnalyzer()("The pilot's wings weren't tested at 3.5 km/s in the U.S.A.")
    ['pilot', 'wing', "weren't", 'test', '3.5', 'km', 's', 'u.s.a']
    >>> LuceneEnglishAnalyzer()("possibly an analogy, see ref.6")
    ['possibl', 'analog', 'see', 'ref', '6']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import Stemmer

__all__ = ["LUCENE_ENGLISH_STOP_WORDS", "LuceneEnglishAnalyzer"]

#: Lucene's ``EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`` (the default of its StopFilter)
LUCENE_ENGLISH_STOP_WORDS: frozenset[str] = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their "
    "then there these they this to was will with".split()
)

# letters, digits and underscores, joined across an apostrophe or a full stop between two
# of them, and across a comma or semicolon between two digits (UAX #29's MidLetter,
# MidNumLet and MidNum rules)
_TOKEN = re.compile(r"\w+(?:(?:(?<=[^\W\d_])[.'\u2019](?=[^\W\d_])|(?<=\d)[.,;'\u2019](?=\d))\w+)*")
_POSSESSIVE = re.compile(r"['\u2019][sS]$")


class LuceneEnglishAnalyzer:
    """Text to the terms Lucene's ``EnglishAnalyzer`` indexes.

    Args:
        stopwords: the stop words removed after lower-casing (Lucene's English set by
            default; an empty set keeps every token).
        stemmer: ``"lucene-porter"`` (Porter's reference implementation, as Lucene's
            ``PorterStemFilter``), a PyStemmer algorithm (``"porter"``, ``"english"``), or
            ``None`` for no stemming.

    Example:
        >>> analyze = LuceneEnglishAnalyzer(stemmer=None)
        >>> analyze("Heat-transfer in a boundary layer")
        ['heat', 'transfer', 'boundary', 'layer']
        >>> analyze.many(["a b", "C's"])
        [['b'], ['c']]
    """

    def __init__(
        self,
        stopwords: Iterable[str] = LUCENE_ENGLISH_STOP_WORDS,
        stemmer: str | None = "lucene-porter",
    ) -> None:
        self.stopwords = frozenset(stopwords)
        self.stemmer_name = stemmer
        self._stem_word: Callable[[str], str] | None = None
        if stemmer == "lucene-porter":
            from nltk.stem.porter import PorterStemmer

            self._stem_word = PorterStemmer(PorterStemmer.MARTIN_EXTENSIONS).stem
        elif stemmer:
            self._stem_word = Stemmer.Stemmer(stemmer).stemWord
        self._stems: dict[str, str] = {}

    def _stem(self, word: str) -> str:
        # Porter's reference implementation, which Lucene's PorterStemmer follows, leaves
        # words of one or two letters as they are (Snowball's "porter" would strip "s")
        if self._stem_word is None or len(word) <= 2:
            return word
        stem = self._stems.get(word)
        if stem is None:
            stem = self._stems[word] = self._stem_word(word)
        return stem

    def __call__(self, text: str) -> list[str]:
        """The terms of one text, in order."""
        out = []
        for match in _TOKEN.finditer(text):
            token = _POSSESSIVE.sub("", match.group()).lower()
            if token and token not in self.stopwords:
                out.append(self._stem(token))
        return out

    def many(self, texts: Iterable[str]) -> list[list[str]]:
        """The terms of each text."""
        return [self(t) for t in texts]

    def get_config_dict(self) -> dict[str, object]:
        """What defines the analysis (stored beside an index, compared before reuse)."""
        return {"stopwords": sorted(self.stopwords), "stemmer": self.stemmer_name}
