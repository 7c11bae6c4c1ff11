"""A SMILES GRU encoder-decoder trained with MIM, cMIM or InfoNCE, and its embeddings.

The losses reuse rl-shared's maths for sequences: A-MIM is
``-1/2 E[log q(z|x) + log p(x|z) + log P(z)]`` with ``log p(x|z)`` the decoder's
teacher-forced token log-likelihood; cMIM adds the cross-entropy of matching each SMILES to
its own code among the batch's codes, scored by that likelihood (the decoder is the
critic; no augmentation); the InfoNCE baseline contrasts ``mu`` of a SMILES with ``mu`` of
an RDKit-randomised SMILES of the same molecule. "Informative embeddings" are
``[mu, decoder initial hidden state]`` as in :class:`rl_shared.mim.MIMAutoencoder`.

References:
    Livne, "cMIM: A Contrastive Mutual Information Framework for Unified Generative and
    Discriminative Representation Learning", arXiv:2411.10548.

Example:
    >>> vocab = Vocab.build(["CCO", "c1ccccc1"])
    >>> model = SmilesMIM(len(vocab), latent=4, hidden=8)
    >>> x = vocab.encode(["CCO"], 6)
    >>> model.embed(x).shape
    torch.Size([1, 12])
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import torch
from torch import Tensor, nn

from rl_shared.losses import info_nce

__all__ = ["SmilesMIM", "Vocab", "randomize_smiles", "train_smiles_model"]

_LOG_2PI = math.log(2 * math.pi)


class Vocab:
    """Character vocabulary with PAD=0, BOS=1, EOS=2.

    Example:
        >>> Vocab.build(["CC"]).encode(["CC"], 4).tolist()
        [[1, 4, 4, 2]]
    """

    def __init__(self, chars: list[str]) -> None:
        self.chars = ["<pad>", "<bos>", "<eos>", "<unk>", *chars]
        self.index = {c: i for i, c in enumerate(self.chars)}

    @classmethod
    def build(cls, smiles: Iterable[str]) -> Vocab:
        return cls(sorted({c for s in smiles for c in s}))

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, smiles: list[str], max_len: int) -> Tensor:
        """``(B, max_len)`` token ids: BOS, characters (truncated), EOS, padding."""
        out = torch.zeros(len(smiles), max_len, dtype=torch.long)
        for i, s in enumerate(smiles):
            ids = [1] + [self.index.get(c, 3) for c in s[: max_len - 2]] + [2]
            out[i, : len(ids)] = torch.tensor(ids)
        return out


def randomize_smiles(smiles: str, rng: np.random.Generator) -> str:
    """A random (non-canonical) SMILES of the same molecule (RDKit); the input if unparsable."""
    from rdkit import Chem

    mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        return smiles
    order = rng.permutation(mol.GetNumAtoms()).tolist()
    return Chem.MolToSmiles(Chem.RenumberAtoms(mol, order), canonical=False)


class SmilesMIM(nn.Module):
    """GRU encoder -> Gaussian code -> GRU decoder over SMILES tokens.

    Args:
        vocab_size: number of tokens.
        latent: code size.
        hidden: GRU width.

    Shapes:
        tokens ``(B, T)``; codes ``(B, latent)``; embeddings ``(B, latent + hidden)``.
    """

    def __init__(self, vocab_size: int, latent: int = 32, hidden: int = 128) -> None:
        super().__init__()
        self.emb = nn.Embedding(vocab_size, 32, padding_idx=0)
        self.enc = nn.GRU(32, hidden, batch_first=True)
        self.to_stats = nn.Linear(hidden, 2 * latent)
        self.z_to_h = nn.Linear(latent, hidden)
        self.dec = nn.GRU(32, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab_size)

    def encode(self, x: Tensor) -> tuple[Tensor, Tensor]:
        lengths = (x != 0).sum(1).clamp_min(1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(
            self.emb(x), lengths, batch_first=True, enforce_sorted=False
        )
        _, h = self.enc(packed)
        mu, logvar = self.to_stats(h[-1]).chunk(2, -1)
        return mu, logvar.clamp(-8, 4)

    def log_likelihood(self, x: Tensor, z: Tensor) -> Tensor:
        """Teacher-forced ``log p(x|z)`` summed over tokens; ``(B,)``."""
        h0 = torch.tanh(self.z_to_h(z)).unsqueeze(0)
        out, _ = self.dec(self.emb(x[:, :-1]), h0)
        logp = self.out(out).log_softmax(-1)
        tgt = x[:, 1:]
        ll = logp.gather(-1, tgt.unsqueeze(-1)).squeeze(-1)
        return (ll * (tgt != 0)).sum(1)

    def embed(self, x: Tensor) -> Tensor:
        """Informative embedding ``[mu(x), decoder hidden state at z = mu(x)]``."""
        mu, _ = self.encode(x)
        return torch.cat([mu, torch.tanh(self.z_to_h(mu))], -1)


def _mim(model: SmilesMIM, x: Tensor) -> tuple[Tensor, Tensor]:
    mu, logvar = model.encode(x)
    z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
    log_q = -0.5 * (_LOG_2PI + logvar + (z - mu).pow(2) / logvar.exp()).sum(-1)
    log_prior = -0.5 * (_LOG_2PI + z.pow(2)).sum(-1)
    return (-0.5 * (log_q + model.log_likelihood(x, z) + log_prior)).mean(), mu


def _cmim_term(model: SmilesMIM, x: Tensor, mu: Tensor) -> Tensor:
    """Cross-entropy of each SMILES picking its own code; logits ``log p(x_i | mu_j)``."""
    b = x.shape[0]
    xi = x.repeat_interleave(b, 0)
    zj = mu.repeat(b, 1)
    logits = model.log_likelihood(xi, zj).view(b, b)
    return nn.functional.cross_entropy(logits, torch.arange(b))


def train_smiles_model(
    smiles: list[str],
    method: str,
    vocab: Vocab,
    max_len: int = 80,
    batch_size: int = 32,
    steps: int = 200,
    lr: float = 2e-3,
    seed: int = 0,
    latent: int = 32,
    hidden: int = 128,
    progress=None,
) -> SmilesMIM:
    """Train a :class:`SmilesMIM` with ``method`` in {"mim", "cmim", "infonce"}.

    Example:
        >>> v = Vocab.build(["CCO", "CCN"])
        >>> m = train_smiles_model(["CCO", "CCN"], "cmim", v, max_len=6, batch_size=2, steps=2)
        >>> isinstance(m, SmilesMIM)
        True
    """
    from rl_shared.errors import UnknownName

    if method not in ("mim", "cmim", "infonce"):
        raise UnknownName("method", method, ["mim", "cmim", "infonce"])
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = SmilesMIM(len(vocab), latent, hidden)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    steps_iter = range(steps)
    for _ in progress(steps_iter) if progress else steps_iter:
        batch = [smiles[i] for i in rng.choice(len(smiles), batch_size, replace=False)]
        x = vocab.encode(batch, max_len)
        loss, mu = _mim(model, x)
        if method == "cmim":
            loss = loss + _cmim_term(model, x, mu)
        elif method == "infonce":
            aug = vocab.encode([randomize_smiles(s, rng) for s in batch], max_len)
            mu2, _ = model.encode(aug)
            loss = loss + info_nce(mu, mu2)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
    return model.eval()
