"""A small ViT over rendered text, mean-pooled over the patches that hold text.

The encoder is a ``transformers.ViTModel`` built from a ``ViTConfig`` (random
initialisation, one grey-scale channel, nothing downloaded) whose input is the strip a
:class:`~rl_text.pixel.rendering.TextRenderer` draws; the sentence vector is the mean of
the last hidden states of the text patches (the CLS token and the blank tail are left out).

References:
    Dosovitskiy et al., "An Image is Worth 16x16 Words", arXiv:2010.11929.
    Xiao et al., "Pixel Sentence Representation Learning", arXiv:2402.08183 (a PIXEL ViT
    with mean pooling as sentence encoder).

Example:
    >>> import torch
    >>> enc = PixelEncoder(PixelConfig(max_patches=8, hidden_size=32, layers=1, heads=2))
    >>> enc.encode(["A man plays.", "A cat."]).shape
    torch.Size([2, 32])
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput, MalformedFile
from rl_text.pixel.rendering import TextRenderer

__all__ = ["PixelConfig", "PixelEncoder", "masked_mean"]

KIND = "text.pixel"
CITATION = """@article{xiao2024pixel,
  title = {Pixel Sentence Representation Learning},
  author = {Xiao and others},
  journal = {arXiv preprint arXiv:2402.08183},
  year = {2024}
}"""


@dataclass
class PixelConfig:
    """Sizes of the renderer and the ViT.

    Args:
        height: rendering height in pixels (multiple of ``patch``).
        max_patches: patches per row (image width = ``patch * max_patches``).
        patch: patch side.
        hidden_size: ViT width (the embedding size).
        layers: transformer layers.
        heads: attention heads.
        mlp_ratio: feed-forward width / hidden size.
        dropout: hidden and attention dropout (also the SimCSE-style noise in training).

    Example:
        >>> PixelConfig(hidden_size=64).hidden_size
        64
    """

    height: int = 16
    max_patches: int = 40
    patch: int = 16
    hidden_size: int = 128
    layers: int = 3
    heads: int = 4
    mlp_ratio: int = 2
    dropout: float = 0.1


def masked_mean(hidden: Tensor, mask: Tensor) -> Tensor:
    """Mean of ``hidden`` over the positions where ``mask`` is 1.

    Args:
        hidden: patch (or token) states.
        mask: 1 for positions to average, 0 for padding (any dtype; rows of zeros give 0).

    Shapes:
        hidden ``(B, P, D)``, mask ``(B, P)`` → ``(B, D)``.

    Example:
        >>> masked_mean(torch.tensor([[[1.0], [3.0], [9.0]]]), torch.tensor([[1.0, 1.0, 0.0]]))
        tensor([[2.]])
    """
    weights = mask.to(hidden.dtype).unsqueeze(-1)
    return (hidden * weights).sum(1) / weights.sum(1).clamp_min(1e-9)


class PixelEncoder(nn.Module):
    """Render → ViT → masked mean pooling.

    Args:
        config: a :class:`PixelConfig`.

    Shapes:
        ``forward(pixels (B, 1, H, W), patch_mask (B, P))`` → ``(B, hidden_size)``.

    Example:
        >>> enc = PixelEncoder(PixelConfig(max_patches=8, hidden_size=32, layers=1, heads=2))
        >>> enc.encode(["A man plays.", "A cat."]).shape
        torch.Size([2, 32])
    """

    def __init__(self, config: PixelConfig | None = None) -> None:
        super().__init__()
        from transformers import ViTConfig, ViTModel

        self.config = config or PixelConfig()
        c = self.config
        if c.hidden_size % c.heads:
            raise BadInput(f"hidden_size {c.hidden_size} is not divisible by heads {c.heads}")
        self.renderer = TextRenderer(c.height, c.max_patches, c.patch)
        vit_config = ViTConfig(
            image_size=(c.height, c.patch * c.max_patches),
            patch_size=c.patch,
            num_channels=1,
            hidden_size=c.hidden_size,
            num_hidden_layers=c.layers,
            num_attention_heads=c.heads,
            intermediate_size=c.mlp_ratio * c.hidden_size,
            hidden_dropout_prob=c.dropout,
            attention_probs_dropout_prob=c.dropout,
        )
        self.vit = ViTModel(vit_config, add_pooling_layer=False)

    @property
    def dim(self) -> int:
        """Embedding size."""
        return self.config.hidden_size

    def forward(self, pixels: Tensor, patch_mask: Tensor) -> Tensor:
        hidden = self.vit(pixel_values=pixels).last_hidden_state[:, 1:]  # drop CLS
        return masked_mean(hidden, patch_mask)

    def embed_texts(self, texts: list[str]) -> Tensor:
        """Render and encode a batch with gradients (training)."""
        pixels, mask = self.renderer.batch(texts)
        device = next(self.parameters()).device
        return self(pixels.to(device), mask.to(device))

    @torch.no_grad()
    def encode(
        self,
        texts: list[str],
        batch_size: int = 64,
        show_progress: bool = False,
        precision: str = "fp32",
    ) -> Tensor:
        """Unit-normalised embeddings of ``texts`` in eval mode, ``(N, hidden_size)``.

        The batches go to the device of the encoder's weights (move it there with ``.to``);
        the result is a float32 CPU tensor.

        Args:
            texts: the sentences.
            batch_size: sentences per forward pass.
            show_progress: a progress bar on stderr.
            precision: ``fp32``, or ``bf16`` / ``fp16`` autocast.
        """
        from rl_shared.cli import progress
        from rl_shared.runtime import autocast

        was_training = self.training
        self.eval()
        out = []
        starts = range(0, len(texts), batch_size)
        device = next(self.parameters()).device
        for i in progress(not show_progress)(starts, "encode"):
            with autocast(device, precision):
                emb = self.embed_texts(texts[i : i + batch_size])
            out.append(nn.functional.normalize(emb.float(), dim=-1))
        self.train(was_training)
        if not out:
            return torch.zeros(0, self.dim)
        return torch.cat(out).cpu()

    def save(self, folder: str | Path) -> Path:
        """Save as an :mod:`rl_shared.artifacts` model folder (kind ``text.pixel``), atomically."""
        from rl_shared.artifacts import save_model

        return save_model(
            folder,
            kind=KIND,
            config=asdict(self.config),
            tensors=self,
            citation=CITATION,
            summary="Pixel sentence encoder: text rendered at 16 px, a ViT, mean pooling over "
            "the patches that hold text.",
        )

    @classmethod
    def load(cls, folder: str | Path) -> PixelEncoder:
        """Load what :meth:`save` wrote.

        Args:
            folder: the model folder.

        Raises:
            ModelNotFound: the folder is not a saved model.
            MalformedFile: its ``config.json`` holds an unknown setting or one of the wrong
                type or range.
            BadInput: it holds another kind of model, or its weights do not fit.
        """
        from rl_shared.artifacts import CONFIG, load_model

        art = load_model(folder, kind=KIND)
        path = Path(folder) / CONFIG
        known = {f.name for f in fields(PixelConfig)}
        for key, value in art.config.items():
            if key not in known:
                raise MalformedFile(path, None, f"unknown setting '{key}'")
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if key == "dropout":
                if not number or not 0 <= value < 1:
                    raise MalformedFile(path, None, f"'dropout' must be in [0, 1), got {value!r}")
            elif not number or not isinstance(value, int) or value < 1:
                raise MalformedFile(
                    path, None, f"'{key}' must be a positive integer, got {value!r}"
                )
        try:
            model = cls(PixelConfig(**art.config))
        except BadInput as err:
            raise MalformedFile(path, None, str(err)) from None
        art.load_into(model)
        return model
