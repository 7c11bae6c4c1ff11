"""2D Matryoshka Sentence Embeddings (2DMSE): train every depth and width with one forward pass.

Each step runs the transformer **once** (all input columns padded into one batch, with
``output_hidden_states``), samples a shallow layer ``i`` uniformly from ``1 … N-1`` and
returns::

    loss = last_layer_weight  * Σ_{d ∈ dims}       w_d · inner(E_N[:, :d])
         + prior_layers_weight * Σ_{d ∈ {D} ∪ S}    w_d · inner(E_i[:, :d])
         + kl_weight · KL( softmax(sim(E_N) / τ).detach()  ‖  softmax(sim(E_i) / τ) )

``E_L`` is layer ``L``'s hidden states pooled by the model's own Pooling (and Normalize)
modules, ``D`` the full width, ``S`` ``shallow_dims_per_step`` widths sampled from the
smaller Matryoshka dims (the paper trains the shallow layer at full width and at a sampled
width), ``sim`` the in-batch cosine-similarity matrix of the first column against every
other column's rows (a single column: against itself, diagonal masked), and the KL is the
row-wise ``batchmean`` divergence from the detached last layer's distribution (the teacher)
to the shallow layer's (the student), the paper's alignment of shallow to last layer.

How it differs from sentence-transformers' ``Matryoshka2dLoss`` (compared with version
6.2.0; defaults ``n_layers_per_step=1``, ``n_dims_per_step=1``, ``last_layer_weight=1``,
``prior_layers_weight=1``, ``kl_div_weight=1``, ``kl_temperature=0.3``,
``layer_weighting="uniform"``):

* there, ``n_dims_per_step=1`` samples **one** width for the last layer too (the full width
  is trained only when drawn); here the last layer is trained at **every** width, so the
  paper's full-model term ``L_N^D`` is always present;
* there, the shallow layer is drawn from ``0 … N-1`` where ``0`` is the embedding layer
  (before any transformer block); here from ``1 … N-1``, the depths a user can cut to;
* there, the KL is taken between softmaxes over the **embedding features** of each
  sentence (``softmax(e / 0.3)`` over 384 dims, scaled by the temperature); here between
  each sentence's **in-batch similarity distributions** (temperature 0.05, like InfoNCE),
  a relational alignment that does not force the shallow layer to copy coordinates;
* there, each Matryoshka width re-runs the pooling modules and the inner loss's forward;
  here the pooled embedding is computed once per layer and sliced, calling
  ``inner.compute_loss_from_embeddings`` directly, and all columns share one forward pass.

References:
    Li et al., "2D Matryoshka Sentence Embeddings", arXiv:2402.14776.
    Kusupati et al., "Matryoshka Representation Learning", arXiv:2205.13147.

Example:
    >>> from sentence_transformers.sentence_transformer.losses import CoSENTLoss
    >>> from rl_shared.models import load_sentence_transformer
    >>> model = load_sentence_transformer("minilm")
    >>> loss = Matryoshka2dLoss(model, CoSENTLoss(model), [384, 256, 128, 64, 32])
    >>> loss.get_config_dict()["matryoshka_dims"]
    [384, 256, 128, 64, 32]
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rl_shared.errors import BadInput
from rl_text.core.layers import (
    embedding_dim,
    layer_embeddings,
    num_layers,
    transformer_hidden_states,
)

__all__ = ["Matryoshka2dLoss", "in_batch_kl", "merge_columns"]

CITATION = """@article{li20242d,
  title={2D Matryoshka Sentence Embeddings},
  author={Li, Xianming and Li, Zongxi and Li, Jing and Xie, Haoran and Li, Qing},
  journal={arXiv preprint arXiv:2402.14776},
  year={2024}
}"""


def merge_columns(columns: list[dict[str, Tensor]]) -> tuple[dict[str, Tensor], list[int]] | None:
    """Right-pad tokenized columns to one length and stack them; ``None`` if they differ in keys.

    Columns with different keys, non-2D tensors or differing non-tensor metadata are not
    merged (``None``).

    Args:
        columns: tokenized feature dicts (``input_ids``, ``attention_mask``, ...), one per
            text column.

    Shapes:
        each column's tensors ``(B_c, T_c)`` -> merged ``(sum B_c, max T_c)``.

    Returns:
        the merged features and the number of rows of each column.

    Example:
        >>> a = {"input_ids": torch.tensor([[1, 2]]), "attention_mask": torch.ones(1, 2)}
        >>> b = {"input_ids": torch.tensor([[3, 4, 5], [6, 7, 8]]),
        ...      "attention_mask": torch.ones(2, 3)}
        >>> merged, sizes = merge_columns([a, b])
        >>> merged["input_ids"].tolist(), sizes
        ([[1, 2, 0], [3, 4, 5], [6, 7, 8]], [1, 2])
        >>> merge_columns([a, {"input_ids": torch.tensor([[1]])}]) is None
        True
    """
    keys = set(columns[0])
    if any(set(c) != keys for c in columns[1:]) or "input_ids" not in keys:
        return None
    tensors = {k for k in keys if isinstance(columns[0][k], Tensor)}
    if any(not isinstance(c[k], Tensor) or c[k].dim() != 2 for c in columns for k in tensors):
        return None
    if any(c[k] != columns[0][k] for c in columns[1:] for k in keys - tensors):
        return None  # metadata (e.g. sentence-transformers 6's "modality") must agree
    width = max(c["input_ids"].shape[1] for c in columns)
    merged = {k: columns[0][k] for k in keys - tensors}
    for k in tensors:
        merged[k] = torch.cat([F.pad(c[k], (0, width - c[k].shape[1])) for c in columns])
    return merged, [c["input_ids"].shape[0] for c in columns]


def in_batch_kl(student: list[Tensor], teacher: list[Tensor], temperature: float) -> Tensor:
    """KL from the teacher's in-batch similarity distribution to the student's (``batchmean``).

    Rows are the first column's sentences; candidates are every other column's rows (or the
    first column itself, diagonal masked, when there is one column). The teacher is detached.

    Args:
        student: the shallow layer's embeddings, one ``(B_c, d)`` tensor per column.
        teacher: the last layer's embeddings, columns as ``student``.
        temperature: softmax temperature of the cosine similarities.

    Shapes:
        ``student`` / ``teacher``: lists of ``(B_c, d)``; returns a scalar.

    Example:
        >>> e = [torch.randn(4, 8), torch.randn(4, 8)]
        >>> float(in_batch_kl(e, e, 0.05))
        0.0
    """

    def logits(columns: list[Tensor]) -> Tensor:
        anchors = F.normalize(columns[0], dim=-1)
        if len(columns) > 1:
            sims = anchors @ F.normalize(torch.cat(columns[1:]), dim=-1).T
        else:
            sims = anchors @ anchors.T
            sims = sims.masked_fill(torch.eye(len(sims), dtype=torch.bool), -1e4 * temperature)
        return sims / temperature

    target = F.log_softmax(logits([t.detach() for t in teacher]), dim=-1)
    return F.kl_div(
        F.log_softmax(logits(student), dim=-1), target, reduction="batchmean", log_target=True
    )


class Matryoshka2dLoss(nn.Module):
    """2DMSE loss: every depth and width from one transformer pass (see the module docstring).

    Each call samples a shallow layer from ``1 … N-1`` and ``shallow_dims_per_step`` smaller
    widths (:meth:`sample`), then :meth:`compute` adds the last layer's terms at every width,
    the shallow layer's terms and the in-batch KL alignment.

    Args:
        model: the ``SentenceTransformer`` being trained.
        loss: inner loss with ``compute_loss_from_embeddings(embeddings, labels)``: rl-shared's
            ``InfoNCELoss`` / ``CoSENTLoss`` or sentence-transformers' losses.
        matryoshka_dims: widths, e.g. ``[384, 256, 128, 64, 32]``; must include the full width.
        matryoshka_weights: one weight per width (default 1 each).
        shallow_dims_per_step: smaller widths sampled for the shallow layer besides the full one.
        last_layer_weight: weight of the last layer's terms.
        prior_layers_weight: weight of the shallow layer's terms.
        kl_weight: weight of the alignment term (0 turns it off).
        kl_temperature: temperature of the in-batch similarity softmax.

    Shapes:
        ``sentence_features``: a list of tokenized columns, ``(B, T)`` tensors each;
        ``labels``: whatever the inner loss takes. Returns a scalar.

    References:
        Li et al., "2D Matryoshka Sentence Embeddings", arXiv:2402.14776.

    Example:
        >>> from sentence_transformers.sentence_transformer.losses import CoSENTLoss
        >>> from rl_shared.models import load_sentence_transformer
        >>> model = load_sentence_transformer("minilm")
        >>> loss = Matryoshka2dLoss(model, CoSENTLoss(model), [384, 64])
        >>> columns = [model.tokenize(["A man plays.", "A cat sleeps."]),
        ...            model.tokenize(["A man is playing.", "A dog runs."])]
        >>> value = loss.compute(columns, torch.tensor([4.8, 0.5]), layer=3, shallow_dims=[384])
        >>> value.dim(), bool(torch.isfinite(value))
        (0, True)
    """

    def __init__(
        self,
        model: nn.Module,
        loss: nn.Module,
        matryoshka_dims: Sequence[int],
        matryoshka_weights: Sequence[float] | None = None,
        *,
        shallow_dims_per_step: int = 1,
        last_layer_weight: float = 1.0,
        prior_layers_weight: float = 1.0,
        kl_weight: float = 1.0,
        kl_temperature: float = 0.05,
    ) -> None:
        super().__init__()
        if not hasattr(loss, "compute_loss_from_embeddings"):
            raise BadInput(
                f"the inner loss {type(loss).__name__} has no compute_loss_from_embeddings; "
                "use e.g. CoSENTLoss or MultipleNegativesRankingLoss"
            )
        weights = [1.0] * len(matryoshka_dims) if matryoshka_weights is None else matryoshka_weights
        if len(weights) != len(matryoshka_dims):
            raise BadInput("matryoshka_weights needs one weight per entry of matryoshka_dims")
        full = embedding_dim(model)
        if full not in matryoshka_dims or any(not 1 <= d <= full for d in matryoshka_dims):
            raise BadInput(
                f"matryoshka_dims must include the full width {full} and lie in 1…{full}, "
                f"got {list(matryoshka_dims)}"
            )
        if kl_temperature <= 0:
            raise BadInput(f"kl_temperature must be positive, got {kl_temperature}")
        pairs = sorted(zip(matryoshka_dims, weights), reverse=True)
        self.model, self.loss = model, loss
        self.matryoshka_dims = [int(d) for d, _ in pairs]
        self.matryoshka_weights = [float(w) for _, w in pairs]
        self.shallow_dims_per_step = shallow_dims_per_step
        self.last_layer_weight, self.prior_layers_weight = last_layer_weight, prior_layers_weight
        self.kl_weight, self.kl_temperature = kl_weight, kl_temperature
        self.n_layers = num_layers(model)

    def sample(self) -> tuple[int, list[int]]:
        """Draw the shallow layer and its widths (Python's ``random``, restored on resume)."""
        layer = random.randint(1, max(1, self.n_layers - 1))
        smaller = self.matryoshka_dims[1:]
        k = min(max(self.shallow_dims_per_step, 0), len(smaller))
        return layer, [self.matryoshka_dims[0], *sorted(random.sample(smaller, k), reverse=True)]

    def embed(
        self, sentence_features: Iterable[dict[str, Tensor]], layers: Sequence[int]
    ) -> dict[int, list[Tensor]]:
        """Pooled embeddings of every column at each given layer, from one transformer pass."""
        columns = list(sentence_features)
        merged = merge_columns(columns)
        batches = (
            [(merged[0], merged[1])] if merged else [(c, [len(c["input_ids"])]) for c in columns]
        )
        out: dict[int, list[Tensor]] = {layer: [] for layer in layers}
        for features, sizes in batches:
            hidden = transformer_hidden_states(self.model, features)
            for layer in layers:
                out[layer].extend(layer_embeddings(self.model, hidden, layer).split(sizes))
        return out

    def compute(
        self,
        sentence_features: Iterable[dict[str, Tensor]],
        labels: Tensor,
        layer: int,
        shallow_dims: Sequence[int],
    ) -> Tensor:
        """The loss for a given shallow ``layer`` and its widths (what :meth:`forward` samples)."""
        last = self.n_layers
        embs = self.embed(sentence_features, sorted({layer, last}))
        weight = dict(zip(self.matryoshka_dims, self.matryoshka_weights))
        inner = cast(
            Callable[[list[Tensor], Tensor], Tensor], self.loss.compute_loss_from_embeddings
        )
        # both sums run over at least one width (the full one), so they are tensors, never 0
        total = cast(
            Tensor,
            sum(
                weight[d] * inner([e[:, :d] for e in embs[last]], labels)
                for d in self.matryoshka_dims
            ),
        )
        total = self.last_layer_weight * total
        if layer == last:
            return total
        shallow = cast(
            Tensor,
            sum(weight[d] * inner([e[:, :d] for e in embs[layer]], labels) for d in shallow_dims),
        )
        total = total + self.prior_layers_weight * shallow
        if self.kl_weight > 0:
            kl = in_batch_kl(embs[layer], embs[last], self.kl_temperature)
            total = total + self.kl_weight * kl
        return total

    def forward(self, sentence_features: Iterable[dict[str, Tensor]], labels: Tensor) -> Tensor:
        layer, dims = self.sample()
        return self.compute(sentence_features, labels, layer, dims)

    def get_config_dict(self) -> dict[str, Any]:
        return {
            "loss": type(self.loss).__name__,
            "matryoshka_dims": self.matryoshka_dims,
            "matryoshka_weights": self.matryoshka_weights,
            "shallow_dims_per_step": self.shallow_dims_per_step,
            "last_layer_weight": self.last_layer_weight,
            "prior_layers_weight": self.prior_layers_weight,
            "kl_weight": self.kl_weight,
            "kl_temperature": self.kl_temperature,
        }

    @property
    def citation(self) -> str:
        return CITATION
