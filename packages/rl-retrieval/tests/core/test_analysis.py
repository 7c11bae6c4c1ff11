"""``LuceneEnglishAnalyzer``: Lucene EnglishAnalyzer's chain, step by step."""

from __future__ import annotations

import pytest

from rl_retrieval.core.analysis import LUCENE_ENGLISH_STOP_WORDS, LuceneEnglishAnalyzer


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("wasn't U.S.A. 3.14 1,000 snake_case", ["wasn't", "u.s.a", "3.14", "1,000", "snake_case"]),
        ("heat-transfer/flux (laminar).", ["heat", "transfer", "flux", "laminar"]),
        ("one, two;three", ["one", "two", "three"]),  # joined only between digits
    ],
)
def test_word_boundaries_keep_uax29_joins_and_split_the_rest(text, terms):
    assert LuceneEnglishAnalyzer(stopwords=(), stemmer=None)(text) == terms


def test_possessive_removed_before_lower_case_and_stop_words():
    analyze = LuceneEnglishAnalyzer(stemmer=None)
    assert analyze("The Pilot's WING’S") == ["pilot", "wing"]
    assert analyze("IT is NOT the") == []  # stop words match after lower-casing


def test_lucene_has_its_33_english_stop_words():
    assert len(LUCENE_ENGLISH_STOP_WORDS) == 33
    assert {"a", "the", "with", "such", "will"} <= LUCENE_ENGLISH_STOP_WORDS
    assert "from" not in LUCENE_ENGLISH_STOP_WORDS  # unlike NLTK's or bm25s' lists


def test_porter_not_snowball_and_short_words_unstemmed():
    analyze = LuceneEnglishAnalyzer(stopwords=())
    # Porter (1980) vs Snowball English: "generously" -> "gener" / "generous"
    assert analyze("generously") == ["gener"]
    assert analyze("s as") == ["s", "as"]  # Porter's reference code leaves 1-2 letter words
    assert analyze("connections connected connecting") == ["connect"] * 3


def test_stems_follow_porters_reference_code_as_lucene_does():
    # step 2 of the reference implementation: bli -> ble, logi -> log (the paper: abli, none)
    analyze = LuceneEnglishAnalyzer(stopwords=())
    assert analyze("possibly analogy technology negligibly") == [
        "possibl", "analog", "technolog", "neglig",
    ]  # fmt: skip
    paper = LuceneEnglishAnalyzer(stopwords=(), stemmer="porter")  # PyStemmer, as published
    assert paper("possibly analogy") == ["possibli", "analogi"]


def test_a_full_stop_joins_letters_to_letters_and_digits_to_digits_only():
    analyze = LuceneEnglishAnalyzer(stopwords=(), stemmer=None)
    assert analyze("no.1 ref.6 r.a.e.104 u1's 2.5") == [
        "no",
        "1",
        "ref",
        "6",
        "r.a.e",
        "104",
        "u1",
        "s",
        "2.5",
    ]
