"""DSE components: the pair head and a trained student that scores pairs from cached embeddings.

A cross-encoder reads both sentences together and is accurate but scores one pair per forward
pass; a bi-encoder embeds each sentence once, so candidates can be embedded ahead of time.
Distilled Sentence Embedding (DSE) trains the bi-encoder student so that a small head over the
two embeddings, ``h([u, v, u⊙v, |u−v|])``, regresses the teacher's scores
(:class:`rl_text.dse.losses.DistilledPairLoss`). :class:`DistilledSentenceEmbedding` scores
queries against cached candidate embeddings; its folder is an :mod:`rl_shared.artifacts`
model folder (the head) with the student's sentence-transformers folder in ``student/``.

References:
    Barkan et al., "Scalable Attentive Sentence-Pair Modeling via Distilled Sentence
    Embedding", AAAI 2020, arXiv:1908.05161.

Example:
    >>> import torch
    >>> head = PairHead(8, hidden=16)
    >>> head(torch.randn(3, 8), torch.randn(3, 8)).shape
    torch.Size([3])
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from rl_shared.errors import ModelNotFound

__all__ = ["CITATION", "KIND", "MAX_SCORE", "DistilledSentenceEmbedding", "PairHead"]

KIND = "rl_text.dse"
STUDENT = "student"
MAX_SCORE = 5.0
CITATION = """@inproceedings{barkan2020scalable,
  title={Scalable Attentive Sentence-Pair Modeling via Distilled Sentence Embedding},
  author={Barkan, Oren and Razin, Noam and Malkiel, Itzik and Katz, Ori and Caciularu, Avi
          and Koenigstein, Noam},
  booktitle={AAAI},
  year={2020}
}"""


class PairHead(nn.Module):
    """Score a pair from its two embeddings through ``[u, v, u⊙v, |u−v|]`` and an MLP.

    Args:
        dim: embedding width.
        hidden: hidden width of the MLP.

    Shapes:
        ``u``, ``v`` ``(B, dim)`` -> ``(B,)`` scores in (0, 1).

    References:
        Barkan et al., arXiv:1908.05161 (the pair head over ``[u, v, u⊙v, |u−v|]``).

    Example:
        >>> import torch
        >>> PairHead(8, hidden=16)(torch.randn(3, 8), torch.randn(3, 8)).shape
        torch.Size([3])
    """

    def __init__(self, dim: int, hidden: int = 256) -> None:
        super().__init__()
        self.dim, self.hidden = dim, hidden
        self.mlp = nn.Sequential(nn.Linear(4 * dim, hidden), nn.GELU(), nn.Linear(hidden, 1))

    def forward(self, u: Tensor, v: Tensor) -> Tensor:
        features = torch.cat([u, v, u * v, (u - v).abs()], dim=-1)
        return torch.sigmoid(self.mlp(features).squeeze(-1))

    def config(self) -> dict[str, int]:
        return {"dim": self.dim, "hidden": self.hidden}


class DistilledSentenceEmbedding:
    """A trained DSE student: encode sentences once, score pairs with the head.

    Args:
        model: the student ``SentenceTransformer``; the head is moved to its device.
        head: its :class:`PairHead`.
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of encoding and scoring
            (:func:`rl_shared.runtime.autocast`); scores and embeddings come back as float32.

    References:
        Barkan et al., arXiv:1908.05161.

    Example:
        >>> from rl_shared.models import load_sentence_transformer
        >>> dse = DistilledSentenceEmbedding(load_sentence_transformer("minilm"), PairHead(384))
        >>> cand = dse.encode(["a man plays guitar", "a cat sleeps", "stocks fell"])
        >>> dse.rank("a man is playing a guitar", cand).shape
        torch.Size([3])
    """

    def __init__(self, model: Any, head: PairHead, precision: str = "fp32") -> None:
        from rl_shared.runtime import resolve_device, resolve_precision

        where = getattr(model, "device", None)
        device = resolve_device() if where is None else torch.device(where)
        resolve_precision(precision, device)
        self.model, self.head = model, head.to(device).eval()
        self.precision = precision

    @property
    def device(self) -> torch.device:
        """Where the student (and its head) compute."""
        return next(self.head.parameters()).device

    def save(self, path: str | os.PathLike[str], *, alpha: float | None = None) -> Path:
        """Write the model folder: the head (``config.json`` + ``model.safetensors`` through
        :func:`rl_shared.artifacts.save_model`) and the student in ``student/``."""
        from rl_shared.artifacts import save_model

        config = {**self.head.config(), "student": STUDENT}
        if alpha is not None:
            config["alpha"] = alpha
        return save_model(
            Path(path),
            kind=KIND,
            config=config,
            tensors=self.head,
            citation=CITATION,
            summary="A DSE bi-encoder student (sentence-transformers folder in student/) "
            "and its pair head, distilled from a cross-encoder.",
            write=lambda tmp: self.model.save(str(tmp / STUDENT)),
        )

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        device: str | torch.device = "auto",
        precision: str = "fp32",
    ) -> DistilledSentenceEmbedding:
        """Load a student saved by :meth:`save` (:func:`rl_text.dse.train_dse` writes one).

        Every JSON file of the folder and of ``student/`` is read strictly first, so a broken
        one is named (file and line) instead of surfacing as a traceback of the library that
        reads it.

        Args:
            path: the model folder (``OUT/model`` of ``rl text dse train``).
            device: where the student and head are put: ``auto``, ``cpu``, ``cuda``,
                ``cuda:N`` or ``mps`` (:func:`rl_shared.runtime.resolve_device`).
            precision: ``fp32``, ``bf16`` or ``fp16`` autocast of encoding and scoring.

        Raises:
            ModelNotFound: the folder is missing or incomplete (no head, no student).
            MalformedFile: a JSON file of the folder is broken, or the head's configuration
                lacks ``dim`` / ``hidden``.
            BadInput: the folder holds another kind of model, or its weights do not fit.
        """
        from safetensors import SafetensorError
        from sentence_transformers import SentenceTransformer

        from rl_shared.artifacts import load_model
        from rl_shared.errors import MalformedFile
        from rl_shared.models import check_json_files
        from rl_shared.runtime import resolve_device, resolve_precision

        target = resolve_device(str(device))
        resolve_precision(precision, target)
        art = load_model(Path(path), kind=KIND)
        config_path = art.path / "config.json"
        try:
            dim, hidden = int(art.config["dim"]), int(art.config["hidden"])
            student = str(art.config.get("student", STUDENT))
        except (KeyError, TypeError, ValueError):
            raise MalformedFile(
                config_path, None, "the DSE head configuration lacks an integer dim and hidden"
            ) from None
        if dim < 1 or hidden < 1:
            raise MalformedFile(config_path, None, f"dim {dim} and hidden {hidden} must be >= 1")
        head = PairHead(dim, hidden)
        art.load_into(head)  # BadInput when the weights do not fit
        folder = art.path / student
        if not folder.is_dir():
            raise ModelNotFound(f"{art.path} lacks its student model ({student}/)")
        if not (folder / "modules.json").exists():
            raise ModelNotFound(f"{art.path} lacks its student model ({student}/modules.json)")
        check_json_files(folder)
        try:
            model = SentenceTransformer(str(folder), device=str(target), local_files_only=True)
        except (OSError, ValueError, KeyError, TypeError, SafetensorError) as err:
            detail = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise ModelNotFound(f"{folder} could not be loaded as the student ({detail})") from None
        return cls(model, head, precision)

    def encode(self, sentences: Sequence[str], batch_size: int = 64) -> Tensor:
        """Embeddings ``(N, dim)`` float32 on :attr:`device` (cache them for candidates)."""
        from rl_shared.runtime import autocast

        with autocast(self.device, self.precision):
            out = self.model.encode(
                list(sentences),
                batch_size=batch_size,
                convert_to_tensor=True,
                show_progress_bar=False,
            )
        return out.float()

    @torch.no_grad()
    def score_embeddings(self, u: Tensor, v: Tensor) -> Tensor:
        """Head scores in [0, 1] (float32) of row-aligned (or broadcast) embedding pairs."""
        from rl_shared.runtime import autocast

        u, v = torch.broadcast_tensors(u.to(self.device), v.to(self.device))
        with autocast(self.device, self.precision):
            return self.head(u, v).float()

    def score(self, sentences1: Sequence[str], sentences2: Sequence[str]) -> np.ndarray:
        """Scores in [0, 1] of sentence pairs ``(N,)``."""
        scores = self.score_embeddings(self.encode(sentences1), self.encode(sentences2))
        return scores.cpu().numpy()

    def rank(self, query: str, candidates: Tensor) -> Tensor:
        """Candidate indices from best to worst for one query against cached embeddings."""
        q = self.encode([query])
        return torch.argsort(self.score_embeddings(q, candidates), descending=True)
