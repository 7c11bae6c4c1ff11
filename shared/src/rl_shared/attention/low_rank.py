"""Low-rank factorized multi-head attention pooling with a learned global context query (LAMA).

Mehta et al. score every token ``x_i`` against one learned *global context vector* ``c``
(instead of against every other token) with a bilinear affinity per head whose matrices share
low-rank factors. The factorization implemented here, for heads ``h = 1..m`` and rank ``r``::

    g      = tanh(Uᵀ c)                       U ∈ R^{D×r}, c ∈ R^D   (context, computed once)
    z_i    = tanh(Vᵀ x_i + b_V)               V ∈ R^{D×r}            (per token, O(n·r))
    a_hi   = p_hᵀ (g ∘ z_i) + b_h             P = [p_1 … p_m] ∈ R^{r×m}
    α_h    = softmax_i(a_h)                   (padded tokens get weight exactly 0)
    out_h  = Σ_i α_hi · W_h x_i               (W_h = identity by default: the paper pools x)

Without the ``tanh`` the affinity is ``a_hi = cᵀ U diag(p_h) Vᵀ x_i``: head ``h`` uses the
bilinear matrix ``U diag(p_h) Vᵀ`` of rank ``≤ r``, and all heads share ``U`` and ``V``
(low-rank bilinear pooling, Kim et al., arXiv:1610.04325). The affinity matrix of all heads,
``A = Pᵀ (g 1ᵀ ∘ tanh(Vᵀ Xᵀ)) ∈ R^{m×n}``, is never ``n × n``: time and memory are ``O(n·(r + m))``
beyond the input, against ``O(n²·m)`` for self-attention followed by pooling.

What it adds to PyTorch: ``torch.nn.MultiheadAttention`` is token-to-token attention; this is
a multi-head attention *pooling* layer for GRU / transformer states with linear memory.

References:
    Mehta, Rangwala & Ramakrishnan, "Low Rank Factorization for Compact Multi-Head
    Self-Attention", arXiv:1912.00835.

Example:
    >>> import torch
    >>> from rl_shared.attention.low_rank import LowRankMultiheadAttention
    >>> pool = LowRankMultiheadAttention(16, num_heads=4, rank=8)
    >>> pooled, weights = pool(torch.randn(2, 10, 16))
    >>> pooled.shape, weights.shape
    (torch.Size([2, 64]), torch.Size([2, 4, 10]))
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput, ShapeMismatch

__all__ = ["LowRankMultiheadAttention"]


class LowRankMultiheadAttention(nn.Module):
    """Multi-head attention pooling whose heads query a learned context through shared low-rank factors.

    Args:
        embed_dim: size ``D`` of each input state.
        num_heads: number of attention distributions ``m``.
        rank: rank ``r`` of the shared factors ``U, V``; default ``max(1, D // 4)``.
        head_dim: if given, each head pools its own linear projection of the states to
            ``head_dim`` features (``W_h``); default ``None`` pools the states themselves
            (``head_dim = D``, as in the paper).
        out_dim: if given, a linear layer maps the concatenated heads to ``out_dim``.
        dropout: dropout on the attention weights during training.

    Shapes:
        x ``(B, N, D)``, key_padding_mask ``(B, N)`` bool (True = padding) or ``None`` ->
        pooled ``(B, m · head_dim)`` (or ``(B, out_dim)``), weights ``(B, m, N)``; each row of
        weights sums to 1 over the real tokens (a sequence that is all padding gets zeros).

    References:
        Mehta et al., arXiv:1912.00835; Kim et al., arXiv:1610.04325.

    Example:
        >>> import torch
        >>> pool = LowRankMultiheadAttention(8, num_heads=2, rank=4, out_dim=3)
        >>> x = torch.randn(2, 5, 8)
        >>> mask = torch.tensor([[False] * 5, [False, False, False, True, True]])
        >>> pooled, weights = pool(x, key_padding_mask=mask)
        >>> pooled.shape, float(weights.detach()[1, :, 3:].abs().sum())
        (torch.Size([2, 3]), 0.0)
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int = 4,
        rank: int | None = None,
        *,
        head_dim: int | None = None,
        out_dim: int | None = None,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        rank = max(1, embed_dim // 4) if rank is None else rank
        for name, value in {"embed_dim": embed_dim, "num_heads": num_heads, "rank": rank}.items():
            if not isinstance(value, int) or value < 1:
                raise BadInput(
                    f"LowRankMultiheadAttention needs a positive int {name}, got {value!r}"
                )
        if head_dim is not None and (not isinstance(head_dim, int) or head_dim < 1):
            raise BadInput(f"head_dim must be None or a positive int, got {head_dim!r}")
        if out_dim is not None and (not isinstance(out_dim, int) or out_dim < 1):
            raise BadInput(f"out_dim must be None or a positive int, got {out_dim!r}")
        if not 0.0 <= dropout < 1.0:
            raise BadInput(f"dropout must be in [0, 1), got {dropout}")
        self.embed_dim, self.num_heads, self.rank = embed_dim, num_heads, rank
        self.head_dim = embed_dim if head_dim is None else head_dim
        self.context = nn.Parameter(torch.empty(embed_dim))
        self.context_proj = nn.Linear(embed_dim, rank, bias=False)  # Uᵀ
        self.token_proj = nn.Linear(embed_dim, rank)  # Vᵀ, b_V
        self.head_proj = nn.Linear(rank, num_heads)  # Pᵀ, b_h
        self.value_proj = None if head_dim is None else nn.Linear(embed_dim, num_heads * head_dim)
        self.out_proj = None if out_dim is None else nn.Linear(num_heads * self.head_dim, out_dim)
        self.dropout = nn.Dropout(dropout)
        self.out_dim = num_heads * self.head_dim if out_dim is None else out_dim
        nn.init.normal_(self.context, std=embed_dim**-0.5)

    def extra_repr(self) -> str:
        return (
            f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, rank={self.rank}, "
            f"head_dim={self.head_dim}, out_dim={self.out_dim}"
        )

    def affinities(self, x: Tensor) -> Tensor:
        """Unnormalized scores ``a`` of every head for every token: ``(B, N, D) -> (B, m, N)``."""
        g = torch.tanh(self.context_proj(self.context))  # (r,)
        z = torch.tanh(self.token_proj(x))  # (B, N, r)
        return self.head_proj(z * g).transpose(1, 2)  # (B, m, N)

    def forward(self, x: Tensor, key_padding_mask: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """Pool ``x`` into one vector per sequence; return ``(pooled, attention weights)``."""
        if x.dim() != 3 or x.shape[-1] != self.embed_dim:
            raise ShapeMismatch(
                f"LowRankMultiheadAttention expects x of shape (batch, seq, {self.embed_dim}), "
                f"got {tuple(x.shape)}"
            )
        scores = self.affinities(x)
        if key_padding_mask is not None:
            if key_padding_mask.shape != x.shape[:2]:
                raise ShapeMismatch(
                    f"key_padding_mask must have shape (batch, seq) = {tuple(x.shape[:2])}, "
                    f"got {tuple(key_padding_mask.shape)}"
                )
            if key_padding_mask.dtype != torch.bool:
                raise BadInput("key_padding_mask must be a bool tensor with True at padded tokens")
            pad = key_padding_mask.unsqueeze(1)  # (B, 1, N)
            scores = scores.masked_fill(pad, torch.finfo(scores.dtype).min)  # exp() -> exactly 0
            weights = torch.softmax(scores, dim=-1).masked_fill(pad, 0.0)  # all-padding rows -> 0
        else:
            weights = torch.softmax(scores, dim=-1)
        attn = self.dropout(weights)
        if self.value_proj is None:
            pooled = attn @ x  # (B, m, D)
        else:
            b, n, _ = x.shape
            values = self.value_proj(x).view(b, n, self.num_heads, self.head_dim).transpose(1, 2)
            pooled = (attn.unsqueeze(-2) @ values).squeeze(-2)  # (B, m, head_dim)
        pooled = pooled.flatten(1)
        if self.out_proj is not None:
            pooled = self.out_proj(pooled)
        return pooled, weights
