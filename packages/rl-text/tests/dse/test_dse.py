from __future__ import annotations

import shutil

import numpy as np
import pytest
import torch

from rl_shared.errors import BadInput, MalformedFile, ModelNotFound
from rl_shared.runtime import seed_everything
from rl_shared.sts import StsPairs
from rl_text.dse import (
    DistilledPairLoss,
    DistilledSentenceEmbedding,
    PairHead,
    teacher_scores,
    train_dse,
    train_teacher,
)


@pytest.fixture
def pairs(sts_rows) -> StsPairs:
    rows = sts_rows * 2
    return StsPairs([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])


class _Embed(torch.nn.Module):
    """Stands in for a SentenceTransformer: the features already are the embeddings."""

    def forward(self, features):
        return {"sentence_embedding": features["x"]}


def test_loss_mixes_task_and_teacher_terms():
    seed_everything(0)
    head = PairHead(4, hidden=8)
    u, v = torch.randn(5, 4), torch.randn(5, 4)
    labels = torch.rand(5, 2)
    pred = head(u, v)
    task = ((pred - labels[:, 0]) ** 2).mean()
    teach = ((pred - labels[:, 1]) ** 2).mean()
    for alpha in (0.0, 0.3, 1.0):
        loss = DistilledPairLoss(_Embed(), head, alpha)([{"x": u}, {"x": v}], labels)
        torch.testing.assert_close(loss, (1 - alpha) * task + alpha * teach)
    with pytest.raises(BadInput, match="alpha"):
        DistilledPairLoss(_Embed(), head, 1.5)


def test_head_reads_the_four_pair_features():
    head = PairHead(3, hidden=4)
    assert head.mlp[0].in_features == 12
    u = torch.randn(2, 3)
    assert torch.all((head(u, u) > 0) & (head(u, u) < 1))


def test_teacher_then_student_round_trip(tiny_model_dir, pairs, tmp_path):
    teacher = train_teacher(
        pairs, tmp_path / "t", model=tiny_model_dir, steps=2, batch_size=4, show_progress=False
    )
    scores = teacher_scores(teacher, pairs)
    assert scores.shape == (len(pairs),) and np.all((scores > 0) & (scores < 1))
    path = train_dse(
        pairs,
        scores,
        tmp_path / "s",
        model=str(tiny_model_dir),
        steps=2,
        batch_size=4,
        hidden=8,
        show_progress=False,
    )
    assert (path / "config.json").is_file() and (path / "student" / "modules.json").is_file()
    dse = DistilledSentenceEmbedding.load(path)
    got = dse.score(pairs.sentences1[:3], pairs.sentences2[:3])
    assert got.shape == (3,)
    cand = dse.encode(pairs.sentences2)
    order = dse.rank(pairs.sentences1[0], cand)
    direct = dse.score([pairs.sentences1[0]] * len(pairs), pairs.sentences2)
    assert np.allclose(direct[order.numpy()], np.sort(direct)[::-1], atol=1e-6)


def test_resume_restores_the_head(tiny_model_dir, pairs, tmp_path):
    kwargs = dict(
        model=str(tiny_model_dir),
        steps=4,
        batch_size=4,
        save_steps=2,
        hidden=8,
        seed=1,
        show_progress=False,
        learning_rate=1e-3,
    )
    teacher = np.linspace(0.1, 0.9, len(pairs))
    full = train_dse(pairs, teacher, tmp_path / "a", **kwargs)
    (tmp_path / "b" / "checkpoints").mkdir(parents=True)
    shutil.copytree(
        tmp_path / "a" / "checkpoints" / "checkpoint-2",
        tmp_path / "b" / "checkpoints" / "checkpoint-2",
    )
    resumed = train_dse(pairs, teacher, tmp_path / "b", resume=True, **kwargs)
    a, b = DistilledSentenceEmbedding.load(full), DistilledSentenceEmbedding.load(resumed)
    for x, y in zip(a.head.state_dict().values(), b.head.state_dict().values()):
        torch.testing.assert_close(x, y, atol=1e-6, rtol=1e-5)
    start = PairHead(a.head.dim, 8)
    assert not torch.equal(a.head.mlp[0].weight, start.mlp[0].weight)


def test_errors(tiny_model_dir, pairs, tmp_path):
    with pytest.raises(MalformedFile, match="not a model configuration written by rl"):
        DistilledSentenceEmbedding.load(tiny_model_dir)  # a sentence-transformers folder
    with pytest.raises(ModelNotFound, match="is not a saved model"):
        DistilledSentenceEmbedding.load(tmp_path / "nothing")
    with pytest.raises(BadInput, match="teacher scores"):
        train_dse(pairs, [0.5], tmp_path, model=str(tiny_model_dir), steps=1)
