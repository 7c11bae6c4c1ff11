"""Train a PyG graph classifier by ERM or by L2R-GNN sample reweighting; save and load it.

The model is any ``nn.Module`` taking a PyG ``Batch``; the graph embedding the reweighter
needs comes from its ``embed(batch)``/``head(z)`` methods (as
:class:`~rl_graph.core.models.GINClassifier` has), from ``embedding_module=``, or from a
hook on its last ``torch.nn.Linear`` (see :mod:`rl_graph.l2r_gnn.embedding`). With
``method="l2r"`` each step solves
the inner problem (weights from :class:`~rl_graph.l2r_gnn.model.L2RReweighter` on the
detached representation) and then takes the outer step on the weighted cross-entropy:
the paper's stochastic bi-level optimisation. :func:`representation_dependence` measures
the decorrelation a reweighter achieves on a model's representation. The paper's
experiments that run this loop live in :mod:`rl_graph.l2r_gnn.experiments`.
:func:`save_gin` / :func:`load_gin` store a trained classifier as a model folder.

References:
    Learning to Reweight for Graph Neural Network (L2R-GNN), arXiv:2312.12475.

Example:
    >>> from torch_geometric.loader import DataLoader
    >>> from rl_graph.core.models import GINClassifier
    >>> from rl_graph.l2r_gnn.motif import make_spurious_motif
    >>> loader = DataLoader(make_spurious_motif(30, seed=0), batch_size=10, shuffle=True)
    >>> hist = train(GINClassifier(1, 8, 3), loader, method="l2r", epochs=1, seed=0)
    >>> len(hist["loss"])
    1
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from rl_graph.core.models import GINClassifier
from rl_graph.core.sharding import shard_batch
from rl_graph.l2r_gnn.embedding import EmbeddingTap
from rl_graph.l2r_gnn.model import L2RReweighter
from rl_graph.l2r_gnn.step import TapForward, training_loss
from rl_shared.errors import BadInput, NonFiniteLoss, UnknownName
from rl_shared.runtime import make_accelerator, seed_everything

__all__ = [
    "CITATION",
    "METHODS",
    "load_gin",
    "representation_dependence",
    "save_gin",
    "train",
]

METHODS = ("erm", "l2r")
KIND = "l2r-gnn.gin"
CITATION = """@article{chen2023l2rgnn,
  title   = {Learning to Reweight for Graph Neural Network},
  author  = {Chen, Zhengyu and Xiao, Teng and Kuang, Kun and Lv, Zheqi and Zhang, Min and
             Yang, Jinluan and Lu, Chengqiang and Yang, Hongxia and Wu, Fei},
  journal = {arXiv preprint arXiv:2312.12475},
  year    = {2023}
}"""

Progress = Callable[[Iterable[int], str], Iterable[int]] | None


def train(
    model: nn.Module,
    loader: Iterable,
    method: str = "erm",
    epochs: int = 10,
    lr: float = 1e-3,
    weight_decay: float = 0.0,
    reweighter: L2RReweighter | None = None,
    seed: int = 0,
    progress: Progress = None,
    device: str | torch.device = "auto",
    embedding_module: str | nn.Module | None = None,
    precision: str = "fp32",
) -> dict[str, list[float]]:
    """Fit ``model`` on ``loader`` by ERM or L2R-GNN; returns per-epoch loss history.

    The loop runs through :func:`rl_shared.runtime.make_accelerator`. Under ``torchrun``
    every process iterates over the same batches (the same ``seed``, the same shuffle) and
    trains on its contiguous part of each (:func:`rl_graph.core.sharding.shard_batch`); DDP
    averages the gradients and the history holds the losses averaged over processes. The
    L2R weights are learned per process, on its part of the batch, by its own copy of
    ``reweighter`` (which also clusters the variables from the parts it sees).

    Args:
        model: any ``nn.Module`` taking a PyG ``Batch``: with ``embed(batch) -> [B, d]``
            and ``head(z) -> logits``, or ``model(batch) -> logits``; labels are ``batch.y``
            (class ids). It is trained in place (and moved to the training device).
        loader: a ``torch_geometric.loader.DataLoader`` (or any iterable of batches).
        method: ``"erm"`` (mean loss) or ``"l2r"`` (weighted by the reweighter).
        epochs: passes over ``loader``.
        lr: Adam learning rate.
        weight_decay: Adam weight decay.
        reweighter: used for ``"l2r"``; a default ``L2RReweighter(seed=seed)`` if ``None``.
        seed: seeds Python, NumPy and torch (:func:`rl_shared.runtime.seed_everything`) first.
        progress: optional ``(iterable, description) -> iterable`` wrapper for epochs
            (:func:`rl_shared.cli.progress`); shown by the main process only.
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``; batches are moved there.
        embedding_module: the submodule (or its name) whose output, or, for the prediction
            head, whose input is the graph embedding; default: ``embed``/``head``, else
            the input of the last ``torch.nn.Linear`` called (:class:`EmbeddingTap`).
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the forward pass (the
            reweighter solves its inner problem in fp32).

    Returns:
        ``{"loss": [...], "dependence": [...]}``: mean weighted loss per epoch and, for L2R,
        the mean cross-cluster dependence under the learned weights.

    Raises:
        UnknownName: an unknown ``method`` or ``embedding_module`` name.
        BadInput: ``epochs < 1``, an unavailable ``device`` or ``precision``, or for
            ``"l2r"`` no graph embedding can be found.
        NonFiniteLoss: the loss became NaN or infinite.

    References:
        L2R-GNN, arXiv:2312.12475 (stochastic bi-level optimisation).

    Example:
        >>> from torch_geometric.loader import DataLoader
        >>> from rl_graph.core.models import GINClassifier
        >>> from rl_graph.l2r_gnn.motif import make_spurious_motif
        >>> graphs = DataLoader(make_spurious_motif(12, seed=0), batch_size=6)
        >>> len(train(GINClassifier(1, 4, 3), graphs, "erm", epochs=2)["loss"])
        2
    """
    if method not in METHODS:
        raise UnknownName("method", method, METHODS)
    if epochs < 1:
        raise BadInput(f"epochs must be at least 1, got {epochs}")
    acc = make_accelerator(str(device), precision)
    seed_everything(seed)
    model.to(acc.device)
    if method == "l2r" and reweighter is None:
        reweighter = L2RReweighter(seed=seed)
    tap = EmbeddingTap(model, embedding_module, required=method == "l2r")
    try:
        return _fit(acc, model, tap, loader, method, epochs, lr, weight_decay, reweighter, progress)
    finally:
        tap.close()


def _fit(
    acc: Any,
    model: nn.Module,
    tap: EmbeddingTap,
    loader: Iterable,
    method: str,
    epochs: int,
    lr: float,
    weight_decay: float,
    reweighter: L2RReweighter | None,
    progress: Progress,
) -> dict[str, list[float]]:
    """The training loop of :func:`train`, reading embeddings and logits through ``tap``."""
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    net, opt = acc.prepare(TapForward(model, tap), opt)
    history: dict[str, list[float]] = {"loss": [], "dependence": []}
    epoch_iter: Iterable[int] = range(epochs)
    if progress is not None and acc.is_main_process:
        epoch_iter = progress(epoch_iter, f"train {method}")
    for _ in epoch_iter:
        net.train()
        losses, deps = [], []
        for batch in loader:
            # PyG batches are not a DataLoader accelerate can shard: every process sees the
            # same batch and keeps its own contiguous part of it (None: too few graphs).
            part = shard_batch(batch, acc.process_index, acc.num_processes)
            if part is None:
                continue
            loss, dep = training_loss(net, part.to(acc.device), method, reweighter, acc)
            if not torch.isfinite(loss):
                raise NonFiniteLoss("training loss became NaN or infinite; lower the learning rate")
            opt.zero_grad()
            acc.backward(loss)
            opt.step()
            losses.append(float(loss.detach()))
            if dep is not None:
                deps.append(dep)
        history["loss"].append(_over_ranks(acc, float(np.mean(losses))))
        history["dependence"].append(
            _over_ranks(acc, float(np.mean(deps)) if deps else float("nan"))
        )
    acc.wait_for_everyone()
    return history


def _over_ranks(acc: Any, value: float) -> float:
    """``value`` averaged over the processes (itself in one process)."""
    if acc.num_processes == 1:
        return value
    return float(acc.reduce(torch.tensor(value, dtype=torch.float64, device=acc.device), "mean"))


@torch.no_grad()
def representation_dependence(
    model: nn.Module,
    loader: Iterable,
    reweighter: L2RReweighter,
    embedding_module: str | nn.Module | None = None,
) -> tuple[float, float]:
    """Mean cross-cluster RFF dependence of the model's representation per batch, uniform
    vs with the weights the reweighter learns for that batch.

    Args:
        model: a graph classifier, as in :func:`train`.
        loader: batches of graphs.
        reweighter: learns the weights (its clusters are built from these batches).
        embedding_module: where the embedding is read, as in :func:`train`.

    References:
        L2R-GNN, arXiv:2312.12475 (the decorrelation objective).

    Example:
        >>> from torch_geometric.loader import DataLoader
        >>> from rl_graph.l2r_gnn.motif import make_spurious_motif
        >>> loader = DataLoader(make_spurious_motif(24, seed=0), batch_size=12)
        >>> u, w = representation_dependence(GINClassifier(1, 4, 3), loader, L2RReweighter())
        >>> u >= 0 and w >= 0
        True
    """
    model.eval()
    device = next(model.parameters()).device
    uniform, weighted = [], []
    with EmbeddingTap(model, embedding_module) as tap:
        zs = [tap(batch.to(device))[0] for batch in loader]
    for z in zs:
        assert z is not None  # required=True
        if z.shape[0] < 2:
            continue
        reweighter.observe(z)
        uniform.append(float(reweighter.dependence(z)))
        weighted.append(float(reweighter.dependence(z, reweighter(z))))
    return float(np.mean(uniform)), float(np.mean(weighted))


def save_gin(model: GINClassifier, folder: str | Path, extra: dict[str, Any] | None = None) -> Path:
    """Save a trained classifier as a model folder (``config.json`` + safetensors + card).

    Args:
        model: the classifier.
        folder: the model folder (``OUT/model``); replaced atomically.
        extra: more JSON facts for the config (data, method, seed, ...).

    References:
        L2R-GNN, arXiv:2312.12475.

    Example:
        >>> import tempfile
        >>> folder = save_gin(GINClassifier(1, 4, 3), Path(tempfile.mkdtemp()) / "model")
        >>> load_gin(folder).config["hidden"]
        4
    """
    from rl_shared.artifacts import save_model

    return save_model(
        folder,
        kind=KIND,
        config={"model": model.config, **(extra or {})},
        tensors=model,
        citation=CITATION,
        summary="GIN graph classifier trained by `rl graph l2r-gnn train` "
        f"(method: {(extra or {}).get('method', 'unknown')}).",
    )


def load_gin(folder: str | Path) -> GINClassifier:
    """Load a classifier saved by :func:`save_gin` (or ``rl graph l2r-gnn train``).

    Args:
        folder: the model folder.

    Raises:
        ModelNotFound: no model folder there.
        MalformedFile: ``config.json`` is a folder, empty, not UTF-8 / JSON, or its
            ``model`` entry does not describe a :class:`GINClassifier`.
        BadInput: another kind of model, or weights that do not fit or are not finite.

    References:
        L2R-GNN, arXiv:2312.12475.

    Example:
        >>> import tempfile
        >>> folder = save_gin(GINClassifier(1, 4, 3), Path(tempfile.mkdtemp()) / "m")
        >>> type(load_gin(folder)).__name__
        'GINClassifier'
    """
    from rl_shared.artifacts import CONFIG, load_model
    from rl_shared.errors import MalformedFile
    from rl_shared.io import read_json

    path = Path(folder)
    if (path / CONFIG).exists():
        read_json(path / CONFIG)  # a folder, an empty file, bytes that are not UTF-8: named
    artifact = load_model(path, kind=KIND)
    config = path / CONFIG
    args = artifact.config.get("model")
    if not isinstance(args, dict):
        raise MalformedFile(config, None, "config.model (the GIN's arguments) is missing")
    gin_ints = {"in_channels": 0, "hidden": 1, "num_classes": 2, "num_layers": 1}
    for key, least in gin_ints.items():
        value = args.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < least:
            raise MalformedFile(
                config, None, f"config.model.{key} is {value!r}, not an integer >= {least}"
            )
    unknown = set(args) - {*gin_ints, "atoms", "dropout", "norm"}
    if unknown or not isinstance(args.get("atoms", False), bool):
        raise MalformedFile(config, None, "config.model does not describe a GIN classifier")
    try:
        model = GINClassifier(**args)
    except (TypeError, ValueError, KeyError, AttributeError) as err:
        raise MalformedFile(config, None, f"config.model does not build a GIN ({err})") from None
    artifact.load_into(model)
    if not all(
        bool(torch.isfinite(t).all()) for t in model.state_dict().values() if t.is_floating_point()
    ):
        raise BadInput(f"the weights in {path} hold NaN or infinity; retrain the model")
    return model.eval()
