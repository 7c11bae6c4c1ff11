from __future__ import annotations

import pytest
import torch
from sentence_transformers import SentenceTransformer

from rl_shared.errors import BadInput, UnknownName
from rl_text.core.tasks import Examples
from rl_text.kalm import KalmRecipe, make_kalm_loss, set_pooling, train_kalm


def _examples(sts_rows) -> Examples:
    """16 rows whose texts are all distinct (the trainer never batches a text twice)."""
    nouns = ["man", "woman", "cat", "dog", "child", "car", "ball", "bed"]
    verbs = ["plays", "runs"]
    anchors = [f"a {n} {v}" for n in nouns for v in verbs]
    return Examples(anchors, [[f"the {a[2:]} fast"] for a in anchors])


def test_recipe_validation_and_losses(tiny_model):
    with pytest.raises(UnknownName):
        KalmRecipe(pooling="attention")
    with pytest.raises(BadInput):
        KalmRecipe(soup=0)
    names = {
        KalmRecipe(): "HardNegativeMixingLoss",
        KalmRecipe(mixed_negatives=0): "FocalInfoNCELoss",
        KalmRecipe(mixed_negatives=0, focal_gamma=0): "InfoNCELoss",
    }
    for recipe, cls in names.items():
        assert type(make_kalm_loss(tiny_model, recipe)).__name__ == cls


def test_cls_pooling_reads_the_first_token(tiny_model):
    set_pooling(tiny_model, "cls")
    features = tiny_model.tokenize(["a man plays the guitar"])
    out = tiny_model[0](dict(features))
    emb = tiny_model.encode(
        ["a man plays the guitar"], convert_to_tensor=True, normalize_embeddings=False
    )
    cls = torch.nn.functional.normalize(out["token_embeddings"][0, 0], dim=-1)
    torch.testing.assert_close(emb[0], cls, atol=1e-5, rtol=1e-4)


def test_soup_is_the_mean_of_the_last_checkpoints(tiny_model_dir, sts_rows, tmp_path):
    recipe = KalmRecipe(
        hard_negatives=1, mixed_negatives=2, mix_top_k=2, soup=2, false_negative_margin=0.0
    )
    path = train_kalm(
        str(tiny_model_dir), _examples(sts_rows), tmp_path, recipe,
        steps=4, batch_size=4, learning_rate=1e-3, save_steps=2, show_progress=False,
    )  # fmt: skip
    load = lambda p: SentenceTransformer(str(p), device="cpu", local_files_only=True).state_dict()  # noqa: E731
    souped = load(path)
    c2, c4 = (
        load(tmp_path / "checkpoints" / "checkpoint-2"),
        load(tmp_path / "checkpoints" / "checkpoint-4"),
    )
    assert any(not torch.equal(c2[k], c4[k]) for k in c2)
    for key in souped:
        if souped[key].is_floating_point():
            torch.testing.assert_close(souped[key], (c2[key] + c4[key]) / 2)
    assert (path / "kalm_recipe.json").is_file()
    with pytest.raises(BadInput, match="soup of 3"):
        train_kalm(
            str(tiny_model_dir), _examples(sts_rows), tmp_path / "x", KalmRecipe(soup=3, hard_negatives=0),
            steps=4, save_steps=2, show_progress=False,
        )  # fmt: skip
