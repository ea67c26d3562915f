"""The programs in examples/python/, run as a user would (each in a fresh temporary folder)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "python"


def run(tmp_path: Path, script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), "--db", str(tmp_path / "calls.db"), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{script} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_every_example_is_tested() -> None:
    tested = {"demo_call.py", "webhook_host.py", "run_server.py", "call_logs.py"}
    assert {p.name for p in EXAMPLES.glob("*.py")} == tested


def test_demo_call(tmp_path: Path) -> None:
    out = run(tmp_path, "demo_call.py", "--speed", "50", "--talk", "1")
    lines: List[str] = out.splitlines()
    assert lines[0].startswith("callwire ") and "(demo mode)" in out
    assert [line.split()[1] for line in lines if line.startswith("  call.")][-1] == "completed"
    assert "ended: completed" in out and "calls logged: 1, completed: 1" in out


@pytest.mark.parametrize("to, status", [("+12125550000", "busy"), ("+12125550002", "failed")])
def test_demo_call_that_is_not_answered(tmp_path: Path, to: str, status: str) -> None:
    assert f"ended: {status}, 0 s" in run(tmp_path, "demo_call.py", "--speed", "50", "--to", to)


def test_webhook_host(tmp_path: Path) -> None:
    out = run(tmp_path, "webhook_host.py", "--self-test")
    assert "posted call.hangup: HTTP 200" in out and "completed, hung up by the callee" in out


def test_run_server(tmp_path: Path) -> None:
    out = run(tmp_path, "run_server.py", "--check")
    assert "/health: HTTP 200" in out and "ended: completed, 5 s" in out


def test_call_logs(tmp_path: Path) -> None:
    out = run(tmp_path, "call_logs.py", "--csv", str(tmp_path / "calls.csv"))
    assert "search 'grace': ['busy']" in out and "total 2, completed 1, failed 1" in out
    csv_text = (tmp_path / "calls.csv").read_text(encoding="utf-8")
    assert csv_text.startswith("call_id,") and csv_text.count("\n") == 3
