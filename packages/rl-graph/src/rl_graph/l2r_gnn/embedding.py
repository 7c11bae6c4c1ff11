"""The graph embedding a PyG classifier feeds its prediction head, for any ``nn.Module``.

L2R-GNN learns sample weights that decorrelate the variables of the graph-level
representation the prediction head reads, so training needs that embedding next to the
logits. :class:`EmbeddingTap` gets both from one model call, in this order of preference:

1. ``embedding_module=`` (a submodule or its name in ``model.named_modules()``): a forward
   hook on it; the embedding is its output, or its input when its output is the model's
   output (it is then the prediction head).
2. The ``embed``/``head`` protocol: ``model.embed(batch) -> [B, d]`` and
   ``model.head(z) -> [B, classes]``, as :class:`~rl_graph.core.models.GINClassifier` has.
3. Otherwise ``model(batch) -> [B, classes]`` with a forward hook on every
   ``torch.nn.Linear``: the embedding is the input of the last one the forward pass calls
   (the head). PyG's own ``torch_geometric.nn.Linear`` is not hooked; name it instead.

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.

Example:
    >>> import torch
    >>> from torch_geometric.data import Batch, Data
    >>> from torch_geometric.nn import global_mean_pool
    >>> class Pool(torch.nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.out = torch.nn.Linear(1, 2)
    ...     def forward(self, batch):
    ...         return self.out(global_mean_pool(batch.x, batch.batch))
    >>> g = Data(x=torch.ones(3, 1), edge_index=torch.tensor([[0, 1], [1, 2]]))
    >>> z, logits = graph_embedding(Pool(), Batch.from_data_list([g, g]))
    >>> z.tolist(), logits.shape
    ([[1.0], [1.0]], torch.Size([2, 2]))
"""

from __future__ import annotations

from typing import Any

from torch import Tensor, nn

from rl_shared.errors import BadInput, UnknownName

__all__ = ["EmbeddingTap", "graph_embedding"]

_HINT = "pass embedding_module= naming the submodule whose output is the graph embedding"


class EmbeddingTap:
    """Calls a graph classifier on a batch and returns ``(embedding, logits)``.

    Args:
        model: any ``nn.Module`` taking a PyG ``Batch`` (see the module docstring).
        embedding_module: the submodule (or its name) the embedding is read from; it takes
            precedence over the ``embed``/``head`` protocol.
        required: when ``False`` and neither ``embedding_module`` nor the protocol is
            there, nothing is hooked and the embedding returned is ``None`` (ERM needs only
            the logits).

    Raises:
        BadInput: the embedding cannot be found (no protocol, nothing to hook), or
            ``embedding_module`` is not a submodule of ``model``.
        UnknownName: ``embedding_module`` names no submodule.

    Shapes:
        ``tap(batch)`` returns the embedding ``[B, d]`` (or ``None``) and logits ``[B, C]``.

    Example:
        >>> import torch
        >>> from torch_geometric.data import Batch, Data
        >>> from rl_graph.core.models import GINClassifier
        >>> g = Data(x=torch.ones(3, 1), edge_index=torch.tensor([[0, 1], [1, 2]]))
        >>> with EmbeddingTap(GINClassifier(1, 4, 2), embedding_module="head") as tap:
        ...     z, logits = tap(Batch.from_data_list([g]))
        >>> tap.mode, z.shape, logits.shape
        ('module', torch.Size([1, 4]), torch.Size([1, 2]))
    """

    def __init__(
        self,
        model: nn.Module,
        embedding_module: str | nn.Module | None = None,
        required: bool = True,
    ) -> None:
        self.model = model
        self._name = type(model).__name__
        self._hooks: list[Any] = []
        self._captured: tuple[Any, Any] | None = None
        net: Any = model
        if embedding_module is not None:
            target = _submodule(model, embedding_module)
            self.mode = "module"
            self._where = f"submodule {embedding_module if isinstance(embedding_module, str) else type(target).__name__!r}"
            self._hooks.append(target.register_forward_hook(self._capture))
        elif callable(getattr(net, "embed", None)) and callable(getattr(net, "head", None)):
            self.mode = "protocol"
        elif not required:
            self.mode = "plain"
        else:
            linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
            if not linears:
                raise BadInput(
                    f"model {self._name} has no embed()/head() and no torch.nn.Linear to hook; "
                    "pass embedding_module=..."
                )
            self.mode = "linear"
            self._where = "the input of its last torch.nn.Linear"
            self._hooks.extend(m.register_forward_hook(self._capture) for m in linears)

    def _capture(self, module: nn.Module, args: tuple, output: Any) -> None:
        self._captured = (args[0] if args else None, output)

    def __call__(self, batch: Any) -> tuple[Tensor | None, Tensor]:
        net: Any = self.model
        if self.mode == "protocol":
            z = net.embed(batch)
            return z, net.head(z)
        self._captured = None
        logits = net(batch)
        if self.mode == "plain":
            return None, logits
        if self._captured is None:
            raise BadInput(
                f"the forward pass of model {self._name} never called {self._where}; {_HINT}"
            )
        inp, out = self._captured
        z = inp if self.mode == "linear" or out is logits else out
        n = logits.shape[0] if isinstance(logits, Tensor) and logits.dim() > 0 else None
        if not isinstance(z, Tensor) or z.dim() != 2 or z.shape[0] != n:
            shape = tuple(z.shape) if isinstance(z, Tensor) else type(z).__name__
            raise BadInput(
                f"the embedding from {self._where} of model {self._name} is {shape}, "
                f"not (graphs, features) for {n} graphs; {_HINT}"
            )
        return z, logits

    def close(self) -> None:
        """Remove the forward hooks from the model."""
        for hook in self._hooks:
            hook.remove()
        self._hooks.clear()

    def __enter__(self) -> EmbeddingTap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _submodule(model: nn.Module, key: str | nn.Module) -> nn.Module:
    if isinstance(key, str):
        named = dict(model.named_modules())
        if key not in named or key == "":
            raise UnknownName("submodule", key, [k for k in named if k])
        return named[key]
    if isinstance(key, nn.Module):
        if not any(m is key for m in model.modules()):
            raise BadInput(
                f"embedding_module {type(key).__name__} is not a submodule of model "
                f"{type(model).__name__}; pass one of its submodules or its name"
            )
        return key
    raise BadInput(f"embedding_module must be a submodule or its name, got {type(key).__name__}")


def graph_embedding(
    model: nn.Module, batch: Any, embedding_module: str | nn.Module | None = None
) -> tuple[Tensor, Tensor]:
    """The graph embedding the prediction head reads and the logits, for one batch.

    Args:
        model: any ``nn.Module`` taking a PyG ``Batch`` (see :class:`EmbeddingTap`).
        batch: a PyG ``Batch``.
        embedding_module: as in :class:`EmbeddingTap`.

    Returns:
        ``(embedding, logits)``.

    Raises:
        BadInput: the embedding cannot be found (see :class:`EmbeddingTap`).

    Shapes:
        embedding ``[B, d]``, logits ``[B, C]``.

    References:
        L2R-GNN, arXiv:2312.12475.

    Example:
        >>> import torch
        >>> from torch_geometric.data import Batch, Data
        >>> from rl_graph.core.models import GINClassifier
        >>> g = Data(x=torch.ones(3, 1), edge_index=torch.tensor([[0, 1], [1, 2]]))
        >>> z, logits = graph_embedding(GINClassifier(1, 4, 2), Batch.from_data_list([g, g]))
        >>> z.shape, logits.shape
        (torch.Size([2, 4]), torch.Size([2, 2]))
    """
    with EmbeddingTap(model, embedding_module) as tap:
        z, logits = tap(batch)
    assert z is not None  # required=True
    return z, logits
