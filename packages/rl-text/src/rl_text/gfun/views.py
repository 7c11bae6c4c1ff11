"""First-tier view generators of gFun: documents of any language → language-independent vectors.

Each view is fitted on ``{lang: documents}`` with ``{lang: (n, C) 0/1 labels}`` and maps
documents of every language into one shared space:

- :class:`PosteriorView` (Fun's view, "X"): per-language TF-IDF and a calibrated linear SVM
  (scikit-learn ``CalibratedClassifierCV``); the vector is the ``C`` class posteriors
  (they sum to 1 for single-label data). Training documents get out-of-fold posteriors
  (k-fold cross-validation), as in Fun, so the meta-classifier sees honest inputs.
- :class:`WordClassEmbeddingView` ("W"): per-language word-class embeddings
  (:func:`~rl_text.gfun.wce.word_class_embeddings`); the vector is ``X E``.
- :class:`MultilingualEmbeddingView` ("M"): one encoder shared by all languages. The paper
  averages MUSE aligned word vectors; no aligned vectors ship in a package, so here the
  shared encoder is character 2–4-grams (TF-IDF over every language's training text)
  reduced by truncated SVD: languages share cognates, names, numbers and punctuation
  patterns, but scripts that share nothing (ja, zh, ru) share little.
- :class:`SentenceEncoderView` ("B"): a sentence-transformers model for every language.
  The paper uses mBERT; the workspace's ``minilm`` (all-MiniLM-L6-v2) is English-only,
  so on other languages it sees word pieces of a foreign text.

References:
    Moreo, Pedrotti, Sebastiani, "Generalized Funnelling: Ensemble Learning and
    Heterogeneous Document Embeddings for Cross-Lingual Text Classification", ACM TOIS 40
    (2022), arXiv:2110.14764. Esuli, Moreo, Sebastiani, "Funnelling", ACM TOIS 37 (2019).

Example:
    >>> import numpy as np
    >>> docs = {"en": ["good film", "bad film", "good plot", "bad plot"] * 3}
    >>> Y = {"en": np.eye(2, dtype=int)[[0, 1, 0, 1] * 3]}
    >>> Z = PosteriorView().fit_transform(docs, Y)
    >>> Z["en"].shape, bool(np.allclose(Z["en"].sum(1), 1))
    ((12, 2), True)
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING, Any

import numpy as np

from rl_shared.errors import BadInput
from rl_text.gfun.wce import word_class_embeddings

if TYPE_CHECKING:
    import torch

__all__ = [
    "MultilingualEmbeddingView",
    "PosteriorView",
    "SentenceEncoderView",
    "View",
    "WordClassEmbeddingView",
    "language_vectorizer",
]

UNSPACED = frozenset({"ja", "zh", "th"})

Docs = dict[str, list[str]]
Labels = dict[str, np.ndarray]


def language_vectorizer(lang: str):
    """Sublinear TF-IDF over words, or over character uni/bigrams for ja / zh / th.

    Args:
        lang: the documents' language code (``ja``, ``zh`` and ``th`` are written unspaced).

    Returns:
        an unfitted scikit-learn ``TfidfVectorizer`` (words include one-letter ones).

    Example:
        >>> sorted(language_vectorizer("en").fit(["a cat sat", "the dog"]).vocabulary_)
        ['a', 'cat', 'dog', 'sat', 'the']
        >>> sorted(language_vectorizer("ja").fit(["猫が"]).vocabulary_)
        ['が', '猫', '猫が']
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    if lang in UNSPACED:
        return TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    return TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")


class View(abc.ABC):
    """A view generator: ``fit`` on labelled documents, ``transform`` any documents."""

    name: str = "view"
    multilabel: bool = False

    @abc.abstractmethod
    def fit(self, docs: Docs, Y: Labels) -> View:
        """Learn from ``{lang: docs}`` and ``{lang: (n, C) 0/1}`` labels."""

    @abc.abstractmethod
    def transform(self, docs: Docs) -> dict[str, np.ndarray]:
        """``{lang: (n, d)}`` vectors of the documents."""

    def fit_transform(self, docs: Docs, Y: Labels) -> dict[str, np.ndarray]:
        """Fit, then the vectors of the training documents."""
        return self.fit(docs, Y).transform(docs)

    def set_runtime(self, device: str | torch.device = "auto", precision: str = "fp32") -> View:
        """Where and in which precision a view with a network computes (others ignore it)."""
        return self


class _Posteriors:
    """A fitted classifier's ``(n, C)`` class posteriors (picklable, unlike a closure)."""

    def __init__(self, model, n_classes: int, const: np.ndarray | None = None) -> None:
        self.model, self.n_classes, self.const = model, n_classes, const

    def __call__(self, Z) -> np.ndarray:
        if self.const is not None:
            return np.tile(self.const, (Z.shape[0], 1))
        out = np.zeros((Z.shape[0], self.n_classes))
        out[:, self.model.classes_] = self.model.predict_proba(Z)
        return out


class _PerClass:
    """Multilabel posteriors: the positive-class probability of one binary head per class."""

    def __init__(self, heads: list[_Posteriors]) -> None:
        self.heads = heads

    def __call__(self, Z) -> np.ndarray:
        return np.stack([h(Z)[:, 1] for h in self.heads], axis=1)


def _calibrated(X, y: np.ndarray, n_classes: int) -> _Posteriors:
    """Fit a calibrated linear SVM on class indices; return ``predict(X) -> (n, C)`` probs."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    present, counts = np.unique(y, return_counts=True)
    if len(present) == 1:
        const = np.zeros(n_classes)
        const[present[0]] = 1.0
        return _Posteriors(None, n_classes, const)
    folds = int(min(3, counts.min()))
    if folds >= 2:
        model = CalibratedClassifierCV(LinearSVC(C=1.0), cv=folds, method="sigmoid")
    else:  # a class with one example: no calibration folds, fall back to logistic regression
        model = LogisticRegression(C=10.0, max_iter=1000)
    return _Posteriors(model.fit(X, y), n_classes)


class PosteriorView(View):
    """Calibrated per-language classifiers; the vector is the class posteriors.

    Args:
        multilabel: one calibrated binary classifier per class instead of one multiclass.
        folds: k of the k-fold cross-validation that gives training documents their
            posteriors (fewer when a language has fewer documents per class).
    """

    name = "posteriors"

    def __init__(self, multilabel: bool = False, folds: int = 5) -> None:
        self.multilabel = multilabel
        self.folds = folds
        self.models: dict[str, tuple] = {}

    def _fit_lang(self, docs: list[str], Y: np.ndarray, lang: str):
        vec = language_vectorizer(lang)
        X = vec.fit_transform(docs)
        n_classes = Y.shape[1]
        predict: _PerClass | _Posteriors
        if self.multilabel:
            predict = _PerClass([_calibrated(X, Y[:, c], 2) for c in range(n_classes)])
        else:
            predict = _calibrated(X, Y.argmax(1), n_classes)
        return vec, predict

    def fit(self, docs: Docs, Y: Labels) -> PosteriorView:
        self.models = {lang: self._fit_lang(docs[lang], Y[lang], lang) for lang in docs}
        return self

    def transform(self, docs: Docs) -> dict[str, np.ndarray]:
        missing = [lang for lang in docs if lang not in self.models]
        if missing:
            raise BadInput(f"the posterior view was not trained on language {missing[0]!r}")
        return {
            lang: self.models[lang][1](self.models[lang][0].transform(d))
            for lang, d in docs.items()
        }

    def fit_transform(self, docs: Docs, Y: Labels) -> dict[str, np.ndarray]:
        """Fit on all documents; training posteriors come from k-fold cross-validation."""
        from sklearn.model_selection import KFold, StratifiedKFold

        self.fit(docs, Y)
        out = {}
        for lang, texts in docs.items():
            y = Y[lang]
            if len(texts) < 4:  # too few to hold any out: in-sample posteriors
                out[lang] = self.transform({lang: texts})[lang]
                continue
            splitter = KFold(min(self.folds, len(texts)), shuffle=True, random_state=0)
            strat = None
            if not self.multilabel:
                strat = y.argmax(1)
                smallest = int(np.bincount(strat)[np.bincount(strat) > 0].min())
                if smallest >= 2:
                    splitter = StratifiedKFold(
                        min(self.folds, smallest), shuffle=True, random_state=0
                    )
            Z = np.zeros(y.shape, dtype=np.float64)
            for train, held in splitter.split(texts, strat):
                vec, predict = self._fit_lang([texts[i] for i in train], y[train], lang)
                Z[held] = predict(vec.transform([texts[i] for i in held]))
            out[lang] = Z
        return out


class WordClassEmbeddingView(View):
    """Per-language word-class embeddings; a document is ``x E`` (its TF-IDF row times E).

    Shapes:
        ``transform`` → ``{lang: (n, C)}``.

    Example:
        >>> docs = {"en": ["good film", "bad film", "good plot"], "it": ["buon film", "brutto film"]}
        >>> Y = {"en": np.eye(2, dtype=int)[[0, 1, 0]], "it": np.eye(2, dtype=int)[[0, 1]]}
        >>> {k: v.shape for k, v in WordClassEmbeddingView().fit_transform(docs, Y).items()}
        {'en': (3, 2), 'it': (2, 2)}
    """

    name = "wce"

    def __init__(self) -> None:
        self.models: dict[str, tuple] = {}

    def fit(self, docs: Docs, Y: Labels) -> WordClassEmbeddingView:
        self.models = {}
        for lang, texts in docs.items():
            vec = language_vectorizer(lang)
            X = vec.fit_transform(texts)
            self.models[lang] = (vec, word_class_embeddings(X, Y[lang]))
        return self

    def transform(self, docs: Docs) -> dict[str, np.ndarray]:
        missing = [lang for lang in docs if lang not in self.models]
        if missing:
            raise BadInput(f"the word-class view was not trained on language {missing[0]!r}")
        return {
            lang: np.asarray(self.models[lang][0].transform(d) @ self.models[lang][1])
            for lang, d in docs.items()
        }


class MultilingualEmbeddingView(View):
    """One character-n-gram TF-IDF + truncated SVD encoder shared by every language.

    Args:
        dim: SVD components.
        seed: SVD seed.
        max_features: most frequent character n-grams kept.

    Shapes:
        ``transform`` → ``{lang: (n, k)}``, ``k = dim`` unless the training text has fewer
        features (at least 2).

    Example:
        >>> docs = {"en": ["good film", "bad film", "good plot"], "it": ["buon film", "brutto film"]}
        >>> view = MultilingualEmbeddingView(dim=3).fit(docs, {})
        >>> {k: v.shape for k, v in view.transform({"de": ["guter Film"], **docs}).items()}
        {'de': (1, 3), 'en': (3, 3), 'it': (2, 3)}
    """

    name = "multilingual"

    def __init__(self, dim: int = 100, seed: int = 0, max_features: int = 30000) -> None:
        self.dim, self.seed, self.max_features = dim, seed, max_features
        self.pipeline = None

    def fit(self, docs: Docs, Y: Labels) -> MultilingualEmbeddingView:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline

        texts = [t for d in docs.values() for t in d]
        vec = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 4),
            sublinear_tf=True,
            max_features=self.max_features,
        )
        n_feat = min(len(texts) - 1, self.max_features)
        svd = TruncatedSVD(max(2, min(self.dim, n_feat)), n_iter=3, random_state=self.seed)
        self.pipeline = make_pipeline(vec, svd).fit(texts)
        return self

    def transform(self, docs: Docs) -> dict[str, np.ndarray]:
        if self.pipeline is None:
            raise BadInput("fit the multilingual view before transforming documents")
        return {lang: self.pipeline.transform(d) for lang, d in docs.items()}


class SentenceEncoderView(View):
    """Embeddings of a sentence-transformers model (``minilm`` is English-only, ``mbert`` is not).

    Args:
        model: a short name, folder or hub id for
            :func:`rl_shared.models.load_sentence_transformer`,
            or a loaded ``SentenceTransformer``.
        batch_size: encoding batch size.
        device: where a model given by name is loaded (``auto``, ``cpu``, ``cuda``,
            ``cuda:N`` or ``mps``; :func:`rl_shared.runtime.resolve_device`).
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the encoding
            (:func:`rl_shared.runtime.autocast`); the vectors are float32 either way.

    Shapes:
        ``transform`` → ``{lang: (n, d)}``, ``d`` the model's embedding size.

    Example:
        Any object with ``SentenceTransformer.encode``'s signature serves (here a stand-in
        of two features; ``SentenceEncoderView("minilm")`` loads the packaged MiniLM, 384-d):

        >>> class Lengths:
        ...     def encode(self, texts, batch_size, convert_to_numpy):
        ...         return np.array([[len(t), t.count(" ")] for t in texts], dtype=float)
        >>> view = SentenceEncoderView(Lengths(), batch_size=8)
        >>> out = view.transform({"en": ["a cat", "a dog"], "it": ["un gatto"]})
        >>> out["en"].shape, out["it"].tolist()
        ((2, 2), [[8.0, 1.0]])
    """

    name = "sentence-encoder"

    def __init__(
        self,
        model="minilm",
        batch_size: int = 128,
        *,
        device: str | torch.device = "auto",
        precision: str = "fp32",
    ) -> None:
        self.model_spec, self.batch_size = model, batch_size
        self.model: Any = None  # the SentenceTransformer, loaded on first use
        self.set_runtime(device, precision)

    def set_runtime(
        self, device: str | torch.device = "auto", precision: str = "fp32"
    ) -> SentenceEncoderView:
        """Load the model on ``device`` (moved there if loaded) and encode under ``precision``.

        Args:
            device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``.
            precision: ``fp32``, ``bf16`` or ``fp16``.

        Raises:
            BadInput: as :func:`rl_shared.runtime.resolve_device` /
                :func:`rl_shared.runtime.resolve_precision`.
        """
        from rl_shared.runtime import resolve_device, resolve_precision

        target = resolve_device(str(device))
        resolve_precision(precision, target)
        self.device, self.precision = str(device), precision
        if self.model is not None and hasattr(self.model, "to"):
            self.model.to(target)
        return self

    def fit(self, docs: Docs, Y: Labels) -> SentenceEncoderView:
        if self.model is None:
            if isinstance(self.model_spec, str):
                from rl_shared.models import load_sentence_transformer

                self.model = load_sentence_transformer(
                    self.model_spec, device=getattr(self, "device", "auto")
                )
            else:
                self.model = self.model_spec
        return self

    def __getstate__(self) -> dict:
        """Pickle the model's name or folder, not the network (it reloads on first use), nor
        where it ran (a loaded view runs on ``auto`` in fp32 until :meth:`set_runtime`)."""
        if not isinstance(self.model_spec, str):
            raise BadInput(
                "a sentence-encoder view built from a loaded model cannot be saved; "
                "build it from a model name or folder"
            )
        return {**self.__dict__, "model": None, "device": "auto", "precision": "fp32"}

    def transform(self, docs: Docs) -> dict[str, np.ndarray]:
        from rl_shared.runtime import autocast

        if self.model is None:
            self.fit(docs, {})
        device = getattr(self.model, "device", getattr(self, "device", "auto"))
        out = {}
        with autocast(device, getattr(self, "precision", "fp32")):  # saved before: fp32
            for lang, d in docs.items():
                vectors = self.model.encode(d, batch_size=self.batch_size, convert_to_numpy=True)
                out[lang] = np.asarray(vectors)
        return out
