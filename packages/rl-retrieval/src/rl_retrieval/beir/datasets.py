"""The 18 BEIR data sets, registered for ``rl data download`` and ``rl data list``.

Fourteen are public zips on BEIR's host, each pinned by the md5 the BEIR README publishes
(the only digest BEIR gives; SciFact's size and sha256 are pinned as well). Each zip holds
``<name>/corpus.jsonl``, ``<name>/queries.jsonl`` and ``<name>/qrels/<split>.tsv``, which are
placed as ``$RL_DATA_DIR/retrieval/beir/<name>/{corpus.jsonl,queries.jsonl,qrels/*.tsv}``,
the layout :func:`~rl_retrieval.core.beir_format.load_beir` reads. CQADupStack holds one such
folder per sub-forum (:data:`CQADUPSTACK_FORUMS`). The other four (BioASQ, Signal-1M,
TREC-NEWS, Robust04) need a licence or a corpus BEIR may not redistribute: they are
``manual=`` sources that say why and where to get them. The datasets are named
``beir-<BEIR name>`` (``beir-scifact``); MS MARCO, BEIR's training set, is not among them.

Licences are the original sources' (BEIR states none for the data and leaves the check to
the user); ``"not stated"`` means this project does not know one to cite.

References:
    Thakur, Reimers, Rücklé, Srivastava, Gurevych, "BEIR: A Heterogeneous Benchmark for
    Zero-shot Evaluation of Information Retrieval Models", NeurIPS Datasets and Benchmarks
    2021, arXiv:2104.08663; the md5s: the BEIR README (github.com/beir-cellar/beir).

Example:
    >>> len(BEIR_DATASETS), sum(1 for d in BEIR_DATASETS if d.source.manual)
    (18, 4)
    >>> scifact = next(d for d in BEIR_DATASETS if d.name == "beir-scifact")
    >>> scifact.path, scifact.source.archives[0].url.rsplit("/", 1)[-1]
    ('retrieval/beir/scifact', 'scifact.zip')
    >>> scifact.source.archives[0].members[-1]
    ('scifact/qrels/test.tsv', 'qrels/test.tsv')
"""

from __future__ import annotations

from rl_shared.data import Archive, Dataset, Source

__all__ = ["BASE_URL", "BEIR_CITATION", "BEIR_DATASETS", "BEIR_PAGE", "CQADUPSTACK_FORUMS"]

#: where BEIR's zips are served (``<name>.zip``)
BASE_URL = "https://public.ukp.informatik.tu-darmstadt.de/thakur/BEIR/datasets"
#: BEIR's page listing the data sets, their md5s and how to rebuild the non-public ones
BEIR_PAGE = "https://github.com/beir-cellar/beir/wiki/Datasets-available"
BEIR_CITATION = (
    "Thakur et al. 2021, BEIR: A Heterogeneous Benchmark for Zero-shot Evaluation of "
    "Information Retrieval Models (NeurIPS Datasets and Benchmarks, arXiv:2104.08663)"
)
#: CQADupStack's 12 StackExchange sub-forums, one BEIR folder each inside ``cqadupstack/``
CQADUPSTACK_FORUMS: tuple[str, ...] = (
    "android",
    "english",
    "gaming",
    "gis",
    "mathematica",
    "physics",
    "programmers",
    "stats",
    "tex",
    "unix",
    "webmasters",
    "wordpress",
)
_BEIR_FILES = ("corpus.jsonl", "queries.jsonl", "qrels/test.tsv")
_HOW = "the BEIR README's examples/dataset page says how BEIR built its copy"


def _zip(
    name: str,
    md5: str,
    splits: tuple[str, ...],
    *,
    description: str,
    licence: str,
    citation: str,
    sha256: str | None = None,
    size: int | None = None,
) -> Dataset:
    """A public BEIR set: ``<name>.zip`` pinned by md5, its corpus, queries and qrels placed."""
    files = ["corpus.jsonl", "queries.jsonl", *(f"qrels/{split}.tsv" for split in splits)]
    archive = Archive(
        f"{BASE_URL}/{name}.zip",
        sha256,
        size,
        "zip",
        tuple((f"{name}/{file}", file) for file in files),
        md5=md5,
    )
    return Dataset(
        f"beir-{name}",
        f"retrieval/beir/{name}",
        _BEIR_FILES,
        description,
        on_demand=True,
        source=Source(
            archives=(archive,),
            page=BEIR_PAGE,
            licence=licence,
            citation=f"{BEIR_CITATION}; {citation}",
        ),
    )


def _manual(
    name: str, *, description: str, why: str, page: str, licence: str, citation: str
) -> Dataset:
    """A BEIR set no program may fetch: ``why`` says what a person must do, at ``page``."""
    return Dataset(
        f"beir-{name}",
        f"retrieval/beir/{name}",
        _BEIR_FILES,
        description,
        hint=f"build its corpus.jsonl, queries.jsonl and qrels/test.tsv there; {_HOW}",
        source=Source(
            page=page,
            licence=licence,
            citation=f"{BEIR_CITATION}; {citation}",
            manual=why,
        ),
    )


_CQADUPSTACK_FILES = tuple(
    f"{forum}/{file}"
    for forum in CQADUPSTACK_FORUMS
    for file in ("corpus.jsonl", "queries.jsonl", "qrels/test.tsv")
)

_CQADUPSTACK = Dataset(
    "beir-cqadupstack",
    "retrieval/beir/cqadupstack",
    _CQADUPSTACK_FILES,
    "CQADupStack: 12 StackExchange forums, 457K questions, 13,145 duplicate-question queries "
    "(scored per forum, then averaged)",
    on_demand=True,
    source=Source(
        archives=(
            Archive(
                f"{BASE_URL}/cqadupstack.zip",
                None,
                None,
                "zip",
                tuple((f"cqadupstack/{file}", file) for file in _CQADUPSTACK_FILES),
                md5="4e41456d7df8ee7760a7f866133bda78",
            ),
        ),
        page=BEIR_PAGE,
        licence="Apache-2.0 (the CQADupStack release)",
        citation=(
            f"{BEIR_CITATION}; Hoogeveen et al. 2015, CQADupStack: A Benchmark Data Set for "
            "Community Question-Answering Research (ADCS)"
        ),
    ),
)

#: the 18 BEIR data sets, as :class:`~rl_shared.data.Dataset` objects
BEIR_DATASETS: list[Dataset] = [
    _zip(
        "trec-covid",
        "ce62140cb23feb9becf6270d0d1fe6d1",
        ("test",),
        description="TREC-COVID: 171K CORD-19 papers, 50 bio-medical queries, graded qrels",
        licence="not stated",
        citation=(
            "Voorhees et al. 2021, TREC-COVID: Constructing a Pandemic Information Retrieval "
            "Test Collection (SIGIR Forum 54)"
        ),
    ),
    _zip(
        "nfcorpus",
        "a89dba18a62ef92f7d323ec890a0d38d",
        ("train", "dev", "test"),
        description="NFCorpus: 3.6K PubMed articles, 323 nutrition and medical test queries",
        licence="not stated",
        citation=(
            "Boteva et al. 2016, A Full-Text Learning to Rank Dataset for Medical Information "
            "Retrieval (ECIR)"
        ),
    ),
    _zip(
        "nq",
        "d4d3d2e48787a744b6f6e691ff534307",
        ("test",),  # nq.zip holds the test qrels only; BEIR ships NQ's training set apart
        description="Natural Questions: 2.68M Wikipedia passages, 3,452 Google-search questions",
        licence="CC BY-SA 3.0",
        citation=(
            "Kwiatkowski et al. 2019, Natural Questions: a Benchmark for Question Answering "
            "Research (TACL 7)"
        ),
    ),
    _zip(
        "hotpotqa",
        "f412724f78b0d91183a0e86805e16114",
        ("train", "dev", "test"),
        description="HotpotQA: 5.23M Wikipedia abstracts, 7,405 multi-hop test questions",
        licence="CC BY-SA 4.0",
        citation=(
            "Yang et al. 2018, HotpotQA: A Dataset for Diverse, Explainable Multi-hop Question "
            "Answering (EMNLP, arXiv:1809.09600)"
        ),
    ),
    _zip(
        "fiqa",
        "17918ed23cd04fb15047f73e6c3bd9d9",
        ("train", "dev", "test"),
        description="FiQA-2018: 57K financial forum answers, 648 financial opinion questions",
        licence="not stated",
        citation=(
            "Maia et al. 2018, WWW'18 Open Challenge: Financial Opinion Mining and Question "
            "Answering (WWW Companion)"
        ),
    ),
    _zip(
        "arguana",
        "8ad3e3c2a5867cdced806d6503f29b99",
        ("test",),
        description="ArguAna: 8.67K debate arguments, 1,406 arguments whose counterargument "
        "is sought (query ids are document ids)",
        licence="not stated",
        citation=(
            "Wachsmuth et al. 2018, Retrieval of the Best Counterargument without Prior Topic "
            "Knowledge (ACL)"
        ),
    ),
    _zip(
        "webis-touche2020",
        "46f650ba5a527fc69e0a6521c5a23563",
        ("test",),
        description="Touché-2020 (v2): 382K args.me arguments, 49 controversial questions, "
        "grades -2 to 2",
        licence="not stated",
        citation=(
            "Bondarenko et al. 2020, Overview of Touché 2020: Argument Retrieval (CLEF); "
            "Wachsmuth et al. 2017, Building an Argument Search Engine for the Web (ArgMining)"
        ),
    ),
    _CQADUPSTACK,
    _zip(
        "quora",
        "18fb154900ba42a600f84b839c173167",
        ("dev", "test"),
        description="Quora: 523K questions, 10,000 duplicate-question queries (query ids are "
        "document ids)",
        licence="not stated",
        citation="Iyer, Dandekar, Csernai 2017, First Quora Dataset Release: Question Pairs",
    ),
    _zip(
        "dbpedia-entity",
        "c2a39eb420a3164af735795df012ac2c",
        ("dev", "test"),
        description="DBpedia-Entity v2: 4.63M DBpedia entity abstracts, 400 entity queries",
        licence="not stated",
        citation=(
            "Hasibi et al. 2017, DBpedia-Entity v2: A Test Collection for Entity Search (SIGIR)"
        ),
    ),
    _zip(
        "scidocs",
        "38121350fc3a4d2f48850f6aff52e4a9",
        ("test",),
        description="SCIDOCS: 25K paper abstracts, 1,000 paper titles whose citations are sought",
        licence="not stated",
        citation=(
            "Cohan et al. 2020, SPECTER: Document-level Representation Learning using "
            "Citation-informed Transformers (ACL, arXiv:2004.07180)"
        ),
    ),
    _zip(
        "fever",
        "5a818580227bfb4b35bb6fa46d9b6c03",
        ("train", "dev", "test"),
        description="FEVER: 5.42M Wikipedia abstracts, 6,666 claims to verify",
        licence="not stated",
        citation=(
            "Thorne et al. 2018, FEVER: a Large-scale Dataset for Fact Extraction and "
            "VERification (NAACL, arXiv:1803.05355)"
        ),
    ),
    _zip(
        "climate-fever",
        "8b66f0a9126c521bae2bde127b4dc99d",
        ("test",),
        description="Climate-FEVER: 5.42M Wikipedia abstracts, 1,535 real-world climate claims",
        licence="not stated",
        citation=(
            "Diggelmann et al. 2020, CLIMATE-FEVER: A Dataset for Verification of Real-World "
            "Climate Claims (arXiv:2012.00614)"
        ),
    ),
    _zip(
        "scifact",
        "5f7d1de60b170fc8027bb7898e2efca1",
        ("train", "test"),
        sha256="536e14446a0ba56ed1398ab1055f39fe852686ecad24a6306c80c490fa8e0165",
        size=2_816_079,
        description="SciFact: 5.2K scientific abstracts, 300 expert-written scientific claims",
        licence="CC BY-NC 2.0",
        citation=(
            "Wadden et al. 2020, Fact or Fiction: Verifying Scientific Claims (EMNLP, "
            "arXiv:2004.14974)"
        ),
    ),
    _manual(
        "bioasq",
        description="BioASQ: 14.9M PubMed abstracts, 500 bio-medical questions (train/test)",
        why="its corpus and questions are given only to users registered at bioasq.org; "
        "register there, take task 9a's documents and task 8b's questions, and build the "
        "folder as BEIR's examples/dataset README explains",
        page="https://github.com/beir-cellar/beir/blob/main/examples/dataset/README.md",
        licence="BioASQ's terms of use (given on registration)",
        citation=(
            "Tsatsaronis et al. 2015, An overview of the BIOASQ large-scale biomedical "
            "semantic indexing and question answering competition (BMC Bioinformatics 16)"
        ),
    ),
    _manual(
        "signal1m",
        description="Signal-1M (RT): 2.87M news tweets, 97 news articles whose related "
        "tweets are sought",
        why="its queries and qrels come under Signal Media's research data agreement and its "
        "tweets must be re-fetched from X/Twitter by id; sign the agreement on Signal AI's "
        "research page",
        page="https://research.signal-ai.com/datasets/signal1m-tweetir.html",
        licence="Signal Media's research data agreement",
        citation=(
            "Suarez et al. 2018, A Data Collection for Evaluating the Retrieval of Related "
            "Tweets to News Articles (ECIR)"
        ),
    ),
    _manual(
        "trec-news",
        description="TREC-NEWS: 595K Washington Post articles, 57 background-linking queries",
        why="the Washington Post corpus is licensed by NIST for research only; apply on "
        "TREC's Washington Post page, then take the 2019 News Track topics and qrels",
        page="https://trec.nist.gov/data/wapost/",
        licence="the Washington Post corpus licence (through NIST)",
        citation="Soboroff, Huang, Harman 2018, TREC 2018 News Track Overview (TREC)",
    ),
    _manual(
        "robust04",
        description="Robust04: 528K news articles of TREC disks 4 and 5, 249 queries",
        why="its documents are TREC disks 4 and 5, licensed by NIST; apply on TREC's disks 4 "
        "and 5 page, then take the topics and qrels of ir_datasets' trec-robust04",
        page="https://trec.nist.gov/data/cd45/index.html",
        licence="the TREC disks 4 and 5 licence (through NIST)",
        citation="Voorhees 2004, Overview of the TREC 2004 Robust Retrieval Track (TREC)",
    ),
]
