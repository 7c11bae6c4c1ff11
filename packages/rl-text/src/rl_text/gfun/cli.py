"""``rl text gfun train | evaluate | encode``: gFun on the STS-B genre task or your own files.

Your own documents are a CSV (``.csv``) or TSV file with a header naming ``lang``, ``text``
and, for training and evaluation, ``label``. Without ``--data`` the commands use the
11-language STS-B genre corpus (non-parallel split of its train rows; test rows to evaluate).

``train`` saves the model to ``OUT/model/``; ``encode`` writes ``OUT/vectors.npy``.

References:
    Moreo et al., "Generalized Funnelling: Ensemble Learning and Heterogeneous Document Embeddings
    for Cross-Lingual Text Classification", ACM TOIS 40 (2022). https://arxiv.org/abs/2110.14764

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from rl_shared.cli import (
    data_option,
    device_option,
    emit_json,
    json_option,
    model_option,
    out_option,
    precision_option,
    seed_option,
    writing_to,
)
from rl_text.core.commands import check_runtime
from rl_text.gfun.formats import LABELLED, UNLABELLED

__all__ = ["group"]


VIEW_CODES = {
    "X": "posteriors",
    "W": "word-class embeddings",
    "M": "char-n-gram shared encoder",
    "B": "MiniLM",
}
ALL_LANGS = "en,de,es,fr,it,ja,nl,pl,pt,ru,zh"


def _check_views(codes: str) -> str:
    """``--views`` as given, once each letter is known and none repeats."""
    from rl_shared.errors import BadInput, UnknownName

    bad = [c for c in codes if c not in VIEW_CODES]
    if bad:
        raise UnknownName("--views letter", bad[0], list(VIEW_CODES))
    if not codes or len(set(codes)) != len(codes):
        raise BadInput(f"--views takes distinct letters of X, W, M, B; got {codes!r}")
    return codes


def _check_langs(langs: str) -> list[str]:
    """``--langs`` as a list, once every language is one of the genre corpus's."""
    from rl_shared.errors import BadInput, UnknownName

    known = ALL_LANGS.split(",")
    out = [x.strip() for x in langs.split(",") if x.strip()]
    for lang in out:
        if lang not in known:
            raise UnknownName("--langs language", lang, known)
    if not out or len(set(out)) != len(out):
        raise BadInput(f"--langs takes distinct languages of {ALL_LANGS}; got {langs!r}")
    return out


def _views(codes: str, seed: int, device: str = "auto", precision: str = "fp32") -> list:
    from rl_text.gfun import (
        MultilingualEmbeddingView,
        PosteriorView,
        SentenceEncoderView,
        WordClassEmbeddingView,
    )

    _check_views(codes)
    makers = {
        "X": PosteriorView,
        "W": WordClassEmbeddingView,
        "M": lambda: MultilingualEmbeddingView(seed=seed),
        "B": lambda: SentenceEncoderView(device=device, precision=precision),
    }
    return [makers[c]() for c in codes]


def _caps(langs: list[str], low_resource: str, per_language: int | None) -> dict[str, int]:
    from rl_shared.errors import BadInput, UnknownName

    caps = {x: per_language for x in langs} if per_language else {}
    for item in filter(None, (x.strip() for x in low_resource.split(","))):
        lang, _, n = item.partition(":")
        if not n.isdigit() or int(n) < 1:
            raise BadInput(f"--low-resource entries look like 'ja:20' (at least 1), got {item!r}")
        if lang not in langs:
            raise UnknownName("--low-resource language", lang, langs)
        caps[lang] = int(n)
    return caps


def _training_set(data, langs, low_resource, per_language, seed) -> tuple[dict, dict, list]:
    """``({lang: docs}, {lang: class indices}, class names)`` from ``--data`` or STS-B genres."""
    import numpy as np

    from rl_shared.errors import BadInput
    from rl_text.gfun import GENRES, load_genre_corpus, nonparallel_split, read_documents

    lang_list = _check_langs(langs)  # checked even when --data names the languages
    if data is not None:
        rows = read_documents(data, labelled=True)
        caps = _caps(list(rows.by_language()), low_resource, per_language)
        assert rows.labels is not None
        names = sorted(set(rows.labels))
        if len(names) < 2:
            raise BadInput(f"{data} has one label ({names[0]!r}); gFun needs at least two classes")
        docs, labels = {}, {}
        for lang, idx in rows.by_language().items():
            idx = idx[: caps[lang]] if lang in caps else idx
            docs[lang] = [rows.texts[i] for i in idx]
            labels[lang] = np.array([names.index(rows.labels[i]) for i in idx])
        return docs, labels, names
    caps = _caps(lang_list, low_resource, per_language)
    train = load_genre_corpus("train", lang_list)
    split = nonparallel_split(len(train.rows), lang_list, seed=seed, sizes=caps or None)
    docs = {x: train.select(x, split[x])[0] for x in lang_list}
    labels = {x: train.select(x, split[x])[1] for x in lang_list}
    return docs, labels, list(GENRES)


@click.group("gfun")
def group() -> None:
    """Generalized Funnelling (gFun) for cross-lingual classification.

    \b
    train     fit the views and the meta-classifier; save them to a folder
    evaluate  macro-/micro-F1 per language of a saved model, or train-and-evaluate
    encode    the language-independent vectors of documents (the meta-classifier's input)
    """


views_option = click.option(
    "--views",
    default="XWM",
    show_default=True,
    help="Any of X, W, M, B (" + ", ".join(f"{k}: {v}" for k, v in VIEW_CODES.items()) + ").",
)
train_data_option = data_option(
    required=False,
    help="CSV/TSV with columns lang, text, label (default: the STS-B genre corpus).",
    formats=LABELLED,
)
langs_option = click.option(
    "--langs", default=ALL_LANGS, show_default=True, help="STS-B genre corpus languages."
)
low_option = click.option(
    "--low-resource", default="", help="e.g. 'ja:20,zh:20': cap those languages' training rows."
)
per_option = click.option(
    "--per-language",
    type=click.IntRange(min=1),
    default=None,
    help="Cap every language's training rows.",
)


@group.command("train")
@out_option(help="Output folder; the model is saved to OUT/model/.")
@train_data_option
@views_option
@langs_option
@low_option
@per_option
@seed_option
@device_option(help="Device of the MiniLM view (B): auto, cpu, cuda, cuda:N or mps.")
@precision_option
@json_option
def train_cmd(
    out, data, views, langs, low_resource, per_language, seed, device, precision, as_json
) -> None:
    """Fit gFun and save it to OUT/model/ (joblib inside: load only folders you trust)."""
    from rl_text.gfun import GeneralizedFunnelling

    check_runtime(device, precision)
    _check_views(views)  # every input is checked before any work
    docs, labels, names = _training_set(data, langs, low_resource, per_language, seed)
    view_list = _views(views, seed, device, precision)
    click.echo(f"fitting {views} views on {sum(map(len, docs.values()))} documents", err=True)
    model = GeneralizedFunnelling(len(names), view_list, seed=seed, class_names=names)
    model.fit(docs, labels)
    with writing_to(out):
        path = model.save(Path(out) / "model")
    summary = {
        "model": str(path),
        "views": views,
        "classes": names,
        "train_docs": {x: len(d) for x, d in docs.items()},
        "seed": seed,
    }
    if as_json:
        emit_json(summary)
    else:
        click.echo(f"saved {path}  ({len(names)} classes, languages {', '.join(docs)})")


def _check_rows(model: Any, rows: Any) -> None:
    """Every row's language (and label, when labelled) is one the saved model knows."""
    from rl_shared.errors import MalformedFile

    for i, lang in enumerate(rows.langs):
        if lang not in model.languages:
            raise MalformedFile(
                rows.path,
                rows.line_of(i),
                f"language {lang!r} is not one the model was trained on "
                f"({', '.join(model.languages)})",
            )
        if rows.labels is not None and rows.labels[i] not in model.class_names:
            raise MalformedFile(
                rows.path,
                rows.line_of(i),
                f"label {rows.labels[i]!r} is not one of the model's classes "
                f"({', '.join(model.class_names)})",
            )


def _evaluation_set(model, data, rows) -> tuple[dict, Any]:
    """``({lang: docs}, {lang: class indices})`` to test a saved model on."""
    import numpy as np

    from rl_shared.errors import BadInput
    from rl_text.gfun import GENRES, load_genre_corpus

    if data is None:
        if model.class_names != list(GENRES):
            raise BadInput("this model was not trained on the genre corpus: give --data")
        test = load_genre_corpus("test", model.languages)
        return test.docs, {x: test.labels for x in model.languages}
    _check_rows(model, rows)
    docs, labels = {}, {}
    for lang, idx in rows.by_language().items():
        docs[lang] = [rows.texts[i] for i in idx]
        labels[lang] = np.array([model.class_names.index(rows.labels[i]) for i in idx])
    return docs, labels


@group.command("evaluate")
@model_option(
    default="",
    help="OUT/model from `rl text gfun train`; without it, train on the genre corpus first.",
    formats=("gfun-model",),
)
@data_option(
    required=False,
    help="Labelled CSV/TSV to test on (with --model; default: the genre corpus test rows).",
    formats=LABELLED,
)
@views_option
@langs_option
@low_option
@per_option
@click.option(
    "--per-language-baseline/--no-per-language-baseline",
    default=True,
    show_default=True,
    help="Train-and-evaluate only: also report a TF-IDF SVM trained on each language alone.",
)
@seed_option
@device_option(help="Device of the MiniLM view (B): auto, cpu, cuda, cuda:N or mps.")
@precision_option
@json_option
def evaluate_cmd(
    model,
    data,
    views,
    langs,
    low_resource,
    per_language,
    per_language_baseline,
    seed,
    device,
    precision,
    as_json,
) -> None:
    """Macro-/micro-F1 per language of a saved gFun model, or of one trained here."""
    from rl_shared.errors import BadInput
    from rl_text.gfun import GeneralizedFunnelling, PerLanguageBaseline, f1_scores, read_documents

    check_runtime(device, precision)
    rows = read_documents(data, labelled=True) if data is not None else None  # checked first
    if rows is not None and not model:
        raise BadInput(
            f"--data {data} is for a saved --model; to train on a file, use `rl text gfun train`"
        )
    result: dict[str, dict] = {}
    if model:
        gf = GeneralizedFunnelling.load(model).set_runtime(device, precision)
        docs, labels = _evaluation_set(gf, data, rows)
        pred = gf.predict(docs)
        for x in docs:
            result[x] = {"gfun": f1_scores(labels[x], pred[x], gf.n_classes)}
        views = "+".join(v.name for v in gf.views)
    else:
        from rl_text.gfun import load_genre_corpus

        _check_views(views)
        docs, labels, names = _training_set(None, langs, low_resource, per_language, seed)
        view_list = _views(views, seed, device, precision)
        gf = GeneralizedFunnelling(len(names), view_list, seed=seed, class_names=names)
        gf.fit(docs, labels)
        test = load_genre_corpus("test", list(docs))
        pred = gf.predict(test.docs)
        base = (
            PerLanguageBaseline(len(names)).fit(docs, labels).predict(test.docs)
            if per_language_baseline
            else {}
        )
        for x in docs:
            result[x] = {"gfun": f1_scores(test.labels, pred[x], len(names))}
            result[x]["train_docs"] = len(docs[x])
            if base:
                result[x]["per_language"] = f1_scores(test.labels, base[x], len(names))
    if as_json:
        emit_json({"views": views, "seed": seed, "languages": result})
        return
    click.echo(f"gFun ({views}): macro-F1 / micro-F1 per language")
    for x, r in result.items():
        g = r["gfun"]
        line = f"  {x:>4}  gFun {g['macro_f1']:.3f} / {g['micro_f1']:.3f}"
        if "per_language" in r:
            b = r["per_language"]
            line += f"   per-language {b['macro_f1']:.3f} / {b['micro_f1']:.3f}"
        click.echo(line + (f"   ({r['train_docs']} train)" if "train_docs" in r else ""))


@group.command("encode")
@model_option(default=None, help="OUT/model from `rl text gfun train`.", formats=("gfun-model",))
@data_option(help="CSV/TSV with columns lang, text.", formats=UNLABELLED)
@out_option(help="Output folder; the vectors go to OUT/vectors.npy, one row per DATA row.")
@device_option(help="Device of the MiniLM view (B): auto, cpu, cuda, cuda:N or mps.")
@precision_option
@json_option
def encode_cmd(model, data, out, device, precision, as_json) -> None:
    """Write the standardised, concatenated view vectors of each row of DATA, in file order."""
    import numpy as np

    from rl_shared.io import atomic_open
    from rl_text.gfun import GeneralizedFunnelling, read_documents

    check_runtime(device, precision)
    rows = read_documents(data, labelled=False)  # the data is checked before the model
    gf = GeneralizedFunnelling.load(model).set_runtime(device, precision)
    _check_rows(gf, rows)
    groups = rows.by_language()
    per_lang = gf.transform({x: [rows.texts[i] for i in idx] for x, idx in groups.items()})
    Z = np.zeros((len(rows.texts), next(iter(per_lang.values())).shape[1]), dtype=np.float32)
    for x, idx in groups.items():
        Z[idx] = per_lang[x]
    path = Path(out) / "vectors.npy"
    with writing_to(out), atomic_open(path, "wb") as handle:
        np.save(handle, Z)
    if as_json:
        emit_json({"out": str(path), "rows": Z.shape[0], "dim": Z.shape[1]})
    else:
        click.echo(f"wrote {path}  ({Z.shape[0]} rows x {Z.shape[1]} dims)")
