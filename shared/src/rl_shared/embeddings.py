"""One content-hashed cache of sentence embeddings, for every member that encodes text.

The cache key is a SHA-256 of the model's identity, every text, the prompt and the
normalisation, so the same model on the same texts is encoded once, and any change (another
checkpoint, one text edited, another prompt) misses. A model's identity is ``model_id`` when
given, else a hash of its parameters (so a fine-tuned model never hits its base model's
entry). Files are ``cache_dir("embeddings")/<key>.npy``, written atomically.

Example:
    >>> import os, tempfile, numpy as np
    >>> os.environ["RL_CACHE_DIR"] = tempfile.mkdtemp()  # a fresh cache for the example
    >>> class Toy:  # anything with ``encode(texts, **kw)`` works, as a SentenceTransformer does
    ...     calls = 0
    ...     def encode(self, texts, **kw):
    ...         Toy.calls += 1
    ...         return np.array([[len(t), 1.0] for t in texts])
    >>> a = encode_cached(Toy(), ["ab", "c"], model_id="toy-doc")
    >>> b = encode_cached(Toy(), ["ab", "c"], model_id="toy-doc")
    >>> a.shape, a.dtype, bool((a == b).all()), Toy.calls
    ((2, 2), dtype('float32'), True, 1)
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rl_shared.data import cache_dir
from rl_shared.errors import BadInput
from rl_shared.io import atomic_open

__all__ = ["cache_path", "encode_cached", "model_fingerprint"]


def model_fingerprint(model: Any) -> str:
    """A hash of a torch module's parameters and buffers (its identity for the cache).

    Args:
        model: a ``torch.nn.Module`` (e.g. a SentenceTransformer), or any object (then its
            class name and ``id`` are used, which only caches within the process).

    Example:
        >>> import torch
        >>> a, b = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)
        >>> _ = b.load_state_dict(a.state_dict())
        >>> model_fingerprint(a) == model_fingerprint(b), len(model_fingerprint(a))
        (True, 64)
        >>> with torch.no_grad():
        ...     _ = b.bias.add_(1.0)
        >>> model_fingerprint(a) == model_fingerprint(b)
        False
    """
    state = getattr(model, "state_dict", None)
    if state is None:
        return f"{type(model).__qualname__}-{id(model)}"
    digest = hashlib.sha256()
    for name, tensor in sorted(state().items()):
        digest.update(name.encode())
        t = tensor.detach().cpu().contiguous()
        digest.update(str(t.dtype).encode() + str(tuple(t.shape)).encode())
        digest.update(t.view(-1).view(dtype=__import__("torch").uint8).numpy().tobytes())
    return digest.hexdigest()


def _model_key(model: Any, model_id: str | None) -> str:
    if model_id is not None:
        return f"id:{model_id}"
    if isinstance(model, str | os.PathLike):
        from rl_shared.models import resolve

        path = resolve(model)
        return f"path:{path.resolve()}"
    return f"params:{model_fingerprint(model)}"


def cache_path(
    model: Any,
    texts: Sequence[str],
    *,
    model_id: str | None = None,
    normalize: bool = False,
    prompt: str | None = None,
) -> Path:
    """Where :func:`encode_cached` keeps (or would keep) these texts' embeddings.

    Args:
        model: the model: a module (keyed by :func:`model_fingerprint`), a short name or
            model folder (keyed by its resolved path), or any object when ``model_id`` is given.
        texts: the texts, in order.
        model_id: a stable name for the model; when given it is the model's whole identity.
        normalize: whether the embeddings are L2-normalised.
        prompt: the prompt prepended by the encoder, if any.

    Example:
        >>> import os, tempfile
        >>> os.environ["RL_CACHE_DIR"] = tempfile.mkdtemp()
        >>> p = cache_path(None, ["a", "b"], model_id="toy")
        >>> p.parent.name, p.suffix, len(p.stem)
        ('embeddings', '.npy', 32)
        >>> p == cache_path(None, ["a", "b"], model_id="toy") != cache_path(None, ["b", "a"], model_id="toy")
        True
    """
    digest = hashlib.sha256()
    for part in (_model_key(model, model_id), f"normalize={normalize}", f"prompt={prompt!r}"):
        digest.update(part.encode("utf-8") + b"\x1e")
    digest.update(str(len(texts)).encode() + b"\x1e")
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass") + b"\x1f")
    return cache_dir("embeddings") / f"{digest.hexdigest()[:32]}.npy"


def encode_cached(
    model: Any,
    texts: Sequence[str],
    *,
    model_id: str | None = None,
    batch_size: int = 64,
    normalize: bool = False,
    prompt: str | None = None,
    cache: bool = True,
    show_progress: bool = False,
    encoder: Callable[[list[str]], np.ndarray] | None = None,
) -> np.ndarray:
    """Sentence embeddings of ``texts``, read from the cache when this model saw these texts.

    Args:
        model: a SentenceTransformer (anything with its ``encode``), or a short name / local
            folder loaded through :func:`rl_shared.models.load_sentence_transformer`.
        texts: the strings to encode.
        model_id: a stable name of the model's weights; skips hashing the parameters.
        batch_size: encoding batch size.
        normalize: unit-normalise the embeddings.
        prompt: a prefix added to every text (e.g. ``"query: "``).
        cache: read and write the cache; ``False`` always encodes.
        show_progress: the host library's progress bar.
        encoder: encodes a list of (prompted) texts instead of ``model.encode`` -- e.g. one
            that shards the work over torch.distributed ranks.

    Shapes:
        ``-> (len(texts), dim)``, float32.

    References:
        Reimers & Gurevych, "Sentence-BERT", arXiv:1908.10084 (the ``encode`` API).
    """
    if batch_size < 1:
        raise BadInput(f"batch_size must be at least 1, got {batch_size}")
    texts = list(texts)
    path = cache_path(model, texts, model_id=model_id, normalize=normalize, prompt=prompt)
    if cache and path.is_file():  # a hit never loads the model
        cached = np.load(path)
        if cached.shape[0] == len(texts):
            return cached
    if isinstance(model, str | os.PathLike) and encoder is None:
        from rl_shared.models import load_sentence_transformer

        loaded = load_sentence_transformer(model)
    else:
        loaded = model
    inputs = [(prompt or "") + t for t in texts]
    if encoder is not None:
        vectors = encoder(inputs)
    elif not inputs:
        dim = getattr(loaded, "get_sentence_embedding_dimension", lambda: 0)() or 0
        vectors = np.zeros((0, dim), dtype=np.float32)
    else:
        vectors = loaded.encode(
            inputs,
            batch_size=batch_size,
            normalize_embeddings=normalize,
            show_progress_bar=show_progress,
            convert_to_numpy=True,
        )
    vectors = np.asarray(vectors, dtype=np.float32)
    if cache:
        with atomic_open(path, "wb") as handle:
            np.save(handle, vectors)
    return vectors
