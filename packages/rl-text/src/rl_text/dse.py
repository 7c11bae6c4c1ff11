"""DSE: distil a cross-encoder into a bi-encoder with a pair head.

A cross-encoder reads both sentences together and is accurate but scores one pair per forward
pass; a bi-encoder embeds each sentence once, so candidates can be embedded ahead of time.
Distilled Sentence Embedding (DSE) trains the bi-encoder student so that a small head over the
two embeddings, ``h([u, v, u⊙v, |u−v|])``, regresses the teacher's scores:

``loss = (1 − α) · MSE(h, gold) + α · MSE(h, teacher)``, with scores in [0, 1] (STS / 5).

Steps: :func:`train_teacher` fine-tunes a sentence-transformers ``CrossEncoder`` from MiniLM
on STS-B train (binary cross-entropy on the score / 5), :func:`teacher_scores` labels the
training pairs, :func:`train_dse` trains the student through ``SentenceTransformerTrainer``
(head checkpointed with the model) and :class:`DistilledSentenceEmbedding` scores queries
against cached candidate embeddings.

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

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from rl_shared.errors import BadInput, ModelNotFound
from rl_text.sts import StsPairs

__all__ = [
    "DistilledPairLoss",
    "DistilledSentenceEmbedding",
    "PairHead",
    "teacher_scores",
    "train_dse",
    "train_teacher",
]

HEAD_WEIGHTS = "pair_head.safetensors"
HEAD_CONFIG = "pair_head.json"
MAX_SCORE = 5.0


class PairHead(nn.Module):
    """Score a pair from its two embeddings through ``[u, v, u⊙v, |u−v|]`` and an MLP.

    Args:
        dim: embedding width.
        hidden: hidden width of the MLP.

    Shapes:
        ``u``, ``v`` ``(B, dim)`` -> ``(B,)`` scores in (0, 1).
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


class DistilledPairLoss(nn.Module):
    """``(1 − α)·MSE(head, gold) + α·MSE(head, teacher)`` for ``SentenceTransformerTrainer``.

    Input columns ``(sentence1, sentence2)`` and a ``label`` column of ``[gold, teacher]``
    scores in [0, 1].

    Args:
        model: the student ``SentenceTransformer``.
        head: the :class:`PairHead` (trained with the model).
        alpha: weight of the teacher term (0: no distillation).
    """

    def __init__(self, model: nn.Module, head: PairHead, alpha: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= alpha <= 1.0:
            raise BadInput(f"alpha must be in [0, 1], got {alpha}")
        self.model, self.head, self.alpha = model, head, alpha

    def forward(self, sentence_features: Iterable[dict[str, Tensor]], labels: Tensor) -> Tensor:
        u, v = (self.model(f)["sentence_embedding"] for f in sentence_features)
        pred = self.head(u, v)
        labels = labels.to(pred.dtype).reshape(-1, 2)
        task = nn.functional.mse_loss(pred, labels[:, 0])
        teacher = nn.functional.mse_loss(pred, labels[:, 1])
        return (1 - self.alpha) * task + self.alpha * teacher

    def get_config_dict(self) -> dict[str, Any]:
        return {"alpha": self.alpha, **self.head.config()}

    @property
    def citation(self) -> str:
        return "Barkan et al., Scalable Attentive Sentence-Pair Modeling via DSE, arXiv:1908.05161"


def train_teacher(
    pairs: StsPairs,
    out: str | Path,
    *,
    model: str | os.PathLike[str] = "minilm",
    steps: int = 200,
    batch_size: int = 32,
    learning_rate: float = 2e-5,
    seed: int = 0,
    resume: bool = False,
    save_steps: int = 100,
    max_length: int = 128,
    show_progress: bool = True,
) -> Path:
    """Fine-tune a ``CrossEncoder`` from ``model`` on ``pairs``; return ``out/teacher/model``.

    Binary cross-entropy on the gold score / 5 through :func:`rl_text.fit.fit` (which picks
    sentence-transformers' ``CrossEncoderTrainer``); checkpoints in
    ``out/teacher/checkpoints`` (``resume`` continues).
    """
    from datasets import Dataset
    from sentence_transformers.cross_encoder import CrossEncoder
    from sentence_transformers.cross_encoder.losses import BinaryCrossEntropyLoss

    from rl_shared.cli.common import seed_everything
    from rl_shared.models import resolve
    from rl_text.fit import fit

    seed_everything(seed)
    ce = CrossEncoder(
        str(resolve(model)),
        num_labels=1,
        max_length=max_length,
        device="cpu" if not torch.cuda.is_available() else None,
        local_files_only=True,
    )
    data = Dataset.from_dict(
        {
            "sentence1": list(pairs.sentences1),
            "sentence2": list(pairs.sentences2),
            "label": [float(s) / MAX_SCORE for s in pairs.scores],
        }
    )
    return fit(
        ce, data, BinaryCrossEntropyLoss(ce), Path(out) / "teacher", steps=steps,
        batch_size=batch_size, learning_rate=learning_rate, seed=seed, resume=resume,
        save_steps=save_steps, save_total_limit=1, show_progress=show_progress,
    )  # fmt: skip


def teacher_scores(
    teacher: Any, pairs: StsPairs, batch_size: int = 64, show_progress: bool = False
) -> np.ndarray:
    """The cross-encoder's scores in [0, 1] for every pair ``(N,)``."""
    from sentence_transformers.cross_encoder import CrossEncoder

    if isinstance(teacher, str | os.PathLike):
        teacher = CrossEncoder(str(teacher), device="cpu", local_files_only=True)
    scores = teacher.predict(
        list(zip(pairs.sentences1, pairs.sentences2)),
        batch_size=batch_size,
        show_progress_bar=show_progress,
    )
    return np.asarray(scores, dtype=np.float64).reshape(-1)


def train_dse(
    pairs: StsPairs,
    teacher: Sequence[float] | np.ndarray | None,
    out: str | Path,
    *,
    model: Any = "minilm",
    alpha: float = 0.5,
    hidden: int = 256,
    steps: int = 200,
    batch_size: int = 32,
    learning_rate: float = 2e-5,
    head_learning_rate: float = 1e-3,
    seed: int = 0,
    resume: bool = False,
    save_steps: int = 100,
    show_progress: bool = True,
) -> Path:
    """Train the DSE student on ``pairs``; return ``out/model`` (head saved inside).

    Args:
        pairs: training pairs with gold scores on the 0–5 scale.
        teacher: the teacher's score in [0, 1] for each pair; ``None`` trains the student
            without distillation (``alpha`` is then ignored and set to 0).
        out: output folder.
        model: the student's start: a name/folder or a ``SentenceTransformer``.
        alpha: weight of the teacher term.
        hidden: pair-head hidden width.
        head_learning_rate: learning rate of the freshly initialised head.
        steps, batch_size, learning_rate, seed, resume, save_steps, show_progress: as
            :func:`rl_text.fit.fit`.
    """
    from datasets import Dataset
    from safetensors.torch import save_file

    from rl_shared.cli.common import seed_everything
    from rl_shared.io import atomic_write_json
    from rl_shared.models import load_sentence_transformer
    from rl_text.fit import fit
    from rl_text.layers import embedding_dim

    if len(pairs) < 2:
        raise BadInput("DSE training needs at least 2 sentence pairs")
    gold = np.asarray(pairs.scores, dtype=np.float64) / MAX_SCORE
    if teacher is None:
        alpha, target = 0.0, gold
    else:
        target = np.asarray(teacher, dtype=np.float64).reshape(-1)
        if len(target) != len(pairs):
            raise BadInput(f"{len(target)} teacher scores for {len(pairs)} pairs")
    seed_everything(seed)
    st = load_sentence_transformer(model) if isinstance(model, str | os.PathLike) else model
    head = PairHead(embedding_dim(st), hidden)
    loss = DistilledPairLoss(st, head, alpha)
    data = Dataset.from_dict(
        {
            "sentence1": list(pairs.sentences1),
            "sentence2": list(pairs.sentences2),
            "label": np.stack([gold, target], axis=1).tolist(),
        }
    )
    path = fit(
        st,
        data,
        loss,
        out,
        steps=steps,
        batch_size=batch_size,
        learning_rate=learning_rate,
        seed=seed,
        resume=resume,
        save_steps=save_steps,
        show_progress=show_progress,
        extra_modules={"pair_head": head},
        args_kwargs={"learning_rate_mapping": {r"^head\.": head_learning_rate}},
    )
    save_file({k: v.contiguous() for k, v in head.state_dict().items()}, str(path / HEAD_WEIGHTS))
    atomic_write_json(path / HEAD_CONFIG, {**head.config(), "alpha": alpha})
    return path


class DistilledSentenceEmbedding:
    """A trained DSE student: encode sentences once, score pairs with the head.

    Args:
        model: the student ``SentenceTransformer``.
        head: its :class:`PairHead`.

    Example:
        >>> dse = DistilledSentenceEmbedding.load("runs/dse/model")  # doctest: +SKIP
        >>> cand = dse.encode(candidates)  # doctest: +SKIP
        >>> dse.rank("a man plays guitar", cand)[:5]  # doctest: +SKIP
    """

    def __init__(self, model: Any, head: PairHead) -> None:
        self.model, self.head = model, head.eval()

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> DistilledSentenceEmbedding:
        """Load a student saved by :func:`train_dse`."""
        from safetensors.torch import load_file
        from sentence_transformers import SentenceTransformer

        path = Path(path)
        if not (path / HEAD_WEIGHTS).is_file() or not (path / HEAD_CONFIG).is_file():
            raise ModelNotFound(f"{path} is not a DSE student (no {HEAD_WEIGHTS} / {HEAD_CONFIG})")
        config = json.loads((path / HEAD_CONFIG).read_text())
        head = PairHead(int(config["dim"]), int(config["hidden"]))
        head.load_state_dict(load_file(str(path / HEAD_WEIGHTS)))
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        return cls(model, head)

    def encode(self, sentences: Sequence[str], batch_size: int = 64) -> Tensor:
        """Embeddings ``(N, dim)`` (cache them for candidates)."""
        return self.model.encode(
            list(sentences), batch_size=batch_size, convert_to_tensor=True, show_progress_bar=False
        )

    @torch.no_grad()
    def score_embeddings(self, u: Tensor, v: Tensor) -> Tensor:
        """Head scores in [0, 1] of row-aligned (or broadcast) embedding pairs."""
        u, v = torch.broadcast_tensors(u, v)
        return self.head(u, v)

    def score(self, sentences1: Sequence[str], sentences2: Sequence[str]) -> np.ndarray:
        """Scores in [0, 1] of sentence pairs ``(N,)``."""
        return self.score_embeddings(self.encode(sentences1), self.encode(sentences2)).numpy()

    def rank(self, query: str, candidates: Tensor) -> Tensor:
        """Candidate indices from best to worst for one query against cached embeddings."""
        q = self.encode([query])
        return torch.argsort(self.score_embeddings(q, candidates), descending=True)
