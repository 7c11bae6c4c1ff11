"""The SMILES GRU encoder-decoder of cMIM on molecules, its vocabulary and augmentation.

:class:`SmilesMIM` encodes a tokenised SMILES into a Gaussian code and decodes it back
with a GRU; its "informative embedding" is ``[mu, decoder initial hidden state]`` as in
:class:`rl_shared.cmim.MIMAutoencoder`. The objectives are in :mod:`rl_chem.cmim.losses`,
training in :mod:`rl_chem.cmim.train`.

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

from collections.abc import Iterable

import numpy as np
import torch
from torch import Tensor, nn

__all__ = ["SmilesMIM", "Vocab", "randomize_smiles"]


class Vocab:
    """Character vocabulary with PAD=0, BOS=1, EOS=2 (and UNK=3 for unseen characters).

    Args:
        chars: the SMILES characters, in id order from 4 (:meth:`build` collects and sorts
            them from a corpus).

    Shapes:
        :meth:`encode` returns ``(B, max_len)`` token ids.

    References:
        Livne, cMIM, arXiv:2411.10548.

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
    """A random (non-canonical) SMILES of the same molecule (RDKit); the input if unparsable.

    Args:
        smiles: a SMILES string.
        rng: picks the random atom order.

    References:
        Livne, cMIM, arXiv:2411.10548 (SMILES enumeration as the augmentation).

    Example:
        >>> from rdkit import Chem
        >>> s = randomize_smiles("OCC(=O)N", np.random.default_rng(0))
        >>> Chem.CanonSmiles(s) == Chem.CanonSmiles("OCC(=O)N")
        True
    """
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
        self.latent, self.hidden = latent, hidden
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
