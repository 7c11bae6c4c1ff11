"""GIN graph classifier with a separate representation (``embed``) and head (``head``).

PyG's :class:`torch_geometric.nn.models.GIN` computes node states; sum pooling gives the
graph representation that :class:`~rl_graph.l2r_gnn.L2RReweighter` decorrelates and a
linear layer classifies. For molecules (integer atom features from
:func:`torch_geometric.utils.from_smiles`) an :class:`AtomEncoder` sums one embedding per
feature, as OGB's does.

References:
    Xu, Hu, Leskovec & Jegelka, How Powerful are Graph Neural Networks? (GIN), arXiv:1810.00826.
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.

Example:
    >>> import torch
    >>> from torch_geometric.data import Batch, Data
    >>> g = Data(x=torch.ones(3, 1), edge_index=torch.tensor([[0, 1], [1, 2]]))
    >>> model = GINClassifier(1, hidden=8, num_classes=3)
    >>> model(Batch.from_data_list([g, g])).shape
    torch.Size([2, 3])
"""

from __future__ import annotations

from torch import Tensor, nn
from torch_geometric.nn import global_add_pool
from torch_geometric.nn.models import GIN
from torch_geometric.utils.smiles import x_map

__all__ = ["ATOM_FEATURE_SIZES", "AtomEncoder", "GINClassifier"]

ATOM_FEATURE_SIZES = tuple(len(v) for v in x_map.values())


class AtomEncoder(nn.Module):
    """Sum of one learned embedding per categorical atom feature.

    Args:
        hidden: embedding size.
        sizes: number of values of each feature (default: PyG ``from_smiles`` features).

    Shapes:
        x: ``[N, F]`` integers -> ``[N, hidden]``.

    References:
        Hu et al., Open Graph Benchmark, arXiv:2005.00687 (OGB's ``AtomEncoder``).

    Example:
        >>> import torch
        >>> AtomEncoder(4)(torch.zeros(2, 9, dtype=torch.long)).shape
        torch.Size([2, 4])
    """

    def __init__(self, hidden: int, sizes: tuple[int, ...] = ATOM_FEATURE_SIZES) -> None:
        super().__init__()
        self.embeddings = nn.ModuleList(nn.Embedding(s, hidden) for s in sizes)

    def forward(self, x: Tensor) -> Tensor:
        return sum(emb(x[:, i]) for i, emb in enumerate(self.embeddings))  # type: ignore[return-value]


class GINClassifier(nn.Module):
    """GIN + sum pooling + linear head, exposing the graph representation.

    Args:
        in_channels: node feature size (ignored when ``atoms=True``).
        hidden: hidden and representation size.
        num_classes: output logits.
        num_layers: GIN layers.
        atoms: encode integer atom features with :class:`AtomEncoder`.
        dropout: dropout inside GIN.
        norm: PyG normalisation name inside GIN (e.g. ``"batch_norm"``), or ``None``.

    Shapes:
        embed: batch -> ``[B, hidden]``; head: ``[B, hidden]`` -> ``[B, num_classes]``.

    References:
        Xu et al., How Powerful are Graph Neural Networks? (GIN), arXiv:1810.00826.

    Example:
        >>> import torch
        >>> from torch_geometric.data import Batch, Data
        >>> g = Data(x=torch.ones(4, 1), edge_index=torch.tensor([[0, 1, 2], [1, 2, 3]]))
        >>> GINClassifier(1, hidden=8, num_classes=2).embed(Batch.from_data_list([g])).shape
        torch.Size([1, 8])
    """

    def __init__(
        self,
        in_channels: int,
        hidden: int = 64,
        num_classes: int = 2,
        num_layers: int = 3,
        atoms: bool = False,
        dropout: float = 0.0,
        norm: str | None = None,
    ) -> None:
        super().__init__()
        #: the constructor arguments (what a saved model folder records)
        self.config = {
            "in_channels": in_channels,
            "hidden": hidden,
            "num_classes": num_classes,
            "num_layers": num_layers,
            "atoms": atoms,
            "dropout": dropout,
            "norm": norm,
        }
        self.encoder: nn.Module = AtomEncoder(hidden) if atoms else nn.Identity()
        gin_in = hidden if atoms else in_channels
        self.gnn = GIN(gin_in, hidden, num_layers, dropout=dropout, norm=norm)
        self.head = nn.Linear(hidden, num_classes)
        self.atoms = atoms

    def embed(self, batch) -> Tensor:
        """Graph representations of a batch."""
        x = self.encoder(batch.x.long() if self.atoms else batch.x.float())
        h = self.gnn(x, batch.edge_index)
        return global_add_pool(h, batch.batch, size=batch.num_graphs)

    def forward(self, batch) -> Tensor:
        return self.head(self.embed(batch))
