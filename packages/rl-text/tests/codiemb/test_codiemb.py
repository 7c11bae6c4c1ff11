from __future__ import annotations

import json

import pytest
import torch
from torch.utils.data import ConcatDataset

from rl_shared.errors import BadInput
from rl_shared.losses import cosent, pearson_loss, rank_kl
from rl_shared.sts import StsPairs
from rl_text.codiemb import OrderAwareStsLoss, TaskBatchSampler, train_codiemb
from rl_text.core.tasks import Examples


def test_sampler_makes_single_task_batches_of_each_task_size():
    data = ConcatDataset([range(12), range(8)])
    sampler = TaskBatchSampler(data, [4, 2], seed=0)
    batches = list(sampler)
    assert len(batches) == len(sampler) == 3 + 4
    for batch in batches:
        tasks = {0 if i < 12 else 1 for i in batch}
        assert len(tasks) == 1
        assert len(batch) == (4 if tasks == {0} else 2)
    seen = sorted(i for b in batches for i in b)
    assert seen == list(range(20))  # every example once per epoch
    assert list(TaskBatchSampler(data, [4, 2], seed=0)) == batches  # deterministic
    sampler.set_epoch(1)
    assert list(sampler) != batches


def test_sampler_errors():
    with pytest.raises(BadInput, match="cannot fill"):
        TaskBatchSampler(ConcatDataset([range(3), range(8)]), [4, 2])
    with pytest.raises(BadInput, match="batch sizes"):
        TaskBatchSampler(ConcatDataset([range(3)]), [1, 2])


def test_order_aware_loss_is_the_weighted_sum():
    g = torch.Generator().manual_seed(0)
    scores, labels = torch.rand(6, generator=g), torch.rand(6, generator=g)
    loss = OrderAwareStsLoss(model=None, weights=(1.0, 0.5, 2.0))
    expected = (
        cosent(scores, labels) + 0.5 * pearson_loss(scores, labels) + 2.0 * rank_kl(scores, labels)
    )
    torch.testing.assert_close(loss.loss_fn(scores, labels), expected)
    with pytest.raises(BadInput):
        OrderAwareStsLoss(model=None, weights=(0.0, 0.0, 0.0))


def test_joint_training_runs_both_tasks(tiny_model, sts_rows, tmp_path):
    rows = sts_rows * 2
    sts = StsPairs([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
    retrieval = Examples(
        [r[0] for r in rows],
        [[r[1], r[0]] for r in rows],
        [[rows[(i + 3) % len(rows)][1]] for i in range(len(rows))],
    )
    before = {k: v.clone() for k, v in tiny_model.state_dict().items()}
    path = train_codiemb(
        tiny_model, retrieval, sts, tmp_path, num_positives=2, num_negatives=1,
        retrieval_batch_size=4, sts_batch_size=3, steps=4, save_steps=10, show_progress=False,
    )  # fmt: skip
    assert (path / "model.safetensors").is_file()
    after = tiny_model.state_dict()
    assert any(not torch.equal(before[k], after[k]) for k in before)
    log = json.loads((tmp_path / "train_log.json").read_text())
    assert log[-1]["step"] == 4
    with pytest.raises(BadInput, match="retrieval examples, STS pairs"):
        train_codiemb(tiny_model, None, None, tmp_path)
