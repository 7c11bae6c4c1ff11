"""Each member builds as the release builds it (`uv build --no-sources`) into a complete wheel:
module, types marker, entry points, and the metadata an index page shows (licence file,
project URLs, classifiers, keywords, author, a summary)."""

import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MEMBERS = {
    tomllib.loads((folder / "pyproject.toml").read_text())["project"]["name"]: folder
    for folder in [ROOT / "shared", *sorted((ROOT / "packages").glob("*"))]
    if (folder / "pyproject.toml").is_file()
}


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not on PATH")
@pytest.mark.parametrize("name", sorted(MEMBERS))
def test_wheel_has_package_types_and_entry_points(name, tmp_path):
    subprocess.run(
        ["uv", "build", "--package", name, "--no-sources", "--wheel", "--out-dir", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    module = name.replace("-", "_")
    project = tomllib.loads((MEMBERS[name] / "pyproject.toml").read_text())["project"]
    with zipfile.ZipFile(wheel) as zf:
        files = set(zf.namelist())
        assert f"{module}/__init__.py" in files and f"{module}/py.typed" in files
        assert not any("/tests/" in f for f in files)
        (metadata,) = [f for f in files if f.endswith(".dist-info/METADATA")]
        meta = zf.read(metadata).decode()
        assert f"Version: {project['version']}" in meta
        assert "License-Expression: Apache-2.0" in meta
        assert any(f.endswith(".dist-info/licenses/LICENSE") for f in files), "no LICENSE"
        for field in ("Project-URL: Homepage", "Project-URL: Source", "Classifier: ", "Keywords: "):
            assert field in meta, f"{name}: no {field!r} in METADATA"
        assert "Author: The rl authors" in meta or "Author-email" in meta, "no author"
        summary = next(line for line in meta.splitlines() if line.startswith("Summary: "))
        assert len(summary) > 40, summary
        groups = project.get("entry-points", {})
        if groups or project.get("scripts"):
            (eps,) = [f for f in files if f.endswith(".dist-info/entry_points.txt")]
            text = zf.read(eps).decode()
            for group in groups:
                assert f"[{group}]" in text
