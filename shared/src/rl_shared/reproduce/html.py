"""``OUT/index.html``: one self-contained page of every reproduction in a report folder.

The page is what a person opens after ``rl reproduce``: an overview table (status, the
``--check`` badge, outcome, seconds), then one section per reproduction rendered from its
``report.md`` (ours beside the anchors with their sources, the seeds, the size, the wall
time, the details and the command that re-runs it), with its PNG plots inlined as data URIs.
Nothing is fetched: the style sheet is inline and there is no script, so the page opens the
same from a laptop, a CI artefact or a mail attachment.

``OUT/<name>/check.json`` (written by ``rl reproduce --check``) gives the badge: ``pass``,
``drift`` (with the metrics that drifted) or, without it, ``unchecked``.

Example:
    >>> import json, pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> (out / "toy.demo").mkdir()
    >>> _ = (out / "toy.demo" / "result.json").write_text(json.dumps(
    ...     {"name": "toy.demo", "size": "smoke", "summary": "fine", "seconds": 1.0}))
    >>> _ = (out / "toy.demo" / "report.md").write_text("# toy.demo\\n\\n| a | b |\\n|---|---|\\n| 1 | 2 |\\n")
    >>> page = write_html(out).read_text()
    >>> "<table>" in page and "toy.demo" in page and "unchecked" in page
    True
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path
from typing import Any

from rl_shared.io import atomic_write_json, atomic_write_text

__all__ = ["render_html", "write_check", "write_html"]

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em;
       color: #1b1f24; }
h1 { font-size: 1.6em; } h2 { border-top: 1px solid #d0d7de; padding-top: 1em; }
table { border-collapse: collapse; margin: 0.8em 0; }
th, td { border: 1px solid #d0d7de; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
img { max-width: 100%; border: 1px solid #eaeef2; margin: 0.4em 0; }
code { background: #f6f8fa; padding: 0.1em 0.3em; border-radius: 3px; }
.badge { display: inline-block; padding: 0.05em 0.6em; border-radius: 1em; font-size: 0.85em;
         color: #fff; }
.pass { background: #1a7f37; } .drift { background: #cf222e; } .unchecked { background: #6e7781; }
.failed { background: #cf222e; } .skipped { background: #9a6700; } .ok { background: #1a7f37; }
.drifts { color: #cf222e; }
"""


def write_check(folder: Path, drifts: list[str]) -> None:
    """Record a ``--check`` of the run in ``folder``: ``check.json`` with its drifted metrics.

    Args:
        folder: ``OUT/<name>``.
        drifts: one line per drifted metric (empty: the run matched ``expected.json``).

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> write_check(folder, [])
        >>> json.loads((folder / "check.json").read_text())
        {'status': 'pass', 'drifts': []}
    """
    atomic_write_json(
        folder / "check.json", {"status": "drift" if drifts else "pass", "drifts": drifts}
    )


def _markdown(text: str, folder: Path) -> str:
    """``report.md`` as HTML, its images inlined (a missing one becomes its name)."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)

    def inline(match: re.Match[str]) -> str:
        name = html.unescape(match.group(1))
        path = folder / name
        if "/" in name or not path.is_file():
            return f"<em>(missing plot {html.escape(name)})</em>"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'<img src="data:image/png;base64,{data}" alt="{html.escape(name)}"'

    return re.sub(r'<img src="([^"]+)" alt="[^"]*"', inline, body)


def _badge(kind: str, text: str | None = None) -> str:
    return f'<span class="badge {kind}">{html.escape(text or kind)}</span>'


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def render_html(out: Path, outcomes: dict[str, tuple[str, str]] | None = None) -> str:
    """The page for report folder ``out``.

    Args:
        out: a folder ``rl reproduce`` wrote (``<name>/result.json``, ``report.md``, plots).
        outcomes: this run's reproductions that did not finish, name -> (status, message).

    Example:
        >>> import pathlib, tempfile
        >>> page = render_html(pathlib.Path(tempfile.mkdtemp()), {"toy.x": ("skipped", "no data")})
        >>> "skipped" in page and "no data" in page
        True
    """
    rows, sections = [], []
    names = sorted({p.parent.name for p in out.glob("*/result.json")} | set(outcomes or {}))
    for name in names:
        folder = out / name
        status, message = (outcomes or {}).get(name, ("ok", ""))
        result = _read(folder / "result.json") if status == "ok" else {}
        check = _read(folder / "check.json") if status == "ok" else {}
        badge = _badge(check.get("status", "unchecked")) if status == "ok" else ""
        anchor = html.escape(name)
        outcome = html.escape(result.get("summary", "") or message)
        seconds = f"{float(result['seconds']):.1f}" if "seconds" in result else ""
        size = html.escape(str(result.get("size", "")))
        rows.append(
            f'<tr><td><a href="#{anchor}">{anchor}</a></td><td>{_badge(status)} {size}</td>'
            f"<td>{badge}</td><td>{outcome}</td><td>{seconds}</td></tr>"
        )
        if status != "ok":
            continue
        drifts = "".join(f"<li>{html.escape(d)}</li>" for d in check.get("drifts", []))
        report = folder / "report.md"
        body = _markdown(report.read_text(encoding="utf-8"), folder) if report.is_file() else ""
        body = re.sub(r"^<h1>.*?</h1>", "", body, count=1)
        sections.append(
            f'<section id="{anchor}"><h2>{anchor} {badge}</h2>'
            + (f'<ul class="drifts">{drifts}</ul>' if drifts else "")
            + body
            + "</section>"
        )
    overview = (
        "<table><thead><tr><th>reproduction</th><th>status</th><th>check</th>"
        "<th>outcome</th><th>seconds</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Reproductions</title><style>{_STYLE}</style></head><body>"
        f"<h1>Reproductions</h1>{overview}{''.join(sections)}</body></html>\n"
    )


def write_html(out: Path, outcomes: dict[str, tuple[str, str]] | None = None) -> Path:
    """Write :func:`render_html` to ``out/index.html`` atomically and return its path.

    Args:
        out: the report folder.
        outcomes: as :func:`render_html`.
    """
    path = out / "index.html"
    atomic_write_text(path, render_html(out, outcomes))
    return path
