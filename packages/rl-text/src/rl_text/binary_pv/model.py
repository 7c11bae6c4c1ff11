"""Binary Paragraph Vectors: PV-DBOW whose document code is squashed to bits.

PV-DBOW learns a vector per document that predicts the document's words (negative
sampling). In the binary model the document code goes through a sigmoid and is rounded to
0/1 in the forward pass with a straight-through gradient (the derivative of the sigmoid),
so at the end every document has a ``bits``-long binary code and documents can be
retrieved by Hamming distance. The Real-Binary model keeps a real-valued code ``r`` and
computes a short binary code from it, ``b = round(σ(W r))``; both predict the words, so the
short code filters candidates by Hamming distance and the real code re-ranks them.
New documents get codes by inference: gradient steps on their codes with the word
weights frozen (as ``gensim``'s ``infer_vector``). gensim has no binary variant.

References:
    Grzegorczyk, Kurdziel, "Binary Paragraph Vectors", RepL4NLP 2017, arXiv:1611.01116;
    Grzegorczyk, "Vector representations of text data in deep learning", PhD thesis,
    AGH 2018, arXiv:1901.01695. Le, Mikolov, "Distributed Representations of Sentences
    and Documents", ICML 2014.

Example:
    >>> from rl_text.binary_pv.data import Corpus
    >>> corpus = Corpus.build(["a cat sat", "a dog sat", "a cat ran"], min_count=1)
    >>> model = BinaryParagraphVector(len(corpus.vocab), n_docs=3, bits=8)
    >>> codes = model.codes()
    >>> codes.shape, sorted(set(codes.flatten().tolist())) <= [0, 1]
    (torch.Size([3, 8]), True)
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput, MalformedFile
from rl_text.binary_pv.data import Corpus

__all__ = ["BinaryParagraphVector", "RealBinaryParagraphVector", "binarize_ste", "ns_loss"]


def binarize_ste(logits: Tensor) -> Tensor:
    """``round(σ(x))`` forward, ``σ'(x)`` backward (straight-through estimator).

    Args:
        logits: pre-sigmoid code values, any shape.

    Shapes:
        ``logits`` ``(...)`` → a 0/1 tensor of the same shape (float, differentiable).

    Example:
        >>> x = torch.tensor([-2.0, 0.5], requires_grad=True)
        >>> y = binarize_ste(x); y.sum().backward()
        >>> y.tolist(), [round(g, 4) for g in x.grad.tolist()]
        ([0.0, 1.0], [0.105, 0.235])
    """
    soft = torch.sigmoid(logits)
    return soft + (torch.round(soft) - soft).detach()


def ns_loss(code: Tensor, out: nn.Embedding, words: Tensor, negatives: Tensor) -> Tensor:
    """Negative-sampling loss of predicting ``words`` from ``code`` (mean over the batch).

    Shapes:
        code ``(B, D)``, words ``(B,)``, negatives ``(B, K)`` → scalar.

    Args:
        code: document codes.
        out: the output word embeddings.
        words: the observed word of each row.
        negatives: sampled noise words of each row.

    Example:
        >>> out = nn.Embedding(5, 3)
        >>> float(ns_loss(torch.zeros(2, 3), out, torch.tensor([0, 1]), torch.tensor([[2], [3]])))
        1.3862943649291992
    """
    pos = (code * out(words)).sum(-1)
    neg = torch.einsum("bd,bkd->bk", code, out(negatives))
    return -(nn.functional.logsigmoid(pos) + nn.functional.logsigmoid(-neg).sum(-1)).mean()


class BinaryParagraphVector(nn.Module):
    """PV-DBOW with a ``bits``-dimensional binary document code.

    Args:
        vocab_size: number of words.
        n_docs: number of training documents.
        bits: code length.
        binarize: ``"ste"`` (rounded in the forward pass) or ``"sigmoid"`` (relaxed; codes
            are thresholded at 0.5 only when read out).

    Shapes:
        ``loss(doc_ids (B,), words (B,), negatives (B, K))`` → scalar; ``codes()`` → ``(N, bits)``.

    Example:
        >>> model = BinaryParagraphVector(vocab_size=10, n_docs=3, bits=8)
        >>> model.codes().shape
        torch.Size([3, 8])
    """

    def __init__(self, vocab_size: int, n_docs: int, bits: int = 64, binarize: str = "ste") -> None:
        super().__init__()
        if bits < 1 or n_docs < 1 or vocab_size < 1:
            raise BadInput("bits, n_docs and vocab_size must be positive")
        if binarize not in ("ste", "sigmoid"):
            raise BadInput(f"binarize must be 'ste' or 'sigmoid', got {binarize!r}")
        self.bits, self.binarize = bits, binarize
        self.doc = nn.Embedding(n_docs, bits)
        self.out = nn.Embedding(vocab_size, bits)
        nn.init.normal_(self.doc.weight, std=0.5)
        nn.init.normal_(self.out.weight, std=0.1)

    def code_of(self, logits: Tensor) -> Tensor:
        """The (straight-through) code used in training."""
        return binarize_ste(logits) if self.binarize == "ste" else torch.sigmoid(logits)

    def loss(
        self, doc_ids: Tensor, words: Tensor, negatives: Tensor, doc: nn.Embedding | None = None
    ) -> Tensor:
        table = doc if doc is not None else self.doc
        return ns_loss(self.code_of(table(doc_ids)), self.out, words, negatives)

    @torch.no_grad()
    def codes(self, doc: nn.Embedding | None = None) -> Tensor:
        """0/1 codes (uint8) of every document of ``doc`` (default: the training documents)."""
        table = doc if doc is not None else self.doc
        return (table.weight > 0).to(torch.uint8)

    def new_doc_table(self, n: int) -> nn.Embedding:
        """A fresh code table for ``n`` documents to infer."""
        table = nn.Embedding(n, self.doc.embedding_dim)
        nn.init.normal_(table.weight, std=0.5)
        return table


class RealBinaryParagraphVector(nn.Module):
    """Real-Binary PV-DBOW: a real code ``r`` and a short binary code ``round(σ(W r))``.

    Args:
        vocab_size: number of words.
        n_docs: number of training documents.
        bits: binary code length (short, for filtering).
        dim: real code size (for re-ranking).

    Shapes:
        ``codes()`` → ``(N, bits)`` uint8; ``real()`` → ``(N, dim)``.

    Example:
        >>> model = RealBinaryParagraphVector(vocab_size=10, n_docs=3, bits=8, dim=16)
        >>> model.codes().shape, model.real().shape
        (torch.Size([3, 8]), torch.Size([3, 16]))
    """

    def __init__(self, vocab_size: int, n_docs: int, bits: int = 32, dim: int = 128) -> None:
        super().__init__()
        if bits < 1 or dim < 1:
            raise BadInput("bits and dim must be positive")
        self.bits, self.dim = bits, dim
        self.doc = nn.Embedding(n_docs, dim)
        self.project = nn.Linear(dim, bits)
        self.out_real = nn.Embedding(vocab_size, dim)
        self.out_bin = nn.Embedding(vocab_size, bits)
        nn.init.normal_(self.doc.weight, std=0.1)
        nn.init.normal_(self.out_real.weight, std=0.1)
        nn.init.normal_(self.out_bin.weight, std=0.1)

    def loss(
        self, doc_ids: Tensor, words: Tensor, negatives: Tensor, doc: nn.Embedding | None = None
    ) -> Tensor:
        r = (doc if doc is not None else self.doc)(doc_ids)
        b = binarize_ste(self.project(r))
        return ns_loss(r, self.out_real, words, negatives) + ns_loss(
            b, self.out_bin, words, negatives
        )

    @torch.no_grad()
    def codes(self, doc: nn.Embedding | None = None) -> Tensor:
        table = doc if doc is not None else self.doc
        return (self.project(table.weight) > 0).to(torch.uint8)

    @torch.no_grad()
    def real(self, doc: nn.Embedding | None = None) -> Tensor:
        """Real-valued codes of every document of ``doc``."""
        return (doc if doc is not None else self.doc).weight.detach().clone()

    def new_doc_table(self, n: int) -> nn.Embedding:
        table = nn.Embedding(n, self.dim)
        nn.init.normal_(table.weight, std=0.1)
        return table


KIND = "text.binary-pv"
CITATION = """@inproceedings{grzegorczyk2017binary,
  title = {Binary Paragraph Vectors},
  author = {Grzegorczyk, Karol and Kurdziel, Marcin},
  booktitle = {Proceedings of the 2nd Workshop on Representation Learning for NLP},
  year = {2017},
  note = {arXiv:1611.01116}
}"""


def save_pv(folder: str | Path, model: nn.Module, corpus: Corpus) -> Path:
    """Save a (Real-)Binary PV model with its vocabulary as an :mod:`rl_shared.artifacts` folder.

    Args:
        folder: the model folder (replaced atomically when it exists).
        model: a :class:`BinaryParagraphVector` or :class:`RealBinaryParagraphVector`.
        corpus: the training corpus (its vocabulary and counts are kept, not its documents).

    Example:
        >>> import tempfile
        >>> corpus = Corpus.build(["a cat", "a dog"], min_count=1)
        >>> model = BinaryParagraphVector(len(corpus.vocab), 2, bits=4)
        >>> folder = save_pv(tempfile.mkdtemp() + "/pv", model, corpus)
        >>> again, c2 = load_pv(folder)
        >>> bool((again.codes() == model.codes()).all()), c2.vocab == corpus.vocab
        (True, True)
    """
    from rl_shared.artifacts import save_model

    real = isinstance(model, RealBinaryParagraphVector)
    config = {
        "variant": "real-binary" if real else "binary",
        "bits": model.bits,
        "dim": model.dim if real else None,
        "n_docs": cast(nn.Embedding, model.doc).num_embeddings,
        "binarize": None if real else model.binarize,
        "vocab": corpus.vocab,
        "counts": corpus.counts.tolist(),
    }
    return save_model(
        folder,
        kind=KIND,
        config=config,
        tensors=model,
        citation=CITATION,
        summary=f"{'Real-' if real else ''}Binary PV-DBOW with {model.bits}-bit document codes.",
    )


def load_pv(folder: str | Path) -> tuple[BinaryParagraphVector | RealBinaryParagraphVector, Corpus]:
    """``(model, corpus)`` from :func:`save_pv` (the corpus has the vocabulary, no documents).

    Args:
        folder: the model folder.

    Raises:
        ModelNotFound: the folder is not a saved model.
        MalformedFile: its ``config.json`` lacks a setting or holds one of the wrong type.
        BadInput: it holds another kind of model, or its weights do not fit.
    """
    import numpy as np

    from rl_shared.artifacts import CONFIG, load_model

    art = load_model(folder, kind=KIND)
    c = art.config
    path = Path(folder) / CONFIG

    def positive(key: str) -> int:
        value = c.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise MalformedFile(path, None, f"'{key}' must be a positive integer, got {value!r}")
        return value

    vocab, counts = c.get("vocab"), c.get("counts")
    if not isinstance(vocab, list) or not vocab or not all(isinstance(w, str) for w in vocab):
        raise MalformedFile(path, None, "'vocab' must be a non-empty list of words")
    if (
        not isinstance(counts, list)
        or len(counts) != len(vocab)
        or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in counts)
    ):
        raise MalformedFile(path, None, "'counts' must hold one positive count per word")
    if c.get("variant") not in ("binary", "real-binary"):
        raise MalformedFile(
            path, None, f"'variant' {c.get('variant')!r} is not binary or real-binary"
        )
    corpus = Corpus(vocab, np.array(counts, dtype=np.int64), [])
    model: BinaryParagraphVector | RealBinaryParagraphVector
    try:
        if c["variant"] == "real-binary":
            model = RealBinaryParagraphVector(
                len(vocab), positive("n_docs"), positive("bits"), positive("dim")
            )
        else:
            model = BinaryParagraphVector(
                len(vocab), positive("n_docs"), positive("bits"), c.get("binarize", "ste")
            )
    except BadInput as err:
        raise MalformedFile(path, None, str(err)) from None
    art.load_into(model)
    return model, corpus
