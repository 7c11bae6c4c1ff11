"""Store trained EHR outcome models as model folders and score admissions with them.

:func:`save_outcome_model` / :func:`load_outcome_model` store a trained
:class:`~rl_graph.vgnn.train.OutcomeModel` (with its code vocabulary) as a model folder, and
:func:`score_admissions` scores admissions with it, matching medical codes by name.

References:
    Zhu & Razavian, Variationally Regularized Graph-based Representation Learning for
    Electronic Health Records (VGNN), arXiv:1912.03761.

Example:
    >>> import tempfile
    >>> from rl_graph.vgnn.data import EHRData
    >>> m = OutcomeModel("logreg", ["a", "b"], coef=np.array([1.0, -1.0]))
    >>> again = load_outcome_model(save_outcome_model(m, Path(tempfile.mkdtemp()) / "model"))
    >>> score_admissions(again, EHRData([[0], [1]], np.array([1, 0]), ["a", "b"]))[1].tolist()
    [0, 1]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from rl_graph.vgnn.data import EHRData
from rl_graph.vgnn.model import VGNN, admission_graph
from rl_graph.vgnn.train import CITATION, MODELS, OutcomeModel, predict_vgnn
from rl_shared.errors import BadInput

__all__ = ["load_outcome_model", "save_outcome_model", "score_admissions"]


def save_outcome_model(model: OutcomeModel, folder: str | Path) -> Path:
    """Save an :class:`OutcomeModel` as a model folder (config + safetensors + card).

    Args:
        model: the trained model.
        folder: the model folder (``OUT/model``); replaced atomically.

    References:
        VGNN, arXiv:1912.03761.

    Example:
        >>> import tempfile
        >>> m = OutcomeModel("logreg", ["a", "b"], coef=np.array([1.0, -1.0]), intercept=0.5)
        >>> folder = save_outcome_model(m, Path(tempfile.mkdtemp()) / "model")
        >>> load_outcome_model(folder).intercept
        0.5
    """
    from rl_shared.artifacts import save_model

    config: dict[str, Any] = {"vocab": list(model.vocab), **(model.config or {})}
    if model.kind == "logreg":
        assert model.coef is not None
        tensors: Any = {
            "coef": torch.as_tensor(model.coef, dtype=torch.float64),
            "intercept": torch.tensor([model.intercept], dtype=torch.float64),
        }
    else:
        assert model.net is not None
        config["model"] = model.net.config
        tensors = model.net
    return save_model(
        folder,
        kind=f"vgnn.{model.kind}",
        config=config,
        tensors=tensors,
        citation=CITATION,
        summary=f"EHR outcome model ({model.kind}) trained by `rl graph vgnn train` on "
        f"{len(model.vocab)} medical codes.",
    )


def load_outcome_model(folder: str | Path) -> OutcomeModel:
    """Load a model saved by :func:`save_outcome_model` (or ``rl graph vgnn train``).

    Args:
        folder: the model folder.

    Raises:
        ModelNotFound: no model folder there.
        MalformedFile: ``config.json`` is a folder, empty, not UTF-8 / JSON, or lacks what
            rebuilds the model (``vocab``, ``model``, a valid ``seed`` / ``test_fraction``).
        BadInput: not a model of ``rl graph vgnn train``, or weights that do not fit or are
            not finite.

    References:
        VGNN, arXiv:1912.03761.

    Example:
        >>> import tempfile
        >>> m = OutcomeModel("vgnn", ["a", "b"], net=VGNN(2, hidden=4))
        >>> load_outcome_model(save_outcome_model(m, Path(tempfile.mkdtemp()) / "m")).kind
        'vgnn'
    """
    from rl_shared.artifacts import CONFIG, load_model
    from rl_shared.errors import MalformedFile
    from rl_shared.io import read_json

    path = Path(folder)
    if (path / CONFIG).exists():
        read_json(path / CONFIG)  # a folder, an empty file, bytes that are not UTF-8: named
    artifact = load_model(path)
    kind = artifact.kind.removeprefix("vgnn.")
    if not artifact.kind.startswith("vgnn.") or kind not in MODELS:
        raise BadInput(
            f"{folder} holds a {artifact.kind!r} model, not one of `rl graph vgnn train`"
        )
    config = dict(artifact.config)
    where = path / CONFIG
    vocab = config.pop("vocab", None)
    if (
        not isinstance(vocab, list)
        or not vocab
        or not all(isinstance(c, str) for c in vocab)
        or len(set(vocab)) != len(vocab)
    ):
        raise MalformedFile(where, None, "config.vocab is not a list of distinct code names")
    seed, fraction = config.get("seed", 0), config.get("test_fraction", 0.25)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise MalformedFile(where, None, f"config.seed is {seed!r}, not an integer")
    if not isinstance(fraction, int | float) or isinstance(fraction, bool) or not 0 < fraction < 1:
        raise MalformedFile(where, None, f"config.test_fraction is {fraction!r}, not in (0, 1)")
    training = config.get("training", {})
    size = training.get("num_admissions", 4000) if isinstance(training, dict) else None
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise MalformedFile(where, None, "config.training.num_admissions is not a count")
    if kind == "logreg":
        coef, intercept = artifact.tensors.get("coef"), artifact.tensors.get("intercept")
        if (
            coef is None
            or intercept is None
            or coef.shape != (len(vocab),)
            or intercept.numel() != 1
        ):
            raise BadInput(
                f"the weights in {path} are not a logistic regression over its "
                f"{len(vocab)} codes (coef [{len(vocab)}] and intercept [1])"
            )
        if not (torch.isfinite(coef).all() and torch.isfinite(intercept).all()):
            raise BadInput(f"the weights in {path} hold NaN or infinity; retrain the model")
        return OutcomeModel(
            kind, vocab, coef=coef.numpy(), intercept=float(intercept.reshape(-1)[0]), config=config
        )
    args = config.pop("model", None)
    if not isinstance(args, dict) or args.get("num_codes") != len(vocab):
        raise MalformedFile(
            where, None, f"config.model does not describe a VGNN over the {len(vocab)} codes"
        )
    try:
        net = VGNN(**args)
    except (TypeError, ValueError, KeyError, AttributeError, RuntimeError) as err:
        raise MalformedFile(where, None, f"config.model does not build a VGNN ({err})") from None
    artifact.load_into(net)
    if not all(
        bool(torch.isfinite(t).all()) for t in net.state_dict().values() if t.is_floating_point()
    ):
        raise BadInput(f"the weights in {path} hold NaN or infinity; retrain the model")
    return OutcomeModel(kind, vocab, net=net.eval(), config=config)


def score_admissions(
    model: OutcomeModel,
    data: EHRData,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> tuple[np.ndarray, np.ndarray]:
    """Outcome probabilities of the admissions that share at least one code with the model.

    Codes are matched by name; codes the model never saw are ignored.

    Args:
        model: a trained :class:`OutcomeModel`.
        data: admissions to score.
        device: where a graph model scores (``auto``, ``cpu``, ``cuda``, ``cuda:N``,
            ``mps``); its network is moved there. Logistic regression scores in NumPy.
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of a graph model's forward pass.

    Returns:
        ``(probabilities [A'], index [A'])``: the scores and which admissions they belong to.

    References:
        VGNN, arXiv:1912.03761.

    Example:
        >>> from rl_graph.vgnn.data import EHRData
        >>> m = OutcomeModel("logreg", ["a", "b"], coef=np.array([2.0, -2.0]))
        >>> data = EHRData([[0], [1], [2]], np.array([1, 0, 0]), ["a", "b", "c"])
        >>> probs, index = score_admissions(m, data)
        >>> index.tolist(), bool(probs[0] > probs[1])
        ([0, 1], True)
    """
    position = {code: i for i, code in enumerate(model.vocab)}
    mapped = [
        sorted({position[data.vocab[c]] for c in codes if data.vocab[c] in position})
        for codes in data.codes
    ]
    index = np.array([i for i, codes in enumerate(mapped) if codes], dtype=np.int64)
    if len(index) == 0:
        raise BadInput("no admission shares a medical code with the model's vocabulary")
    if model.kind == "logreg":
        assert model.coef is not None
        logits = np.array([model.coef[mapped[i]].sum() for i in index]) + model.intercept
        return 1 / (1 + np.exp(-logits)), index
    assert model.net is not None
    graphs = [admission_graph(mapped[i], int(data.labels[i])) for i in index]
    probs, _ = predict_vgnn(model.net, graphs, device=device, precision=precision)
    return probs, index
