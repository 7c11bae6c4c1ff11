"""rl-shared's README quickstart runs on rl-shared's own dependencies and prints what it says."""

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_quickstart_prints_what_the_readme_says():
    text = README.read_text(encoding="utf-8")
    quick = text[text.index("## Quickstart") :]
    code = re.search(r"```python\n(.*?)```", quick, re.S).group(1)
    expected = re.search(r"prints\n\n```\n(.*?)```", quick, re.S).group(1)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout == expected
