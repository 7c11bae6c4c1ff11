"""A small MIM encoder-decoder for vectors, with cMIM's informative embeddings.

The encoder gives a Gaussian ``q(z|x) = N(mu(x), diag(exp(logvar(x))))``; the decoder a
Gaussian ``p(x|z)`` with a learned per-feature log-variance; the prior is ``N(0, I)``.
Train it with :class:`rl_shared.losses.CMIMLoss` (``contrastive_weight=0`` gives plain MIM).

*Informative embeddings* (cMIM, contribution 2) concatenate the encoder mean with the
decoder's hidden activations when it decodes that mean: the decoder has learned features
of ``x`` that the bottleneck alone does not expose linearly, and reading them costs one
decoder pass and no training.

References:
    Livne et al., "MIM: Mutual Information Machine", arXiv:1910.03175. Livne, "cMIM: A
    Contrastive Mutual Information Framework for Unified Generative and Discriminative
    Representation Learning", arXiv:2411.10548.

Example:
    >>> import torch
    >>> model = MIMAutoencoder(input_dim=64, latent_dim=8, hidden_dim=32)
    >>> model.informative_embedding(torch.rand(5, 64)).shape
    torch.Size([5, 72])
"""

from __future__ import annotations

from typing import Literal, overload

import torch
from torch import Tensor, nn

from rl_shared.errors import ShapeMismatch

__all__ = ["MIMAutoencoder"]


class MIMAutoencoder(nn.Module):
    """Gaussian encoder and decoder MLPs.

    Args:
        input_dim: size of ``x``.
        latent_dim: size of ``z``.
        hidden_dim: width of the hidden layers.
        depth: hidden layers in the encoder and in the decoder.

    Shapes:
        x ``(B, input_dim)``; z ``(B, latent_dim)``.
    """

    def __init__(
        self, input_dim: int, latent_dim: int = 16, hidden_dim: int = 128, depth: int = 2
    ) -> None:
        super().__init__()
        self.input_dim, self.latent_dim = input_dim, latent_dim
        self.encoder = _mlp(input_dim, hidden_dim, depth)
        self.to_stats = nn.Linear(hidden_dim, 2 * latent_dim)
        self.decoder_layers = nn.ModuleList(
            nn.Sequential(nn.Linear(latent_dim if i == 0 else hidden_dim, hidden_dim), nn.SiLU())
            for i in range(depth)
        )
        self.to_mean = nn.Linear(hidden_dim, input_dim)
        self.out_logvar = nn.Parameter(torch.zeros(input_dim))

    def encode(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """``(mu, logvar)`` of ``q(z|x)``."""
        if x.dim() != 2 or x.shape[1] != self.input_dim:
            raise ShapeMismatch(
                f"MIMAutoencoder expects inputs of shape (B, {self.input_dim}), got {tuple(x.shape)}"
            )
        mu, logvar = self.to_stats(self.encoder(x)).chunk(2, dim=-1)
        return mu, logvar.clamp(-8.0, 4.0)

    @overload
    def decode(self, z: Tensor, return_hidden: Literal[False] = False) -> Tensor: ...

    @overload
    def decode(self, z: Tensor, return_hidden: Literal[True]) -> tuple[Tensor, list[Tensor]]: ...

    def decode(
        self, z: Tensor, return_hidden: bool = False
    ) -> Tensor | tuple[Tensor, list[Tensor]]:
        """Mean of ``p(x|z)`` (and the decoder's hidden activations)."""
        hidden = []
        h = z
        for layer in self.decoder_layers:
            h = layer(h)
            hidden.append(h)
        mean = self.to_mean(h)
        return (mean, hidden) if return_hidden else mean

    def sample(self, mu: Tensor, logvar: Tensor, noise: Tensor | None = None) -> Tensor:
        """Reparameterised ``z ~ q(z|x)``: ``mu + exp(logvar / 2) * noise``.

        ``noise`` is standard normal, drawn here (``torch.randn_like(mu)``) when ``None``.
        """
        eps = torch.randn_like(mu) if noise is None else noise.to(mu.dtype)
        return mu + eps * (0.5 * logvar).exp()

    def forward(self, x: Tensor) -> Tensor:
        """The encoder mean, the plain embedding."""
        return self.encode(x)[0]

    @torch.no_grad()
    def informative_embedding(self, x: Tensor) -> Tensor:
        """``[mu(x), decoder hidden states at z = mu(x)]``.

        Shapes:
            x ``(B, input_dim)`` -> ``(B, latent_dim + depth * hidden_dim)``.
        """
        mu, _ = self.encode(x)
        _, hidden = self.decode(mu, return_hidden=True)
        return torch.cat([mu, *hidden], dim=-1)


def _mlp(input_dim: int, hidden_dim: int, depth: int) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i in range(depth):
        layers += [nn.Linear(input_dim if i == 0 else hidden_dim, hidden_dim), nn.SiLU()]
    return nn.Sequential(*layers)
