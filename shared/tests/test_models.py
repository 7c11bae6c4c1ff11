import pytest

from rl_shared.errors import ModelNotFound
from rl_shared.models import load_sentence_transformer, resolve


def test_minilm_resolves_to_packaged_weights():
    path = resolve("minilm")
    assert (path / "model.safetensors").is_file() and (path / "modules.json").is_file()


def test_local_path_passes_through(tmp_path):
    assert resolve(tmp_path) == tmp_path


def test_unknown_name_is_a_clear_error():
    with pytest.raises(
        ModelNotFound, match=r"neither a known name .*minilm.* nor an existing folder"
    ):
        resolve("bert-huge-nonexistent")


def test_minilm_loads_offline_and_embeds():
    model = load_sentence_transformer("minilm")
    emb = model.encode(["a cat sits", "a dog runs"], convert_to_tensor=True)
    assert tuple(emb.shape) == (2, 384)
