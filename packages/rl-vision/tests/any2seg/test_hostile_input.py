"""Hostile input to `rl vision any2seg`: refused with one `error:` line, exit 2, nothing written."""

import json

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import load_file, save_file

from rl_shared.cli.main import main
from rl_shared.errors import BadInput, MalformedFile, ModelNotFound, UnknownName
from rl_shared.formats import get_format
from rl_shared.testing import refused
from rl_vision.any2seg import formats as _formats  # noqa: F401  (registers the samples)
from rl_vision.any2seg.config import TrainConfig
from rl_vision.any2seg.data import open_dataset
from rl_vision.any2seg.deliver import DeliverDataset
from rl_vision.any2seg.files import read_array, read_image
from rl_vision.any2seg.mcubes import MCubeSDataset, read_listing
from rl_vision.any2seg.model_folder import load_model
from rl_vision.any2seg.train import train
from rl_vision.core.encoders import check_encoder


def _refused(capsys, argv: list[str]) -> str:
    return refused(capsys, argv)


@pytest.fixture
def model(tmp_path):
    folder = tmp_path / "model-sample"
    folder.mkdir()
    return get_format("any2seg-model").write_sample(folder)


@pytest.fixture
def mcubes_sample(tmp_path):
    folder = tmp_path / "mcubes-sample"
    folder.mkdir()
    return get_format("any2seg-mcubes-test").write_sample(folder)


# ----------------------------------------------------------------- corrupt frames


def _png_bytes(tmp_path):
    path = tmp_path / "good.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (16, 16, 3), np.uint8)).save(path)
    return path.read_bytes()


@pytest.mark.parametrize(
    "make",
    [
        lambda png: png[: len(png) // 2],  # truncated
        lambda png: png[:40],  # header only
        lambda png: b"not an image at all\n",
        lambda png: b"",
    ],
    ids=["truncated", "header-only", "text", "empty"],
)
def test_corrupt_image_is_malformed_naming_the_file(tmp_path, make):
    path = tmp_path / "frame.png"
    path.write_bytes(make(_png_bytes(tmp_path)))
    with pytest.raises(MalformedFile, match="not a readable image") as err:
        read_image(path)
    assert err.value.path == path and "frame.png" in str(err.value)


def test_image_that_is_a_folder_or_missing_is_malformed(tmp_path):
    (tmp_path / "dir.png").mkdir()
    with pytest.raises(MalformedFile, match="is a folder"):
        read_image(tmp_path / "dir.png")
    with pytest.raises(MalformedFile, match="missing"):
        read_image(tmp_path / "none.png")


@pytest.mark.parametrize(
    "write, problem",
    [
        (lambda p: np.save(p, np.full((3, 4), np.nan, np.float32)), "NaN or infinite"),
        (lambda p: np.save(p, np.array(["a", "b"])), "not a 2-D or 3-D array of numbers"),
        (lambda p: np.save(p, np.zeros(5)), "not a 2-D or 3-D array of numbers"),
        (lambda p: p.write_bytes(b""), "not a readable .npy"),
    ],
    ids=["nan", "strings", "1-d", "empty"],
)
def test_bad_npy_frame_is_malformed(tmp_path, write, problem):
    path = tmp_path / "dolp.npy"
    write(path)
    with pytest.raises(MalformedFile, match=problem) as err:
        read_array(path)
    assert err.value.path == path


def test_truncated_npy_frame_is_malformed(tmp_path):
    path = tmp_path / "dolp.npy"
    np.save(path, np.ones((8, 8), np.float32))
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(MalformedFile, match=r"dolp.npy: not a readable .npy"):
        read_array(path)


@pytest.mark.parametrize("workers", ["0", "1"])
def test_corrupt_label_of_a_deliver_frame_is_refused_on_the_command_line(
    make_deliver, tmp_path, capsys, workers
):
    from rl_vision.any2seg.config import build_model
    from rl_vision.any2seg.deliver import DELIVER_CLASSES
    from rl_vision.any2seg.model_folder import save_model

    cfg = TrainConfig(kind="early", dataset="deliver", modalities=("rgb",), channels={"rgb": 3},
                      classes=DELIVER_CLASSES, train_conditions=(), num_scenes=2, batch_size=1,
                      size=32, depth=3, encoder="tu-mobilenetv3_small_050")  # fmt: skip
    model = save_model(build_model(cfg), cfg, tmp_path / "model")
    root = make_deliver(("test",))
    labels = sorted((root / "semantic").rglob("*_semantic_front.png"))
    for label in labels:
        label.write_bytes(label.read_bytes()[:30])
    argv = ["vision", "any2seg", "evaluate", "--model", str(model), "--data", str(root)]
    line = _refused(capsys, [*argv, "--workers", workers])  # a worker's error comes back clean
    assert "_semantic_front.png: not a readable image" in line


# ----------------------------------------------------------------- MCubeS listings, DELIVER trees


def test_mcubes_listing_not_utf8_names_the_line(mcubes_sample):
    listing = mcubes_sample / "list_folder" / "test.txt"
    listing.write_bytes(b"testscene_0001\n\xfftestscene_0002\n")
    with pytest.raises(MalformedFile, match="not UTF-8") as err:
        MCubeSDataset(mcubes_sample, "test")
    assert err.value.path == listing and err.value.line == 2


def test_mcubes_listing_naming_a_frame_without_files_names_the_line(mcubes_sample):
    listing = mcubes_sample / "list_folder" / "test.txt"
    listing.write_text("testscene_0001\n\ntestscene_0009\n")
    with pytest.raises(
        MalformedFile, match=r"'testscene_0009' has no GT/testscene_0009.png"
    ) as err:
        MCubeSDataset(mcubes_sample, "test")
    assert err.value.line == 3


def test_mcubes_frame_missing_one_modality_is_refused_before_reading(mcubes_sample):
    (mcubes_sample / "polL_dolp" / "testscene_0002.npy").unlink()
    assert len(MCubeSDataset(mcubes_sample, "test", ["rgb", "nir"])) == 2
    with pytest.raises(MalformedFile, match=r"polL_dolp/testscene_0002.npy"):
        MCubeSDataset(mcubes_sample, "test", ["rgb", "dolp"])


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b", "."])
def test_mcubes_listing_with_a_path_for_a_name_is_refused(tmp_path, name):
    listing = tmp_path / "test.txt"
    listing.write_text(f"f0\n{name}\n")
    with pytest.raises(MalformedFile, match="is not a frame name") as err:
        read_listing(listing)
    assert err.value.line == 2


@pytest.mark.parametrize("content", [b"", b"\n  \n"], ids=["empty", "blank"])
def test_empty_mcubes_listing_is_refused(tmp_path, content):
    listing = tmp_path / "test.txt"
    listing.write_bytes(content)
    with pytest.raises(MalformedFile, match="empty"):
        read_listing(listing)


def test_mcubes_listing_that_is_a_folder_is_refused_on_the_command_line(
    mcubes_sample, tmp_path, capsys
):
    listing = mcubes_sample / "list_folder" / "train.txt"
    listing.unlink()
    listing.mkdir()
    out = tmp_path / "out"
    line = _refused(capsys, ["vision", "any2seg", "train", "--out", str(out), "--data", str(mcubes_sample)])  # fmt: skip
    assert "train.txt: is a folder" in line and not out.exists()


def test_deliver_frame_without_its_label_is_refused_when_opened(make_deliver):
    root = make_deliver(("test",))
    label = next((root / "semantic").rglob("*_semantic_front.png"))
    label.unlink()
    with pytest.raises(MalformedFile, match=r"missing \(the label of") as err:
        DeliverDataset(root, "test", ("rgb",))
    assert err.value.path == label


# ----------------------------------------------------------------- unknown names


def test_unknown_encoder_lists_the_valid_names_before_work(tmp_path, capsys):
    out = tmp_path / "out"
    line = _refused(capsys, ["vision", "any2seg", "train", "--out", str(out), "--encoder", "resnet19"])  # fmt: skip
    assert "unknown smp encoder 'resnet19'; valid smp encoders:" in line
    assert "resnet18" in line and "tu-<timm model>" in line and not out.exists()


def test_unknown_timm_encoder_names_close_models():
    with pytest.raises(UnknownName, match=r"close names: .*tu-mobilenetv3_small_050"):
        check_encoder("tu-mobilenetv3_small_05")
    assert check_encoder("resnet18") == "resnet18"


def test_unknown_modality_lists_the_valid_names(model, capsys):
    line = _refused(capsys, ["vision", "any2seg", "evaluate", "--model", str(model), "--modalities", "rgb,thermal"])  # fmt: skip
    assert "unknown modality name 'thermal'; valid modality names: depth, event, lidar, rgb" in line


@pytest.mark.parametrize("command", ["scenes", "evaluate"])
def test_unknown_condition_lists_the_valid_names(model, tmp_path, capsys, command):
    out = tmp_path / "out"
    argv = ["vision", "any2seg", command, "--condition", "snow"]
    argv += ["--out", str(out)] if command == "scenes" else ["--model", str(model)]
    line = _refused(capsys, argv)
    assert "unknown condition 'snow'; valid conditions: clean," in line and not out.exists()


def test_unknown_deliver_condition_and_modality_are_unknown_names(make_deliver):
    root = make_deliver(("test",))
    with pytest.raises(UnknownName, match="valid DELIVER conditions: cloud, fog, night"):
        open_dataset("deliver", root, "test", ["rgb"], "snow")
    with pytest.raises(UnknownName, match="valid MCubeS modality names: aolp, dolp, nir, rgb"):
        open_dataset("mcubes", root, "test", ["depth"])


def test_mcubes_data_is_checked_before_the_model_kind(model, mcubes_sample, capsys):
    (mcubes_sample / "list_folder" / "test.txt").write_bytes(b"")
    line = _refused(capsys, ["vision", "any2seg", "evaluate", "--model", str(model), "--data", str(mcubes_sample)])  # fmt: skip
    assert "test.txt: the file is empty" in line


def test_intact_mcubes_data_for_a_generated_model_is_a_kind_mismatch(model, mcubes_sample, capsys):
    line = _refused(capsys, ["vision", "any2seg", "evaluate", "--model", str(model), "--data", str(mcubes_sample)])  # fmt: skip
    assert "trained on generated data, not on mcubes" in line


# ----------------------------------------------------------------- model folders


def _edit_config(model, edit):
    path = model / "config.json"
    payload = json.loads(path.read_text())
    edit(payload["config"])
    path.write_text(json.dumps(payload))


@pytest.mark.parametrize(
    "edit, problem",
    [
        (lambda c: c.update(encoder="resnet19"), "unknown smp encoder 'resnet19'"),
        (lambda c: c.update(kind="gan"), "unknown model kind 'gan'"),
        (lambda c: c.update(channels="rgb"), "not an Any2Seg configuration"),
        (lambda c: c.update(unknown_key=1), "unexpected keyword argument"),
        (lambda c: c.update(dataset="kitti"), "unknown dataset 'kitti'"),
    ],
    ids=["encoder", "kind", "channels", "key", "dataset"],
)
def test_model_config_that_is_not_any2seg_is_malformed(model, edit, problem):
    _edit_config(model, edit)
    with pytest.raises(MalformedFile, match=problem) as err:
        load_model(model)
    assert err.value.path == model / "config.json"


def test_model_with_nan_or_missing_weights_is_malformed(model):
    tensors = load_file(str(model / "model.safetensors"))
    key = next(k for k, v in tensors.items() if v.is_floating_point())
    tensors[key] = torch.full_like(tensors[key], float("inf"))
    save_file(tensors, str(model / "model.safetensors"))
    with pytest.raises(MalformedFile, match="NaN or infinite weights"):
        load_model(model)
    (model / "model.safetensors").unlink()
    with pytest.raises(MalformedFile, match=r"model.safetensors: missing"):
        load_model(model)


def test_model_config_that_is_a_folder_is_malformed(model, tmp_path):
    (model / "config.json").unlink()
    (model / "config.json").mkdir()
    with pytest.raises(MalformedFile, match=r"config.json: is a folder"):
        load_model(model.parent)  # the run folder above it
    with pytest.raises(ModelNotFound, match="holds no trained model"):
        load_model(tmp_path / "nowhere")


def test_corrupt_checkpoint_state_is_refused_naming_the_file(tmp_path):
    step = tmp_path / "run" / "checkpoints" / "step-000001"
    step.mkdir(parents=True)
    (step / "state.json").write_bytes(b'{"step": 1,\n\xff}')
    cfg = TrainConfig(kind="early", steps=2, batch_size=1, num_scenes=2, size=32, depth=3,
                      encoder="tu-mobilenetv3_small_050")  # fmt: skip
    with pytest.raises(MalformedFile, match=r"state.json:2:"):
        train(cfg, tmp_path / "run", resume=True)


def test_real_split_smaller_than_the_batch_is_refused(mcubes_sample, tmp_path):
    from rl_vision.any2seg.runs import train_run

    with pytest.raises(BadInput, match="2 frames, fewer than the batch size 8"):
        train_run(tmp_path / "out", data=str(mcubes_sample), batch_size=8)
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------- strict JSON


@pytest.mark.parametrize("as_json", [True, False])
def test_undefined_class_iou_is_null_in_json_and_a_dash_in_text(monkeypatch, capsys, as_json):
    import rl_vision.any2seg.runs as runs

    def fake_run(model, **kwargs):
        iou = {"road": 0.5, "sky": float("nan")}
        return {"data": "generated", "condition": "clean", "modalities": ["rgb"],
                "miou": 0.5, "per_class_iou": iou}  # fmt: skip

    monkeypatch.setattr(runs, "evaluate_run", fake_run)
    argv = ["vision", "any2seg", "evaluate", "--model", "m", *(["--json"] if as_json else [])]
    assert main(argv) == 0
    captured = capsys.readouterr()
    if as_json:
        assert json.loads(captured.out)["per_class_iou"] == {"road": 0.5, "sky": None}
        assert "warning:" not in captured.err  # an absent class is expected, not a fault
    else:
        assert "sky          -" in captured.out and "road         0.5000" in captured.out


class _BrokenFrames(torch.utils.data.Dataset):
    """Two frames; the second one's file is corrupt."""

    def __len__(self):
        return 2

    def __getitem__(self, index):
        if index == 1:
            raise MalformedFile("broken_rgb_front.png", None, "not a readable image")
        return {"rgb": torch.zeros(3, 8, 8)}, torch.zeros(8, 8, dtype=torch.long)


@pytest.mark.parametrize("workers", [0, 1])
def test_corrupt_training_frame_read_by_a_worker_is_a_clean_malformed_file(workers):
    from rl_vision.any2seg.sources import DatasetSource

    source = DatasetSource(_BrokenFrames(), size=8, num_workers=workers)
    with pytest.raises(MalformedFile, match=r"broken_rgb_front\.png: not a readable image"):
        list(source.batches(range(2), batch_size=2, seed=0))
