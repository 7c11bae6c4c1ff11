"""Our BM25 (bm25s, Lucene English analysis) vs Pyserini's Lucene BM25 on Cranfield.

Both sides run BEIR's two Pyserini baselines at k1 = 0.9, b = 0.4, 1000 hits: *flat* (title
and text one field) and *multifield* (title and text indexed apart, scores summed with weight
1.0 each, as Pyserini's ``--fields contents=1.0 title=1.0``). Both runs are scored by the
project's own :func:`~rl_retrieval.core.metrics.evaluate` on the same qrels. Printed: nDCG@10,
MAP@100 (AP@100) and R@100 of each, their difference, indexing and search time with our
throughput as a ratio of Lucene's, the five queries whose flat nDCG@10 differs most, and a
diagnosis of the analysis: Lucene's analyzed tokens against ours over the whole corpus.

Lucene runs in a subprocess with the interpreter of a separate Pyserini environment (never a
dependency of the workspace; Pyserini 0.22.1 runs on Java 11 or 17)::

    apt-get install -y openjdk-17-jre-headless
    python3 -m venv /tmp/pyserini-venv
    /tmp/pyserini-venv/bin/pip install --no-deps pyserini==0.22.1
    /tmp/pyserini-venv/bin/pip install pyjnius numpy scipy tqdm pandas pyyaml scikit-learn \\
        onnxruntime faiss-cpu transformers torch   # what `import pyserini.search.lucene` pulls

Run::

    RL_DATA_DIR=/path/to/data python packages/rl-retrieval/benchmarks/bench_lucene.py \\
        --pyserini-python /tmp/pyserini-venv/bin/python

(``--pyserini-python`` defaults to ``$PYSERINI_PYTHON``; without either the script says how to
set one up and exits 0.) Times are wall clock. Lucene's include starting Python and the JVM;
that start-up is also timed alone (a no-op with the same imports) and shown subtracted. Ours
run in this process, single-process (bm25s' default threads), analysis included.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from rl_retrieval.core.analysis import LuceneEnglishAnalyzer
from rl_retrieval.core.bm25 import BM25Retriever, MultifieldBM25Retriever
from rl_retrieval.core.datasets import load_dataset
from rl_retrieval.core.metrics import evaluate, evaluate_per_query
from rl_retrieval.core.run_format import Run, read_trec_run

MEASURES = ["nDCG@10", "AP@100", "R@100"]
K1, B, HITS = 0.9, 0.4, 1000

SETUP = (
    "bench_lucene: no Pyserini interpreter; set one up with `python3 -m venv /tmp/pyserini-venv "
    "&& /tmp/pyserini-venv/bin/pip install --no-deps pyserini==0.22.1` plus its runtime deps "
    "(see this script's docstring) and Java 11/17, then pass --pyserini-python "
    "/tmp/pyserini-venv/bin/python or set PYSERINI_PYTHON"
)

# run by the peer interpreter: analyze each string of a JSON list with Lucene's default
# English analyzer (Anserini's DefaultEnglishAnalyzer, Porter stemming, stop words), the one
# the indexes below are built with
_PEER_ANALYZE = """
import json, sys
from pyserini.analysis import Analyzer, get_lucene_analyzer
analyzer = Analyzer(get_lucene_analyzer())
texts = json.load(open(sys.argv[1], encoding="utf-8"))
json.dump([analyzer.analyze(t) for t in texts], open(sys.argv[2], "w", encoding="utf-8"))
"""
_PEER_CHECK = (
    "import importlib.metadata, pyserini.search.lucene, pyserini.analysis; "
    "print(importlib.metadata.version('pyserini'))"
)
# the same start-up as the index and search commands, doing nothing else
_PEER_NOOP_INDEX = (
    "from pyserini.pyclass import autoclass; autoclass('io.anserini.index.IndexCollection')"
)
_PEER_NOOP_SEARCH = "from pyserini.search.lucene import LuceneSearcher"


class Failure(Exception):
    """A one-line reason the benchmark cannot run."""


def _java_env() -> dict[str, str]:
    """This environment with ``JAVA_HOME`` set (pyjnius needs it), or :class:`Failure`."""
    env = dict(os.environ)
    home = env.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return env
    java = shutil.which("java")
    if java is None:
        raise Failure(
            "bench_lucene: java not found (no JAVA_HOME, no java on PATH); "
            "install one, e.g. `apt-get install -y openjdk-17-jre-headless`"
        )
    env["JAVA_HOME"] = str(Path(java).resolve().parent.parent)
    return env


def _peer(python: str, args: Sequence[str], env: Mapping[str, str], what: str) -> float:
    """Run the peer interpreter; wall seconds, or :class:`Failure` with its last error line."""
    t0 = time.perf_counter()
    try:
        done = subprocess.run(
            [python, *args], env=dict(env), capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise Failure(f"bench_lucene: cannot run {python}: {exc.strerror}") from None
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        lines = [ln for ln in (done.stderr + done.stdout).splitlines() if ln.strip()]
        last = lines[-1].strip() if lines else f"exit status {done.returncode}"
        raise Failure(f"bench_lucene: {what} failed with {python}: {last}")
    return wall


def _check_peer(python: str, env: Mapping[str, str]) -> str:
    """Pyserini's version in the peer interpreter, or a :class:`Failure` saying why not."""
    try:
        done = subprocess.run(
            [python, "-c", _PEER_CHECK], env=dict(env), capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise Failure(f"bench_lucene: cannot run {python}: {exc.strerror}") from None
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
        last = lines[-1].strip() if lines else f"exit status {done.returncode}"
        raise Failure(f"bench_lucene: {python} cannot import pyserini.search.lucene: {last}")
    return done.stdout.strip().splitlines()[-1]


def _java_version(env: Mapping[str, str]) -> str:
    java = Path(env["JAVA_HOME"]) / "bin" / "java"
    done = subprocess.run([str(java), "-version"], capture_output=True, text=True, check=False)
    return (done.stderr or done.stdout).splitlines()[0] if done.returncode == 0 else "?"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _write_jsonl(path: Path, rows: Sequence[Mapping[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _lucene(
    python: str,
    env: Mapping[str, str],
    corpus: Mapping[str, Mapping[str, str]],
    topics: Path,
    work: Path,
    multifield: bool,
) -> tuple[Run, float, float]:
    """Index and search with Pyserini: ``(run, index seconds, search seconds)``."""
    name = "multifield" if multifield else "flat"
    if multifield:
        rows = [{"id": d, "contents": v["text"], "title": v["title"]} for d, v in corpus.items()]
    else:
        rows = [{"id": d, "contents": f"{v['title']} {v['text']}"} for d, v in corpus.items()]
    collection, index, run_file = (
        work / f"{name}-docs",
        work / f"{name}-index",
        work / f"{name}.trec",
    )
    _write_jsonl(collection / "docs.jsonl", rows)
    index_args = [
        "-m", "pyserini.index.lucene", "--collection", "JsonCollection",
        "--input", str(collection), "--index", str(index),
        "--generator", "DefaultLuceneDocumentGenerator", "--threads", "1",
        "--storePositions", "--storeDocvectors", "--storeRaw",
    ]  # fmt: skip
    if multifield:
        index_args += ["--fields", "title"]
    t_index = _peer(python, index_args, env, f"Lucene {name} indexing")
    search_args = [
        "-m", "pyserini.search.lucene", "--index", str(index), "--topics", str(topics),
        "--output", str(run_file), "--bm25", "--k1", str(K1), "--b", str(B),
        "--hits", str(HITS),
    ]  # fmt: skip
    if multifield:
        search_args += ["--fields", "contents=1.0", "title=1.0"]
    t_search = _peer(python, search_args, env, f"Lucene {name} search")
    return read_trec_run(run_file), t_index, t_search


def _ours(
    corpus: Mapping[str, Mapping[str, str]],
    queries: Mapping[str, str],
    multifield: bool,
    repeats: int,
    analyzer: str | Callable[[str], list[str]] = "lucene",
) -> tuple[Run, float, float]:
    """Fit and search in this process: ``(run, best fit seconds, best search seconds)``."""
    fits: list[float] = []
    searches: list[float] = []
    run: Run = {}
    for _ in range(repeats):
        retriever: BM25Retriever | MultifieldBM25Retriever
        if multifield:
            retriever = MultifieldBM25Retriever(
                {"title": 1.0, "text": 1.0}, k1=K1, b=B, analyzer=analyzer
            )
        else:
            retriever = BM25Retriever(k1=K1, b=B, analyzer=analyzer)
        t0 = time.perf_counter()
        retriever.fit(corpus)
        fits.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        run = retriever.search(queries, k=HITS)
        searches.append(time.perf_counter() - t0)
    return run, min(fits), min(searches)


def _analyze_lucene(
    python: str, env: Mapping[str, str], texts: Sequence[str], work: Path
) -> list[list[str]]:
    """Lucene's analyzed tokens of each text (one peer call)."""
    src, dst = work / "analyze-in.json", work / "analyze-out.json"
    src.write_text(json.dumps(list(texts), ensure_ascii=False), encoding="utf-8")
    _peer(python, ["-c", _PEER_ANALYZE, str(src), str(dst)], env, "Lucene analysis")
    return json.loads(dst.read_text(encoding="utf-8"))


def _kind(lucene: Sequence[str], ours: Sequence[str]) -> str:
    """A rough label for one differing stretch of tokens."""
    both = " ".join([*lucene, *ours])
    if any(c.isdigit() for c in both):
        return "numbers"
    if "'" in both or "\u2019" in both:
        return "apostrophes"
    if "." in both or "," in both:
        return "full stops / commas inside tokens"
    if "_" in both:
        return "underscores"
    if len(lucene) == len(ours):
        return "stemming (same tokens, other stems)"
    return "tokenization (other splits)"


def _diagnose(lucene_tokens: Sequence[list[str]], our_tokens: Sequence[list[str]]) -> None:
    """How often and where Lucene's and our token lists differ over the corpus."""
    differing = [i for i, (a, b) in enumerate(zip(lucene_tokens, our_tokens)) if a != b]
    n = len(lucene_tokens)
    same_bag = sum(1 for i in differing if Counter(lucene_tokens[i]) == Counter(our_tokens[i]))
    print(
        f"  documents whose analyzed tokens differ: {len(differing)} of {n}"
        f" ({same_bag} of them only in order)"
    )
    stretches: Counter[tuple[str, str]] = Counter()
    for i in differing:
        a, b = lucene_tokens[i], our_tokens[i]
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if tag != "equal":
                stretches[(" ".join(a[i1:i2]), " ".join(b[j1:j2]))] += 1
    kinds: dict[str, Counter[tuple[str, str]]] = {}
    for (a, b), count in stretches.items():
        kinds.setdefault(_kind(a.split(), b.split()), Counter())[(a, b)] = count
    total = sum(stretches.values())
    print(f"  differing stretches: {total} ({len(stretches)} distinct), by kind:")
    for kind, pairs in sorted(kinds.items(), key=lambda kv: -sum(kv[1].values())):
        examples = "; ".join(f"[{a}] vs [{b}] x{c}" for (a, b), c in pairs.most_common(4))
        print(f"    {kind:<36} {sum(pairs.values()):>5}   e.g. Lucene vs ours: {examples}")


def _stems(
    python: str, env: Mapping[str, str], corpus: Mapping[str, Mapping[str, str]], work: Path
) -> None:
    """Words that the two analyzers turn into different terms when analyzed alone."""
    plain = LuceneEnglishAnalyzer(stopwords=(), stemmer=None)
    words = sorted({w for d in corpus.values() for w in plain(f"{d['title']} {d['text']}")})
    lucene = _analyze_lucene(python, env, words, work)
    ours = LuceneEnglishAnalyzer()
    diff = [(w, a, ours(w)) for w, a in zip(words, lucene) if a != ours(w)]
    print(f"  distinct corpus words analyzed alone to other terms: {len(diff)} of {len(words)}")
    for word, a, b in diff[:25]:
        print(f"    {word!r:<24} Lucene {a}   ours {b}")


def _table(rows: Sequence[tuple[str, dict[str, float], dict[str, float]]]) -> None:
    head = "".join(f"{m:>24}" for m in ("nDCG@10", "MAP@100 (AP@100)", "R@100"))
    print(f"  {'system':<12}{head}")
    print(f"  {'':<12}" + "".join(f"{'Lucene  ours  |diff|':>24}" for _ in MEASURES))
    for name, lucene, ours in rows:
        cells = "".join(
            f"{lucene[m]:>10.4f}{ours[m]:>7.4f}{abs(lucene[m] - ours[m]):>7.4f}" for m in MEASURES
        )
        print(f"  {name:<12}{cells}")


def _bench(python: str, dataset: str, repeats: int, work: Path) -> int:
    """The benchmark proper, its files under ``work``; the exit status."""
    try:
        env = _java_env()
        version = _check_peer(python, env)
        data = load_dataset(dataset)
        corpus, queries, qrels = data.corpus, data.queries, data.qrels
        # "beir" in the name: Pyserini reads it with its string-id TSV reader, as BEIR's topics
        topics = work / "topics-beir.tsv"
        topics.write_text(
            "".join(f"{q}\t{_one_line(t)}\n" for q, t in queries.items()), encoding="utf-8"
        )
        print(
            f"{dataset}: {len(corpus)} documents, {len(queries)} queries; BM25 k1={K1} "
            f"b={B}, {HITS} hits; Pyserini {version}, {_java_version(env)}"
        )
        noop_index = _peer(python, ["-c", _PEER_NOOP_INDEX], env, "Lucene start-up")
        noop_search = _peer(python, ["-c", _PEER_NOOP_SEARCH], env, "Lucene start-up")
        results, timings = [], []
        runs: dict[str, tuple[Run, Run]] = {}
        for multifield in (False, True):
            name = "multifield" if multifield else "flat"
            lrun, l_index, l_search = _lucene(python, env, corpus, topics, work, multifield)
            orun, o_index, o_search = _ours(corpus, queries, multifield, repeats)
            runs[name] = (lrun, orun)
            results.append((name, evaluate(qrels, lrun, MEASURES), evaluate(qrels, orun, MEASURES)))
            timings.append((name, l_index, l_search, o_index, o_search))
    except Failure as exc:
        print(exc, file=sys.stderr)
        return 2

    print("\neffectiveness (the project's evaluate(), same qrels; |diff| = |Lucene - ours|)")
    _table(results)
    flat = results[0]
    gap = abs(flat[1]["nDCG@10"] - flat[2]["nDCG@10"])
    verdict = "met" if gap <= 0.005 else "NOT met"
    print(f"  target |ours - Lucene| <= 0.005 nDCG@10 flat: {gap:.4f}, {verdict}")

    nq = len(queries)
    print(
        f"\nefficiency (wall clock; Lucene in a subprocess, --threads 1; ours in-process, "
        f"single-process; Lucene start-up alone: {noop_index:.2f} s index, {noop_search:.2f} s search)"
    )
    print(
        f"  {'system':<12}{'index s: Lucene (-start)':>26}{'ours':>8}{'ratio':>14}"
        f"{'search q/s: Lucene (-start)':>30}{'ours':>9}{'ratio':>14}"
    )
    ratios = []
    for name, l_index, l_search, o_index, o_search in timings:
        net_index, net_search = max(l_index - noop_index, 1e-9), max(l_search - noop_search, 1e-9)
        r_index, r_search = l_index / o_index, l_search / o_search
        ratios += [r_index, r_search]
        print(
            f"  {name:<12}{l_index:>15.2f} ({net_index:>6.2f}){o_index:>8.2f}"
            f"{r_index:>7.1f}x ({net_index / o_index:>4.1f}x)"
            f"{nq / l_search:>18.1f} ({nq / net_search:>7.1f}){nq / o_search:>9.1f}"
            f"{r_search:>7.1f}x ({net_search / o_search:>4.1f}x)"
        )
    print(
        "  ratio = our throughput / Lucene's (Lucene time / ours); in brackets Lucene's "
        "start-up subtracted"
    )
    verdict = "met" if min(ratios) >= 1.0 else "NOT met"
    print(
        f"  target throughput ratio >= 1.0 (start-up included): min {min(ratios):.1f}x, {verdict}"
    )

    # per query, flat
    lrun, orun = runs["flat"]
    per_l = evaluate_per_query(qrels, lrun, ["nDCG@10"])
    per_o = evaluate_per_query(qrels, orun, ["nDCG@10"])
    shared = [q for q in per_l if q in per_o]
    worst = sorted(shared, key=lambda q: (-abs(per_l[q]["nDCG@10"] - per_o[q]["nDCG@10"]), q))[:5]
    differ = sum(1 for q in shared if abs(per_l[q]["nDCG@10"] - per_o[q]["nDCG@10"]) > 1e-9)
    print(f"\nflat, per query: {differ} of {len(shared)} queries differ in nDCG@10; the 5 largest:")
    print(f"  {'qid':>5}{'Lucene':>9}{'ours':>8}  query")
    for q in worst:
        text = _one_line(queries[q])
        print(f"  {q:>5}{per_l[q]['nDCG@10']:>9.4f}{per_o[q]['nDCG@10']:>8.4f}  {text[:80]}")

    try:
        print("\nanalysis: Lucene's DefaultEnglishAnalyzer (Pyserini) vs our LuceneEnglishAnalyzer")
        ours_analyze = LuceneEnglishAnalyzer()
        qids = list(queries)
        lq = _analyze_lucene(python, env, [queries[q] for q in qids], work)
        lucene_q = dict(zip(qids, lq))
        top = worst[0]
        print(f"  query {top} (largest nDCG@10 difference):")
        print(f"    Lucene {lucene_q[top]}")
        print(f"    ours   {ours_analyze(queries[top])}")
        doc_texts = [f"{d['title']} {d['text']}" for d in corpus.values()]
        ld = _analyze_lucene(python, env, doc_texts, work)
        od = [ours_analyze(t) for t in doc_texts]
        df_l = Counter(t for terms in ld for t in set(terms))
        df_o = Counter(t for terms in od for t in set(terms))
        terms = sorted(set(lucene_q[top]) | set(ours_analyze(queries[top])))
        moved = [f"{t} {df_l[t]} vs {df_o[t]}" for t in terms if df_l[t] != df_o[t]]
        print(
            "    its terms' document frequency, Lucene vs ours (flat): "
            + ("; ".join(moved) if moved else "all the same")
        )
        q_differ = sum(1 for q in qids if lucene_q[q] != ours_analyze(queries[q]))
        print(f"  queries whose analyzed tokens differ: {q_differ} of {len(qids)}")
        _diagnose(ld, od)
        _stems(python, env, corpus, work)

        # our BM25 on Lucene's own tokens: what is left is scoring, not analysis
        tokens = dict(zip(doc_texts, ld)) | {queries[q]: lucene_q[q] for q in qids}
        on_lucene, _, _ = _ours(corpus, queries, False, 1, analyzer=lambda t: tokens[t])
        got = evaluate(qrels, on_lucene, MEASURES)
        print(
            "  ours (flat) on Lucene's tokens: "
            + ", ".join(
                f"{m} {got[m]:.4f} (|diff| to Lucene {abs(got[m] - flat[1][m]):.4f})"
                for m in MEASURES
            )
        )
    except Failure as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pyserini-python",
        default=os.environ.get("PYSERINI_PYTHON"),
        help="interpreter of a Pyserini 0.22.1 environment (default: $PYSERINI_PYTHON)",
    )
    parser.add_argument("--dataset", default="cranfield", help="registered dataset name")
    parser.add_argument("--repeats", type=int, default=1, help="timed runs of ours (best kept)")
    parser.add_argument("--keep", type=Path, help="write the collections, indexes, runs here")
    args = parser.parse_args(argv)
    if not args.pyserini_python:
        print(SETUP)
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-lucene-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return _bench(args.pyserini_python, args.dataset, max(1, args.repeats), work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
