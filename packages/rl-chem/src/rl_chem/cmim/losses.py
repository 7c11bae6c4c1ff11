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


def smiles_mim_loss(
    model: SmilesMIM, x: Tensor, noise: Tensor | None = None
) -> tuple[Tensor, Tensor]:
    """The A-MIM loss of a batch (a scalar) and the codes' means.

    Args:
        model: the encoder-decoder.
        x: token ids.
        noise: the standard-normal draws of the code samples ``z = mu + sigma * noise``;
            drawn here (``torch.randn_like(mu)``) when ``None``. A training loop that splits
            a global batch over processes draws it for the whole batch and passes each
            process its rows, so the processes together sample what one process would.

    Shapes:
        x: ``(B, T)``; noise: ``(B, latent)``; returns ``()`` and ``mu (B, latent)``.

    References:
        Livne, cMIM, arXiv:2411.10548; Livne et al., MIM, arXiv:1910.03175.

    Example:
        >>> from rl_chem.cmim.model import SmilesMIM, Vocab
        >>> v = Vocab.build(["CCO"])
        >>> loss, mu = smiles_mim_loss(SmilesMIM(len(v), 2, 4), v.encode(["CCO"], 5))
        >>> loss.shape, mu.shape
        (torch.Size([]), torch.Size([1, 2]))
    """
    mu, logvar = model.encode(x)
    eps = torch.randn_like(mu) if noise is None else noise.to(mu.dtype)
    z = mu + eps * (0.5 * logvar).exp()
    log_q = -0.5 * (_LOG_2PI + logvar + (z - mu).pow(2) / logvar.exp()).sum(-1)
    log_prior = -0.5 * (_LOG_2PI + z.pow(2)).sum(-1)
    return (-0.5 * (log_q + model.log_likelihood(x, z) + log_prior)).mean(), mu


def smiles_cmim_term(
    model: SmilesMIM, x: Tensor, mu: Tensor, gather_across_ranks: bool = False
) -> Tensor:
    """cMIM's contrastive term: cross-entropy of each SMILES picking its own code.

    The logits are ``log p(x_i | mu_j)`` for every pair of the batch (B^2 decoder passes).

    Args:
        model: the encoder-decoder (its decoder is the critic).
        x: token ids.
        mu: the codes' means.
        gather_across_ranks: under ``torch.distributed``, every rank's codes are candidates
            (:func:`rl_shared.losses.distributed.gather_with_grad`): each rank scores its
            SMILES against the global batch's codes, so the mean over ranks equals the
            one-process term of the whole batch (every rank must hold as many rows).

    Shapes:
        x: ``(B, T)``; mu: ``(B, latent)``; returns ``()``.

    References:
        Livne, cMIM, arXiv:2411.10548.

    Example:
        >>> from rl_chem.cmim.model import SmilesMIM, Vocab
        >>> v = Vocab.build(["CCO", "CN"])
        >>> m = SmilesMIM(len(v), 2, 4)
        >>> x = v.encode(["CCO", "CN"], 5)
        >>> float(smiles_cmim_term(m, x, m.encode(x)[0])) > 0
        True
    """
    from rl_shared.losses.distributed import gather_with_grad

    b = x.shape[0]
    codes, offset = gather_with_grad(mu) if gather_across_ranks else (mu, 0)
    n = codes.shape[0]
    xi = x.repeat_interleave(n, 0)
    zj = codes.repeat(b, 1)
    logits = model.log_likelihood(xi, zj).view(b, n)
    return nn.functional.cross_entropy(logits, torch.arange(b, device=x.device) + offset)
