"""The datasets only this package reads, registered under the entry-point group ``rl.datasets``.

``semeval14`` (SemEval-2014 Task 4 aspect terms, read by :mod:`rl_text.cvib`) and ``wordnet``
(WordNet 3.0 in nltk's layout, read by :mod:`rl_text.defsent`,
:mod:`rl_text.disambiguated_skipgram` and :mod:`rl_text.syntactic_domain`). The STS sets
``stsb``, ``sick`` and ``stsb-genre`` are registered by :mod:`rl_shared.sts`.

Example:
    >>> sorted(d.name for d in DATASETS)
    ['semeval14', 'wordnet']
"""

from __future__ import annotations

from rl_shared.data import Dataset

__all__ = ["DATASETS", "SEMEVAL14", "WORDNET"]

SEMEVAL14 = Dataset(
    "semeval14",
    "absa/semeval14",
    (
        "Laptops_Train.xml.seg",
        "Laptops_Test_Gold.xml.seg",
        "Restaurants_Train.xml.seg",
        "Restaurants_Test_Gold.xml.seg",
    ),
    "SemEval-2014 Task 4 aspect-term polarity, laptop (2,328 / 638) and restaurant "
    "(3,608 / 1,120), three-line .seg format ($T$ marks the aspect; polarity -1/0/1)",
    hint="put Laptops_Train.xml.seg, Laptops_Test_Gold.xml.seg, Restaurants_Train.xml.seg and "
    "Restaurants_Test_Gold.xml.seg (ABSA-PyTorch datasets/semeval14) there",
    used_by=("text.cvib", "text.lowrank-attention"),
)

WORDNET = Dataset(
    "wordnet",
    "wordnet/nltk_data/corpora/wordnet",
    ("index.noun", "data.noun", "lexnames"),
    "WordNet 3.0 in nltk's layout (glosses as training text, ambiguous words)",
    hint="put the nltk 'wordnet' corpus files (index.*, data.*, lexnames) there",
    used_by=("text.defsent", "text.disambiguated-skipgram", "text.syntactic-domain"),
)

DATASETS: list[Dataset] = [SEMEVAL14, WORDNET]
