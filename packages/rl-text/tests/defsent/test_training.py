from __future__ import annotations

import itertools
import random
import shutil

import pytest
import torch

from rl_shared.errors import BadInput
from rl_shared.runtime import seed_everything
from rl_text.defsent import (
    DefSentLoss,
    EntrySpace,
    MaskTokenPooling,
    encode_texts,
    load_prompt_model,
    make_definition_set,
    train_defsent,
    with_prompt_pooling,
)

WORDS = (
    "man woman cat dog plays runs sits guitar piano park street red blue big small eats food "
    "car drives fast slow child ball kicks sleeps bed"
).split()


def _data(n_entries: int = 40, per_entry: int = 2, seed: int = 0):
    rng = random.Random(seed)
    entries = [" ".join(p) for p in itertools.islice(itertools.combinations(WORDS, 2), n_entries)]
    pairs = []
    for entry in entries:
        for _ in range(per_entry):
            pairs.append((" ".join(["a", *entry.split(), *rng.sample(WORDS, 3)]), entry))
    return make_definition_set(pairs)


def test_definitions_mode_is_the_mean_of_definition_embeddings(word_model) -> None:
    data = _data(n_entries=40)
    space = EntrySpace(data, "definitions", "none")
    raw = space.entry_embeddings(word_model)
    embs = encode_texts(word_model, data.definitions)
    first = [i for i, lab in enumerate(data.labels) if lab == 0]
    torch.testing.assert_close(raw[0], embs[first].mean(0), atol=1e-5, rtol=1e-4)
    entry_space = EntrySpace(data, "entry", "none")
    torch.testing.assert_close(
        entry_space.entry_embeddings(word_model), encode_texts(word_model, data.entries)
    )


def test_refresh_whitens_the_entry_space(word_model) -> None:
    data = _data(n_entries=60)
    # (atol: the relative eps=1e-6 regulariser shrinks small directions by eps·λ1/λk)
    # a random BERT's LayerNorm (gamma 1, beta 0) makes every token vector sum to zero, so
    # mean-pooled embeddings span 31 of the 32 dimensions, and the last ones barely vary: whiten the top 16
    space = EntrySpace(data, "entry", "whiten", components=16, fit_size=None)
    space.refresh(word_model, step=0)
    raw = space.entry_embeddings(word_model).double()
    z = space.transform(raw)
    torch.testing.assert_close(
        torch.cov(z.T), torch.eye(16, dtype=torch.float64), atol=2e-3, rtol=0
    )
    assert space.targets.shape == (60, 16)
    torch.testing.assert_close(space.targets.norm(dim=1), torch.ones(60))
    with pytest.raises(BadInput, match="more entries"):
        EntrySpace(_data(n_entries=20), "entry", "whiten").refresh(word_model)


@pytest.mark.parametrize("negatives", ["all", "batch"])
def test_loss_gradient_flows_and_decreases(word_model, negatives) -> None:
    seed_everything(0)
    data = _data(n_entries=40)
    space = EntrySpace(data, "entry", "whiten")
    space.refresh(word_model)
    loss_fn = DefSentLoss(word_model, space, temperature=0.1, negatives=negatives)
    batch = list(range(0, 80, 5))
    features = word_model.preprocess([data.definitions[i] for i in batch])
    labels = torch.tensor([data.labels[i] for i in batch])
    word_model.eval()  # no dropout: the same batch before and after
    optim = torch.optim.Adam(word_model.parameters(), lr=3e-3)
    first = loss_fn([features], labels)
    first.backward()
    grads = [p.grad for p in word_model.parameters() if p.grad is not None]
    assert grads and sum(float(g.abs().sum()) for g in grads) > 0
    optim.step()
    for _ in range(15):
        optim.zero_grad()
        loss_fn([features], labels).backward()
        optim.step()
    with torch.no_grad():
        last = loss_fn([features], labels)
    assert float(last) < 0.7 * float(first.detach())


def test_loss_checks_its_input(word_model) -> None:
    space = EntrySpace(_data(), "entry", "none")
    with pytest.raises(BadInput, match="refresh"):
        DefSentLoss(word_model, space)([word_model.preprocess(["a man"])], torch.tensor([0]))
    with pytest.raises(BadInput):
        DefSentLoss(word_model, space, negatives="some")


def test_prompt_pooling_reads_the_mask_position_and_round_trips(word_model, tmp_path) -> None:
    model = with_prompt_pooling(word_model, 'the {text} is "{mask}"')
    assert isinstance(model[1], MaskTokenPooling)
    model.eval()
    features = model.preprocess(["a man plays"])
    assert 1 not in features["input_ids"][0].tolist()  # every word known: no [UNK]
    mask_id = model[0].tokenizer.mask_token_id
    position = int((features["input_ids"][0] == mask_id).nonzero()[0])
    with torch.no_grad():
        hidden = model[0](dict(features))["token_embeddings"][0, position]
        expected = torch.nn.functional.normalize(hidden, dim=-1)
    got = model.encode(["a man plays"], convert_to_tensor=True)[0]
    torch.testing.assert_close(got, expected, atol=1e-6, rtol=1e-5)
    model.save(str(tmp_path / "prompt"))
    again = load_prompt_model(tmp_path / "prompt")
    torch.testing.assert_close(again.encode(["a man plays"], convert_to_tensor=True)[0], got)
    with pytest.raises(BadInput, match="template"):
        with_prompt_pooling(again, "no placeholders")


def _weights(path):
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    return {k: v.clone() for k, v in model.state_dict().items()}


def test_resume_reaches_the_uninterrupted_result(word_model_dir, tmp_path) -> None:
    data = _data(n_entries=40)
    kwargs = dict(
        isotropy="whiten",
        entry_mode="entry",
        refresh_steps=2,
        steps=4,
        batch_size=8,
        save_steps=2,
        seed=5,
        learning_rate=1e-3,
        show_progress=False,
    )
    full = train_defsent(str(word_model_dir), data, tmp_path / "a", **kwargs)
    assert (tmp_path / "a/checkpoints/checkpoint-2/defsent_space.safetensors").is_file()
    (tmp_path / "b" / "checkpoints").mkdir(parents=True)
    shutil.copytree(
        tmp_path / "a" / "checkpoints" / "checkpoint-2",
        tmp_path / "b" / "checkpoints" / "checkpoint-2",
    )
    resumed = train_defsent(str(word_model_dir), data, tmp_path / "b", resume=True, **kwargs)
    a, b, start = _weights(full), _weights(resumed), _weights(word_model_dir)
    assert any(not torch.equal(a[k], start[k]) for k in a)
    for key in a:
        torch.testing.assert_close(a[key], b[key], atol=1e-6, rtol=1e-5)
