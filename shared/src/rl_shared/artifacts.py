"""A saved model folder: ``config.json`` + ``model.safetensors`` + a model-card ``README.md``.

Every member saves its trained models through :func:`save_model` and reads them back with
:func:`load_model`, so every model folder in the workspace has the same shape:

* ``config.json`` -- ``{"kind": ..., "format": 1, "config": {...}}``: what the model is and
  everything needed to rebuild it;
* ``model.safetensors`` -- the weights (never a pickle);
* ``README.md`` -- a model card: what it is, its configuration, the paper's citation;
* whatever else the caller's ``write(tmp)`` adds (a vocabulary, a host-library sub-folder).

The folder is built under a temporary name and swapped into place with
:func:`rl_shared.io.replace_dir`, so an existing model is replaced with no moment where no
model is there, and a failed save leaves the old model as it was.

Example:
    >>> import tempfile, torch
    >>> net = torch.nn.Linear(3, 2)
    >>> folder = save_model(tempfile.mkdtemp() + "/model", kind="demo.linear",
    ...                     config={"in": 3, "out": 2}, tensors=net, citation="@misc{demo}")
    >>> art = load_model(folder, kind="demo.linear")
    >>> art.config, sorted(art.tensors)
    ({'in': 3, 'out': 2}, ['bias', 'weight'])
    >>> again = art.load_into(torch.nn.Linear(3, 2))
    >>> bool(torch.equal(again.weight, net.weight))
    True
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rl_shared.errors import BadInput, MalformedFile, ModelNotFound
from rl_shared.io import atomic_dir, read_json

if TYPE_CHECKING:
    import torch

__all__ = ["CONFIG", "WEIGHTS", "Artifact", "load_model", "save_model"]

CONFIG = "config.json"
WEIGHTS = "model.safetensors"
_FORMAT = 1


@dataclass
class Artifact:
    """A loaded model folder.

    Args:
        path: the folder.
        kind: what wrote it (``"text.binary-pv"``, ``"robotics.sirl.representation"``, ...).
        config: the configuration saved with it.
        tensors: the weights, name -> tensor (empty when the model has none).

    Example:
        >>> import torch
        >>> art = Artifact(Path("m"), "demo.linear", {"in": 1}, {"weight": torch.ones(1, 1)})
        >>> art.kind, list(art.tensors)
        ('demo.linear', ['weight'])
        >>> art.load_into(torch.nn.Linear(1, 1, bias=False)).weight.item()
        1.0
    """

    path: Path
    kind: str
    config: dict[str, Any]
    tensors: dict[str, torch.Tensor] = field(default_factory=dict)

    def load_into(self, module: torch.nn.Module, strict: bool = True) -> torch.nn.Module:
        """Copy the weights into ``module`` (``load_state_dict``) and return it.

        Raises:
            BadInput: the weights do not fit the module (missing, unexpected or misshapen keys).
        """
        try:
            module.load_state_dict(self.tensors, strict=strict)
        except RuntimeError as err:
            first = str(err).splitlines()[0]
            raise BadInput(f"the weights in {self.path} do not fit this model: {first}") from None
        return module


def _model_card(kind: str, summary: str, config: Mapping[str, Any], citation: str) -> str:
    lines = [f"# {kind}", ""]
    if summary:
        lines += [summary.strip(), ""]
    lines += [
        "Saved by `rl`: `config.json` holds the configuration, `model.safetensors` the weights.",
        "",
        "## Configuration",
        "",
        "```json",
        json.dumps(dict(config), indent=2, sort_keys=True, default=str),
        "```",
        "",
    ]
    if citation:
        lines += ["## Citation", "", "```bibtex", citation.strip(), "```", ""]
    return "\n".join(lines)


def save_model(
    folder: str | Path,
    *,
    kind: str,
    config: Mapping[str, Any],
    tensors: Mapping[str, torch.Tensor] | torch.nn.Module | None = None,
    citation: str = "",
    summary: str = "",
    write: Callable[[Path], None] | None = None,
) -> Path:
    """Write a model folder atomically and return its path.

    Args:
        folder: where the model goes (an existing model there is replaced).
        kind: what the model is, checked by :func:`load_model`.
        config: JSON-serialisable configuration needed to rebuild it.
        tensors: the weights, or a module whose ``state_dict`` is saved.
        citation: the paper's BibTeX, written into the model card.
        summary: one paragraph for the model card.
        write: called with the temporary folder to add other files before the swap.

    Shapes:
        - tensors: a mapping of names to tensors of any shape (each saved as it is, on the
          CPU), or a module whose ``state_dict`` is saved.
    """
    from safetensors.torch import save_file

    try:
        config_text = json.dumps(
            {"kind": kind, "format": _FORMAT, "config": dict(config)}, indent=2, sort_keys=True
        )
    except TypeError as err:
        raise BadInput(f"the configuration of {kind} is not JSON-serialisable: {err}") from None
    if tensors is not None and hasattr(tensors, "state_dict"):
        weights = tensors.state_dict()  # type: ignore[union-attr]
    else:
        weights = dict(tensors or {})
    weights = {k: v.detach().cpu().contiguous() for k, v in weights.items()}
    folder = Path(folder)
    with atomic_dir(folder) as tmp:
        (tmp / CONFIG).write_text(config_text + "\n", encoding="utf-8")
        if weights:
            save_file(_unshare(weights), str(tmp / WEIGHTS), metadata={"kind": kind})
        (tmp / "README.md").write_text(
            _model_card(kind, summary, config, citation), encoding="utf-8"
        )
        if write is not None:
            write(tmp)
    return folder


def _unshare(weights: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """safetensors refuses tensors that share memory (tied weights): give each its own copy."""
    seen: set[int] = set()
    out = {}
    for name, tensor in weights.items():
        ptr = tensor.untyped_storage().data_ptr() if tensor.numel() else -1
        out[name] = tensor.clone() if ptr in seen else tensor
        if ptr != -1:
            seen.add(ptr)
    return out


def load_model(folder: str | Path, *, kind: str | None = None) -> Artifact:
    """Read a folder written by :func:`save_model`.

    Args:
        folder: the model folder.
        kind: when given, the folder must hold a model of this kind.

    Raises:
        ModelNotFound: the folder does not exist or lacks ``config.json``.
        BadInput: the folder holds another kind of model, or its files are corrupt.
    """
    folder = Path(folder)
    config_path = folder / CONFIG
    if folder.exists() and not folder.is_dir():
        raise ModelNotFound(f"{folder} is a file, not a model folder (pass the OUT/model folder)")
    if not config_path.exists():
        raise ModelNotFound(
            f"{folder} is not a saved model: it has no {CONFIG} (pass the OUT/model folder "
            "a training command wrote)"
        )
    payload = read_json(config_path)  # not UTF-8, not JSON, NaN: MalformedFile names the line
    try:
        found_kind, config = payload["kind"], payload["config"]
    except (KeyError, TypeError):
        raise MalformedFile(
            config_path, None, "not a model configuration written by rl (no kind and config)"
        ) from None
    if kind is not None and found_kind != kind:
        raise BadInput(f"{folder} holds a '{found_kind}' model, not a '{kind}' model")
    tensors: dict[str, Any] = {}
    weights = folder / WEIGHTS
    if weights.is_file():
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        try:
            tensors = load_file(str(weights))
        except (SafetensorError, OSError) as err:
            raise BadInput(f"{weights} is not a readable safetensors file ({err})") from None
    return Artifact(folder, found_kind, config, tensors)
