"""Sentence embeddings from the first L transformer layers, all layers in one forward pass.

A sentence-transformers model is ``Transformer -> Pooling -> (Normalize, Dense, ...)``. The
embedding of layer ``L`` is what the model gives when its encoder is cut after ``L`` layers:
the hidden states after layer ``L`` pooled by the model's own modules after the transformer.
:func:`layer_embeddings` computes every layer's hidden states in one pass
(``output_hidden_states``) and pools the ones asked for; :func:`truncate_layers` builds the
cut model itself (for export, and as the reference the tests compare with).

What it adds to sentence-transformers: ``SentenceTransformer.encode`` returns the last layer
only; ``AdaptiveLayerLoss`` reads the hidden states during training but offers no encoder.

Example:
    >>> from rl_shared.models import load_sentence_transformer
    >>> model = load_sentence_transformer("minilm")
    >>> embs = encode_layers(model, ["a cat", "a dog"], layers=[1, 6])
    >>> embs[1].shape
    torch.Size([2, 384])
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput

__all__ = [
    "embedding_dim",
    "encode_layers",
    "layer_embeddings",
    "num_layers",
    "tokenize",
    "transformer_hidden_states",
    "truncate_layers",
    "unwrap_model",
]


def unwrap_model(model: nn.Module) -> Any:
    """The ``SentenceTransformer`` inside DDP (``.module``) or ``torch.compile`` (``._orig_mod``).

    Typed ``Any``: the result is a duck-typed host object (anything with ``tokenize``).

    Args:
        model: a ``SentenceTransformer``, possibly wrapped (any depth) by DDP or ``torch.compile``.

    Raises:
        BadInput: no object with ``tokenize`` is found inside ``model``.

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> model = load_sentence_transformer("minilm")
        >>> class Wrapper(nn.Module):
        ...     def __init__(self, module):
        ...         super().__init__()
        ...         self.module = module
        >>> unwrap_model(Wrapper(model)) is model
        True
    """
    current: Any = model
    while not hasattr(current, "tokenize"):
        if hasattr(current, "_orig_mod"):
            current = current._orig_mod
        elif hasattr(current, "module"):
            current = current.module
        else:
            raise BadInput(f"expected a SentenceTransformer, got {type(current).__name__}")
    return current


def _auto_model(model: nn.Module) -> Any:
    first = unwrap_model(model)[0]
    auto = getattr(first, "auto_model", None) or getattr(first, "model", None)
    if auto is None or not hasattr(auto, "config"):
        raise BadInput("the model's first module is not a Hugging Face transformer")
    return auto


def embedding_dim(model: nn.Module) -> int:
    """Output size of a sentence-transformers model (across sentence-transformers 5 and 6).

    Args:
        model: a ``SentenceTransformer`` (or a DDP / compiled wrapper of one).

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> embedding_dim(load_sentence_transformer("minilm"))
        384
    """
    st = unwrap_model(model)
    getter = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
    return int(getter())


def tokenize(model: nn.Module, texts: list[str]) -> dict[str, Any]:
    """Tokenize with ``preprocess`` (sentence-transformers 6) or ``tokenize`` (5).

    Args:
        model: a ``SentenceTransformer`` (or a DDP / compiled wrapper of one).
        texts: the texts of one batch.

    Shapes:
        ``input_ids`` and ``attention_mask`` are ``(len(texts), tokens)``, padded to the longest.

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> features = tokenize(load_sentence_transformer("minilm"), ["a cat", "a dog sat"])
        >>> ids, mask = features["input_ids"], features["attention_mask"]
        >>> ids.shape[0], ids.shape == mask.shape
        (2, True)
    """
    st = unwrap_model(model)
    return (getattr(st, "preprocess", None) or st.tokenize)(texts)


def num_layers(model: nn.Module) -> int:
    """Number of transformer layers of a sentence-transformers model.

    Args:
        model: a ``SentenceTransformer`` whose first module is a Hugging Face transformer.

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> num_layers(load_sentence_transformer("minilm"))
        6
    """
    return int(_auto_model(model).config.num_hidden_layers)


@contextmanager
def _hidden_states_on(model: nn.Module) -> Iterator[None]:
    config = _auto_model(model).config
    before = config.output_hidden_states
    config.output_hidden_states = True
    try:
        yield
    finally:
        config.output_hidden_states = before


def transformer_hidden_states(model: nn.Module, features: dict[str, Tensor]) -> dict[str, Any]:
    """Run the model's transformer once; the features gain ``all_layer_embeddings``.

    ``all_layer_embeddings[0]`` is the embedding layer, ``[L]`` the output of layer ``L``.

    Args:
        model: a ``SentenceTransformer`` whose first module is a Hugging Face transformer.
        features: the tokenized batch (:func:`tokenize`), on the model's device.

    Shapes:
        ``all_layer_embeddings``: ``num_layers + 1`` tensors ``(batch, tokens, hidden)``.

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> model = load_sentence_transformer("minilm")
        >>> out = transformer_hidden_states(model, tokenize(model, ["a cat", "a dog"]))
        >>> len(out["all_layer_embeddings"]), out["all_layer_embeddings"][6].shape[-1]
        (7, 384)
    """
    st = unwrap_model(model)
    with _hidden_states_on(st):
        out = st[0](dict(features))
    if "all_layer_embeddings" not in out:
        raise BadInput("the transformer did not return its hidden states (all_layer_embeddings)")
    return out


def layer_embeddings(model: nn.Module, transformer_out: dict[str, Any], layer: int) -> Tensor:
    """Pool layer ``layer``'s hidden states with the modules after the transformer.

    Args:
        model: the sentence-transformers model.
        transformer_out: what :func:`transformer_hidden_states` returned.
        layer: 1 … number of layers.

    Shapes:
        returns ``(batch, embedding_dim)``.

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> model = load_sentence_transformer("minilm")
        >>> out = transformer_hidden_states(model, tokenize(model, ["a cat", "a dog"]))
        >>> layer_embeddings(model, out, 2).shape
        torch.Size([2, 384])
    """
    hidden = transformer_out["all_layer_embeddings"]
    if not 1 <= layer < len(hidden):
        raise BadInput(f"layer must be between 1 and {len(hidden) - 1}, got {layer}")
    features = {**transformer_out, "token_embeddings": hidden[layer]}
    for module in list(unwrap_model(model))[1:]:
        features = module(features)
    return features["sentence_embedding"]


def encode_layers(
    model: nn.Module,
    sentences: Sequence[str],
    layers: Sequence[int] | None = None,
    *,
    batch_size: int = 64,
    show_progress: bool = False,
    precision: str = "fp32",
) -> dict[int, Tensor]:
    """Embed sentences at several depths with one forward pass per batch (no gradients).

    The forward passes run on the model's device, under :func:`rl_shared.runtime.autocast`
    for ``precision``; the embeddings come back as float32 whatever the precision.

    Args:
        model: a ``SentenceTransformer``.
        sentences: texts to embed.
        layers: depths to return (1 … number of layers); ``None`` = every layer.
        batch_size: sentences per forward pass (sorted by length, as ``encode`` does).
        show_progress: a progress bar on stderr (``rl_shared.cli.progress``).
        precision: ``fp32``, ``bf16`` or ``fp16`` (fp16 needs CUDA or MPS).

    Shapes:
        returns ``{layer: (len(sentences), embedding_dim)}`` float32 on the CPU.

    Raises:
        BadInput: a layer out of range, or a precision the model's device cannot run.

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> model = load_sentence_transformer("minilm")
        >>> a = encode_layers(model, ["a cat sits"], [6])[6]
        >>> b = encode_layers(model, ["a cat sits"], [6], precision="bf16")[6]
        >>> b.dtype, bool(torch.nn.functional.cosine_similarity(a, b) > 0.99)
        (torch.float32, True)
    """
    from rl_shared.runtime import autocast, resolve_precision

    st = unwrap_model(model)
    resolve_precision(precision, st.device)
    total = num_layers(st)
    layers = list(range(1, total + 1)) if layers is None else sorted(set(layers))
    for layer in layers:
        if not 1 <= layer <= total:
            raise BadInput(f"layer must be between 1 and {total}, got {layer}")
    order = sorted(range(len(sentences)), key=lambda i: -len(sentences[i]))
    chunks: dict[int, list[Tensor]] = {layer: [] for layer in layers}
    from rl_shared.cli import progress

    starts = progress(not show_progress)(range(0, len(order), batch_size), "encoding")
    was_training = st.training
    st.eval()
    try:
        with torch.inference_mode(), autocast(st.device, precision):
            for start in starts:
                batch = [sentences[i] for i in order[start : start + batch_size]]
                features = tokenize(st, batch)
                features = {
                    k: v.to(st.device) if isinstance(v, Tensor) else v for k, v in features.items()
                }
                out = transformer_hidden_states(st, features)
                for layer in layers:
                    chunks[layer].append(layer_embeddings(st, out, layer).float().cpu())
    finally:
        st.train(was_training)
    inverse = torch.empty(len(order), dtype=torch.long)
    inverse[torch.tensor(order, dtype=torch.long)] = torch.arange(len(order))
    return {layer: torch.cat(parts)[inverse] for layer, parts in chunks.items()}


def truncate_layers(model: nn.Module, layers: int) -> nn.Module:
    """A deep copy of a sentence-transformers model whose encoder keeps its first ``layers`` layers.

    Works for BERT-like encoders (``encoder.layer`` as an ``nn.ModuleList``).

    Args:
        model: a ``SentenceTransformer`` (left unchanged).
        layers: encoder layers kept (1 … number of layers).

    Raises:
        BadInput: the encoder is not BERT-like, or ``layers`` is out of range.

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> model = load_sentence_transformer("minilm")
        >>> cut = truncate_layers(model, 2)
        >>> num_layers(cut), num_layers(model)
        (2, 6)
        >>> torch.allclose(torch.as_tensor(cut.encode(["a cat"])),
        ...                encode_layers(model, ["a cat"], [2])[2], atol=1e-5)
        True
    """
    st = copy.deepcopy(unwrap_model(model))
    auto = _auto_model(st)
    encoder: Any = getattr(auto, "encoder", None)
    if encoder is None or not isinstance(getattr(encoder, "layer", None), nn.ModuleList):
        raise BadInput("truncate_layers supports encoders with encoder.layer (BERT-like) only")
    if not 1 <= layers <= len(encoder.layer):
        raise BadInput(f"layers must be between 1 and {len(encoder.layer)}, got {layers}")
    encoder.layer = encoder.layer[:layers]
    auto.config.num_hidden_layers = layers
    return st
