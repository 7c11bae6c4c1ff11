"""The entry space of DefSent+: entry embeddings built by the encoder, made isotropic.

Entry embeddings are not rows of the model's vocabulary (as in DefSent) but are built by the
encoder being trained, so any entry — multi-word ones included — has one:

* ``"definitions"`` (DefSent+): an entry's embedding is the mean of the sentence embeddings
  of its definitions;
* ``"entry"``: the sentence embedding of the entry string itself.

They are rebuilt from the current encoder every ``refresh_steps`` training steps
(progressively), then an isotropy transform (:mod:`rl_text.defsent.isotropy`) is fitted on
them. Training targets are the transformed, L2-normalised entry embeddings; they carry no
gradient. :meth:`EntrySpace.save` / :meth:`EntrySpace.load` keep a snapshot beside a training
checkpoint, so a resumed run uses exactly the space of the uninterrupted one.

References:
    Liu, "DefSent+ …", arXiv:2405.16153 (entry embeddings from definitions, whitening / ICA).

Example:
    >>> from rl_text.defsent.entries import make_definition_set
    >>> ds = make_definition_set([("a pet canine", "dog"), ("a feline", "cat")])
    >>> space = EntrySpace(ds, isotropy="none")
    >>> space.fitted
    False
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput, MalformedFile, UnknownName
from rl_text.defsent.entries import DefinitionSet
from rl_text.defsent.isotropy import AffineTransform, fit_isotropy

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = ["ENTRY_MODES", "EntrySpace", "encode_texts"]

ENTRY_MODES = ("definitions", "entry")
SPACE_FILE = "defsent_space.safetensors"


def encode_texts(
    model: nn.Module, texts: list[str], batch_size: int = 128, precision: str = "fp32"
) -> Tensor:
    """Sentence embeddings of ``texts`` without gradients, the model left in its mode.

    Args:
        model: a ``SentenceTransformer`` (anything with ``encode`` and train/eval modes).
        texts: the sentences.
        batch_size: sentences per forward pass.
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the encoding, on the model's
            device (:func:`rl_shared.runtime.autocast`).

    Shapes:
        returns ``(len(texts), dim)`` float32 on the CPU.

    Example:
        >>> class Encoder(nn.Module):  # stands in for a SentenceTransformer
        ...     def encode(self, texts, **kwargs):
        ...         return torch.tensor([[float(len(t)), 1.0] for t in texts], dtype=torch.float64)
        >>> model = Encoder().train()
        >>> encode_texts(model, ["a cat", "a dog runs"]), model.training
        (tensor([[ 5.,  1.],
                [10.,  1.]]), True)
    """
    from rl_shared.runtime import autocast

    st = cast("SentenceTransformer", model)
    was_training = st.training
    st.eval()
    try:
        with torch.inference_mode(), autocast(getattr(st, "device", "auto"), precision):
            out = st.encode(
                texts, batch_size=batch_size, convert_to_tensor=True, show_progress_bar=False
            )
    finally:
        st.train(was_training)
    return out.detach().float().cpu().clone()


class EntrySpace:
    """Entry embeddings of a :class:`DefinitionSet` in an isotropic space, refreshed on demand.

    Args:
        data: definitions with entry labels.
        mode: one of :data:`ENTRY_MODES`.
        isotropy: ``"whiten"``, ``"ica"`` or ``"none"``.
        components: output size of the transform (default: the embedding size).
        fit_size: fit the transform on at most this many entries (drawn with ``seed``).
        seed: seeds the fit subset and ICA.
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the entry encoding
            (:func:`encode_texts`).
    """

    def __init__(
        self,
        data: DefinitionSet,
        mode: str = "definitions",
        isotropy: str = "whiten",
        *,
        components: int | None = None,
        fit_size: int | None = 8000,
        seed: int = 0,
        precision: str = "fp32",
    ) -> None:
        if mode not in ENTRY_MODES:
            raise UnknownName("entry mode", mode, list(ENTRY_MODES))
        self.data, self.mode, self.isotropy = data, mode, isotropy
        self.components, self.fit_size, self.seed = components, fit_size, seed
        self.precision = precision
        self.transform: AffineTransform | None = None
        self.targets: Tensor | None = None
        self.refreshed_at = -1

    @property
    def fitted(self) -> bool:
        return self.targets is not None

    def entry_embeddings(self, model: nn.Module) -> Tensor:
        """Raw entry embeddings from ``model`` (no transform).

        Shapes:
            returns ``(len(data.entries), dim)``.
        """
        if self.mode == "entry":
            return encode_texts(model, self.data.entries, precision=self.precision)
        unique = list(dict.fromkeys(self.data.definitions))
        where = {d: i for i, d in enumerate(unique)}
        embs = encode_texts(model, unique, precision=self.precision)
        rows = embs[torch.tensor([where[d] for d in self.data.definitions])]
        labels = torch.tensor(self.data.labels)
        total = torch.zeros(len(self.data.entries), embs.shape[1]).index_add_(0, labels, rows)
        count = torch.zeros(len(self.data.entries)).index_add_(0, labels, torch.ones(len(labels)))
        return total / count.clamp_min(1).unsqueeze(1)

    def refresh(self, model: nn.Module, step: int = 0) -> None:
        """Rebuild the entry embeddings with ``model`` and refit the isotropy transform."""
        raw = self.entry_embeddings(model).double()
        fit_on = raw
        if self.fit_size is not None and len(raw) > self.fit_size:
            gen = torch.Generator().manual_seed(self.seed + step)
            fit_on = raw[torch.randperm(len(raw), generator=gen)[: self.fit_size]]
        if len(fit_on) <= raw.shape[1] and self.isotropy != "none":
            raise BadInput(
                f"the isotropy transform needs more entries ({len(fit_on)}) than dimensions "
                f"({raw.shape[1]}); train on more definitions"
            )
        self.transform = fit_isotropy(
            fit_on, self.isotropy, components=self.components, seed=self.seed + step
        )
        self.targets = nn.functional.normalize(self.transform(raw), dim=-1).float()
        self.refreshed_at = step

    def project(self, embeddings: Tensor) -> Tensor:
        """Sentence embeddings mapped into the entry space (differentiable), L2-normalised.

        Shapes:
            ``(batch, dim) -> (batch, k)``.
        """
        if self.transform is None:
            raise BadInput("the entry space is empty: call refresh(model) first")
        return nn.functional.normalize(self.transform(embeddings), dim=-1)

    def save(self, folder: str | Path) -> None:
        """Write the current space to ``folder/defsent_space.safetensors``."""
        from rl_shared.checkpoint import save_tensors

        if self.transform is None or self.targets is None:
            raise BadInput("nothing to save: the entry space was never refreshed")
        save_tensors(
            Path(folder) / SPACE_FILE,
            {
                "targets": self.targets.contiguous(),
                "mean": self.transform.mean.contiguous(),
                "matrix": self.transform.matrix.contiguous(),
                "refreshed_at": torch.tensor([self.refreshed_at]),
            },
        )

    def load(self, folder: str | Path) -> None:
        """Read a space written by :meth:`save`."""
        from rl_shared.checkpoint import load_tensors

        path = Path(folder) / SPACE_FILE
        if not path.is_file():
            raise MalformedFile(path, None, "the checkpoint lacks the DefSent entry space")
        state = load_tensors(path)
        if state["targets"].shape[0] != len(self.data.entries):
            raise MalformedFile(path, None, "the saved space has a different number of entries")
        self.transform = AffineTransform(state["mean"], state["matrix"])
        self.targets = state["targets"]
        self.refreshed_at = int(state["refreshed_at"][0])
