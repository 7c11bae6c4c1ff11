"""The STS datasets this package reads, registered under the entry-point group ``rl.datasets``.

``stsb`` is the STS Benchmark with its machine translations (``sts/stsb``:
``stsb-{lang}-{train,dev,test}.csv``); ``sick`` is SICK-R (``sts/sick``). Loaders for them
are :func:`rl_text.sts.load_stsb` and :func:`rl_text.sts.load_sick`.

Example:
    >>> sorted(d.name for d in DATASETS)
    ['semeval14', 'sick', 'stsb', 'stsb-genre', 'wordnet']
"""

from __future__ import annotations

from rl_shared.data import Dataset

__all__ = ["DATASETS", "SEMEVAL14", "SICK", "STSB", "STSB_GENRE", "WORDNET"]

STSB = Dataset(
    "stsb",
    "sts/stsb",
    ("stsb-en-train.csv", "stsb-en-dev.csv", "stsb-en-test.csv"),
    "STS Benchmark (5,749 / 1,500 / 1,379 pairs, scores 0-5) and its 10 machine translations",
    hint="put stsb-en-train.csv, stsb-en-dev.csv and stsb-en-test.csv (STSb-multi-mt CSVs, "
    "no header) there",
    used_by=("text.2dmse",),
)

SICK = Dataset(
    "sick",
    "sts/sick",
    ("SICK_train.txt", "SICK_trial.txt", "SICK_test_annotated.txt"),
    "SICK-R relatedness (4,500 / 500 / 4,927 pairs, scores 1-5), SemEval-2014 Task 1",
    hint="put SICK_train.txt, SICK_trial.txt and SICK_test_annotated.txt (tab-separated, "
    "with header) there",
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
)

STSB_GENRE = Dataset(
    "stsb-genre",
    "sts/stsb-genre",
    ("stsb-genre.csv",),
    "genre (news / captions / forum) of 6,881 STS-B rows, for all 11 STS-B languages",
    hint="put stsb-genre.csv (header split,row,source,genre) there",
    used_by=("text.gfun", "text.binary-pv"),
)

WORDNET = Dataset(
    "wordnet",
    "wordnet/nltk_data/corpora/wordnet",
    ("index.noun", "data.noun", "lexnames"),
    "WordNet 3.0 in nltk's layout (glosses as training text, ambiguous words)",
    hint="put the nltk 'wordnet' corpus files (index.*, data.*, lexnames) there",
    used_by=("text.disambiguated-skipgram",),
)

DATASETS: list[Dataset] = [STSB, SICK, SEMEVAL14, STSB_GENRE, WORDNET]
