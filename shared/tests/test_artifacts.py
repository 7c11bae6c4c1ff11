import json
import os
import threading

import pytest
import torch
from safetensors.torch import load_file

from rl_shared.artifacts import load_model, save_model
from rl_shared.errors import BadInput, ModelNotFound
from rl_shared.io import replace_dir


def test_round_trip_and_model_card(tmp_path):
    net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    folder = save_model(
        tmp_path / "model",
        kind="toy.mlp",
        config={"sizes": [4, 3, 1]},
        tensors=net,
        citation="@article{toy, title={Toy}}",
        summary="A toy MLP.",
        write=lambda tmp: (tmp / "vocab.txt").write_text("a\nb\n"),
    )
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md",
        "config.json",
        "model.safetensors",
        "vocab.txt",
    ]
    assert json.loads((folder / "config.json").read_text())["kind"] == "toy.mlp"
    card = (folder / "README.md").read_text()
    assert "A toy MLP." in card and "@article{toy" in card
    assert set(load_file(str(folder / "model.safetensors"))) == set(net.state_dict())
    art = load_model(folder, kind="toy.mlp")
    again = art.load_into(
        torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    )
    x = torch.randn(5, 4)
    assert torch.equal(again(x), net(x)) and art.config == {"sizes": [4, 3, 1]}


def test_tied_weights_are_saved(tmp_path):
    a = torch.nn.Linear(2, 2)
    tensors = {"a": a.weight, "b": a.weight}
    art = load_model(save_model(tmp_path / "m", kind="tied", config={}, tensors=tensors))
    assert torch.equal(art.tensors["a"], art.tensors["b"])


def test_errors(tmp_path):
    with pytest.raises(ModelNotFound, match=r"no config\.json"):
        load_model(tmp_path / "nothing")
    folder = save_model(tmp_path / "m", kind="a", config={}, tensors={"w": torch.ones(1)})
    with pytest.raises(BadInput, match="holds a 'a' model, not a 'b' model"):
        load_model(folder, kind="b")
    with pytest.raises(BadInput, match="do not fit"):
        load_model(folder).load_into(torch.nn.Linear(2, 2))
    (folder / "model.safetensors").write_bytes(b"garbage")
    with pytest.raises(BadInput, match="not a readable safetensors"):
        load_model(folder)
    with pytest.raises(BadInput, match="JSON"):
        save_model(tmp_path / "x", kind="a", config={"f": object()})
    assert not (tmp_path / "x").exists()


def test_a_failed_save_keeps_the_old_model(tmp_path):
    folder = save_model(tmp_path / "m", kind="a", config={"v": 1}, tensors={"w": torch.ones(1)})

    def boom(tmp):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        save_model(folder, kind="a", config={"v": 2}, tensors={"w": torch.zeros(1)}, write=boom)
    assert load_model(folder).config == {"v": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["m"]


def test_replacing_a_model_never_leaves_no_model(tmp_path):
    """A reader polling during 30 replacements always finds a complete folder."""
    folder = save_model(tmp_path / "m", kind="a", config={"v": 0}, tensors={"w": torch.ones(8)})
    stop, missing = threading.Event(), []

    def reader():
        while not stop.is_set():
            if not (folder / "config.json").is_file():
                missing.append(1)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for v in range(1, 31):
            save_model(folder, kind="a", config={"v": v}, tensors={"w": torch.ones(8) * v})
    finally:
        stop.set()
        thread.join()
    assert load_model(folder).config == {"v": 30}
    assert missing == []
    assert [p.name for p in tmp_path.iterdir()] == ["m"]


def test_replace_dir_onto_a_file_is_refused(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (tmp_path / "dst").write_text("x")
    with pytest.raises(FileExistsError):
        replace_dir(src, tmp_path / "dst")
    assert src.is_dir() and os.path.isfile(tmp_path / "dst")


def test_a_folder_in_place_of_config_json_is_named_as_such(tmp_path):
    import pytest

    from rl_shared.artifacts import load_model
    from rl_shared.errors import MalformedFile

    (tmp_path / "model" / "config.json").mkdir(parents=True)
    with pytest.raises(MalformedFile, match="is a folder"):
        load_model(tmp_path / "model")
