"""Load a saved ``SentenceTransformer`` whose modules are classes of this package, without remote code.

sentence-transformers 6 imports module classes outside its own namespace only with
``trust_remote_code=True``, which this workspace never sets; :func:`load_with_classes` reads
``modules.json`` itself and loads each module with a class it is given (MoE's
``MoETransformer``, DefSent+'s prompt modules) or one of sentence-transformers' own.

Example:
    >>> import tempfile
    >>> from rl_shared.models import load_sentence_transformer
    >>> folder = tempfile.mkdtemp()
    >>> load_sentence_transformer("minilm").save(folder)
    >>> load_with_classes(folder, {}).encode(["a cat"]).shape
    (1, 384)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from torch import nn

from rl_shared.errors import BadInput, MalformedFile, ModelNotFound, RLError
from rl_shared.models import check_json_files

__all__ = ["check_model_folder", "load_with_classes"]


def check_model_folder(name_or_path: str | os.PathLike[str], what: str = "--model") -> Path:
    """Resolve a model name or folder and check it holds a model, before any work starts.

    For commands that load the model only deep inside training (after ``OUT`` exists): a
    file, an empty folder or a folder that is not a model is refused up front, and its JSON
    files are read strictly (:func:`check_json_files`).

    Args:
        name_or_path: a short name (``minilm``), a model folder or a hub id ``org/name[@rev]``.
        what: the option named in the message.

    Returns:
        The model's local folder.

    Raises:
        ModelNotFound: unknown name, missing path, a file, or a folder with neither
            ``modules.json`` nor ``config.json``.
        MalformedFile: one of its JSON files is broken.

    Example:
        >>> import tempfile
        >>> try:
        ...     check_model_folder(tempfile.mkdtemp())
        ... except ModelNotFound as err:
        ...     print(str(err).split(": ")[-1])
        it has neither modules.json nor config.json
    """
    from rl_shared.models import resolve

    folder = resolve(name_or_path)
    if not any((folder / name).exists() for name in ("modules.json", "config.json")):
        raise ModelNotFound(
            f"{what} {folder} is not a model folder: it has neither modules.json nor config.json"
        )
    check_json_files(folder)
    return folder


def load_with_classes(
    path: str | os.PathLike[str], classes: Mapping[str, type], device: str | None = "auto"
) -> nn.Module:
    """Load a saved ``SentenceTransformer`` whose ``modules.json`` names classes of this package.

    Each module listed in ``modules.json`` is loaded with ``classes[type].load`` if its type is
    in ``classes``, else only if it belongs to ``sentence_transformers`` (no remote code).

    Args:
        path: the folder ``SentenceTransformer.save`` wrote.
        classes: ``modules.json`` type string (``"rl_text.moe.model.MoETransformer"``) -> the
            class that loads it.
        device: where the model is put: ``auto``, ``cpu``, ``cuda[:N]`` or ``mps``
            (:func:`rl_shared.runtime.resolve_device`; ``None``: sentence-transformers' default).

    Raises:
        BadInput: ``path`` has no ``modules.json``.
        MalformedFile: a JSON file of the folder is broken (see :func:`check_json_files`),
            ``modules.json`` is not a list of modules, or a module type is neither in
            ``classes`` nor sentence-transformers'.
    """
    from safetensors import SafetensorError
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.util import import_from_string

    from rl_shared.io import read_json

    folder = Path(path)
    listing = folder / "modules.json"
    if not listing.exists():
        raise BadInput(f"{folder} is not a saved sentence-transformers model (no modules.json)")
    check_json_files(folder)
    entries = read_json(listing)
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("idx"), int) and {"type", "path"} <= set(e)
        for e in entries
    ):
        raise MalformedFile(listing, None, "not a modules.json list of {idx, path, type}")
    modules = []
    for entry in sorted(entries, key=lambda e: e["idx"]):
        ref = entry["type"]
        cls: Any  # a sentence-transformers module class (with a ``load`` classmethod)
        if ref in classes:
            cls = classes[ref]
        elif ref.startswith("sentence_transformers."):
            cls = import_from_string(ref)
        else:
            raise MalformedFile(listing, None, f"module type {ref} is not one this loader knows")
        try:
            modules.append(cls.load(str(folder), subfolder=entry["path"], local_files_only=True))
        except RLError:
            raise
        except (OSError, ValueError, KeyError, TypeError, SafetensorError) as err:
            detail = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise ModelNotFound(
                f"{folder} could not be loaded: its module {entry['path'] or '.'} ({ref}) is "
                f"broken ({detail})"
            ) from None
    if device is not None:
        from rl_shared.runtime import resolve_device

        device = str(resolve_device(device))
    return SentenceTransformer(modules=modules, device=device)
