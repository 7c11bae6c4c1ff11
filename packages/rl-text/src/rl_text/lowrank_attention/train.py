"""Encode aspect-sentiment examples to token ids, train and time the GRU attention classifiers.

References:
    Mehta et al., "Low Rank Factorization for Compact Multi-Head Self-Attention", arXiv 2019.
    https://arxiv.org/abs/1912.00835

Example:
    >>> import torch
    >>> from rl_text.lowrank_attention.model import GRUAttentionClassifier
    >>> data = EncodedText(torch.tensor([[3, 4, 0], [5, 0, 0]]), torch.tensor([[0, 0, 1], [0, 1, 1]]).bool(),
    ...                    torch.tensor([1, 0]))
    >>> model = GRUAttentionClassifier(10, embed_dim=4, hidden=4, num_classes=2, num_heads=2)
    >>> log = train_classifier(model, data, epochs=2, batch_size=2)
    >>> len(log), sorted(evaluate_classifier(model, data))
    (2, ['accuracy', 'macro_f1', 'n'])
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rl_shared.errors import BadInput, NonFiniteLoss

__all__ = [
    "EncodedText",
    "encode_absa",
    "evaluate_classifier",
    "minilm_embeddings",
    "throughput",
    "train_classifier",
]


@dataclass
class EncodedText:
    """Padded token ids with their padding mask (True = padding) and labels.

    Shapes:
        ids ``(M, N)`` long, padding_mask ``(M, N)`` bool, labels ``(M,)`` long.

    Args:
        ids: padded token ids.
        padding_mask: True at padding.
        labels: class of each row.

    Example:
        >>> data = EncodedText(torch.tensor([[3, 4, 0]]), torch.tensor([[0, 0, 1]]).bool(),
        ...                    torch.tensor([1]))
        >>> len(data), data.subset([0]).ids.shape
        (1, torch.Size([1, 2]))
    """

    ids: Tensor
    padding_mask: Tensor
    labels: Tensor

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    def subset(self, rows: list[int] | Tensor) -> EncodedText:
        rows = torch.as_tensor(rows, dtype=torch.long)
        ids, mask = self.ids[rows], self.padding_mask[rows]
        width = max(1, int((~mask).sum(1).max()))  # trim shared padding
        return EncodedText(ids[:, :width], mask[:, :width], self.labels[rows])


def encode_absa(tokenizer: Any, examples: list, max_length: int = 96) -> EncodedText:
    """Tokenise ``sentence [SEP] aspect`` pairs with a Hugging Face tokenizer.

    Args:
        tokenizer: a Hugging Face tokenizer that takes sentence pairs.
        examples: :class:`~rl_text.cvib.data.AbsaExample` rows (``sentence``, ``aspect``,
            ``label``).
        max_length: truncation length of the pair (the sentence is cut, not the aspect).

    Shapes:
        -> ids ``(M, N)``, padding_mask ``(M, N)``, labels ``(M,)``; ``N`` the longest pair.

    Raises:
        BadInput: no examples.

    Example:
        >>> from transformers import AutoTokenizer
        >>> from rl_shared.models import resolve
        >>> from rl_text.cvib.data import AbsaExample
        >>> tokenizer = AutoTokenizer.from_pretrained(str(resolve("minilm")))
        >>> data = encode_absa(tokenizer, [AbsaExample("Slow service .", "service", 0, 5),
        ...                                AbsaExample("good food", "food", 2, 5)])
        >>> data.ids.tolist(), data.padding_mask[1].tolist(), data.labels.tolist()
        ([[101, 4030, 2326, 1012, 102, 2326, 102], [101, 2204, 2833, 102, 2833, 102, 0]], [False, False, False, False, False, False, True], [0, 2])
    """
    if not examples:
        raise BadInput("no examples to encode")
    batch = tokenizer(
        [e.sentence for e in examples],
        [e.aspect for e in examples],
        truncation="only_first",
        max_length=max_length,
        padding=True,
        return_tensors="pt",
    )
    mask = batch["attention_mask"] == 0
    labels = torch.tensor([e.label for e in examples], dtype=torch.long)
    return EncodedText(batch["input_ids"], mask, labels)


def minilm_embeddings(st: Any) -> tuple[Tensor, Any]:
    """The input word-embedding matrix ``(V, 384)`` of a SentenceTransformer and its tokenizer.

    Args:
        st: a ``SentenceTransformer`` whose first module wraps a Hugging Face model
            (the packaged ``minilm``).

    Returns:
        a detached copy of the word-embedding matrix, and the model's tokenizer.

    Shapes:
        -> ``(V, H)``: ``(30522, 384)`` for MiniLM.

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> matrix, tokenizer = minilm_embeddings(load_sentence_transformer("minilm"))
        >>> matrix.shape, matrix.requires_grad, tokenizer.vocab_size
        (torch.Size([30522, 384]), False, 30522)
    """
    matrix = st[0].auto_model.get_input_embeddings().weight.detach().clone()
    return matrix, st[0].tokenizer


def train_classifier(
    model: nn.Module,
    data: EncodedText,
    epochs: int = 5,
    batch_size: int = 32,
    lr: float = 2e-3,
    seed: int = 0,
    progress: Any = None,
) -> list[float]:
    """Adam on cross-entropy; returns the mean loss of each epoch.

    Args:
        progress: optional callable wrapping the epoch iterator (e.g. ``ctx.track``).

    Example:
        >>> from rl_text.lowrank_attention.model import GRUAttentionClassifier
        >>> data = EncodedText(torch.tensor([[3, 4], [5, 0]]), torch.tensor([[0, 0], [0, 1]]).bool(),
        ...                    torch.tensor([1, 0]))
        >>> model = GRUAttentionClassifier(10, embed_dim=4, hidden=4, num_classes=2, num_heads=2)
        >>> len(train_classifier(model, data, epochs=2, batch_size=2))
        2
    """
    from rl_shared.runtime import seed_everything

    if epochs < 1 or batch_size < 1:
        raise BadInput("epochs and batch_size must be positive")
    seed_everything(seed)
    rng = random.Random(seed)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=lr)
    model.train()
    losses = []
    epochs_iter = range(epochs) if progress is None else progress(range(epochs))
    for _ in epochs_iter:
        order = list(range(len(data)))
        rng.shuffle(order)
        total = 0.0
        for i in range(0, len(order), batch_size):
            batch = data.subset(order[i : i + batch_size])
            logits, _ = model(batch.ids, batch.padding_mask)
            loss = F.cross_entropy(logits, batch.labels)
            if not torch.isfinite(loss):
                raise NonFiniteLoss(f"classifier loss became {loss.item()}")
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(params, 5.0)
            optimizer.step()
            total += loss.item() * len(batch)
        losses.append(total / len(data))
    model.eval()
    return losses


@torch.no_grad()
def predict(model: nn.Module, data: EncodedText, batch_size: int = 256) -> Tensor:
    """Predicted class of every row of ``data`` (eval mode), ``(M,)`` long."""
    model.eval()
    out = []
    for i in range(0, len(data), batch_size):
        batch = data.subset(list(range(i, min(i + batch_size, len(data)))))
        out.append(model(batch.ids, batch.padding_mask)[0].argmax(-1))
    return torch.cat(out)


def evaluate_classifier(model: nn.Module, data: EncodedText) -> dict[str, float]:
    """Accuracy and macro-F1 (over the classes seen in gold or predictions' label range).

    Args:
        model: a trained classifier.
        data: encoded test examples.

    Example:
        >>> from rl_text.lowrank_attention.model import GRUAttentionClassifier
        >>> data = EncodedText(torch.tensor([[3, 4]]), torch.tensor([[0, 0]]).bool(), torch.tensor([1]))
        >>> model = GRUAttentionClassifier(10, embed_dim=4, hidden=4, num_classes=2, num_heads=2)
        >>> evaluate_classifier(model, data)["n"]
        1
    """
    from rl_text.cvib.train import accuracy_macro_f1

    pred = predict(model, data).tolist()
    return {**accuracy_macro_f1(data.labels.tolist(), pred), "n": len(data)}


@torch.no_grad()
def throughput(
    model: nn.Module, data: EncodedText, batch_size: int = 64, repeats: int = 3
) -> float:
    """Inference sentences per second (best of ``repeats`` passes over ``data``).

    Args:
        model: the classifier.
        data: encoded examples.
        batch_size: rows per forward pass.
        repeats: timed passes (the best counts).

    Example:
        >>> from rl_text.lowrank_attention.model import GRUAttentionClassifier
        >>> data = EncodedText(torch.tensor([[3, 4]]), torch.tensor([[0, 0]]).bool(), torch.tensor([1]))
        >>> model = GRUAttentionClassifier(10, embed_dim=4, hidden=4, num_classes=2, num_heads=2)
        >>> throughput(model, data, repeats=1) > 0
        True
    """
    model.eval()
    best = float("inf")
    predict(model, data.subset(list(range(min(len(data), batch_size)))), batch_size)  # warm-up
    for _ in range(repeats):
        start = time.perf_counter()
        predict(model, data, batch_size)
        best = min(best, time.perf_counter() - start)
    return len(data) / best
