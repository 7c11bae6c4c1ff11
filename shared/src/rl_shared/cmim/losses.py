"""The cMIM objective: A-MIM plus a contrastive term that needs no positive augmentations.

*A-MIM* (MIM with encoder sampling) minimises
``-1/2 E_{x, z~q(z|x)} [log q(z|x) + log p(x|z) + log P(z)]``, an upper bound on the joint
entropy that makes the code informative about ``x`` and clustered. *cMIM* adds a
contrastive term in which the model's own decoder is the critic: for a batch, the logit of
input ``x_i`` against code ``j`` is the decoder's log-likelihood ``log p(x_i | z = mu(x_j))``,
and the loss is the cross-entropy of picking ``x_i``'s own code among the batch's codes.
The positive pair is ``(x_i, mu(x_i))``: no augmentation is designed, and every other code
of the batch is a negative.

This is our reading of the paper's description (we also tried the InfoNCE between a code
and the code of its own reconstruction, which probed worse on digits); the weights of the
two terms are ``1`` and ``contrastive_weight``.

References:
    Livne et al., "MIM: Mutual Information Machine", arXiv:1910.03175. Livne, "cMIM: A
    Contrastive Mutual Information Framework for Unified Generative and Discriminative
    Representation Learning", arXiv:2411.10548.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from rl_shared.cmim.model import MIMAutoencoder
from rl_shared.errors import BadInput
from rl_shared.losses._common import check_finite, check_rows

__all__ = ["CMIMLoss", "cmim_contrastive", "mim_loss"]

CITATION = """@article{livne2024cmim,
  title={cMIM: A Contrastive Mutual Information Framework for Unified Generative and
         Discriminative Representation Learning},
  author={Livne, Micha},
  journal={arXiv preprint arXiv:2411.10548},
  year={2024}
}"""

_LOG_2PI = math.log(2 * math.pi)


def _gaussian_log_prob(x: Tensor, mean: Tensor, logvar: Tensor) -> Tensor:
    """Sum over the last axis of ``log N(x; mean, exp(logvar))``."""
    return -0.5 * (_LOG_2PI + logvar + (x - mean).pow(2) / logvar.exp()).sum(-1)


def mim_loss(
    x: Tensor, z: Tensor, mu: Tensor, logvar: Tensor, recon_mean: Tensor, recon_logvar: Tensor
) -> Tensor:
    """A-MIM loss, averaged over the batch.

    Args:
        x: inputs.
        z: samples of ``q(z|x)``.
        mu, logvar: parameters of ``q(z|x)``.
        recon_mean, recon_logvar: parameters of ``p(x|z)`` (``recon_logvar`` may broadcast).

    Shapes:
        x, recon_mean ``(B, D)``; z, mu, logvar ``(B, K)`` -> scalar.

    Example:
        >>> import torch
        >>> x, z = torch.zeros(2, 3), torch.zeros(2, 2)
        >>> float(mim_loss(x, z, z, z, x, torch.zeros(3))) > 0
        True
    """
    log_q = _gaussian_log_prob(z, mu, logvar)
    log_p = _gaussian_log_prob(x, recon_mean, recon_logvar.expand_as(recon_mean))
    log_prior = _gaussian_log_prob(z, torch.zeros_like(z), torch.zeros_like(z))
    return (-0.5 * (log_q + log_p + log_prior)).mean()


def cmim_contrastive(
    x: Tensor,
    decoded_means: Tensor,
    recon_logvar: Tensor,
    *,
    temperature: float = 1.0,
    gather_across_ranks: bool = False,
) -> Tensor:
    """Cross-entropy of matching each input to its own code, scored by the decoder's likelihood.

    Args:
        x: inputs of the batch.
        decoded_means: decoder means at each input's code, ``decode(mu(x_j))``.
        recon_logvar: the decoder's per-feature log-variance.
        temperature: divides the log-likelihood logits.
        gather_across_ranks: under ``torch.distributed``, every rank's decoded means are
            candidates (:func:`rl_shared.losses.distributed.gather_with_grad`): each rank
            scores its inputs against the global batch, so the mean over ranks equals the
            one-process term of the whole batch (every rank must hold as many rows).

    Shapes:
        x, decoded_means ``(B, D)``; recon_logvar ``(D,)`` -> scalar.

    Example:
        >>> import torch
        >>> x = torch.randn(6, 4)
        >>> bool(cmim_contrastive(x, x, torch.zeros(4)) < cmim_contrastive(x, x.flip(0), torch.zeros(4)))
        True
    """
    if temperature <= 0:
        raise BadInput(f"temperature must be positive, got {temperature}")
    check_rows("cmim_contrastive", x=x, decoded_means=decoded_means)
    offset = 0
    if gather_across_ranks:
        from rl_shared.losses.distributed import gather_with_grad

        decoded_means, offset = gather_with_grad(decoded_means)
    precision = torch.exp(-recon_logvar)  # (D,)
    # log N(x_i; m_j, sigma^2) up to a constant: -1/2 sum_d (x_id - m_jd)^2 / sigma_d^2, as matrix products
    cross = (x * precision) @ decoded_means.T  # (B, B)
    sq_x = (x.pow(2) * precision).sum(-1, keepdim=True)  # (B, 1)
    sq_m = (decoded_means.pow(2) * precision).sum(-1)  # (B,)
    logits = -0.5 * (sq_x - 2 * cross + sq_m[None, :]) / temperature
    targets = torch.arange(x.shape[0], device=x.device) + offset
    return torch.nn.functional.cross_entropy(logits, targets)


class CMIMLoss(nn.Module):
    """cMIM training objective for a :class:`~rl_shared.cmim.MIMAutoencoder`.

    ``forward(x)`` returns the scalar loss; the last parts are kept in ``self.last_parts``
    (``mim``, ``contrastive``) for logging.

    Args:
        model: the encoder-decoder.
        contrastive_weight: weight of the contrastive term (0 gives plain A-MIM).
        temperature: temperature of the contrastive term's likelihood logits.
        gather_across_ranks: gather the contrastive term's candidates from every
            ``torch.distributed`` rank (see :func:`cmim_contrastive`).

    ``forward(x, labels=None, noise=None)``: ``noise`` is the standard-normal draw of the
    code sample (``model.sample``'s own when ``None``); a loop that splits a global batch
    over processes draws it for the whole batch and passes each its rows.

    Shapes:
        - x: (B, input_dim), the batch of inputs of ``model``
        - labels: ignored (any shape, or ``None``)
        - noise: (B, latent_dim) or ``None``
        - output: scalar

    References:
        Livne, arXiv:2411.10548; Livne et al., arXiv:1910.03175.

    Example:
        >>> import torch
        >>> from rl_shared.cmim.model import MIMAutoencoder
        >>> loss_fn = CMIMLoss(MIMAutoencoder(8, 2, 16))
        >>> loss_fn(torch.rand(4, 8)).dim()
        0
    """

    def __init__(
        self,
        model: MIMAutoencoder,
        contrastive_weight: float = 1.0,
        temperature: float = 0.1,
        gather_across_ranks: bool = False,
    ) -> None:
        super().__init__()
        if contrastive_weight < 0:
            raise BadInput(f"contrastive_weight must be non-negative, got {contrastive_weight}")
        self.model, self.contrastive_weight, self.temperature = (
            model,
            contrastive_weight,
            temperature,
        )
        self.gather_across_ranks = gather_across_ranks
        self.last_parts: dict[str, float] = {}

    def forward(
        self, x: Tensor, labels: Tensor | None = None, noise: Tensor | None = None
    ) -> Tensor:
        check_finite("CMIMLoss", x)
        mu, logvar = self.model.encode(x)
        z = self.model.sample(mu, logvar, noise)
        recon = self.model.decode(z)
        out_logvar = self.model.out_logvar.clamp(-6.0, 4.0)
        loss = mim_loss(x, z, mu, logvar, recon, out_logvar)
        parts = {"mim": float(loss.detach())}
        if self.contrastive_weight > 0:
            contrastive = cmim_contrastive(
                x,
                self.model.decode(mu),
                out_logvar,
                temperature=self.temperature,
                gather_across_ranks=self.gather_across_ranks,
            )
            loss = loss + self.contrastive_weight * contrastive
            parts["contrastive"] = float(contrastive.detach())
        self.last_parts = parts
        return loss

    @property
    def citation(self) -> str:
        return CITATION
