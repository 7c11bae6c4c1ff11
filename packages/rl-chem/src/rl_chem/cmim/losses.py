"""MIM and cMIM objectives for the SMILES encoder-decoder (sequence versions of rl-shared's).

A-MIM is ``-1/2 E[log q(z|x) + log p(x|z) + log P(z)]`` with ``log p(x|z)`` the decoder's
teacher-forced token log-likelihood; cMIM adds the cross-entropy of matching each SMILES to
its own code among the batch's codes, scored by that likelihood (the decoder is the
critic; no augmentation). :func:`rl_shared.cmim.mim_loss` and
:func:`rl_shared.cmim.cmim_contrastive` are the same objectives for fixed-size inputs.

References:
    Livne, "cMIM: A Contrastive Mutual Information Framework for Unified Generative and
    Discriminative Representation Learning", arXiv:2411.10548.

Example:
    >>> import torch
    >>> from rl_chem.cmim.model import SmilesMIM, Vocab
    >>> v = Vocab.build(["CCO", "CCN"])
    >>> model = SmilesMIM(len(v), latent=4, hidden=8)
    >>> x = v.encode(["CCO", "CCN"], 6)
    >>> loss, mu = smiles_mim_loss(model, x)
    >>> mu.shape, smiles_cmim_term(model, x, mu).shape
    (torch.Size([2, 4]), torch.Size([]))
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from rl_chem.cmim.model import SmilesMIM

__all__ = ["smiles_cmim_term", "smiles_mim_loss"]

_LOG_2PI = math.log(2 * math.pi)


def smiles_mim_loss(model: SmilesMIM, x: Tensor) -> tuple[Tensor, Tensor]:
    """The A-MIM loss of a batch (a scalar) and the codes' means.

    Args:
        model: the encoder-decoder.
        x: token ids.

    Shapes:
        x: ``(B, T)``; returns ``()`` and ``mu (B, latent)``.
    """
    mu, logvar = model.encode(x)
    z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
    log_q = -0.5 * (_LOG_2PI + logvar + (z - mu).pow(2) / logvar.exp()).sum(-1)
    log_prior = -0.5 * (_LOG_2PI + z.pow(2)).sum(-1)
    return (-0.5 * (log_q + model.log_likelihood(x, z) + log_prior)).mean(), mu


def smiles_cmim_term(model: SmilesMIM, x: Tensor, mu: Tensor) -> Tensor:
    """cMIM's contrastive term: cross-entropy of each SMILES picking its own code.

    The logits are ``log p(x_i | mu_j)`` for every pair of the batch (B^2 decoder passes).

    Args:
        model: the encoder-decoder (its decoder is the critic).
        x: token ids.
        mu: the codes' means.

    Shapes:
        x: ``(B, T)``; mu: ``(B, latent)``; returns ``()``.
    """
    b = x.shape[0]
    xi = x.repeat_interleave(b, 0)
    zj = mu.repeat(b, 1)
    logits = model.log_likelihood(xi, zj).view(b, b)
    return nn.functional.cross_entropy(logits, torch.arange(b, device=x.device))
