"""Prompt-based pooling for BERT-style encoders: wrap the text in a template, pool at [MASK].

Decoder LMs are prompted with ``This sentence : "X" means in one word:"`` and pooled at the
last token (the next-word position). A bidirectional BERT-like encoder such as MiniLM has no
"next token"; the equivalent (PromptBERT) puts the tokenizer's mask token where the one word
goes, ``This sentence : "X" means in one word : "[MASK]" .``, and takes the last-layer hidden
state at the mask position: the encoder must summarise the sentence into the single word it
would predict there. :class:`PromptTransformer` applies the template before tokenization;
:class:`MaskTokenPooling` replaces mean pooling (rows whose mask was truncated away fall back
to the mean of their tokens).

Save with ``model.save(path)``; load with :func:`load_prompt_model` (sentence-transformers 6
imports classes outside its own namespace only with ``trust_remote_code=True``).

References:
    Jiang et al., "PromptBERT: Improving BERT Sentence Embeddings with Prompts",
    arXiv:2201.04337; Liu, "DefSent+ …", arXiv:2405.16153 (prompt-based pooling option).

Example:
    >>> render_template("A cat.", DEFAULT_TEMPLATE, "[MASK]")
    'This sentence : "A cat." means in one word : "[MASK]" .'
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import torch
from sentence_transformers.base.modules import Module, Transformer
from torch import Tensor, nn

from rl_shared.errors import BadInput, MalformedFile

__all__ = [
    "DEFAULT_TEMPLATE",
    "MaskTokenPooling",
    "PromptTransformer",
    "load_prompt_model",
    "render_template",
    "with_prompt_pooling",
]

DEFAULT_TEMPLATE = 'This sentence : "{text}" means in one word : "{mask}" .'
PROMPT_CONFIG = "prompt_config.json"


def render_template(text: str, template: str, mask: str) -> str:
    """``template`` with ``{text}`` and ``{mask}`` filled in.

    Args:
        text: the sentence.
        template: the prompt, with ``{text}`` and ``{mask}`` placeholders.
        mask: the tokenizer's mask token (``"[MASK]"`` for BERT-like tokenizers).

    Example:
        >>> render_template("Hi.", "{text} = {mask}", "<mask>")
        'Hi. = <mask>'
    """
    return template.replace("{text}", text).replace("{mask}", mask)


class PromptTransformer(Transformer):
    """``Transformer`` that wraps every text input in ``template`` before tokenizing.

    Build one with :func:`with_prompt_pooling` (it has no ``__init__`` of its own: an existing
    ``Transformer`` is turned into one); ``template`` is saved in ``prompt_config.json``.

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> first = with_prompt_pooling(load_sentence_transformer("minilm"))[0]
        >>> type(first).__name__, first.template == DEFAULT_TEMPLATE
        ('PromptTransformer', True)
        >>> ids = first.preprocess(["A cat."])["input_ids"][0]
        >>> first.tokenizer.decode(ids)
        '[CLS] this sentence : " a cat. " means in one word : " [MASK] ". [SEP]'
    """

    template: str

    def preprocess(
        self, inputs: Any, prompt: str | None = None, processing_kwargs: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        mask = self.processor.mask_token if hasattr(self, "processor") else None
        if not mask:
            tokenizer = self.tokenizer
            assert tokenizer is not None  # prompt pooling is built on text models only
            mask = tokenizer.mask_token
        texts = [
            render_template(t, self.template, mask) if isinstance(t, str) else t for t in inputs
        ]
        return super().preprocess(texts, prompt, processing_kwargs, **kwargs)

    def save(self, output_path: str, *args: Any, safe_serialization: bool = True, **kwargs: Any):
        super().save(output_path, *args, safe_serialization=safe_serialization, **kwargs)
        Path(output_path, PROMPT_CONFIG).write_text(json.dumps({"template": self.template}))

    @classmethod
    def load(
        cls, model_name_or_path: str, subfolder: str = "", *args: Any, **kwargs: Any
    ) -> PromptTransformer:
        """``Transformer.load`` (every argument passed on as it is), then the template."""
        path = Path(model_name_or_path, subfolder, PROMPT_CONFIG)
        if not path.is_file():
            raise MalformedFile(path, None, "the prompt model folder lacks prompt_config.json")
        module = super().load(model_name_or_path, subfolder, *args, **kwargs)
        module.__class__ = cls
        module.template = json.loads(path.read_text())["template"]
        return module


class MaskTokenPooling(Module):
    """Sentence embedding = token embedding at the first ``mask_token_id`` of each row.

    Args:
        dimension: embedding size.
        mask_token_id: the tokenizer's mask token id.

    Shapes:
        ``token_embeddings`` ``(batch, seq, dim)``, ``input_ids`` ``(batch, seq)`` ->
        ``sentence_embedding`` ``(batch, dim)``.

    Example:
        The second row has no mask token and falls back to the mean of its unmasked tokens.

        >>> pool = MaskTokenPooling(dimension=2, mask_token_id=4)
        >>> tokens = torch.tensor([[[1.0, 1.0], [5.0, 6.0], [0.0, 0.0]],
        ...                        [[1.0, 2.0], [3.0, 4.0], [9.0, 9.0]]])
        >>> features = {"token_embeddings": tokens, "input_ids": torch.tensor([[2, 4, 0], [2, 7, 0]]),
        ...             "attention_mask": torch.tensor([[1, 1, 0], [1, 1, 0]])}
        >>> pool(features)["sentence_embedding"]
        tensor([[5., 6.],
                [2., 3.]])
    """

    # sentence-transformers' Module declares config_keys as a plain list attribute; a ClassVar
    # annotation here would contradict that declaration (mypy [misc])
    config_keys = ["dimension", "mask_token_id"]  # noqa: RUF012

    def __init__(self, dimension: int, mask_token_id: int) -> None:
        super().__init__()
        self.dimension, self.mask_token_id = int(dimension), int(mask_token_id)

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        tokens: Tensor = features["token_embeddings"]
        ids: Tensor = features["input_ids"]
        is_mask = ids == self.mask_token_id
        has = is_mask.any(1)
        first = is_mask.float().argmax(1)
        picked = tokens[torch.arange(len(tokens), device=tokens.device), first]
        attn = features["attention_mask"].unsqueeze(-1).to(tokens.dtype)
        mean = (tokens * attn).sum(1) / attn.sum(1).clamp_min(1)
        features["sentence_embedding"] = torch.where(has.unsqueeze(1), picked, mean)
        return features

    def get_embedding_dimension(self) -> int:
        return self.dimension

    def get_sentence_embedding_dimension(self) -> int:
        return self.dimension

    def save(self, output_path: str, *args: Any, safe_serialization: bool = True, **kwargs: Any):
        self.save_config(output_path)


def with_prompt_pooling(model: nn.Module, template: str = DEFAULT_TEMPLATE) -> nn.Module:
    """A new ``SentenceTransformer`` sharing ``model``'s transformer: template in, [MASK] pooled.

    Modules after the pooling (e.g. ``Normalize``) are kept. ``model``'s first module is
    turned into a :class:`PromptTransformer` in place.

    Args:
        model: a ``SentenceTransformer`` whose first module is a plain ``Transformer`` with
            a tokenizer that has a mask token.
        template: the prompt, with ``{text}`` and ``{mask}``.

    Returns:
        ``SentenceTransformer(PromptTransformer, MaskTokenPooling, *rest)`` on ``model``'s
        device.

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> model = with_prompt_pooling(load_sentence_transformer("minilm"))
        >>> [type(m).__name__ for m in model]
        ['PromptTransformer', 'MaskTokenPooling', 'Normalize']
        >>> model.encode(["A cat sits on the mat."]).shape
        (1, 384)

    Raises:
        BadInput: the template lacks ``{text}`` or ``{mask}``, the tokenizer has no mask
            token, or the first module is not a plain ``Transformer``.
    """
    from sentence_transformers import SentenceTransformer

    if "{text}" not in template or "{mask}" not in template:
        raise BadInput("the prompt template needs both {text} and {mask}")
    st: Any = model  # a SentenceTransformer
    first = st[0]
    if type(first) is not Transformer:
        raise BadInput(
            f"prompt pooling needs a sentence-transformers Transformer, got {type(first)}"
        )
    mask_id = first.tokenizer.mask_token_id
    if mask_id is None:
        raise BadInput("the tokenizer has no mask token; prompt pooling needs one")
    first.__class__ = PromptTransformer
    first.template = template
    rest = [m for m in list(st)[1:] if type(m).__name__ != "Pooling"]
    pooling = MaskTokenPooling(first.get_embedding_dimension(), mask_id)
    return SentenceTransformer(modules=[first, pooling, *rest], device=str(st.device))


def load_prompt_model(
    path: str | os.PathLike[str], device: str | torch.device | None = "auto"
) -> nn.Module:
    """Load a model saved from :func:`with_prompt_pooling` (``model.save(path)``).

    Args:
        path: the saved model folder (with ``prompt_config.json``).
        device: where to put the model: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``
            (:func:`rl_shared.runtime.resolve_device`); ``None``: sentence-transformers'
            choice.

    Example:
        >>> import tempfile
        >>> from rl_shared.models import load_sentence_transformer
        >>> folder = tempfile.mkdtemp()
        >>> with_prompt_pooling(load_sentence_transformer("minilm"), "{text} means {mask}").save(folder)
        >>> model = load_prompt_model(folder)
        >>> type(model[1]).__name__, model[0].template
        ('MaskTokenPooling', '{text} means {mask}')
    """
    from rl_shared.runtime import resolve_device
    from rl_text.core.loading import load_with_classes

    classes = {f"{c.__module__}.{c.__name__}": c for c in (PromptTransformer, MaskTokenPooling)}
    target = None if device is None else str(resolve_device(str(device)))
    return load_with_classes(path, classes, device=target)
