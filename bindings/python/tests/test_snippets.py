"""The Python snippets of docs/python.md (examples/snippets/python/, checked
against the doc by tests/docs/check_snippets.py), run as programs in demo
mode, each in a fresh temporary folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SNIPPETS = Path(__file__).resolve().parents[3] / "examples" / "snippets" / "python"

# What each snippet prints when it did what its comments say.
EXPECTED = {
    "quickstart.py": ["completed "],
    "version.py": [" "],
    "log_records.py": ["logging: ok"],
    "storage.py": ["sqlite", "users: ok"],
    "client.py": ["wait_for: completed", "webhook: HTTP 200", "http://127.0.0.1:",
                  "This number is already in your list.", "client: ok"],
}


def test_every_snippet_is_run() -> None:
    assert {p.name for p in SNIPPETS.glob("*.py")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_snippet(tmp_path: Path, name: str) -> None:
    done = subprocess.run([sys.executable, str(SNIPPETS / name)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, f"{name} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    for text in EXPECTED[name]:
        assert text in done.stdout, f"{name} did not print {text!r}:\n{done.stdout}\n{done.stderr}"
