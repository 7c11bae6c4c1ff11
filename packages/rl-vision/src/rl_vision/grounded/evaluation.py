"""Evaluation of sentence encoders: retrieval recall@k and STS Spearman correlation.

STS pairs come from :mod:`rl_shared.sts` (``stsb[:split]``, ``sick[:split]`` or a file of
pairs) and are scored with :func:`rl_shared.sts.correlations`. :func:`encode_sentences`
embeds texts with a character encoder; :func:`evaluate_retrieval` measures the
caption->image, image->caption and caption->caption recall@k of a grounded model (or
caption->caption of a sentence encoder alone).

References:
    Merkx & Frank, "Learning semantic sentence representations from visually grounded language
    without lexical knowledge", Natural Language Engineering 25(4), 2019.
    https://arxiv.org/abs/1903.11393

Example:
    >>> import torch
    >>> recall_at_k(torch.eye(3), torch.arange(3), (1,))
    {'r@1': 1.0}
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import Tensor

from rl_shared.errors import BadInput
from rl_shared.sts import StsPairs, correlations
from rl_vision.grounded.char_encoder import CharSentenceEncoder, CharVocab
from rl_vision.grounded.data import CaptionData
from rl_vision.grounded.model import GroundedModel

__all__ = ["encode_sentences", "evaluate_retrieval", "recall_at_k", "sts_correlations"]


def recall_at_k(
    scores: Tensor, targets: Tensor, ks: Sequence[int] = (1, 5, 10)
) -> dict[str, float]:
    """Recall@k of queries (rows of ``scores``) whose correct item index is ``targets``.

    Args:
        scores: query-item similarities.
        targets: the correct item per query, or a boolean relevance matrix (any relevant
            item in the top k counts).
        ks: the cut-offs.

    Shapes:
        scores ``(Q, N)``; targets ``(Q,)`` or ``(Q, N)``.

    Example:
        >>> recall_at_k(torch.tensor([[0.1, 0.9], [0.8, 0.2]]), torch.tensor([0, 0]), (1, 2))
        {'r@1': 0.5, 'r@2': 1.0}
    """
    if targets.dim() == 1:
        rel = torch.zeros_like(scores, dtype=torch.bool)
        rel[torch.arange(len(scores)), targets] = True
    else:
        rel = targets.bool()
    order = scores.argsort(dim=1, descending=True)
    hits = rel.gather(1, order)
    return {f"r@{k}": float(hits[:, :k].any(dim=1).float().mean()) for k in ks}


def sts_correlations(
    encode: Callable[[list[str]], Tensor], pairs: StsPairs
) -> dict[str, float | None]:
    """Spearman and Pearson correlation between gold scores and the cosine of encoded pairs.

    Args:
        encode: texts -> ``(n, D)`` embeddings.
        pairs: STS pairs (:func:`rl_shared.sts.named_or_file_pairs`).

    Shapes:
        - encode: ``n`` texts -> (n, D), called once on each side of the ``n`` pairs
        - output: ``{"spearman": ..., "pearson": ...}``, Python floats (``None`` if undefined)

    Example:
        >>> from rl_shared.sts import StsPairs
        >>> pairs = StsPairs(["a", "b", "a"], ["a", "a", "c"], [5.0, 0.0, 4.0])
        >>> enc = lambda t: torch.tensor([[1.0, 0.0] if s in "ac" else [0.0, 1.0] for s in t])
        >>> round(sts_correlations(enc, pairs)["pearson"], 3)
        0.982
    """
    a = torch.nn.functional.normalize(encode(list(pairs.sentences1)), dim=-1)
    b = torch.nn.functional.normalize(encode(list(pairs.sentences2)), dim=-1)
    return correlations((a * b).sum(-1).tolist(), pairs.scores)


@torch.no_grad()
def encode_sentences(
    encoder: CharSentenceEncoder,
    texts: Sequence[str],
    batch_size: int = 256,
    vocab: CharVocab | None = None,
) -> Tensor:
    """Unit vectors of ``texts`` from a character encoder, on the CPU.

    Args:
        encoder: the sentence encoder (on any device).
        texts: the sentences.
        batch_size: sentences per forward pass.
        vocab: its character vocabulary (default :class:`CharVocab`).

    Shapes:
        ``-> (len(texts), encoder.dim)``.

    Example:
        >>> enc = CharSentenceEncoder(len(CharVocab()), hidden=8)
        >>> emb = encode_sentences(enc, ["a red car", "a tree", "a man in blue"], batch_size=2)
        >>> tuple(emb.shape), torch.allclose(emb.norm(dim=1), torch.ones(3))
        ((3, 16), True)
    """
    vocab = vocab or CharVocab()
    encoder.eval()
    device = encoder.embed.weight.device
    parts = []
    for i in range(0, len(texts), batch_size):
        ids, lengths = vocab.encode_batch(list(texts[i : i + batch_size]))
        parts.append(encoder(ids.to(device), lengths).float().cpu())
    return torch.cat(parts)


@torch.no_grad()
def evaluate_retrieval(
    model: GroundedModel | None, data: CaptionData, encoder: CharSentenceEncoder | None = None
) -> dict[str, float]:
    """Caption->image, image->caption and caption->caption (same scene) recall@1/5/10.

    With ``model=None`` only caption->caption is measured, with ``encoder``.

    Args:
        model: a grounded model (its sentence and image encoders).
        data: test scenes and their captions.
        encoder: a sentence encoder alone (when ``model`` is ``None``).

    Raises:
        BadInput: neither a model nor an encoder.

    Example:
        >>> from rl_vision.grounded.data import make_caption_data
        >>> from rl_vision.grounded.model import GroundedConfig
        >>> data = make_caption_data(range(4), size=32, captions_per_scene=2)
        >>> model = GroundedModel(GroundedConfig(hidden=8, depth=3))
        >>> sorted(evaluate_retrieval(model, data))[::3]
        ['c2c.r@1', 'c2i.r@1', 'i2c.r@1']
        >>> enc = CharSentenceEncoder(len(CharVocab()), hidden=8)
        >>> sorted(evaluate_retrieval(None, data, enc))
        ['c2c.r@1', 'c2c.r@10', 'c2c.r@5']
    """
    enc = model.sentences if model is not None else encoder
    if enc is None:
        raise BadInput("give a grounded model or a sentence encoder")
    vocab = model.vocab if model is not None else None
    flat = [c for caps in data.captions for c in caps]
    owner = torch.tensor([i for i, caps in enumerate(data.captions) for _ in caps])
    cap = encode_sentences(enc, flat, vocab=vocab)
    out: dict[str, float] = {}
    same = owner[:, None] == owner[None, :]
    scores = cap @ cap.T
    scores.fill_diagonal_(-float("inf"))
    rel = same & ~torch.eye(len(flat), dtype=torch.bool)
    keep = rel.any(1)
    out |= {f"c2c.{k}": v for k, v in recall_at_k(scores[keep], rel[keep]).items()}
    if model is not None:
        model.eval()
        device = enc.embed.weight.device
        img = torch.cat(
            [
                model.images(data.images[i : i + 64].to(device)).float().cpu()
                for i in range(0, len(data.images), 64)
            ]
        )
        out |= {f"c2i.{k}": v for k, v in recall_at_k(cap @ img.T, owner).items()}
        i2c_rel = owner[None, :] == torch.arange(len(img))[:, None]
        out |= {f"i2c.{k}": v for k, v in recall_at_k(img @ cap.T, i2c_rel).items()}
    return out
