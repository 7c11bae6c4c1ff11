from __future__ import annotations

import random

import pytest
import torch
import torch.nn.functional as F

from rl_shared.errors import BadInput
from rl_shared.losses import CoSENTLoss, InfoNCELoss
from rl_shared.runtime import seed_everything
from rl_shared.testing.steps import record_training_steps
from rl_text.core.layers import tokenize, truncate_layers
from rl_text.matryoshka2d import Matryoshka2dLoss, in_batch_kl

DIMS = [32, 16, 8]


def _batch(model, rows):
    cols = [tokenize(model, [r[0] for r in rows]), tokenize(model, [r[1] for r in rows])]
    return cols, torch.tensor([r[2] for r in rows])


def test_loss_equals_hand_composed_sum(tiny_model, sts_rows) -> None:
    seed_everything(0)
    tiny_model.eval()  # no dropout, so separate forward passes agree
    inner = CoSENTLoss(tiny_model)
    loss = Matryoshka2dLoss(tiny_model, inner, DIMS, kl_weight=0.5)
    features, labels = _batch(tiny_model, sts_rows)
    got = loss.compute(features, labels, layer=1, shallow_dims=[32, 8])

    texts1, texts2 = [r[0] for r in sts_rows], [r[1] for r in sts_rows]
    shallow = truncate_layers(tiny_model, 1)
    e_last = [tiny_model.encode(t, convert_to_tensor=True) for t in (texts1, texts2)]
    e_1 = [shallow.encode(t, convert_to_tensor=True) for t in (texts1, texts2)]
    term = lambda e, d: inner.compute_loss_from_embeddings([x[:, :d] for x in e], labels)  # noqa: E731
    expected = sum(term(e_last, d) for d in DIMS) + term(e_1, 32) + term(e_1, 8)
    p_last = F.softmax(F.normalize(e_last[0], dim=-1) @ F.normalize(e_last[1], dim=-1).T / 0.05, -1)
    logq = F.log_softmax(F.normalize(e_1[0], dim=-1) @ F.normalize(e_1[1], dim=-1).T / 0.05, -1)
    kl = (p_last * (p_last.log() - logq)).sum(-1).mean()
    torch.testing.assert_close(got, expected + 0.5 * kl, atol=1e-4, rtol=1e-4)


def test_gradients_reach_shallow_layers_and_teacher_is_detached(tiny_model, sts_rows) -> None:
    loss = Matryoshka2dLoss(tiny_model, InfoNCELoss(tiny_model), DIMS)
    features, labels = _batch(tiny_model, sts_rows)
    loss.compute(features, labels, layer=1, shallow_dims=[32]).backward()
    layers = tiny_model[0].auto_model.encoder.layer
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in layers[0].parameters())
    # KL alone: the last layer is the teacher, so layer 3 gets no gradient from it
    tiny_model.zero_grad()
    embs = loss.embed(features, [1, 3])
    in_batch_kl(embs[1], embs[3], 0.05).backward()
    assert all(p.grad is None or p.grad.abs().sum() == 0 for p in layers[2].parameters())
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in layers[0].parameters())


def test_sampling_covers_shallow_layers_only(tiny_model) -> None:
    loss = Matryoshka2dLoss(tiny_model, CoSENTLoss(tiny_model), DIMS, shallow_dims_per_step=1)
    random.seed(1)
    draws = [loss.sample() for _ in range(50)]
    assert {layer for layer, _ in draws} == {1, 2}
    assert all(dims[0] == 32 and len(dims) == 2 and dims[1] in (16, 8) for _, dims in draws)


def test_bad_configuration(tiny_model) -> None:
    with pytest.raises(BadInput, match="full width 32"):
        Matryoshka2dLoss(tiny_model, CoSENTLoss(tiny_model), [16, 8])
    with pytest.raises(BadInput, match="compute_loss_from_embeddings"):
        Matryoshka2dLoss(tiny_model, torch.nn.MSELoss(), DIMS)


def test_runs_in_sentence_transformers_trainer(tiny_model, sts_rows, tmp_path) -> None:
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )

    data = Dataset.from_dict(
        {
            "sentence1": [r[0] for r in sts_rows],
            "sentence2": [r[1] for r in sts_rows],
            "score": [r[2] for r in sts_rows],
        }
    )
    before = [p.detach().clone() for p in tiny_model[0].auto_model.encoder.layer[0].parameters()]
    args = SentenceTransformerTrainingArguments(
        output_dir=str(tmp_path / "out"),
        max_steps=2,
        per_device_train_batch_size=3,
        learning_rate=1e-3,
        report_to="none",
        save_strategy="no",
        disable_tqdm=True,
        use_cpu=True,
        seed=0,
    )
    loss = Matryoshka2dLoss(tiny_model, CoSENTLoss(tiny_model), DIMS)
    trainer = SentenceTransformerTrainer(model=tiny_model, args=args, train_dataset=data, loss=loss)
    with record_training_steps() as log:  # what gpu_smoke.py sees of an ST recipe
        result = trainer.train()
    assert result.global_step == 2 and torch.isfinite(torch.tensor(result.training_loss))
    (loop,) = log.loops()
    assert [s.step for s in loop] == [1, 2]
    assert sum(s.loss for s in loop) / 2 == pytest.approx(result.training_loss, rel=1e-5)
    after = list(tiny_model[0].auto_model.encoder.layer[0].parameters())
    assert any(not torch.equal(a, b) for a, b in zip(before, after))


def test_merged_forward_equals_per_column(tiny_model, sts_rows) -> None:
    from rl_text.core.layers import layer_embeddings, transformer_hidden_states
    from rl_text.matryoshka2d import merge_columns

    tiny_model.eval()
    features, _ = _batch(tiny_model, sts_rows)
    merged, sizes = merge_columns(features)
    assert sizes == [6, 6]
    together = layer_embeddings(tiny_model, transformer_hidden_states(tiny_model, merged), 2)
    for column, part in zip(features, together.split(sizes)):
        alone = layer_embeddings(tiny_model, transformer_hidden_states(tiny_model, column), 2)
        torch.testing.assert_close(part, alone, atol=1e-5, rtol=1e-5)
    assert merge_columns([features[0], {"input_ids": features[1]["input_ids"]}]) is None
