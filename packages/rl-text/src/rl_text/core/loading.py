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

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from torch import nn

from rl_shared.errors import BadInput, MalformedFile

__all__ = ["load_with_classes"]


def load_with_classes(
    path: str | os.PathLike[str], classes: Mapping[str, type], device: str | None = "cpu"
) -> nn.Module:
    """Load a saved ``SentenceTransformer`` whose ``modules.json`` names classes of this package.

    Each module listed in ``modules.json`` is loaded with ``classes[type].load`` if its type is
    in ``classes``, else only if it belongs to ``sentence_transformers`` (no remote code).

    Args:
        path: the folder ``SentenceTransformer.save`` wrote.
        classes: ``modules.json`` type string (``"rl_text.moe.model.MoETransformer"``) -> the
            class that loads it.
        device: where the model is put (``None``: sentence-transformers' default).

    Raises:
        BadInput: ``path`` has no ``modules.json``.
        MalformedFile: a module type is neither in ``classes`` nor sentence-transformers'.
    """
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.util import import_from_string

    folder = Path(path)
    listing = folder / "modules.json"
    if not listing.is_file():
        raise BadInput(f"{folder} is not a saved sentence-transformers model (no modules.json)")
    modules = []
    for entry in sorted(json.loads(listing.read_text()), key=lambda e: e["idx"]):
        ref = entry["type"]
        cls: Any  # a sentence-transformers module class (with a ``load`` classmethod)
        if ref in classes:
            cls = classes[ref]
        elif ref.startswith("sentence_transformers."):
            cls = import_from_string(ref)
        else:
            raise MalformedFile(listing, None, f"module type {ref} is not one this loader knows")
        modules.append(cls.load(str(folder), subfolder=entry["path"], local_files_only=True))
    return SentenceTransformer(modules=modules, device=device)
