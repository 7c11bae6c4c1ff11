"""Disambiguated Skip-gram: several sense vectors per word, chosen by the context.

Every word ``w`` has ``S`` sense vectors ``v_{w,1..S}`` (input side), ``S`` disambiguation
vectors ``q_{w,1..S}`` and one output (context) vector ``u_w``. For an occurrence of ``w``
with context words ``c_1..c_m``, the disambiguation distribution is
``p(s | w, c) = softmax_s(q_{w,s} · ū)`` with ``ū`` the unit-length mean of the context
words' output vectors ``u_{c_j}``; the loss is the expected
negative-sampling skip-gram loss under it, ``Σ_s p(s) · Σ_j ℓ(v_{w,s}, u_{c_j})`` minus
``λ`` times the entropy of ``p`` (default λ = 0). Two choices keep the senses from
collapsing into one (measured on a toy two-meaning word and on pseudo-words): the context
vector is normalised, so the disambiguation scores depend on the context's direction from
the first step on, when the output vectors are still tiny; and an entropy penalty
(λ < 0) is avoided, with it one sense took > 99 % of the occurrences. Everything is trained
together by backpropagation. Word-sense induction: the arg-max sense of an occurrence.

What it adds: gensim's Word2Vec has one vector per word; this is the multi-sense model
with a differentiable sense choice (no hard EM or clustering step).

References:
    Grzegorczyk, Kurdziel, "Disambiguated skip-gram model", EMNLP 2018, pp. 1445–1454.
    Mikolov et al., "Distributed Representations of Words and Phrases", NeurIPS 2013.

Example:
    >>> import torch
    >>> model = DisambiguatedSkipGram(vocab_size=10, dim=8, senses=3)
    >>> p = model.sense_probs(torch.tensor([1, 2]), torch.tensor([[3, 4], [5, 6]]))
    >>> p.shape, bool(torch.allclose(p.sum(-1), torch.ones(2)))
    (torch.Size([2, 3]), True)
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput, MalformedFile

__all__ = ["DisambiguatedSkipGram"]


class DisambiguatedSkipGram(nn.Module):
    """Multi-sense skip-gram with a softmax sense-disambiguation distribution.

    Args:
        vocab_size: number of words.
        dim: embedding size.
        senses: sense vectors per word.
        entropy_weight: ``λ``; the loss adds ``-λ · H(p)`` (positive λ rewards spread).
        sparse: sparse embedding gradients (train with ``torch.optim.SparseAdam``).

    Shapes:
        ``sense_probs(center (B,), context (B, m), context_mask (B, m))`` → ``(B, S)``;
        ``loss(center, context, negatives (B, m, K), context_mask)`` → scalar.

    Example:
        >>> import torch
        >>> model = DisambiguatedSkipGram(5, dim=4, senses=2)
        >>> model.sense_vectors(torch.tensor([0, 3])).shape
        torch.Size([2, 2, 4])
    """

    def __init__(
        self,
        vocab_size: int,
        dim: int = 100,
        senses: int = 3,
        entropy_weight: float = 0.0,
        sparse: bool = False,
    ) -> None:
        super().__init__()
        if vocab_size < 1 or dim < 1 or senses < 1:
            raise BadInput("vocab_size, dim and senses must be positive")
        self.vocab_size, self.dim, self.senses = vocab_size, dim, senses
        self.entropy_weight = entropy_weight
        self.sense = nn.Embedding(vocab_size * senses, dim, sparse=sparse)
        self.disamb = nn.Embedding(vocab_size * senses, dim, sparse=sparse)
        self.out = nn.Embedding(vocab_size, dim, sparse=sparse)
        bound = 0.5 / dim
        # senses start apart (not at word2vec's tiny uniform init) so they can specialise
        nn.init.normal_(self.sense.weight, std=0.1)
        nn.init.normal_(self.disamb.weight, std=1.0)
        nn.init.uniform_(self.out.weight, -bound, bound)

    def _rows(self, words: Tensor) -> Tensor:
        return words.unsqueeze(-1) * self.senses + torch.arange(self.senses, device=words.device)

    def sense_vectors(self, words: Tensor) -> Tensor:
        """``(..., S, dim)`` sense vectors of ``words``."""
        return self.sense(self._rows(words))

    def context_vector(self, context: Tensor, context_mask: Tensor | None = None) -> Tensor:
        """Unit-length mean output vector of the (unmasked) context words, ``(B, dim)``."""
        u = self.out(context)
        mask = (
            torch.ones_like(context, dtype=u.dtype)
            if context_mask is None
            else context_mask.to(u.dtype)
        )
        mean = (u * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True).clamp_min(1.0)
        return nn.functional.normalize(mean, dim=-1)

    def sense_logits(
        self, center: Tensor, context: Tensor, context_mask: Tensor | None = None
    ) -> Tensor:
        """Unnormalised disambiguation scores ``(B, S)``."""
        q = self.disamb(self._rows(center))  # (B, S, d)
        return torch.einsum("bsd,bd->bs", q, self.context_vector(context, context_mask))

    def sense_probs(
        self, center: Tensor, context: Tensor, context_mask: Tensor | None = None
    ) -> Tensor:
        """``p(s | w, context)``, rows sum to 1."""
        return torch.softmax(self.sense_logits(center, context, context_mask), dim=-1)

    def loss(
        self,
        center: Tensor,
        context: Tensor,
        negatives: Tensor,
        context_mask: Tensor | None = None,
    ) -> Tensor:
        """Expected negative-sampling loss over senses, plus the entropy term."""
        mask = (
            torch.ones_like(context, dtype=torch.float32)
            if context_mask is None
            else context_mask.float()
        )
        p = self.sense_probs(center, context, mask)  # (B, S)
        v = self.sense_vectors(center)  # (B, S, d)
        pos = torch.einsum("bsd,bmd->bsm", v, self.out(context))  # (B, S, m)
        neg = torch.einsum("bsd,bmkd->bsmk", v, self.out(negatives))  # (B, S, m, K)
        per = -(nn.functional.logsigmoid(pos) + nn.functional.logsigmoid(-neg).sum(-1))
        per = (per * mask.unsqueeze(1)).sum(-1)  # (B, S): summed over context words
        expected = (p * per).sum(-1) / mask.sum(-1).clamp_min(1.0)
        entropy = -(p * torch.log(p.clamp_min(1e-12))).sum(-1)
        return (expected - self.entropy_weight * entropy).mean()

    @torch.no_grad()
    def induce(self, center: Tensor, context: Tensor, context_mask: Tensor | None = None) -> Tensor:
        """Word-sense induction: the arg-max sense of each occurrence, ``(B,)``."""
        return self.sense_logits(center, context, context_mask).argmax(-1)

    @torch.no_grad()
    def nearest(
        self, word: int, sense: int, k: int = 8, allowed: Tensor | None = None
    ) -> list[tuple[int, int, float]]:
        """The ``k`` (word, sense, cosine) nearest to sense ``sense`` of ``word`` (other words).

        Args:
            word: the word id.
            sense: which of its senses.
            k: how many neighbours (at most the other words' senses).
            allowed: ``(V, S)`` bool, the senses that may be returned (e.g. those used).
        """
        table = nn.functional.normalize(self.sense.weight, dim=-1)
        sims = table @ table[word * self.senses + sense]
        if allowed is not None:
            sims[~allowed.reshape(-1)] = -2.0
        sims[word * self.senses : (word + 1) * self.senses] = -2.0
        k = max(0, min(k, sims.numel() - self.senses))  # only other words' senses
        top = torch.topk(sims, k).indices.tolist()
        return [(i // self.senses, i % self.senses, round(float(sims[i]), 4)) for i in top]


KIND = "text.disambiguated-skipgram"
CITATION = """@inproceedings{grzegorczyk2018disambiguated,
  title = {Disambiguated skip-gram model},
  author = {Grzegorczyk, Karol and Kurdziel, Marcin},
  booktitle = {Proceedings of EMNLP 2018},
  year = {2018}
}"""


def save_skipgram(folder: str | Path, model: DisambiguatedSkipGram, vocab: list[str]) -> Path:
    """Save the model and its vocabulary as an :mod:`rl_shared.artifacts` model folder.

    Args:
        folder: the model folder (replaced atomically when it exists).
        model: a trained :class:`DisambiguatedSkipGram`.
        vocab: the word of each word id.

    Example:
        >>> import tempfile
        >>> m = DisambiguatedSkipGram(3, dim=4, senses=2)
        >>> folder = save_skipgram(tempfile.mkdtemp() + "/dsg", m, ["a", "b", "c"])
        >>> again, vocab = load_skipgram(folder)
        >>> vocab, bool((again.sense.weight == m.sense.weight).all())
        (['a', 'b', 'c'], True)
    """
    from rl_shared.artifacts import save_model

    if len(vocab) != model.vocab_size:
        raise BadInput(f"the vocabulary has {len(vocab)} words, the model {model.vocab_size}")
    return save_model(
        folder,
        kind=KIND,
        config={"dim": model.dim, "senses": model.senses, "vocab": list(vocab)},
        tensors=model,
        citation=CITATION,
        summary=f"Disambiguated Skip-gram: {model.senses} sense vectors of size {model.dim} "
        f"for each of {len(vocab)} words.",
    )


def load_skipgram(folder: str | Path) -> tuple[DisambiguatedSkipGram, list[str]]:
    """``(model, vocabulary)`` from :func:`save_skipgram`.

    Args:
        folder: the model folder.

    Raises:
        ModelNotFound: the folder is not a saved model.
        MalformedFile: its ``config.json`` lacks a setting or holds one of the wrong type.
        BadInput: it holds another kind of model, or its weights do not fit.
    """
    from rl_shared.artifacts import CONFIG, load_model

    art = load_model(folder, kind=KIND)
    c = art.config
    path = Path(folder) / CONFIG
    vocab = c.get("vocab")
    if not isinstance(vocab, list) or not vocab or not all(isinstance(w, str) for w in vocab):
        raise MalformedFile(path, None, "'vocab' must be a non-empty list of words")
    for key in ("dim", "senses"):
        value = c.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise MalformedFile(path, None, f"'{key}' must be a positive integer, got {value!r}")
    model = DisambiguatedSkipGram(len(vocab), c["dim"], c["senses"])
    art.load_into(model)
    return model, vocab
