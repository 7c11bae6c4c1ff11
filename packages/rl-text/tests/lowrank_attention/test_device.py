"""``device`` / ``precision`` of the low-rank attention loop, evaluation and commands."""

from __future__ import annotations

import pytest
import torch

from rl_shared.cli.main import main
from rl_shared.errors import BadInput
from rl_text.lowrank_attention.model import GRUAttentionClassifier
from rl_text.lowrank_attention.train import EncodedText, evaluate_classifier, train_classifier


def _data() -> EncodedText:
    ids = torch.tensor([[3, 4, 5], [5, 6, 0], [7, 0, 0], [8, 9, 3], [4, 4, 0]])
    return EncodedText(ids, ids == 0, torch.tensor([0, 1, 2, 1, 0]))


def _model() -> GRUAttentionClassifier:
    torch.manual_seed(0)
    return GRUAttentionClassifier(10, embed_dim=4, hidden=4, num_classes=3, num_heads=2)


def test_the_accelerated_loop_keeps_the_single_process_numbers():
    """The loop through ``make_accelerator`` equals a plain Adam loop on the same batches."""
    import random

    import torch.nn.functional as F
    from torch import nn

    data, ref = _data(), _model()
    params = [p for p in ref.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=2e-3)
    torch.manual_seed(0)
    rng = random.Random(0)
    ref.train()
    for _ in range(2):
        order = list(range(len(data)))
        rng.shuffle(order)
        for i in range(0, len(order), 2):
            batch = data.subset(order[i : i + 2])
            loss = F.cross_entropy(ref(batch.ids, batch.padding_mask)[0], batch.labels)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
    model = _model()
    train_classifier(model, data, epochs=2, batch_size=2, seed=0, device="cpu")
    for a, b in zip(model.state_dict().values(), ref.state_dict().values()):
        assert torch.equal(a, b)


def test_bf16_on_the_cpu_trains_and_scores_and_fp16_is_refused():
    data, model = _data(), _model()
    losses = train_classifier(model, data, epochs=1, batch_size=5, device="cpu", precision="bf16")
    assert all(torch.isfinite(torch.tensor(losses)))
    assert evaluate_classifier(model, data, device="cpu", precision="bf16")["n"] == 5
    with pytest.raises(BadInput):
        train_classifier(model, data, device="cpu", precision="fp16")
    with pytest.raises(BadInput):
        evaluate_classifier(model, data, device="cpu", precision="fp16")


def test_commands_refuse_an_unavailable_precision_in_one_sentence(tmp_path, capsys):
    seg = tmp_path / "toy.seg"
    seg.write_text("the $T$ is good .\nfood\n1\nslow $T$ .\nservice\n-1\n")
    argv = ["text", "lowrank-attention", "evaluate", "--model", str(tmp_path / "none"),
            "--data", str(seg), "--device", "tpu"]  # fmt: skip
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    capsys.readouterr()
