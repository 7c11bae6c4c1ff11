"""VGNN: variationally regularised graph attention over an admission's medical codes.

An admission is a fully connected graph of its codes plus a virtual node. The encoder
(PyG ``GATConv`` over the code-code edges) gives each code a Gaussian posterior
``N(μ, σ²)``; a sample (reparameterised) goes through the decoder (``GATConv`` over all
edges, the virtual node receiving from every code), and the virtual node's state is the
admission representation, read out to one logit. ``variational=False`` is the plain
encoder-decoder the paper compares with (``μ`` passed on, no KL term).

References:
    Zhu & Razavian, Variationally Regularized Graph-based Representation Learning for
    Electronic Health Records (VGNN), arXiv:1912.03761.

Example:
    >>> from torch_geometric.data import Batch
    >>> graphs = [admission_graph([0, 2, 3], 1), admission_graph([1], 0)]
    >>> model = VGNN(num_codes=4, hidden=8)
    >>> logits, kl = model(Batch.from_data_list(graphs))
    >>> logits.shape, bool(kl >= 0)
    (torch.Size([2]), True)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch_geometric.data import Data
from torch_geometric.nn import GATConv

from rl_shared.errors import BadInput

__all__ = [
    "VGNN",
    "admission_graph",
    "effective_rank",
    "kl_standard_normal",
    "singular_values",
]


def admission_graph(codes: Sequence[int], label: int) -> Data:
    """Graph of one admission: its codes fully connected, plus a virtual last node.

    ``enc_edge_index`` holds the code-code edges (with self-loops), ``edge_index`` those
    plus code -> virtual edges; ``code`` is the code id per node (virtual: -1).

    Args:
        codes: the admission's code ids (at least one).
        label: its binary outcome.

    References:
        Zhu & Razavian, VGNN, arXiv:1912.03761.

    Example:
        >>> g = admission_graph([4, 7], 1)
        >>> g.enc_edge_index.shape[1], g.edge_index.shape[1], g.code.tolist()
        (4, 7, [4, 7, -1])
    """
    k = len(codes)
    if k == 0:
        raise BadInput("an admission needs at least one code")
    idx = torch.arange(k)
    enc = torch.stack([idx.repeat_interleave(k), idx.repeat(k)])
    to_virtual = torch.stack([torch.arange(k + 1), torch.full((k + 1,), k)])
    return Data(
        code=torch.tensor([*codes, -1]),
        enc_edge_index=enc,
        edge_index=torch.cat([enc, to_virtual], 1),
        is_virtual=torch.arange(k + 1) == k,
        y=torch.tensor([float(label)]),
        num_nodes=k + 1,
    )


def kl_standard_normal(mu: Tensor, logvar: Tensor) -> Tensor:
    """Mean over nodes of KL(N(μ, exp(logvar)) ‖ N(0, I)), summed over dimensions.

    Args:
        mu: posterior means.
        logvar: posterior log-variances.

    References:
        Zhu & Razavian, VGNN, arXiv:1912.03761 (the KL term)

    Shapes:
        mu, logvar: ``[N, d]`` -> scalar.

    Example:
        >>> float(kl_standard_normal(torch.zeros(3, 2), torch.zeros(3, 2)))
        0.0
    """
    return (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(-1)).mean()


class VGNN(nn.Module):
    """Encoder-decoder graph attention network over codes, optionally variational.

    Args:
        num_codes: vocabulary size (code embedding table; one extra row is the virtual node).
        hidden: embedding / latent size.
        heads: attention heads (concatenated then projected back to ``hidden``).
        variational: Gaussian latent with KL regulariser (VGNN) or plain encoder-decoder.
        dropout: dropout on node states.

    Shapes:
        forward: batch of :func:`admission_graph` -> (logits ``[B]``, KL scalar).

    References:
        Zhu & Razavian, VGNN, arXiv:1912.03761.

    Example:
        >>> from torch_geometric.data import Batch
        >>> model = VGNN(num_codes=5, hidden=4, variational=False)
        >>> logits, kl = model(Batch.from_data_list([admission_graph([0, 4], 1)]))
        >>> logits.shape, float(kl)
        (torch.Size([1]), 0.0)
    """

    def __init__(
        self,
        num_codes: int,
        hidden: int = 64,
        heads: int = 2,
        variational: bool = True,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        #: the constructor arguments (what a saved model folder records)
        self.config = {
            "num_codes": num_codes,
            "hidden": hidden,
            "heads": heads,
            "variational": variational,
            "dropout": dropout,
        }
        self.num_codes, self.variational = num_codes, variational
        self.embedding = nn.Embedding(num_codes + 1, hidden)
        self.encoder = GATConv(hidden, hidden, heads=heads, concat=False, add_self_loops=False)
        self.mu = nn.Linear(hidden, hidden)
        self.logvar = nn.Linear(hidden, hidden)
        self.decoder = GATConv(hidden, hidden, heads=heads, concat=False, add_self_loops=False)
        self.out = nn.Linear(hidden, 1)
        self.dropout = nn.Dropout(dropout)

    def encode(self, batch) -> tuple[Tensor, Tensor]:
        """Node posteriors ``(μ, logvar)``, each ``[N, hidden]`` (virtual rows unused)."""
        code = torch.where(batch.code < 0, self.num_codes, batch.code)
        if int(code.max()) > self.num_codes:
            raise BadInput(f"code ids must be below num_codes={self.num_codes}")
        h = self.dropout(self.embedding(code))
        h = F.elu(self.encoder(h, batch.enc_edge_index)) + h
        return self.mu(h), self.logvar(h).clamp(-10, 10)

    def embed(self, batch) -> tuple[Tensor, Tensor, Tensor]:
        """Admission representations ``[B, hidden]``, node latents ``[N, hidden]``, KL."""
        mu, logvar = self.encode(batch)
        virtual = batch.is_virtual
        if self.variational:
            z = mu + torch.randn_like(mu) * (0.5 * logvar).exp() if self.training else mu
            kl = kl_standard_normal(mu[~virtual], logvar[~virtual])
        else:
            z, kl = mu, mu.new_zeros(())
        code = torch.where(batch.code < 0, self.num_codes, batch.code)
        z = torch.where(virtual[:, None], self.embedding(code), z)  # virtual keeps its embedding
        h = F.elu(self.decoder(self.dropout(z), batch.edge_index))
        return h[virtual], z[~virtual], kl

    def forward(self, batch) -> tuple[Tensor, Tensor]:
        rep, _, kl = self.embed(batch)
        return self.out(rep).squeeze(-1), kl


def singular_values(representations: np.ndarray | Tensor) -> np.ndarray:
    """Singular values of the centred representation matrix, normalised to sum to 1.

    Args:
        representations: one row per admission.

    References:
        Zhu & Razavian, VGNN, arXiv:1912.03761 (interpretation analysis)

    Shapes:
        representations: ``[A, d]`` -> ``[min(A, d)]`` in decreasing order.

    Example:
        >>> x = np.array([[3.0, 0.0], [-3.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
        >>> singular_values(x).round(3).tolist()
        [0.75, 0.25]
    """
    x = np.asarray(representations, dtype=np.float64)
    s = np.linalg.svd(x - x.mean(0), compute_uv=False)
    return s / s.sum() if s.sum() > 0 else s


def effective_rank(representations: np.ndarray | Tensor) -> float:
    """exp(entropy) of the normalised singular values: how many directions are used.

    Args:
        representations: one row per admission.

    Shapes:
        - representations: (A, d), ``A`` admissions of ``d`` features
        - output: a Python float in ``[1, min(A, d)]``

    References:
        Zhu & Razavian, VGNN, arXiv:1912.03761; Roy & Vetterli, The effective rank, EUSIPCO 2007.

    Example:
        >>> 3.8 < effective_rank(np.random.default_rng(0).normal(size=(500, 4))) <= 4.0
        True
    """
    s = singular_values(representations)
    s = s[s > 0]
    return float(np.exp(-(s * np.log(s)).sum()))
