"""Every public component documents itself (DESIGN.md section 3), read from the source.

A function or class named in its module's ``__all__`` has a docstring with ``Args:`` for its
parameters (``Attributes:`` for a dataclass), ``Shapes:`` when its signature takes or returns a
tensor, and an example (``>>>``) in its own docstring or in its module's. Whatever a paper folder
exports (every member subpackage but ``core``; ``rl_shared.cmim`` and ``rl_shared.losses``) cites
its paper under ``References:``, in its own docstring or its module's. The examples themselves run in each member's ``--doctest-modules`` session;
here no module is imported, so the check takes a second.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _public(tree: ast.Module) -> set[str]:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            try:
                return set(ast.literal_eval(node.value))
            except ValueError:
                return set()
    return set()


def _parameters(node: ast.FunctionDef | ast.ClassDef) -> list[str]:
    if isinstance(node, ast.ClassDef):
        init = next(
            (n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"),
            None,
        )
        if init is None:
            return []
        node = init
    return [a.arg for a in node.args.args if a.arg not in ("self", "cls")]


def _takes_tensors(node: ast.FunctionDef | ast.ClassDef) -> bool:
    """Whether the signature (a class's ``__init__``, ``forward`` or ``__call__``) names Tensor."""
    if isinstance(node, ast.FunctionDef):
        functions = [node]
    else:
        functions = [
            n
            for n in node.body
            if isinstance(n, ast.FunctionDef) and n.name in ("__init__", "forward", "__call__")
        ]
    for function in functions:
        arguments = function.args.args + function.args.kwonlyargs
        annotations = [a.annotation for a in arguments if a.annotation is not None]
        if function.returns is not None:
            annotations.append(function.returns)
        if any(re.search(r"\bTensor\b", ast.unparse(a)) for a in annotations):
            return True
    return False


def _in_paper_folder(path: Path, base: Path) -> bool:
    parts = path.relative_to(base).parts  # ("rl_text", "cvib", "model.py")
    if len(parts) < 3 or parts[1] == "core":
        return False
    return parts[0] != "rl_shared" or parts[1] in ("cmim", "losses")


def _gaps() -> list[str]:
    gaps = []
    for base in [ROOT / "shared" / "src", *sorted((ROOT / "packages").glob("*/src"))]:
        for path in sorted(base.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            public = _public(tree)
            module_doc = ast.get_docstring(tree) or ""
            examples = "\n".join(
                line for line in module_doc.splitlines() if line.strip().startswith((">>>", "..."))
            )
            for node in tree.body:
                if not isinstance(node, ast.FunctionDef | ast.ClassDef) or node.name not in public:
                    continue
                if any(
                    getattr(d, "id", getattr(d, "attr", "")) == "overload"
                    for d in node.decorator_list
                ):
                    continue  # the stubs of an @overload; the implementation carries the docs
                doc = ast.get_docstring(node) or ""
                if isinstance(node, ast.ClassDef):
                    forward = next(
                        (
                            n
                            for n in node.body
                            if isinstance(n, ast.FunctionDef) and n.name == "forward"
                        ),
                        None,
                    )
                    doc_and_forward = doc + (ast.get_docstring(forward) or "" if forward else "")
                else:
                    doc_and_forward = doc
                where = f"{path.relative_to(ROOT)}::{node.name}"
                if not doc:
                    gaps.append(f"{where}: no docstring")
                    continue
                if _parameters(node) and "Args:" not in doc and "Attributes:" not in doc:
                    gaps.append(f"{where}: no Args")
                if ">>>" not in doc and node.name not in examples:
                    gaps.append(f"{where}: no Example")
                if _takes_tensors(node) and "Shapes:" not in doc_and_forward:
                    gaps.append(f"{where}: no Shapes")
                if (
                    _in_paper_folder(path, base)
                    and "References:" not in doc
                    and "References:" not in module_doc
                ):
                    gaps.append(f"{where}: no References")
    return gaps


def test_every_public_component_has_args_shapes_references_and_an_example():
    gaps = _gaps()
    assert not gaps, f"{len(gaps)} gaps:\n" + "\n".join(gaps)
