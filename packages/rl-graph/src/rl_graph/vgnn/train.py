"""Train and evaluate EHR outcome models: VGNN, the plain encoder-decoder, logistic regression.

:func:`fit_vgnn` trains a :class:`~rl_graph.vgnn.model.VGNN` with BCE (+ β·KL);
:func:`ehr_experiment` splits admissions (stratified), trains one model and returns AUPRC /
AUROC on the held-out part; ``rl graph vgnn`` and the reproduction call it. The trained
:class:`OutcomeModel` is saved, loaded and used for scoring by :mod:`rl_graph.vgnn.storage`.

References:
    Zhu & Razavian, Variationally Regularized Graph-based Representation Learning for
    Electronic Health Records (VGNN), arXiv:1912.03761.

Example:
    >>> from rl_graph.vgnn.data import make_synthetic_ehr
    >>> r = ehr_experiment(make_synthetic_ehr(80, num_codes=20, seed=0), "logreg")
    >>> 0.0 < r["auprc"] <= 1.0
    True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, overload

import numpy as np
import torch
import torch.nn.functional as F
from torch_geometric.data import Data
from torch_geometric.loader import DataLoader

from rl_graph.core.sharding import shard_batch
from rl_graph.vgnn.data import EHRData
from rl_graph.vgnn.model import VGNN, admission_graph, effective_rank
from rl_shared.errors import BadInput, NonFiniteLoss, UnknownName
from rl_shared.runtime import autocast, make_accelerator, resolve_device, seed_everything

__all__ = [
    "CITATION",
    "MODELS",
    "OutcomeModel",
    "ehr_experiment",
    "fit_vgnn",
    "predict_vgnn",
    "split_admissions",
    "vgnn_loss",
]

#: the outcome models: logistic regression, plain encoder-decoder, VGNN
MODELS = ("logreg", "encdec", "vgnn")
CITATION = """@article{zhu2019vgnn,
  title   = {Variationally Regularized Graph-based Representation Learning for Electronic
             Health Records},
  author  = {Zhu, Weicheng and Razavian, Narges},
  journal = {arXiv preprint arXiv:1912.03761},
  year    = {2019}
}"""

Progress = Callable[[Iterable[int], str], Iterable[int]] | None


def fit_vgnn(
    model: VGNN,
    graphs: list[Data],
    epochs: int = 20,
    lr: float = 1e-3,
    beta: float = 1e-3,
    batch_size: int = 32,
    seed: int = 0,
    progress: Progress = None,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> list[float]:
    """Train with BCE (+ ``beta`` · KL when variational); returns the mean loss per epoch.

    The loop runs through :func:`rl_shared.runtime.make_accelerator`. Under ``torchrun``
    every process iterates over the same shuffled batches (the same ``seed``) and trains on
    its contiguous part of each (:func:`rl_graph.core.sharding.shard_batch`); DDP averages
    the gradients and the history holds the losses averaged over processes. The BCE is a
    mean over admissions, so equal parts give the one-process gradient; the KL term is a
    mean over each part's code nodes (equal to the whole batch's when the parts hold as
    many codes), and each process draws its own latent noise and dropout masks.

    Args:
        model: a :class:`~rl_graph.vgnn.model.VGNN`; trained in place (and moved to the
            training device).
        graphs: :func:`~rl_graph.vgnn.model.admission_graph` outputs.
        epochs: passes over the data.
        lr: Adam learning rate.
        beta: weight of the KL term.
        batch_size: admissions per batch (over all processes together).
        seed: seeds shuffling, dropout and sampling (:func:`rl_shared.runtime.seed_everything`).
        progress: optional ``(iterable, description) -> iterable`` wrapper for epochs; shown
            by the main process only.
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the forward pass (the loss is
            taken in fp32).

    Shapes:
        each batch: ``B`` admission graphs -> logits ``[B]`` and a scalar KL.

    Raises:
        BadInput: an unavailable ``device`` or ``precision``.
        NonFiniteLoss: the loss became NaN or infinite.

    References:
        VGNN, arXiv:1912.03761 (the variational objective).

    Example:
        >>> graphs = [admission_graph([0, 1], 1), admission_graph([2], 0)]
        >>> len(fit_vgnn(VGNN(3, hidden=4), graphs, epochs=2))
        2
    """
    acc = make_accelerator(str(device), precision)
    seed_everything(seed)
    model.to(acc.device)
    if not model.variational:
        # the encoder-decoder never uses its log-variance head; DDP needs every trainable
        # parameter to receive a gradient (Adam skipped these anyway: no gradient, no step)
        model.logvar.requires_grad_(False)
    loader = DataLoader(graphs, batch_size=batch_size, shuffle=True)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    net, opt = acc.prepare(model, opt)
    pos = float(np.mean([float(g.y) for g in graphs]))
    pos_weight = torch.tensor((1 - pos) / max(pos, 1e-6), device=acc.device)
    history = []
    epoch_iter: Iterable[int] = range(epochs)
    if progress is not None and acc.is_main_process:
        epoch_iter = progress(epoch_iter, "train vgnn" if model.variational else "train encdec")
    for _ in epoch_iter:
        net.train()
        total = []
        for batch in loader:
            # every process sees the same batch and keeps its own part (None: too few)
            part = shard_batch(batch, acc.process_index, acc.num_processes)
            if part is None:
                continue
            loss = vgnn_loss(net, part.to(acc.device), pos_weight, beta, acc)
            if not torch.isfinite(loss):
                raise NonFiniteLoss("VGNN loss became NaN or infinite; lower the learning rate")
            opt.zero_grad()
            acc.backward(loss)
            opt.step()
            total.append(float(loss.detach()))
        history.append(_over_ranks(acc, float(np.mean(total)) if total else float("nan")))
    acc.wait_for_everyone()
    return history


def vgnn_loss(
    net: torch.nn.Module, batch: Any, pos_weight: torch.Tensor, beta: float, acc: Any
) -> torch.Tensor:
    """One batch's training loss: class-weighted BCE on the outcome + ``beta`` · KL.

    Args:
        net: a :class:`~rl_graph.vgnn.model.VGNN` (or the prepared, DDP-wrapped one).
        batch: a PyG ``Batch`` of admission graphs on ``acc.device``.
        pos_weight: the positive-class weight of the BCE (a scalar tensor).
        beta: weight of the KL term.
        acc: the ``accelerate.Accelerator`` (its ``autocast`` wraps the forward pass).

    Shapes:
        batch: ``B`` admissions -> a scalar loss.

    References:
        VGNN, arXiv:1912.03761 (the variational objective).

    Example:
        >>> from torch_geometric.data import Batch
        >>> from rl_shared.runtime import make_accelerator
        >>> batch = Batch.from_data_list([admission_graph([0, 1], 1), admission_graph([2], 0)])
        >>> vgnn_loss(VGNN(3, hidden=4), batch, torch.tensor(1.0), 1e-3, make_accelerator()).dim()
        0
    """
    with acc.autocast():
        logits, kl = net(batch)
    loss = F.binary_cross_entropy_with_logits(
        logits.float(), batch.y.float(), pos_weight=pos_weight
    )
    return loss + beta * kl.float()


def _over_ranks(acc: Any, value: float) -> float:
    """``value`` averaged over the processes (itself in one process)."""
    if acc.num_processes == 1:
        return value
    return float(acc.reduce(torch.tensor(value, dtype=torch.float64, device=acc.device), "mean"))


@torch.no_grad()
def predict_vgnn(
    model: VGNN,
    graphs: list[Data],
    batch_size: int = 64,
    device: str | torch.device | None = None,
    precision: str = "fp32",
) -> tuple[np.ndarray, np.ndarray]:
    """Outcome probabilities and admission representations of a trained VGNN.

    Args:
        model: a :class:`~rl_graph.vgnn.model.VGNN`.
        graphs: :func:`~rl_graph.vgnn.model.admission_graph` outputs.
        batch_size: admissions per batch.
        device: where to score (``auto``, ``cpu``, ``cuda``, ``cuda:N``, ``mps``; the model
            is moved there); default: where the model is.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the forward pass
            (:func:`rl_shared.runtime.autocast`); the outputs are fp32.

    Shapes:
        returns probabilities ``[A]`` and representations ``[A, hidden]``.

    References:
        VGNN, arXiv:1912.03761.

    Example:
        >>> probs, reps = predict_vgnn(VGNN(3, hidden=4), [admission_graph([0, 2], 1)])
        >>> probs.shape, reps.shape
        ((1,), (1, 4))
    """
    if device is not None:
        model.to(resolve_device(str(device)))
    model.eval()
    target = next(model.parameters()).device
    probs, reps = [], []
    for batch in DataLoader(graphs, batch_size=batch_size):
        with autocast(target, precision):
            rep, _, _ = model.embed(batch.to(target))
            logit = model.out(rep).squeeze(-1)
        probs.append(torch.sigmoid(logit.float()).cpu().numpy())
        reps.append(rep.float().cpu().numpy())
    return np.concatenate(probs), np.concatenate(reps)


def split_admissions(
    data: EHRData, test_fraction: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Stratified train / test indices of the admissions (scikit-learn).

    Args:
        data: the admissions.
        test_fraction: share held out.
        seed: the split's seed.

    References:
        VGNN, arXiv:1912.03761 (held-out evaluation).

    Example:
        >>> from rl_graph.vgnn.data import make_synthetic_ehr
        >>> tr, te = split_admissions(make_synthetic_ehr(40, num_codes=20, seed=0))
        >>> len(tr), len(te)
        (30, 10)
    """
    from sklearn.model_selection import train_test_split

    if len(np.unique(data.labels)) < 2:
        raise BadInput("the EHR outcome has a single class; choose another outcome")
    if not 0.0 < test_fraction < 1.0:
        raise BadInput(f"test_fraction must lie in (0, 1), got {test_fraction}")
    fewest = int(np.bincount(data.labels).min(initial=len(data)))
    n_test = int(np.ceil(test_fraction * len(data)))
    if fewest < 2 or n_test < 2 or len(data) - n_test < 2:
        raise BadInput(
            f"{len(data)} admissions ({fewest} of the rarer outcome) are too few for a "
            f"stratified {1 - test_fraction:.0%}/{test_fraction:.0%} split: each part needs "
            "both outcomes"
        )
    idx = np.arange(len(data))
    tr, te = train_test_split(idx, test_size=test_fraction, random_state=seed, stratify=data.labels)
    return tr, te


@dataclass
class OutcomeModel:
    """A trained outcome model with the code vocabulary it was trained on.

    Args:
        kind: ``"logreg"``, ``"encdec"`` or ``"vgnn"``.
        vocab: code names, in the order of the model's code ids.
        net: the :class:`~rl_graph.vgnn.model.VGNN` (graph models).
        coef: logistic-regression weights ``[V]`` (``logreg``).
        intercept: logistic-regression bias (``logreg``).
        config: what the training recorded (data, seed, split).

    References:
        VGNN, arXiv:1912.03761 (the models it compares).

    Example:
        >>> m = OutcomeModel("logreg", ["a", "b"], coef=np.array([1.0, -1.0]), intercept=0.0)
        >>> m.kind
        'logreg'
    """

    kind: str
    vocab: list[str]
    net: VGNN | None = None
    coef: np.ndarray | None = None
    intercept: float = 0.0
    config: dict[str, Any] | None = None


@overload
def ehr_experiment(
    data: EHRData,
    model: str,
    seed: int = 0,
    test_fraction: float = 0.25,
    epochs: int = 20,
    hidden: int = 32,
    beta: float = 1e-3,
    progress: Progress = None,
    lr: float = 1e-3,
    batch_size: int = 32,
    device: str | torch.device = "auto",
    precision: str = "fp32",
    *,
    return_model: Literal[False] = False,
) -> dict[str, float]: ...


@overload
def ehr_experiment(
    data: EHRData,
    model: str,
    seed: int = 0,
    test_fraction: float = 0.25,
    epochs: int = 20,
    hidden: int = 32,
    beta: float = 1e-3,
    progress: Progress = None,
    lr: float = 1e-3,
    batch_size: int = 32,
    device: str | torch.device = "auto",
    precision: str = "fp32",
    *,
    return_model: Literal[True],
) -> tuple[dict[str, float], OutcomeModel]: ...


@overload
def ehr_experiment(
    data: EHRData,
    model: str,
    seed: int = 0,
    test_fraction: float = 0.25,
    epochs: int = 20,
    hidden: int = 32,
    beta: float = 1e-3,
    progress: Progress = None,
    lr: float = 1e-3,
    batch_size: int = 32,
    device: str | torch.device = "auto",
    precision: str = "fp32",
    return_model: bool = False,
) -> dict[str, float] | tuple[dict[str, float], OutcomeModel]: ...


def ehr_experiment(
    data: EHRData,
    model: str,
    seed: int = 0,
    test_fraction: float = 0.25,
    epochs: int = 20,
    hidden: int = 32,
    beta: float = 1e-3,
    progress: Progress = None,
    lr: float = 1e-3,
    batch_size: int = 32,
    device: str | torch.device = "auto",
    precision: str = "fp32",
    return_model: bool = False,
) -> dict[str, float] | tuple[dict[str, float], OutcomeModel]:
    """AUPRC / AUROC of logistic regression, encoder-decoder or VGNN on a stratified split.

    Args:
        data: the admissions.
        model: ``"logreg"``, ``"encdec"`` or ``"vgnn"``.
        seed: seeds the split and the training.
        test_fraction: share of admissions held out.
        epochs: training epochs (graph models).
        hidden: VGNN width.
        beta: weight of the KL term (``vgnn``).
        progress: epoch progress wrapper.
        lr: Adam learning rate (graph models).
        batch_size: admissions per batch (graph models).
        device: where to train and score (graph models): ``auto``, ``cpu``, ``cuda``,
            ``cuda:N`` or ``mps``.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast in training (graph models).
        return_model: also return the trained :class:`OutcomeModel`.

    References:
        VGNN, arXiv:1912.03761 (outcome prediction, AUPRC).

    Example:
        >>> from rl_graph.vgnn.data import make_synthetic_ehr
        >>> r = ehr_experiment(make_synthetic_ehr(60, num_codes=20, seed=0), "vgnn", epochs=1)
        >>> sorted(r)
        ['auprc', 'auroc', 'effective_rank', 'prevalence']
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score, roc_auc_score

    if model not in MODELS:
        raise UnknownName("EHR model", model, list(MODELS))
    tr, te = split_admissions(data, test_fraction, seed)
    y_te = data.labels[te]
    out: dict[str, float] = {"prevalence": float(y_te.mean())}
    if model == "logreg":
        x = data.multi_hot()
        clf = LogisticRegression(max_iter=2000, C=1.0).fit(x[tr], data.labels[tr])
        prob = clf.predict_proba(x[te])[:, 1]
        trained = OutcomeModel(
            "logreg", data.vocab, coef=clf.coef_[0].copy(), intercept=float(clf.intercept_[0])
        )
    else:
        graphs = [admission_graph(c, y) for c, y in zip(data.codes, data.labels)]
        seed_everything(seed)  # the initialisation follows the seed too
        net = VGNN(len(data.vocab), hidden, variational=model == "vgnn")
        fit_vgnn(
            net,
            [graphs[i] for i in tr],
            epochs=epochs,
            lr=lr,
            beta=beta,
            batch_size=batch_size,
            seed=seed,
            progress=progress,
            device=device,
            precision=precision,
        )
        prob, _ = predict_vgnn(net, [graphs[i] for i in te])
        _, all_reps = predict_vgnn(net, graphs)
        out["effective_rank"] = effective_rank(all_reps)
        trained = OutcomeModel(model, data.vocab, net=net)
    out["auprc"] = float(average_precision_score(y_te, prob))
    out["auroc"] = float(roc_auc_score(y_te, prob))
    trained.config = {"seed": seed, "test_fraction": test_fraction}
    return (out, trained) if return_model else out
