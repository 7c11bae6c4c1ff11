"""The swap probe: train on template/domain-correlated data, measure the drop under template swaps.

For a correlation strength ``ρ`` a classifier is trained on :func:`make_instructions` data;
it is tested (a) on in-distribution instructions (each domain in its own templates) and
(b) on the *same* instructions re-rendered with another domain's template
(:func:`swapped_set`: same content words, same label). The accuracy drop (a) − (b) measures
how much the model learned the template as a stand-in for the domain. The association of
templates (extracted by the tagger, not read from the grammar) with domains in the
training set is reported as NMI and Cramér's V.

Two classifiers: :class:`BowClassifier`, logistic regression on unigram + bigram counts
(sees function words and their order locally), and the BiGRU + low-rank attention
classifier of :mod:`rl_text.lowrank_attention` on word ids (``"gru-lowrank"``).

References:
    Shaib et al., "Learning the Wrong Lessons: Syntactic-Domain Spurious Correlations in Language
    Models".
    Mehta et al., "Low Rank Factorization for Compact Multi-Head Self-Attention", arXiv 2019 (the
    BiGRU + low-rank attention classifier). https://arxiv.org/abs/1912.00835

Example:
    >>> train = make_instructions(300, strength=1.0, seed=0)
    >>> clf = BowClassifier().fit([e.text for e in train], [e.domain for e in train])
    >>> test = make_instructions(90, strength=1.0, seed=1, own_templates_only=True)
    >>> r = swap_drop(clf.predict, test, seed=2)
    >>> r["in_domain"] > r["swapped"]
    True
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import torch
import torch.nn.functional as F

from rl_shared.errors import BadInput
from rl_shared.runtime import make_accelerator, seed_everything, shard_bounds
from rl_text.syntactic_domain.grammar import DOMAINS, Instruction, make_instructions, swapped_set

__all__ = ["BowClassifier", "GruLowRankClassifier", "correlation_sweep", "swap_drop"]


def _words(text: str) -> list[str]:
    return text.lower().split()


class BowClassifier:
    """Logistic regression on unigram and bigram counts, full-batch Adam.

    Training runs through :func:`rl_shared.runtime.make_accelerator`; under ``torchrun``
    each process takes its contiguous share of the rows, weighted so that DDP's gradient
    average is the one-process full-batch gradient.

    Args:
        epochs: optimisation steps.
        lr: learning rate.
        l2: weight decay.
        seed: initialisation seed.
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``: where it trains and
            predicts.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the forward pass.

    References:
        Shaib et al., "Learning the Wrong Lessons" (a bag-of-words probe).

    Example:
        >>> clf = BowClassifier(epochs=50).fit(["open the file", "cook the rice"], [0, 1])
        >>> clf.predict(["open the rice"])[0] in (0, 1)
        True
    """

    def __init__(
        self,
        epochs: int = 200,
        lr: float = 0.1,
        l2: float = 1e-4,
        seed: int = 0,
        device: str | torch.device = "auto",
        precision: str = "fp32",
    ) -> None:
        self.epochs, self.lr, self.l2, self.seed = epochs, lr, l2, seed
        self.device, self.precision = device, precision
        self.vocab: dict[str, int] = {}

    def _features(self, texts: Sequence[str], grow: bool = False) -> torch.Tensor:
        rows = []
        for text in texts:
            words = _words(text)
            grams = words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]
            if grow:
                for g in grams:
                    self.vocab.setdefault(g, len(self.vocab))
            rows.append([self.vocab[g] for g in grams if g in self.vocab])
        x = torch.zeros(len(texts), max(1, len(self.vocab)))
        for i, ids in enumerate(rows):
            for j in ids:
                x[i, j] += 1.0
        return x

    def fit(self, texts: Sequence[str], labels: Sequence[int]) -> BowClassifier:
        """Train on ``texts`` (the vocabulary is rebuilt from them) and their ``labels``."""
        if len(texts) != len(labels) or not texts:
            raise BadInput("fit needs equally many, non-empty texts and labels")
        self.vocab = {}
        x = self._features(texts, grow=True)
        y = torch.tensor(list(labels))
        acc = make_accelerator(str(self.device), self.precision)
        seed_everything(self.seed)
        self.linear = torch.nn.Linear(x.shape[1], int(y.max()) + 1).to(acc.device)
        opt = torch.optim.Adam(self.linear.parameters(), lr=self.lr, weight_decay=self.l2)
        net, opt = acc.prepare(self.linear, opt)
        start, stop = shard_bounds(len(texts), acc.num_processes, acc.process_index)
        if start == stop:
            raise BadInput(f"{len(texts)} texts cannot be split over {acc.num_processes} processes")
        x, y = x[start:stop].to(acc.device), y[start:stop].to(acc.device)
        weight = acc.num_processes * (stop - start) / len(texts)  # exactly 1 in one process
        for _ in range(self.epochs):
            opt.zero_grad()
            with acc.autocast():
                loss = F.cross_entropy(net(x).float(), y)
            acc.backward(loss if weight == 1 else loss * weight)
            opt.step()
        acc.wait_for_everyone()
        return self

    @torch.no_grad()
    def predict(self, texts: Sequence[str]) -> list[int]:
        """The predicted label of each text."""
        from rl_shared.runtime import autocast

        device = self.linear.weight.device
        with autocast(device, self.precision):
            return self.linear(self._features(texts).to(device)).argmax(-1).tolist()


class GruLowRankClassifier:
    """:class:`~rl_text.lowrank_attention.model.GRUAttentionClassifier` on whitespace word ids.

    Trained by :func:`rl_text.lowrank_attention.train.train_classifier` (through
    :func:`rl_shared.runtime.make_accelerator`).

    Args:
        epochs: training epochs.
        attention: ``"lowrank"`` or ``"mha"``.
        seed: seed.
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``: where it trains and
            predicts.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast.

    References:
        Mehta et al., arXiv:1912.00835 (the classifier).

    Example:
        >>> train = make_instructions(60, strength=1.0, seed=0)
        >>> clf = GruLowRankClassifier(epochs=1).fit([e.text for e in train], [e.domain for e in train])
        >>> clf.predict(["describe the new soup .", "an unseen word"])[0] in range(len(DOMAINS))
        True
    """

    def __init__(
        self,
        epochs: int = 8,
        attention: str = "lowrank",
        seed: int = 0,
        device: str | torch.device = "auto",
        precision: str = "fp32",
    ) -> None:
        self.epochs, self.attention, self.seed = epochs, attention, seed
        self.device, self.precision = device, precision
        self.vocab: dict[str, int] = {"<pad>": 0, "<unk>": 1}

    def _encode(self, texts: Sequence[str], labels: Sequence[int] | None = None):
        from rl_text.lowrank_attention.train import EncodedText

        seqs = [[self.vocab.get(w, 1) for w in _words(t)] for t in texts]
        width = max(len(s) for s in seqs)
        ids = torch.zeros(len(seqs), width, dtype=torch.long)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = torch.tensor(s)
        y = torch.tensor(list(labels) if labels is not None else [0] * len(texts))
        return EncodedText(ids, ids == 0, y)

    def fit(self, texts: Sequence[str], labels: Sequence[int]) -> GruLowRankClassifier:
        from rl_text.lowrank_attention.model import GRUAttentionClassifier
        from rl_text.lowrank_attention.train import train_classifier

        for t in texts:
            for w in _words(t):
                self.vocab.setdefault(w, len(self.vocab))
        seed_everything(self.seed)
        self.model = GRUAttentionClassifier(
            len(self.vocab), embed_dim=32, hidden=32, num_classes=len(DOMAINS),
            attention=self.attention, num_heads=2, dropout=0.1,
        )  # fmt: skip
        train_classifier(
            self.model, self._encode(texts, labels), self.epochs, 32, 3e-3, self.seed,
            device=self.device, precision=self.precision,
        )  # fmt: skip
        return self

    def predict(self, texts: Sequence[str]) -> list[int]:
        """The predicted domain index of each text."""
        from rl_text.lowrank_attention.train import predict

        return predict(self.model, self._encode(texts), precision=self.precision).tolist()


def swap_drop(
    predict: Callable[[list[str]], list[int]], test: list[Instruction], seed: int = 0
) -> dict[str, float]:
    """Accuracy on ``test``, on its template-swapped copy, and the drop between them.

    Args:
        predict: texts -> predicted domain indices.
        test: in-distribution instructions (own templates).
        seed: seed of the swaps.

    Example:
        >>> swap_drop(lambda texts: [0] * len(texts), make_instructions(30, 1.0, seed=1))["drop"]
        0.0
    """
    swapped = swapped_set(test, seed)
    gold = [e.domain for e in test]

    def acc(pred: list[int]) -> float:
        return sum(p == g for p, g in zip(pred, gold)) / len(gold)

    a = acc(predict([e.text for e in test]))
    b = acc(predict([e.text for e in swapped]))
    return {"in_domain": round(a, 4), "swapped": round(b, 4), "drop": round(a - b, 4)}


def correlation_sweep(
    strengths: Sequence[float],
    seeds: Sequence[int],
    n_train: int = 1200,
    n_test: int = 300,
    generic_rate: float = 0.3,
    classifiers: Sequence[str] = ("bow",),
    tagger=None,
    progress: Callable | None = None,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> list[dict[str, Any]]:
    """One row per (strength, seed, classifier): association of templates and the swap drop.

    Args:
        strengths: correlation strengths ``ρ`` of the training sets.
        seeds: seeds (data and model).
        n_train, n_test: sizes of training and test sets.
        generic_rate: share of domain-free nouns.
        classifiers: any of ``"bow"``, ``"gru-lowrank"``.
        tagger: a :class:`~rl_text.syntactic_domain.tagger.LexiconTagger` for the template
            association (``None``: skip it).
        progress: optional iterator wrapper.
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``: where the classifiers
            train and predict.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast.

    Returns:
        rows with ``strength``, ``seed``, ``classifier``, the accuracies ``in_domain`` and
        ``swapped`` and their ``drop`` (plus ``nmi``, ``cramers_v``, ``templates`` with a
        tagger).

    Raises:
        BadInput: an unknown classifier name, or an unavailable ``device`` or ``precision``.

    References:
        Shaib et al., "Learning the Wrong Lessons" (the template-swap probe).

    Example:
        >>> rows = correlation_sweep([0.0, 1.0], seeds=[0], n_train=60, n_test=30)
        >>> [(r["strength"], r["classifier"]) for r in rows], rows[1]["drop"]
        ([(0.0, 'bow'), (1.0, 'bow')], 1.0)
    """
    from rl_text.syntactic_domain.correlation import association
    from rl_text.syntactic_domain.templates import extract_templates

    makers: dict[str, Callable[[int], BowClassifier | GruLowRankClassifier]] = {
        "bow": lambda s: BowClassifier(seed=s, device=device, precision=precision),
        "gru-lowrank": lambda s: GruLowRankClassifier(seed=s, device=device, precision=precision),
    }
    unknown = [c for c in classifiers if c not in makers]
    if unknown:
        raise BadInput(f"unknown classifier(s) {unknown}; choose from {sorted(makers)}")
    jobs = [(rho, seed) for rho in strengths for seed in seeds]
    rows: list[dict[str, Any]] = []
    for rho, seed in progress(jobs) if progress else jobs:
        train = make_instructions(n_train, rho, seed=seed, generic_rate=generic_rate)
        test = make_instructions(
            n_test, 1.0, seed=seed + 10_000, generic_rate=generic_rate, own_templates_only=True
        )
        assoc = {}
        if tagger is not None:
            templates = extract_templates([e.text for e in train], tagger)
            assoc = association(templates, [e.domain for e in train])
        for name in classifiers:
            clf = makers[name](seed).fit([e.text for e in train], [e.domain for e in train])
            row: dict[str, Any] = {"strength": rho, "seed": seed, "classifier": name}
            row.update({k: assoc[k] for k in ("nmi", "cramers_v", "templates")} if assoc else {})
            row.update(swap_drop(clf.predict, test, seed=seed))
            rows.append(row)
    return rows
