"""``rl text gfun evaluate``: gFun on the 11-language STS-B genre task.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(gfun, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import click

from rl_shared.cli.common import emit_json, json_option, seed_option

__all__ = ["gfun"]

VIEW_CODES = {
    "X": "posteriors",
    "W": "word-class embeddings",
    "M": "char-n-gram shared encoder",
    "B": "MiniLM",
}


@click.group("gfun")
def gfun() -> None:
    """Generalized Funnelling for cross-lingual classification."""


@gfun.command("evaluate")
@click.option(
    "--views",
    default="XWM",
    show_default=True,
    help="Any of X, W, M, B (" + ", ".join(f"{k}: {v}" for k, v in VIEW_CODES.items()) + ").",
)
@click.option("--langs", default="en,de,es,fr,it,ja,nl,pl,pt,ru,zh", show_default=True)
@click.option(
    "--low-resource",
    default="",
    help="e.g. 'ja:20,zh:20': cap those languages' training documents.",
)
@click.option(
    "--per-language", type=int, default=None, help="Cap every language's training documents."
)
@seed_option
@json_option
def evaluate_cmd(views, langs, low_resource, per_language, seed, as_json) -> None:
    """Train gFun on a non-parallel split of STS-B train, report F1 per language on test."""
    from rl_shared.errors import BadInput
    from rl_text.gfun import (
        GeneralizedFunnelling,
        MultilingualEmbeddingView,
        PerLanguageBaseline,
        PosteriorView,
        SentenceEncoderView,
        WordClassEmbeddingView,
        f1_scores,
        load_genre_corpus,
        nonparallel_split,
    )

    makers = {
        "X": PosteriorView,
        "W": WordClassEmbeddingView,
        "M": MultilingualEmbeddingView,
        "B": SentenceEncoderView,
    }
    bad = [c for c in views if c not in makers]
    if bad or not views:
        raise BadInput(f"--views takes letters of X, W, M, B; got {views!r}")
    lang_list = [x for x in langs.split(",") if x]
    caps = {x: per_language for x in lang_list} if per_language else {}
    for item in filter(None, low_resource.split(",")):
        lang, _, n = item.partition(":")
        if not n.isdigit():
            raise BadInput(f"--low-resource entries look like 'ja:20', got {item!r}")
        caps[lang] = int(n)
    train, test = load_genre_corpus("train", lang_list), load_genre_corpus("test", lang_list)
    split = nonparallel_split(len(train.rows), lang_list, seed=seed, sizes=caps or None)
    docs = {x: train.select(x, split[x])[0] for x in lang_list}
    labels = {x: train.select(x, split[x])[1] for x in lang_list}
    model = GeneralizedFunnelling(3, [makers[c]() for c in views], seed=seed).fit(docs, labels)
    pred = model.predict(test.docs)
    base = PerLanguageBaseline(3).fit(docs, labels).predict(test.docs)
    result = {
        x: {
            "gfun": f1_scores(test.labels, pred[x], 3),
            "per_language": f1_scores(test.labels, base[x], 3),
            "train_docs": len(docs[x]),
        }
        for x in lang_list
    }
    if as_json:
        emit_json({"views": views, "seed": seed, "languages": result})
        return
    click.echo(
        f"gFun ({views}) vs per-language SVM, macro-F1 / micro-F1 on {len(test.rows)} test rows"
    )
    for x, r in result.items():
        g, b = r["gfun"], r["per_language"]
        click.echo(
            f"  {x}  ({r['train_docs']:4d} train)  gFun {g['macro_f1']:.3f} / {g['micro_f1']:.3f}"
            f"   per-language {b['macro_f1']:.3f} / {b['micro_f1']:.3f}"
        )
