import pytest

from rl_shared.errors import ModelNotFound
from rl_shared.models import load_sentence_transformer, resolve


def test_minilm_resolves_to_packaged_weights():
    path = resolve("minilm")
    assert (path / "model.safetensors").is_file() and (path / "modules.json").is_file()


def test_local_path_passes_through(tmp_path):
    assert resolve(tmp_path) == tmp_path


@pytest.mark.parametrize("text", ["bert huge nonexistent", "runs/no/such/model", "org/x@"])
def test_what_is_no_name_folder_or_hub_id_is_a_clear_error(text):
    with pytest.raises(
        ModelNotFound, match=r"neither a known name .*minilm.* nor an existing folder"
    ) as err:
        resolve(text)
    assert "\n" not in str(err.value) and f"'{text}'" in str(err.value)


def test_minilm_loads_offline_and_embeds():
    model = load_sentence_transformer("minilm")
    emb = model.encode(["a cat sits", "a dog runs"], convert_to_tensor=True)
    assert tuple(emb.shape) == (2, 384)


def test_a_broken_json_file_of_a_model_folder_is_named_with_its_line(tmp_path):
    import shutil

    import pytest

    from rl_shared.errors import MalformedFile
    from rl_shared.models import load_sentence_transformer, resolve

    folder = tmp_path / "minilm"
    shutil.copytree(resolve("minilm"), folder)
    pooling = next(folder.glob("*Pooling*/config.json"))
    pooling.write_bytes(b'{\n  "word_embedding_dimension": 384,\n  "pooling_mode\xff": true\n}')
    with pytest.raises(MalformedFile) as err:
        load_sentence_transformer(folder)
    assert err.value.path == pooling and err.value.line == 3


def test_the_readme_lists_every_known_model():
    from pathlib import Path

    from rl_shared.models import KNOWN_MODELS

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip(" `"): line
        for line in readme.splitlines()
        if line.startswith("| `")
    }
    for name, known in KNOWN_MODELS.items():
        assert name in rows and f"`{known.hub_id}`" in rows[name], name
