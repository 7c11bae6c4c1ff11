"""Generalized Funnelling (gFun): a two-tier ensemble for cross-lingual text classification.

First tier: view generators (:mod:`rl_text.gfun.views`) map each document of any
language to language-independent vectors. Second tier: the views are L2-normalised
row-wise, concatenated, standardised, and one meta-classifier (an RBF SVM; one per class
for multilabel data) is trained on the documents of *all* languages together, so a
language with few training documents borrows from the others. With only the posterior
view this is Fun (Esuli et al., 2019).

References:
    Moreo, Pedrotti, Sebastiani, "Generalized Funnelling: Ensemble Learning and
    Heterogeneous Document Embeddings for Cross-Lingual Text Classification", ACM TOIS 40
    (2022), arXiv:2110.14764.

Example:
    >>> import numpy as np
    >>> en = ["good film", "bad film", "good plot", "bad plot"] * 3
    >>> it = ["buon film", "brutto film", "buona trama", "brutta trama"] * 3
    >>> y = np.array([0, 1, 0, 1] * 3)
    >>> gfun = GeneralizedFunnelling(n_classes=2).fit({"en": en, "it": it}, {"en": y, "it": y})
    >>> gfun.predict({"it": ["buon film"]})["it"].tolist()
    [0]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rl_shared.errors import BadInput, ModelNotFound
from rl_text.gfun.views import PosteriorView, View, language_vectorizer
from rl_text.gfun.wce import label_matrix

if TYPE_CHECKING:
    import torch

__all__ = ["GeneralizedFunnelling", "PerLanguageBaseline", "f1_scores"]

MODEL_FILE = "gfun.joblib"
KIND = "text.gfun"
CITATION = """@article{moreo2022gfun,
  title = {Generalized Funnelling: Ensemble Learning and Heterogeneous Document Embeddings for
           Cross-Lingual Text Classification},
  author = {Moreo, Alejandro and Pedrotti, Andrea and Sebastiani, Fabrizio},
  journal = {ACM Transactions on Information Systems},
  volume = {40},
  year = {2022},
  note = {arXiv:2110.14764}
}"""


def _normalise(Z: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(Z, axis=1, keepdims=True)
    return Z / np.where(norms > 0, norms, 1.0)


class GeneralizedFunnelling:
    """gFun: view generators, then one meta-classifier over all languages.

    Args:
        n_classes: number of classes ``C``.
        views: first-tier view generators; default ``[PosteriorView]`` (= Fun).
        multilabel: labels are ``(n, C)`` 0/1 matrices and predictions too.
        C: regularisation of the RBF SVM meta-classifier.
        seed: seed of the meta-classifier.
        class_names: names of the ``C`` classes, kept with a saved model.

    Example:
        >>> import numpy as np
        >>> y = np.array([0, 1] * 4)
        >>> gf = GeneralizedFunnelling(2).fit({"en": ["good", "bad"] * 4}, {"en": y})
        >>> gf.predict({"en": ["good"]})["en"].tolist()
        [0]
    """

    def __init__(
        self,
        n_classes: int,
        views: Sequence[View] | None = None,
        *,
        multilabel: bool = False,
        C: float = 1.0,
        seed: int = 0,
        class_names: Sequence[str] | None = None,
    ) -> None:
        if n_classes < 2:
            raise BadInput(f"gFun needs at least two classes, got {n_classes}")
        self.n_classes = n_classes
        self.multilabel = multilabel
        self.views = list(views) if views else [PosteriorView(multilabel=multilabel)]
        for v in self.views:
            v.multilabel = multilabel
        if class_names is not None and len(class_names) != n_classes:
            raise BadInput(f"{len(class_names)} class names for {n_classes} classes")
        self.C, self.seed = C, seed
        self.class_names = list(class_names) if class_names else [str(c) for c in range(n_classes)]
        self.languages: list[str] = []
        self.scaler: Any = None  # fitted sklearn StandardScaler
        self.meta: Any = None  # fitted sklearn meta-classifier

    def _stack(self, per_view: list[dict[str, np.ndarray]], langs: list[str]) -> np.ndarray:
        return np.concatenate(
            [np.concatenate([_normalise(z[lang]) for z in per_view], axis=1) for lang in langs]
        )

    def fit(self, docs: dict[str, list[str]], labels: dict[str, np.ndarray]):
        """Fit every view, then the meta-classifier on all languages' view vectors."""
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC

        if set(docs) != set(labels):
            raise BadInput("docs and labels must name the same languages")
        langs = sorted(docs)
        self.languages = langs
        Y = {lang: label_matrix(labels[lang], self.n_classes) for lang in langs}
        for lang in langs:
            if len(docs[lang]) != len(Y[lang]):
                raise BadInput(
                    f"language {lang!r} has {len(docs[lang])} documents but {len(Y[lang])} labels"
                )
        present = np.concatenate([Y[lang] for lang in langs]).sum(0) > 0
        if int(present.sum()) < 2:
            raise BadInput(
                f"the training documents hold {int(present.sum())} class(es); the meta-classifier "
                "needs at least two (give more documents, or a larger --per-language cap)"
            )
        per_view = [v.fit_transform({lang: docs[lang] for lang in langs}, Y) for v in self.views]
        Z = self._stack(per_view, langs)
        self.scaler = StandardScaler().fit(Z)
        Z = self.scaler.transform(Z)
        svm = SVC(kernel="rbf", C=self.C, gamma="scale", random_state=self.seed)
        if self.multilabel:
            self.meta = OneVsRestClassifier(svm).fit(Z, np.concatenate([Y[lang] for lang in langs]))
        else:
            self.meta = svm.fit(Z, np.concatenate([Y[lang].argmax(1) for lang in langs]))
        return self

    def transform(self, docs: dict[str, list[str]]) -> dict[str, np.ndarray]:
        """The standardised concatenated view vectors (the meta-classifier's input)."""
        if self.meta is None:
            raise BadInput("fit gFun before predicting")
        langs = list(docs)
        per_view = [v.transform(docs) for v in self.views]
        out, start = {}, 0
        Z = self.scaler.transform(self._stack(per_view, langs))
        for lang in langs:
            out[lang] = Z[start : start + len(docs[lang])]
            start += len(docs[lang])
        return out

    def set_runtime(
        self, device: str | torch.device = "auto", precision: str = "fp32"
    ) -> GeneralizedFunnelling:
        """Run every view that has a network (the MiniLM view "B") on ``device`` in ``precision``.

        A saved model does not fix where it runs: :meth:`load` it, then call this.

        Args:
            device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``
                (:func:`rl_shared.runtime.resolve_device`).
            precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the encoding.

        Raises:
            BadInput: the device is not available here, or the precision does not suit it.

        Example:
            >>> GeneralizedFunnelling(2).set_runtime(precision="bf16").n_classes
            2
        """
        from rl_shared.runtime import resolve_device, resolve_precision

        resolve_precision(precision, resolve_device(str(device)))
        for view in self.views:
            view.set_runtime(device, precision)
        return self

    def predict(self, docs: dict[str, list[str]]) -> dict[str, np.ndarray]:
        """Class indices ``(n,)`` (single-label) or ``(n, C)`` 0/1 (multilabel) per language."""
        return {lang: self.meta.predict(Z) for lang, Z in self.transform(docs).items()}

    def save(self, path: str | Path) -> Path:
        """Write the fitted ensemble to the model folder ``path`` (replaced whole, atomically).

        The folder is an :mod:`rl_shared.artifacts` model folder (kind ``text.gfun``):
        ``config.json`` names the views, languages and classes; ``gfun.joblib`` holds the fitted
        views and meta-classifier (scikit-learn objects, stored with joblib, i.e. pickle: load
        only folders you trust). A sentence-encoder view stores its model's name or folder.
        """
        import joblib

        from rl_shared.artifacts import save_model

        if self.meta is None:
            raise BadInput("fit gFun before saving it")
        config = {
            "views": [v.name for v in self.views],
            "languages": self.languages,
            "classes": self.class_names,
            "multilabel": self.multilabel,
            "weights": MODEL_FILE,
        }
        return save_model(
            path,
            kind=KIND,
            config=config,
            citation=CITATION,
            summary="gFun (Generalized Funnelling): fitted view generators and meta-classifier "
            f"in {MODEL_FILE} (joblib; load only folders you trust).",
            write=lambda tmp: joblib.dump(self, tmp / MODEL_FILE),
        )

    @classmethod
    def load(cls, path: str | Path) -> GeneralizedFunnelling:
        """Read a folder written by :meth:`save`.

        Raises:
            ModelNotFound: ``path`` is not a saved gFun model.
            BadInput: it holds another kind of model.
        """
        import joblib

        from rl_shared.artifacts import load_model

        folder = Path(path)
        try:
            load_model(folder, kind=KIND)
        except ModelNotFound as err:
            raise ModelNotFound(
                f"not a saved gFun model: {err}; `rl text gfun train --out OUT` writes one to "
                "OUT/model"
            ) from None
        if not (folder / MODEL_FILE).is_file():
            raise ModelNotFound(f"{folder} is not a saved gFun model: it lacks {MODEL_FILE}")
        try:
            model = joblib.load(folder / MODEL_FILE)
        except Exception as err:  # a truncated or foreign pickle fails in many ways
            detail = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise BadInput(
                f"{folder / MODEL_FILE} is not a readable gFun model ({detail})"
            ) from None
        if not isinstance(model, cls):
            raise BadInput(f"{folder / MODEL_FILE} does not hold a gFun model")
        return model


class PerLanguageBaseline:
    """One TF-IDF + linear SVM per language, trained on that language only.

    Args:
        n_classes: number of classes.
        multilabel: one-vs-rest SVMs over ``(n, C)`` labels.

    Example:
        >>> import numpy as np
        >>> base = PerLanguageBaseline(2).fit({"en": ["good", "bad"] * 4}, {"en": np.array([0, 1] * 4)})
        >>> base.predict({"en": ["bad"]})["en"].tolist()
        [1]
    """

    def __init__(self, n_classes: int, multilabel: bool = False) -> None:
        self.n_classes, self.multilabel = n_classes, multilabel
        self.models: dict[str, tuple] = {}

    def fit(self, docs: dict[str, list[str]], labels: dict[str, np.ndarray]):
        from sklearn.dummy import DummyClassifier
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.svm import LinearSVC

        for lang, texts in docs.items():
            Y = label_matrix(labels[lang], self.n_classes)
            vec = language_vectorizer(lang)
            X = vec.fit_transform(texts)
            if self.multilabel:
                clf = OneVsRestClassifier(LinearSVC()).fit(X, Y)
            else:
                y = Y.argmax(1)
                clf = (LinearSVC() if len(set(y)) > 1 else DummyClassifier()).fit(X, y)
            self.models[lang] = (vec, clf)
        return self

    def predict(self, docs: dict[str, list[str]]) -> dict[str, np.ndarray]:
        missing = [lang for lang in docs if lang not in self.models]
        if missing:
            raise BadInput(f"no per-language classifier was trained for {missing[0]!r}")
        return {
            lang: self.models[lang][1].predict(self.models[lang][0].transform(d))
            for lang, d in docs.items()
        }


def f1_scores(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> dict[str, float]:
    """Macro- and micro-F1 (single-label: over class indices; multilabel: over 0/1 matrices).

    Args:
        y_true: gold class indices ``(n,)`` or a 0/1 label matrix ``(n, C)``.
        y_pred: predictions in the same form.
        n_classes: number of classes (single-label: absent classes count F1 = 0).

    Returns:
        ``{"macro_f1", "micro_f1"}``, rounded to 4 places.

    Example:
        >>> f1_scores(np.array([0, 1, 1]), np.array([0, 1, 0]), 2)
        {'macro_f1': 0.6667, 'micro_f1': 0.6667}
        >>> f1_scores(np.array([[1, 0], [0, 1]]), np.array([[1, 1], [0, 1]]), 2)
        {'macro_f1': 0.8333, 'micro_f1': 0.8}
    """
    from sklearn.metrics import f1_score

    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    kw = {} if y_true.ndim == 2 else {"labels": list(range(n_classes))}
    return {
        "macro_f1": round(
            float(f1_score(y_true, y_pred, average="macro", zero_division=0, **kw)), 4
        ),
        "micro_f1": round(
            float(f1_score(y_true, y_pred, average="micro", zero_division=0, **kw)), 4
        ),
    }
