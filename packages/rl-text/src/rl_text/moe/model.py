"""A sentence-transformers ``Transformer`` whose MLPs are per-domain experts, routed by a tag.

A text tagged ``"<news> Stocks fell."`` goes through the ``news`` expert of every converted
layer; the tag is read and removed before tokenization, so the encoder sees ``Stocks fell.``
exactly as the base model does (at initialisation the MoE model reproduces the base model's
embeddings). Untagged texts go through all experts and get the mean (see
:class:`rl_text.moe.experts.MoEFeedForward`).

Saving writes the usual sentence-transformers folder plus ``moe_config.json`` (domains and
converted layers); all weights, experts included, are in ``model.safetensors``. Load it with
:func:`load_moe` (sentence-transformers 6 imports classes outside its own namespace only
with ``trust_remote_code=True``, which this workspace never sets).

References:
    Hallee et al., "Contrastive Learning and Mixture of Experts Enables Precise Vector
    Embeddings", arXiv:2401.15713 — domain-token enforced routing of copied BERT MLPs.

Example:
    >>> from rl_shared.models import load_sentence_transformer
    >>> model = to_moe(load_sentence_transformer("minilm"), ["sick", "stsb"], layers=[5])
    >>> model.encode([tag_text("A man plays.", "sick")]).shape
    (1, 384)
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from sentence_transformers.base.modules import Transformer
from torch import nn

from rl_shared.errors import BadInput, MalformedFile
from rl_shared.io import read_json
from rl_text.moe.experts import RouteState, install_experts

__all__ = [
    "MOE_CONFIG",
    "MoETransformer",
    "is_moe_folder",
    "load_moe",
    "split_tag",
    "tag_text",
    "to_moe",
]

MOE_CONFIG = "moe_config.json"


def _first(err: BaseException) -> str:
    text = str(err)
    return text.splitlines()[0] if text else type(err).__name__


def tag_text(text: str, domain: str) -> str:
    """``text`` with the routing tag of ``domain`` in front.

    Args:
        text: the sentence.
        domain: the domain name (one of the model's ``domains`` to be routed).

    Example:
        >>> tag_text("A man plays.", "sick")
        '<sick> A man plays.'
    """
    return f"<{domain}> {text}"


def split_tag(text: str, domains: Sequence[str]) -> tuple[int, str]:
    """``(domain index, text without tag)``; ``-1`` and the text unchanged if it has no known tag.

    Args:
        text: a text, perhaps starting with ``<domain>``.
        domains: the known domain names, in expert order.

    Example:
        >>> split_tag("<stsb> Two dogs.", ["sick", "stsb"]), split_tag("<x> Hi", ["sick"])
        ((1, 'Two dogs.'), (-1, '<x> Hi'))
    """
    if text.startswith("<"):
        end = text.find(">")
        if end > 0 and text[1:end] in domains:
            return list(domains).index(text[1:end]), text[end + 1 :].lstrip(" ")
    return -1, text


class MoETransformer(Transformer):
    """``Transformer`` with hard-routed domain experts in the MLP of chosen layers.

    Build one with :func:`to_moe` (it has no ``__init__`` of its own: an existing
    ``Transformer`` is turned into one); the attributes ``domains`` (expert order) and
    ``moe_layers`` (0-based converted layers) are saved in ``moe_config.json``.

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> first = to_moe(load_sentence_transformer("minilm"), ["news", "forum"], layers=[4, 5])[0]
        >>> type(first).__name__, first.domains, first.moe_layers
        ('MoETransformer', ['news', 'forum'], [4, 5])
        >>> first.preprocess(["<forum> Any tips?", "No tag."])["domain_ids"]
        tensor([ 1, -1])
    """

    domains: list[str]
    moe_layers: list[int]
    route: RouteState

    def _setup_moe(self, domains: Sequence[str], layers: Sequence[int] | None) -> None:
        if len(domains) < 1 or len(set(domains)) != len(domains):
            raise BadInput(f"MoE domains must be distinct and at least one, got {list(domains)}")
        for name in domains:
            if not name or any(c in name for c in "<> "):
                raise BadInput(f"domain name {name!r} must be non-empty without '<', '>' or spaces")
        total = int(self.model.config.num_hidden_layers)
        self.domains = list(domains)
        self.moe_layers = list(range(total)) if layers is None else sorted(set(layers))
        self.route = install_experts(self.model, len(self.domains), self.moe_layers)

    def preprocess(
        self,
        inputs: Sequence[Any],
        prompt: str | None = None,
        processing_kwargs: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Strip the domain tags, tokenize, and add ``domain_ids`` ``(batch,)`` to the features."""
        ids, texts = [], []
        for item in inputs:
            domain, text = split_tag(item, self.domains) if isinstance(item, str) else (-1, item)
            ids.append(domain)
            texts.append(text)
        features = super().preprocess(texts, prompt, processing_kwargs, **kwargs)
        if features:
            features["domain_ids"] = torch.tensor(ids, dtype=torch.long)
        return features

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Route every input through its domain's experts, then run the transformer."""
        ids = features.get("domain_ids")
        inner = {k: v for k, v in features.items() if k != "domain_ids"}
        self.route.domain_ids = ids
        try:
            out = super().forward(inner, **kwargs)
        finally:
            self.route.domain_ids = None
        if ids is not None:
            out["domain_ids"] = ids
        return out

    def save(self, output_path: str, *args: Any, safe_serialization: bool = True, **kwargs: Any):
        super().save(output_path, *args, safe_serialization=safe_serialization, **kwargs)
        config = {"domains": self.domains, "layers": self.moe_layers}
        Path(output_path, MOE_CONFIG).write_text(json.dumps(config, indent=2) + "\n")

    @classmethod
    def load(
        cls, model_name_or_path: str, subfolder: str = "", *args: Any, **kwargs: Any
    ) -> MoETransformer:
        """Load the base transformer, install the saved experts, read every weight strictly.

        Arguments after ``subfolder`` go to ``Transformer.load`` as they are.
        """
        from pickle import UnpicklingError

        from safetensors import SafetensorError
        from safetensors.torch import load_file
        from transformers.utils import logging as hf_logging

        folder = Path(model_name_or_path, subfolder)
        config_path = folder / MOE_CONFIG
        if not config_path.exists():
            raise MalformedFile(config_path, None, "the MoE model folder lacks moe_config.json")
        config = read_json(config_path)  # not UTF-8, not JSON, empty: the file and line
        domains = config.get("domains") if isinstance(config, dict) else None
        layers = config.get("layers") if isinstance(config, dict) else None
        if not (isinstance(domains, list) and domains and all(isinstance(d, str) for d in domains)):
            raise MalformedFile(config_path, None, "'domains' must be a non-empty list of names")
        if not (isinstance(layers, list) and all(type(i) is int for i in layers)):
            raise MalformedFile(config_path, None, "'layers' must be a list of layer indices")
        before = hf_logging.get_verbosity()
        hf_logging.set_verbosity_error()  # the expert weights are "unexpected" to BertModel
        try:
            module = super().load(model_name_or_path, subfolder, *args, **kwargs)
        except SafetensorError as err:
            raise MalformedFile(
                folder / "model.safetensors", None, f"unreadable weights ({_first(err)})"
            ) from None
        finally:
            hf_logging.set_verbosity(before)
        module.__class__ = cls
        total = int(module.model.config.num_hidden_layers)
        if any(not 0 <= i < total for i in layers):
            raise MalformedFile(
                config_path, None, f"'layers' {layers} are not all among the {total} layers"
            )
        try:
            module._setup_moe(domains, layers)
        except BadInput as err:
            raise MalformedFile(config_path, None, str(err)) from None
        weights = folder / "model.safetensors"
        try:
            if weights.is_file():
                state = load_file(str(weights))
            else:
                state = torch.load(folder / "pytorch_model.bin", weights_only=True)
        except (OSError, RuntimeError, ValueError, SafetensorError, UnpicklingError) as err:
            raise MalformedFile(weights, None, f"unreadable weights ({_first(err)})") from None
        missing, unexpected = module.model.load_state_dict(state, strict=False)
        if missing:
            raise MalformedFile(weights, None, f"the MoE weights lack {missing[0]}")
        if unexpected:
            raise MalformedFile(weights, None, f"unexpected weight {unexpected[0]}")
        return module


def to_moe(
    model: nn.Module, domains: Sequence[str], layers: Sequence[int] | None = None
) -> nn.Module:
    """Turn a sentence-transformers model's first module into a :class:`MoETransformer` in place.

    Args:
        model: a ``SentenceTransformer`` whose first module is a BERT-like ``Transformer``.
        domains: one expert per domain, in this order; texts are tagged with :func:`tag_text`.
        layers: 0-based layers whose MLP becomes experts (default: all).

    Returns:
        the same model object.
    """
    st: Any = model  # a SentenceTransformer
    first = st[0]
    if isinstance(first, MoETransformer):
        raise BadInput("the model already holds experts")
    if type(first) is not Transformer:
        raise BadInput(f"to_moe needs a sentence-transformers Transformer, got {type(first)}")
    first.__class__ = MoETransformer
    try:
        first._setup_moe(domains, layers)
    except BadInput:
        first.__class__ = Transformer
        raise
    return model


def is_moe_folder(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a saved expert model (its ``modules.json`` names
    :class:`MoETransformer`, or it has a ``moe_config.json``), not a plain one.

    Args:
        path: a model folder, or a short name such as ``minilm`` (never an expert model).

    Raises:
        MalformedFile: its ``modules.json`` is broken (not UTF-8, not JSON, a folder).

    Example:
        >>> import tempfile
        >>> from rl_shared.models import load_sentence_transformer
        >>> folder = tempfile.mkdtemp()
        >>> to_moe(load_sentence_transformer("minilm"), ["news"], layers=[5]).save(folder)
        >>> is_moe_folder(folder), is_moe_folder("minilm")
        (True, False)
    """
    folder = Path(path)
    if not folder.is_dir():
        return False
    ref = f"{MoETransformer.__module__}.{MoETransformer.__name__}"
    listing = folder / "modules.json"
    if listing.exists():
        entries = read_json(listing)
        if isinstance(entries, list) and any(
            isinstance(e, dict) and e.get("type") == ref for e in entries
        ):
            return True
    return (folder / MOE_CONFIG).exists() or any(folder.glob(f"*/{MOE_CONFIG}"))


def load_moe(path: str | os.PathLike[str], device: str | torch.device | None = "auto") -> nn.Module:
    """Load a model saved from a :func:`to_moe` model (``model.save(path)``).

    Args:
        path: the saved model folder (with ``moe_config.json``).
        device: where to put the model: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``
            (:func:`rl_shared.runtime.resolve_device`); ``None``: sentence-transformers'
            choice.

    Example:
        >>> import tempfile
        >>> from rl_shared.models import load_sentence_transformer
        >>> folder = tempfile.mkdtemp()
        >>> to_moe(load_sentence_transformer("minilm"), ["news"], layers=[5]).save(folder)
        >>> load_moe(folder)[0].domains
        ['news']
    """
    from rl_shared.runtime import resolve_device
    from rl_text.core.loading import load_with_classes

    ref = f"{MoETransformer.__module__}.{MoETransformer.__name__}"
    target = None if device is None else str(resolve_device(str(device)))
    return load_with_classes(path, {ref: MoETransformer}, device=target)
