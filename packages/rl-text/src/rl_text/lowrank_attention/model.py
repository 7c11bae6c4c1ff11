"""Bidirectional GRU + attention pooling text classifiers: low-rank (LAMA) vs standard MHA.

:class:`GRUAttentionClassifier` embeds token ids, runs a bidirectional GRU and pools the
states with either

* ``attention="lowrank"``: :class:`rl_shared.attention.LowRankMultiheadAttention`, ``m``
  heads that each score every token against one learned context through shared rank-``r``
  factors (``O(n·r)``), the ``m`` pooled vectors concatenated (Mehta et al.); or
* ``attention="mha"``: ``torch.nn.MultiheadAttention`` token-to-token self-attention with
  the same number of heads over the same states (``O(n²)``), then a masked mean,

followed by a linear classifier. Both expose per-token attention weights for
interpretation (:meth:`GRUAttentionClassifier.token_weights`): the low-rank heads' pooling
weights averaged over heads, and for MHA the attention each token receives averaged over
heads and real query tokens.

References:
    Mehta, Rangwala & Ramakrishnan, "Low Rank Factorization for Compact Multi-Head
    Self-Attention", arXiv:1912.00835.

Example:
    >>> import torch
    >>> model = GRUAttentionClassifier(50, embed_dim=8, hidden=6, num_classes=3, num_heads=2)
    >>> ids = torch.tensor([[5, 6, 7, 0], [8, 9, 0, 0]])
    >>> logits, weights = model(ids, ids == 0)
    >>> logits.shape, weights.shape, [round(float(w), 4) for w in weights.sum(-1)]
    (torch.Size([2, 3]), torch.Size([2, 4]), [1.0, 1.0])
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import Tensor, nn

from rl_shared.attention import LowRankMultiheadAttention
from rl_shared.errors import BadInput, MalformedFile, ShapeMismatch

__all__ = ["ATTENTIONS", "GRUAttentionClassifier", "count_parameters"]

ATTENTIONS = ("lowrank", "mha")


class GRUAttentionClassifier(nn.Module):
    """Embedding → BiGRU → attention pooling (low-rank or multi-head self-attention) → linear.

    Args:
        vocab_size: number of token ids.
        embed_dim: word-embedding width (ignored if ``embeddings`` is given).
        hidden: GRU hidden size per direction; states have width ``D = 2 · hidden``.
        num_classes: output classes.
        attention: ``"lowrank"`` or ``"mha"``.
        num_heads: attention heads ``m`` (both variants).
        rank: rank ``r`` of the low-rank factors (default ``D // 4``).
        embeddings: optional pretrained ``(vocab_size, E)`` matrix (e.g. MiniLM's input
            embeddings), copied and frozen unless ``train_embeddings``.
        train_embeddings: fine-tune the embedding matrix.
        dropout: dropout on embeddings and pooled vector.
        padding_idx: id of the padding token.

    Shapes:
        ids ``(B, N)`` long, padding_mask ``(B, N)`` bool (True = padding) ->
        logits ``(B, C)``, token weights ``(B, N)`` (sum to 1 over real tokens).

    Example:
        >>> model = GRUAttentionClassifier(50, embed_dim=8, hidden=6, num_classes=3, num_heads=2)
        >>> ids = torch.tensor([[5, 6, 7, 0]])
        >>> model(ids, ids == 0)[0].shape
        torch.Size([1, 3])
    """

    def __init__(
        self,
        vocab_size: int,
        embed_dim: int = 128,
        hidden: int = 64,
        num_classes: int = 3,
        attention: str = "lowrank",
        num_heads: int = 4,
        rank: int | None = None,
        embeddings: Tensor | None = None,
        train_embeddings: bool = False,
        dropout: float = 0.2,
        padding_idx: int = 0,
    ) -> None:
        super().__init__()
        if attention not in ATTENTIONS:
            raise BadInput(f"attention must be one of {', '.join(ATTENTIONS)}, got '{attention}'")
        if embeddings is not None:
            if embeddings.dim() != 2 or embeddings.shape[0] != vocab_size:
                raise ShapeMismatch(
                    f"embeddings must be ({vocab_size}, E), got {tuple(embeddings.shape)}"
                )
            embed_dim = embeddings.shape[1]
            self.embedding = nn.Embedding.from_pretrained(
                embeddings.detach().clone().float(),
                freeze=not train_embeddings,
                padding_idx=padding_idx,
            )
        else:
            self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=padding_idx)
        self.attention_kind = attention
        width = 2 * hidden
        self.gru = nn.GRU(embed_dim, hidden, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(dropout)
        self.pool: LowRankMultiheadAttention | nn.MultiheadAttention
        if attention == "lowrank":
            self.pool = LowRankMultiheadAttention(width, num_heads=num_heads, rank=rank)
            pooled = num_heads * width
        else:
            if width % num_heads:
                raise BadInput(f"GRU width {width} must be divisible by num_heads {num_heads}")
            self.pool = nn.MultiheadAttention(width, num_heads, batch_first=True)
            pooled = width
        self.classifier = nn.Linear(pooled, num_classes)

    def states(self, ids: Tensor, padding_mask: Tensor) -> Tensor:
        """BiGRU states ``(B, N, 2·hidden)`` (padded positions zeroed)."""
        if ids.shape != padding_mask.shape or ids.dim() != 2:
            raise ShapeMismatch(
                f"ids and padding_mask must both be (batch, seq), got {tuple(ids.shape)} and "
                f"{tuple(padding_mask.shape)}"
            )
        lengths = (~padding_mask).sum(1).clamp_min(1).cpu()
        x = self.dropout(self.embedding(ids))
        packed = nn.utils.rnn.pack_padded_sequence(
            x, lengths, batch_first=True, enforce_sorted=False
        )
        out, _ = self.gru(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=ids.shape[1])
        return out

    def forward(self, ids: Tensor, padding_mask: Tensor) -> tuple[Tensor, Tensor]:
        states = self.states(ids, padding_mask)
        if self.attention_kind == "lowrank":
            pooled, weights = self.pool(states, key_padding_mask=padding_mask)
            token_weights = weights.mean(1)
        else:
            out, attn = self.pool(
                states, states, states, key_padding_mask=padding_mask, need_weights=True
            )  # attn (B, N_query, N_key), averaged over heads
            real = (~padding_mask).unsqueeze(-1).to(out.dtype)
            pooled = (out * real).sum(1) / real.sum(1).clamp_min(1)
            token_weights = (attn * real).sum(1) / real.sum(1).clamp_min(1)
        return self.classifier(self.dropout(pooled)), token_weights

    def token_weights(self, ids: Tensor, padding_mask: Tensor) -> Tensor:
        """Per-token attention weights ``(B, N)`` in eval mode, without gradients."""
        was_training = self.training
        self.eval()
        with torch.no_grad():
            _, weights = self(ids, padding_mask)
        self.train(was_training)
        return weights


def count_parameters(module: nn.Module, trainable_only: bool = True) -> int:
    """Number of (trainable) parameters of ``module``.

    Args:
        module: any torch module.
        trainable_only: count only parameters with ``requires_grad`` (frozen embeddings
            are left out); ``False`` counts all.

    Example:
        >>> count_parameters(nn.Linear(3, 2))
        8
        >>> frozen = nn.Embedding(5, 2).requires_grad_(False)
        >>> count_parameters(frozen), count_parameters(frozen, trainable_only=False)
        (0, 10)
    """
    return sum(p.numel() for p in module.parameters() if p.requires_grad or not trainable_only)


KIND = "text.lowrank-attention"
CITATION = """@article{mehta2019lowrank,
  title = {Low Rank Factorization for Compact Multi-Head Self-Attention},
  author = {Mehta, Sneha and Rangwala, Huzefa and Ramakrishnan, Naren},
  journal = {arXiv preprint arXiv:1912.00835},
  year = {2019}
}"""


def save_classifier(
    folder: str | Path, model: GRUAttentionClassifier, config: dict, encoder: str
) -> Path:
    """Save a classifier on an encoder's frozen word embeddings (:mod:`rl_shared.artifacts`).

    The frozen embedding matrix is not stored: :func:`load_classifier` takes it (and the
    tokenizer) from ``encoder`` again.

    Args:
        folder: the model folder (replaced atomically when it exists).
        model: the trained classifier.
        config: the keyword arguments it was built with (without ``embeddings``).
        encoder: the sentence encoder whose input embeddings and tokenizer it reads.
    """
    from rl_shared.artifacts import save_model

    tensors = {k: v for k, v in model.state_dict().items() if k != "embedding.weight"}
    return save_model(
        folder,
        kind=KIND,
        config={**config, "encoder": str(encoder)},
        tensors=tensors,
        citation=CITATION,
        summary=f"BiGRU + {model.attention_kind} attention pooling classifier on the frozen input "
        f"word embeddings of {encoder}.",
    )


def load_classifier(folder: str | Path) -> tuple[GRUAttentionClassifier, dict, object]:
    """``(classifier, config, tokenizer)`` from :func:`save_classifier`.

    Raises:
        ModelNotFound: the folder is not a saved model (or its encoder cannot be found).
        MalformedFile: its ``config.json`` lacks a setting or has one of the wrong type.
        BadInput: it holds another kind of model, or its weights do not fit the encoder.
    """
    from rl_shared.artifacts import CONFIG, load_model
    from rl_shared.models import load_sentence_transformer

    art = load_model(folder, kind=KIND)
    config = dict(art.config)
    path = Path(folder) / CONFIG
    missing = [k for k in ("encoder", "hidden", "num_classes", "attention") if k not in config]
    if missing or not isinstance(config.get("encoder"), str):
        raise MalformedFile(path, None, f"the configuration lacks '{(missing or ['encoder'])[0]}'")
    st = load_sentence_transformer(config.pop("encoder"))
    matrix = st[0].auto_model.get_input_embeddings().weight.detach().clone()
    if config.get("vocab_size", matrix.shape[0]) != matrix.shape[0]:
        raise BadInput(
            f"{folder} was trained on an encoder with {config['vocab_size']} words, "
            f"its encoder has {matrix.shape[0]}"
        )
    config["vocab_size"] = int(matrix.shape[0])
    try:
        model = GRUAttentionClassifier(embeddings=matrix, **config)
    except (TypeError, ValueError, RuntimeError) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise MalformedFile(
            path, None, f"not a configuration of this classifier ({first})"
        ) from None
    try:
        model.load_state_dict({**art.tensors, "embedding.weight": model.embedding.weight})
    except RuntimeError as err:
        first = str(err).splitlines()[0]
        raise BadInput(f"the weights in {folder} do not fit this model: {first}") from None
    model.eval()
    return model, art.config, st[0].tokenizer
