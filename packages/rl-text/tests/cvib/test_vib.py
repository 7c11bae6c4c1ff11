from __future__ import annotations

import torch
from transformers import BertConfig, BertModel

from rl_shared.runtime import seed_everything
from rl_text.cvib.vib import EncoderGates, VIBGate


def _bert():
    seed_everything(0)
    config = BertConfig(
        vocab_size=30,
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=32,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
    )
    return BertModel(config).eval()


def test_masks_shrink_under_kl():
    seed_everything(0)
    gates = EncoderGates(_bert())
    assert gates.kept() == gates.total() == 2 * 4 + 2 * 32
    optimizer = torch.optim.Adam(gates.parameters(), lr=0.05)
    kept = [gates.kept()]
    kls = [float(gates.kl())]
    for step in range(200):
        optimizer.zero_grad()
        gates.kl().backward()
        optimizer.step()
        if step % 50 == 49:
            kept.append(gates.kept())
            kls.append(float(gates.kl()))
    assert kls == sorted(kls, reverse=True)
    assert kept == sorted(kept, reverse=True)
    assert kept[-1] < kept[0] // 2


def test_task_pressure_keeps_useful_units():
    seed_everything(0)
    gate = VIBGate(4)
    optimizer = torch.optim.Adam(gate.parameters(), lr=0.05)
    x = torch.randn(256, 4)
    y = 3 * x[:, 0]  # only unit 0 matters
    for _ in range(300):
        optimizer.zero_grad()
        loss = (gate(x)[:, 0] * 3 - y).pow(2).mean() * 50 + 0.01 * gate.kl()
        loss.backward()
        optimizer.step()
    assert gate.keep_mask().tolist() == [True, False, False, False]


def test_gates_only_act_when_enabled():
    bert = _bert()
    ids = torch.tensor([[2, 5, 6, 7, 3]])
    before = bert(input_ids=ids).last_hidden_state
    gates = EncoderGates(bert).eval()
    assert torch.equal(bert(input_ids=ids).last_hidden_state, before)
    gates.enabled = True
    # fresh gates in eval mode: μ = 1, all kept -> the same network
    assert torch.allclose(bert(input_ids=ids).last_hidden_state, before, atol=1e-6)
    with torch.no_grad():
        gates.head_gates[0].log_sigma2.fill_(10.0)  # log α < 0: every head of layer 0 pruned
    assert gates.summary()["heads_kept"] == 4
    assert not torch.allclose(bert(input_ids=ids).last_hidden_state, before, atol=1e-3)
    gates.remove()
    assert torch.equal(bert(input_ids=ids).last_hidden_state, before)


def test_training_noise_and_eval_determinism():
    gate = VIBGate(3, init_log_sigma2=0.0)
    x = torch.ones(5, 3)
    gate.train()
    assert not torch.equal(gate(x), gate(x))
    gate.eval()
    assert torch.equal(gate(x), gate(x))
