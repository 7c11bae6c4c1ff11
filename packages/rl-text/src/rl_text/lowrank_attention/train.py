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
    "classifier_step_loss",
    "encode_absa",
    "evaluate_classifier",
    "minilm_embeddings",
    "predict",
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
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> list[float]:
    """Adam on cross-entropy; returns the mean loss of each epoch.

    The loop runs through :func:`rl_shared.runtime.make_accelerator`. Under ``torchrun``
    every process shuffles the same way (the same ``seed``) and trains on its contiguous
    share of each batch (:func:`classifier_step_loss`, weighted so that DDP's gradient
    average is the one-process gradient of the batch's mean loss, even for a last batch
    that does not split evenly); the history is the loss over all processes' rows.

    Args:
        model: a classifier ``model(ids, padding_mask) -> (logits, weights)``, e.g.
            :class:`~rl_text.lowrank_attention.model.GRUAttentionClassifier`; trained in
            place (and moved to the training device).
        data: encoded training examples.
        epochs: passes over ``data``.
        batch_size: rows per step (the global batch under ``torchrun``).
        lr: Adam learning rate.
        seed: seeds Python, NumPy and torch, and the shuffle.
        progress: optional callable wrapping the epoch iterator (e.g. ``ctx.track``); used
            by the main process only.
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the forward pass.

    Raises:
        BadInput: non-positive sizes, or an unavailable ``device`` or ``precision``.
        NonFiniteLoss: the loss became NaN or infinite.

    References:
        Mehta et al., arXiv:1912.00835 (classifiers trained with cross-entropy).

    Example:
        >>> from rl_text.lowrank_attention.model import GRUAttentionClassifier
        >>> data = EncodedText(torch.tensor([[3, 4], [5, 0]]), torch.tensor([[0, 0], [0, 1]]).bool(),
        ...                    torch.tensor([1, 0]))
        >>> model = GRUAttentionClassifier(10, embed_dim=4, hidden=4, num_classes=2, num_heads=2)
        >>> len(train_classifier(model, data, epochs=2, batch_size=2))
        2
    """
    from rl_shared.runtime import make_accelerator, seed_everything

    if epochs < 1 or batch_size < 1:
        raise BadInput("epochs and batch_size must be positive")
    acc = make_accelerator(str(device), precision)
    seed_everything(seed)
    rng = random.Random(seed)
    model.to(acc.device)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=lr)
    net, optimizer = acc.prepare(model, optimizer)
    model.train()
    losses = []
    epochs_iter: Any = range(epochs)
    if progress is not None and acc.is_main_process:
        epochs_iter = progress(epochs_iter)
    for _ in epochs_iter:
        order = list(range(len(data)))
        rng.shuffle(order)
        total = 0.0
        for i in range(0, len(order), batch_size):
            rows = order[i : i + batch_size]
            if len(rows) < acc.num_processes:  # a last batch too small to split: all skip it
                continue
            loss, mean, n = classifier_step_loss(net, data, rows, acc)
            if not torch.isfinite(loss):
                raise NonFiniteLoss(f"classifier loss became {loss.item()}")
            optimizer.zero_grad(set_to_none=True)
            acc.backward(loss)
            acc.clip_grad_norm_(params, 5.0)
            optimizer.step()
            total += mean * n
        losses.append(_summed(acc, total) / len(data))
    model.eval()
    acc.wait_for_everyone()
    return losses


def _summed(acc: Any, value: float) -> float:
    """``value`` summed over the processes (itself, untouched, in one process)."""
    if acc.num_processes == 1:
        return value
    return float(acc.reduce(torch.tensor(value, dtype=torch.float64, device=acc.device), "sum"))


def classifier_step_loss(
    net: nn.Module, data: EncodedText, rows: list[int], acc: Any
) -> tuple[Tensor, float, int]:
    """This process's share of one step's loss on the global batch ``data.subset(rows)``.

    The process keeps its contiguous share of ``rows``
    (:func:`rl_shared.runtime.shard_bounds`), runs ``net`` on it under ``acc.autocast()``
    and weights its mean cross-entropy by ``world · share / len(rows)``: DDP averages the
    processes' gradients, so the result is the gradient of the mean loss over all rows
    (the weight is exactly 1 in one process).

    Args:
        net: the prepared classifier (or its DDP wrapper).
        data: encoded examples.
        rows: the global batch's row indices (the same on every process).
        acc: the ``accelerate.Accelerator`` from :func:`rl_shared.runtime.make_accelerator`.

    Returns:
        the loss to back-propagate, this process's mean cross-entropy and its row count.

    Raises:
        BadInput: fewer rows than processes.

    Shapes:
        rows ``B`` indices -> a scalar loss.

    References:
        Mehta et al., arXiv:1912.00835.

    Example:
        >>> from rl_shared.runtime import make_accelerator
        >>> from rl_text.lowrank_attention.model import GRUAttentionClassifier
        >>> data = EncodedText(torch.tensor([[3, 4], [5, 0]]), torch.tensor([[0, 0], [0, 1]]).bool(),
        ...                    torch.tensor([1, 0]))
        >>> model = GRUAttentionClassifier(10, embed_dim=4, hidden=4, num_classes=2, num_heads=2)
        >>> loss, mean, n = classifier_step_loss(model, data, [0, 1], make_accelerator())
        >>> loss.dim(), n, round(float(loss), 6) == round(mean, 6)
        (0, 2, True)
    """
    from rl_shared.runtime import shard_bounds

    start, stop = shard_bounds(len(rows), acc.num_processes, acc.process_index)
    if start == stop:
        raise BadInput(
            f"a batch of {len(rows)} rows cannot be split over {acc.num_processes} processes"
        )
    batch = data.subset(rows[start:stop])
    with acc.autocast():
        logits, _ = net(batch.ids.to(acc.device), batch.padding_mask.to(acc.device))
        ce = F.cross_entropy(logits.float(), batch.labels.to(acc.device))
    share = stop - start
    weight = acc.num_processes * share / len(rows)
    loss = ce if weight == 1 else ce * weight
    return loss, ce.item(), share


@torch.no_grad()
def predict(
    model: nn.Module,
    data: EncodedText,
    batch_size: int = 256,
    precision: str = "fp32",
) -> Tensor:
    """Predicted class of every row of ``data`` (eval mode, on the model's device), ``(M,)``.

    Args:
        model: a classifier ``model(ids, padding_mask) -> (logits, weights)``.
        data: encoded examples (moved to the model's device batch by batch).
        batch_size: rows per forward pass.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast.

    Shapes:
        -> ``(M,)`` long, on the CPU.

    References:
        Mehta et al., arXiv:1912.00835.

    Example:
        >>> from rl_text.lowrank_attention.model import GRUAttentionClassifier
        >>> data = EncodedText(torch.tensor([[3, 4]]), torch.tensor([[0, 0]]).bool(), torch.tensor([1]))
        >>> model = GRUAttentionClassifier(10, embed_dim=4, hidden=4, num_classes=2, num_heads=2)
        >>> predict(model, data).shape
        torch.Size([1])
    """
    from rl_shared.runtime import autocast

    model.eval()
    device = next(model.parameters()).device
    out = []
    with autocast(device, precision):
        for i in range(0, len(data), batch_size):
            batch = data.subset(list(range(i, min(i + batch_size, len(data)))))
            logits = model(batch.ids.to(device), batch.padding_mask.to(device))[0]
            out.append(logits.argmax(-1))
    return torch.cat(out).cpu()


def evaluate_classifier(
    model: nn.Module,
    data: EncodedText,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> dict[str, float]:
    """Accuracy and macro-F1 (over the classes seen in gold or predictions' label range).

    Args:
        model: a trained classifier; moved to ``device``.
        data: encoded test examples.
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``: where it scores.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast.

    Raises:
        BadInput: an unavailable ``device`` or a ``precision`` it does not support.

    References:
        Mehta et al., arXiv:1912.00835.

    Example:
        >>> from rl_text.lowrank_attention.model import GRUAttentionClassifier
        >>> data = EncodedText(torch.tensor([[3, 4]]), torch.tensor([[0, 0]]).bool(), torch.tensor([1]))
        >>> model = GRUAttentionClassifier(10, embed_dim=4, hidden=4, num_classes=2, num_heads=2)
        >>> evaluate_classifier(model, data)["n"]
        1
    """
    from rl_shared.runtime import resolve_device, resolve_precision
    from rl_text.cvib.train import accuracy_macro_f1

    target = resolve_device(str(device))
    resolve_precision(precision, target)  # a bad value is named before the model moves
    model.to(target)
    pred = predict(model, data, precision=precision).tolist()
    return {**accuracy_macro_f1(data.labels.tolist(), pred), "n": len(data)}


@torch.no_grad()
def throughput(
    model: nn.Module,
    data: EncodedText,
    batch_size: int = 64,
    repeats: int = 3,
    precision: str = "fp32",
) -> float:
    """Inference sentences per second (best of ``repeats`` passes over ``data``).

    Runs on the model's device (each pass ends with its predictions on the CPU, so
    asynchronous devices are timed to completion).

    Args:
        model: the classifier.
        data: encoded examples.
        batch_size: rows per forward pass.
        repeats: timed passes (the best counts).
        precision: ``fp32``, or ``bf16``/``fp16`` autocast.

    References:
        Mehta et al., arXiv:1912.00835 (inference speed of low-rank attention).

    Example:
        >>> from rl_text.lowrank_attention.model import GRUAttentionClassifier
        >>> data = EncodedText(torch.tensor([[3, 4]]), torch.tensor([[0, 0]]).bool(), torch.tensor([1]))
        >>> model = GRUAttentionClassifier(10, embed_dim=4, hidden=4, num_classes=2, num_heads=2)
        >>> throughput(model, data, repeats=1) > 0
        True
    """
    model.eval()
    best = float("inf")
    warm = data.subset(list(range(min(len(data), batch_size))))
    predict(model, warm, batch_size, precision)  # warm-up
    for _ in range(repeats):
        start = time.perf_counter()
        predict(model, data, batch_size, precision)
        best = min(best, time.perf_counter() - start)
    return len(data) / best
