"""Reproduction ``retrieval.beir.cranfield``: the Brewing-BEIR reference retrievers on Cranfield.

The reference-retriever protocol of "Resources for Brewing BEIR" on a collection that ships
offline: flat and multifield BM25 (Lucene's analysis and norms, k1 = 0.9, b = 0.4), a dense
bi-encoder (MiniLM), their reciprocal-rank fusion, and SPLADE and Contriever where their
models are in the local Hugging Face cache (a row saying so otherwise; nothing is fetched),
scored with pytrec_eval's nDCG@10 and MAP@100 on Cranfield's graded qrels. The BM25 rows are
anchored on Lucene itself: Pyserini 0.22.1's BM25 on the same collection, measured by
``benchmarks/bench_lucene.py``. The smoke size keeps the first 10 judged queries and a
120-document corpus holding their judged documents (and has no anchor).

References:
    Kamalloo et al., "Resources for Brewing BEIR: Reproducible Reference Models and an
    Official Leaderboard", arXiv:2306.07471; Cleverdon, "The Cranfield tests on index
    language devices" (1967); Cormack et al., "Reciprocal Rank Fusion", SIGIR 2009;
    Reimers & Gurevych, arXiv:1908.10084.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rl_retrieval.core.plots import bar_chart
from rl_shared.reproduce import Anchor, Reproduction, Result, RunContext

if TYPE_CHECKING:
    from rl_retrieval.core.beir_format import BeirData

__all__ = ["BEIR", "CRANFIELD", "LUCENE", "run_beir", "run_cranfield", "subsample"]

MEASURES = ("nDCG@10", "AP@100")
#: Pyserini 0.22.1 (Lucene 9, OpenJDK 17) BM25 on all of Cranfield, k1 0.9, b 0.4, 1000 hits,
#: scored by this package's evaluate() on the same qrels: benchmarks/bench_lucene.py, 2026-12-06
LUCENE = {"bm25": (0.3417, 0.2723), "bm25-multifield": (0.3657, 0.2942)}
LUCENE_SOURCE = (
    "Lucene BM25 via Pyserini 0.22.1 on OpenJDK 17 (benchmarks/bench_lucene.py, 2026-12-06)"
)
#: the neural retrievers that run only when their model is already cached here
CACHED_ONLY = {"splade": "splade", "contriever": "contriever"}


def subsample(data: BeirData, queries: int, docs: int) -> BeirData:
    """The first ``queries`` judged queries and a corpus of at most ``docs`` documents.

    The corpus keeps every document those queries judge, then fills up with the remaining
    documents in corpus order (the judged ones always stay, even beyond ``docs``).

    Args:
        data: the collection; "judged" means named in the qrels, whatever the grade.
        queries: how many queries to keep, the first in ``data.queries``' order.
        docs: the corpus size to fill up to.

    Returns:
        A new :class:`~rl_retrieval.core.beir_format.BeirData` with the kept queries, their
        qrels and the kept documents (in corpus order).

    Example:
        >>> from rl_retrieval.core.beir_format import BeirData
        >>> corpus = {f"d{i}": {"title": "", "text": str(i)} for i in range(5)}
        >>> data = BeirData(corpus, {"a": "x", "b": "y"}, {"a": {"d4": 1}, "b": {"d0": 1}})
        >>> small = subsample(data, queries=1, docs=2)
        >>> list(small.queries), list(small.corpus)
        (['a'], ['d0', 'd4'])
    """
    from rl_retrieval.core.beir_format import BeirData

    qids = list(data.queries)[:queries]
    judged = {d for q in qids for d in data.qrels[q]}
    keep = set(judged)
    for did in data.corpus:
        if len(keep) >= docs:
            break
        keep.add(did)
    corpus = {d: doc for d, doc in data.corpus.items() if d in keep}
    return BeirData(corpus, {q: data.queries[q] for q in qids}, {q: data.qrels[q] for q in qids})


def run_cranfield(ctx: RunContext) -> Result:
    """Evaluate flat and multifield BM25, MiniLM, RRF(BM25, MiniLM) and cached neural models.

    Each system retrieves the top 1000 per query; the fusion is
    :func:`~rl_retrieval.core.fusion.reciprocal_rank_fusion` of the BM25 and MiniLM runs.

    Args:
        ctx: the harness's run context; ``ctx.size == "smoke"`` keeps the first 10 judged
            queries and a 120-document corpus (:func:`subsample`), the other sizes use all of
            Cranfield; the bar chart ``cranfield.png`` is written to ``ctx.out_dir``.

    Returns:
        A :class:`~rl_shared.reproduce.Result` with ``<system>.nDCG@10`` and
        ``<system>.MAP@100`` for ``bm25``, ``bm25-multifield``, ``minilm``, ``rrf`` (and
        ``splade``, ``contriever`` when cached), the BM25 rows anchored on Lucene's
        (:data:`LUCENE`) at the quick and full sizes.

    Raises:
        DatasetNotFound: the ``cranfield`` SMART files are not in the data folder.

    References:
        Kamalloo et al., arXiv:2306.07471; Cormack et al., "Reciprocal Rank Fusion", SIGIR 2009.

    Example:
        A four-document Cranfield written with :func:`~rl_retrieval.core.smart.write_smart`
        into a temporary data folder, and a toy encoder standing in for MiniLM:

        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> import numpy as np
        >>> from rl_retrieval.core import dense
        >>> from rl_retrieval.core.beir_format import BeirData
        >>> from rl_retrieval.core.smart import write_smart
        >>> from rl_shared.reproduce import RunContext
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> cran = root / "data" / "retrieval" / "cranfield"
        >>> cran.mkdir(parents=True)
        >>> texts = ["wing lift at supersonic speed", "boundary layer heat transfer",
        ...          "shock waves on a cone", "heat flux in a boundary layer"]
        >>> tiny = BeirData({str(i): {"title": "", "text": t} for i, t in enumerate(texts, 1)},
        ...                 {"1": "lift of a wing", "2": "heat transfer in the boundary layer"},
        ...                 {"1": {"1": 4}, "2": {"2": 3, "4": 2}})
        >>> write_smart(tiny, cran / "cran.all.1400", cran / "cran.qry", cran / "cranqrel")
        >>> class Vowels:  # anything with SentenceTransformer's encode() works
        ...     def encode(self, texts, **kw):
        ...         return np.array([[t.count(c) for c in "aeiou"] for t in texts], np.float32)
        >>> real = dense.DenseRetriever
        >>> toy = lambda name, **kw: real(Vowels())  # what DenseRetriever("minilm") gives here
        >>> env = {"RL_DATA_DIR": str(root / "data"), "RL_CACHE_DIR": str(root / "cache")}
        >>> with mock.patch.dict(os.environ, env), mock.patch.object(dense, "DenseRetriever", toy):
        ...     result = run_cranfield(RunContext(root, "smoke", 0))
        >>> result.metrics["bm25.nDCG@10"], sorted(result.metrics)[:4]
        (1.0, ['bm25-multifield.MAP@100', 'bm25-multifield.nDCG@10', 'bm25.MAP@100', 'bm25.nDCG@10'])
        >>> result.details.splitlines()[0], (root / "cranfield.png").is_file()
        ('4 documents, 2 queries.', True)
    """
    from rl_retrieval.beir.retrievers import make_retriever
    from rl_retrieval.core.datasets import load_dataset
    from rl_retrieval.core.fusion import reciprocal_rank_fusion
    from rl_retrieval.core.metrics import evaluate
    from rl_shared.models import cached_snapshot

    data = load_dataset("cranfield")
    if ctx.size == "smoke":
        data = subsample(data, queries=10, docs=120)
    runs, skipped = {}, {}
    neural: dict[str, Any] = {"device": ctx.device, "precision": ctx.precision}
    systems = ["bm25", "bm25-multifield", "minilm", *CACHED_ONLY]
    for name in ctx.track(systems, "retrievers"):
        if name in CACHED_ONLY:
            folder = cached_snapshot(CACHED_ONLY[name])
            if folder is None:
                skipped[name] = "model not in the local Hugging Face cache"
                continue
            system = make_retriever(name, model=folder, **neural)
        elif name == "minilm":
            system = make_retriever("dense", model="minilm", **neural)
        else:
            system = make_retriever(name)
        runs[name] = system.fit(data.corpus).search(data.queries, 1000)
    runs["rrf"] = reciprocal_rank_fusion([runs["bm25"], runs["minilm"]])
    table = {name: evaluate(data.qrels, run, MEASURES) for name, run in runs.items()}
    metrics = {
        f"{s}.{m.replace('AP@100', 'MAP@100')}": round(v, 4)
        for s, vals in table.items()
        for m, v in vals.items()
    }
    anchors = []
    if ctx.size != "smoke":  # the anchors are for the whole collection
        for name, (ndcg, ap) in LUCENE.items():
            anchors.append(Anchor(f"{name}.nDCG@10", ndcg, LUCENE_SOURCE))
            anchors.append(Anchor(f"{name}.MAP@100", ap, LUCENE_SOURCE))
    fig = bar_chart(
        {
            s: {m.replace("AP@100", "MAP@100"): v for m, v in vals.items()}
            for s, vals in table.items()
        },
        "Cranfield: BM25 flat and multifield, MiniLM, RRF",
    )
    plot = ctx.save_figure(fig, "cranfield.png").name
    rows = "\n".join(
        f"| {s} | {table[s]['nDCG@10']:.4f} | {table[s]['AP@100']:.4f} |" for s in table
    )
    rows += "".join(f"\n| {s} | skipped: {why} | |" for s, why in skipped.items())
    details = f"{len(data.corpus)} documents, {len(data.queries)} queries.\n\n| system | nDCG@10 | MAP@100 |\n|---|---|---|\n{rows}\n"
    summary = (
        f"nDCG@10: BM25 {metrics['bm25.nDCG@10']:.3f} (Lucene {LUCENE['bm25'][0]:.3f}), "
        f"multifield {metrics['bm25-multifield.nDCG@10']:.3f} (Lucene "
        f"{LUCENE['bm25-multifield'][0]:.3f}), MiniLM {metrics['minilm.nDCG@10']:.3f}, "
        f"RRF {metrics['rrf.nDCG@10']:.3f}"
    )
    return Result(metrics, anchors, [ctx.seed], summary=summary, details=details, plots=[plot])


CRANFIELD = Reproduction(
    name="retrieval.beir.cranfield",
    summary="Cranfield: flat and multifield BM25 (vs Lucene), MiniLM, RRF, SPLADE and "
    "Contriever when cached (nDCG@10, MAP@100)",
    run=run_cranfield,
    datasets=("cranfield",),
    paper="Resources for Brewing BEIR, arXiv:2306.07471; Reciprocal Rank Fusion (SIGIR 2009)",
)


#: the retrievers ``retrieval.beir`` runs (plus SPLADE and Contriever when cached)
BEIR_RETRIEVERS = ("bm25", "bm25-multifield", "dense")
#: per size: (queries, documents) of the subsample, or None for whole sets
_BEIR_SIZES = {"smoke": (10, 300), "quick": (50, 5000), "full": None}
#: per size: (documents, queries) of the generated LIMIT-style set used when no BEIR set is here
_GENERATED = {"smoke": (200, 20), "quick": (800, 50), "full": (5000, 1000)}


def run_beir(ctx: RunContext) -> Result:
    """The leaderboard's retrievers on the BEIR sets present, beside Pyserini's numbers.

    Full size: every BEIR set present, whole (CQADupStack the mean of its forums), each
    (set, retriever) anchored on Pyserini's two-click reproduction of the same system.
    Quick and smoke: a subsample (50 / 10 judged queries, 5,000 / 300 documents holding
    their judged ones) of the first set present, with no anchor. With no BEIR set present,
    a generated LIMIT-style set stands in (``rl_retrieval.limit.data.generate_limit``) and
    the report names the missing sets and the command that fetches them.

    Args:
        ctx: the harness's run context.

    Returns:
        ``<set>.<retriever>.nDCG@10`` and ``.R@100`` for ``bm25``, ``bm25-multifield``,
        ``dense`` (MiniLM), and ``splade``/``contriever`` when their models are cached.

    References:
        Kamalloo et al., arXiv:2306.07471; Thakur et al., arXiv:2104.08663.

    Example:
        >>> import os, pathlib, tempfile
        >>> from rl_shared.reproduce import RunContext
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> os.environ["RL_DATA_DIR"] = str(root)  # no BEIR set: a generated one stands in
        >>> result = run_beir(RunContext(root, "smoke", 0))
        >>> sorted(result.metrics)[:2], "rl data download beir-scifact" in result.details
        (['generated.bm25-multifield.R@100', 'generated.bm25-multifield.nDCG@10'], True)
    """
    from rl_retrieval.beir.datasets import BEIR_DATASETS
    from rl_retrieval.beir.leaderboard import leaderboard_datasets, run_leaderboard
    from rl_retrieval.beir.quirks import IDENTICAL_ID_SETS, drop_identical_ids
    from rl_retrieval.beir.retrievers import make_retriever
    from rl_retrieval.core.datasets import load_dataset
    from rl_retrieval.core.metrics import evaluate
    from rl_retrieval.limit.data import generate_limit
    from rl_shared.models import cached_snapshot

    present = [d for d in leaderboard_datasets() if d.startswith("beir-")]
    missing = [d.name for d in BEIR_DATASETS if d.name not in present]
    retrievers = [*BEIR_RETRIEVERS, *(n for n in CACHED_ONLY if cached_snapshot(CACHED_ONLY[n]))]
    models = {n: str(cached_snapshot(CACHED_ONLY[n])) for n in retrievers if n in CACHED_ONLY}
    neural: dict[str, Any] = {"device": ctx.device, "precision": ctx.precision}
    metrics: dict[str, float] = {}
    anchors: list[Anchor] = []
    if ctx.size == "full" and present:
        rows = run_leaderboard(present, retrievers, device=ctx.device, precision=ctx.precision)
        for row in rows:
            for m, v in row.metrics.items():
                metrics[f"{row.dataset}.{row.system}.{m}"] = round(v, 4)
                if row.reference:
                    anchors.append(
                        Anchor(f"{row.dataset}.{row.system}.{m}", row.reference[m], _PYSERINI)
                    )
        used = f"every BEIR set present, whole: {', '.join(present)}"
    else:
        if present:
            name = next((d for d in present if d != "beir-cqadupstack"), present[0])
            queries, docs = _BEIR_SIZES[ctx.size] or (10**9, 10**9)
            if name == "beir-cqadupstack":
                from rl_retrieval.beir.quirks import load_cqadupstack

                full = next(iter(load_cqadupstack(split="test").values()))
            else:
                full = load_dataset(name, "test")
            data, label = subsample(full, queries=queries, docs=docs), name
            used = (
                f"{name}, subsampled to {len(data.queries)} queries, {len(data.corpus)} documents"
            )
        else:
            n_docs, n_queries = _GENERATED[ctx.size]
            data = generate_limit(docs=n_docs, queries=n_queries, seed=ctx.seed)
            name, label = "generated", "generated"
            used = (
                f"no BEIR set is present, so a generated LIMIT-style set stands in "
                f"({n_docs} documents, {n_queries} queries)"
            )
        for system_name in ctx.track(retrievers, "retrievers"):
            system = make_retriever(
                system_name,
                model=models.get(system_name),
                **(neural if system_name not in LEXICAL_NAMES else {}),
            )
            run = system.fit(data.corpus).search(data.queries, 1000)
            if name in IDENTICAL_ID_SETS:
                run = drop_identical_ids(run)
            for m, v in evaluate(data.qrels, run, ["nDCG@10", "R@100"]).items():
                metrics[f"{label}.{system_name}.{m}"] = round(v, 4)
    first = next(iter(metrics)).split(".")[0]
    fig = bar_chart(
        {
            r: {m: metrics[f"{first}.{r}.{m}"] for m in ("nDCG@10", "R@100")}
            for r in retrievers
            if f"{first}.{r}.nDCG@10" in metrics
        },
        f"{first}: reference retrievers",
    )
    plot = ctx.save_figure(fig, "beir.png").name
    fetch = (
        f"Missing BEIR sets ({len(missing)}): {', '.join(missing)}. Fetch a public one with "
        "`rl data download beir-scifact` (any of the names above); BioASQ, Signal-1M, "
        "TREC-NEWS and Robust04 need a licence (`rl data list` says where to get them)."
        if missing
        else "All 18 BEIR sets are present."
    )
    rows_md = "\n".join(
        f"| {k.rsplit('.', 2)[0]} | {k.rsplit('.', 2)[1]} | {v:.4f} | "
        f"{metrics[k.replace('nDCG@10', 'R@100')]:.4f} |"
        for k, v in metrics.items()
        if k.endswith("nDCG@10")
    )
    details = (
        f"Data: {used}.\n\n{fetch}\n\n| set | retriever | nDCG@10 | R@100 |\n|---|---|---|---|\n"
        f"{rows_md}\n"
    )
    best = max((k for k in metrics if k.endswith("nDCG@10")), key=metrics.__getitem__)
    summary = f"{used}; best nDCG@10 {best.rsplit('.', 2)[1]} {metrics[best]:.3f}"
    return Result(metrics, anchors, [ctx.seed], summary=summary, details=details, plots=[plot])


LEXICAL_NAMES = ("bm25", "bm25-multifield")
_PYSERINI = (
    "Pyserini two-click reproduction (pyserini/2cr/beir.yaml, Kamalloo et al. arXiv:2306.07471)"
)

BEIR = Reproduction(
    name="retrieval.beir",
    summary="The Brewing-BEIR reference retrievers on every BEIR set present, beside Pyserini's "
    "numbers (a generated set stands in when none is)",
    run=run_beir,
    datasets=(),
    paper="Resources for Brewing BEIR, arXiv:2306.07471",
)
