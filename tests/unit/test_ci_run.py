"""`.ci/run` on a fresh Debian machine: it installs what is missing, through sudo when not root."""

import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _fake(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def _run_ci(tmp_path: Path, uid: str, with_sudo: bool = True) -> tuple[subprocess.CompletedProcess, str]:
    """Run .ci/run with only fake system commands on PATH: no python3, a recording apt-get whose
    install fails (so the run stops before the test suite)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    for tool in ("dirname", "env"):
        (bin_dir / tool).symlink_to(f"/usr/bin/{tool}")
    _fake(bin_dir, "id", f"echo {uid}")
    _fake(bin_dir, "apt-get", f'echo "apt-get $*" >> {log}; [ "$1" = update ]')
    if with_sudo:
        _fake(bin_dir, "sudo", f'echo "sudo" >> {log}; exec "$@"')
    result = subprocess.run(
        ["/bin/bash", str(ROOT / ".ci" / "run")],
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
        capture_output=True,
        check=False,
        text=True,
        timeout=30,
    )
    return result, log.read_text() if log.exists() else ""


def test_ci_installs_python_and_venv_through_sudo_when_not_root(tmp_path):
    result, calls = _run_ci(tmp_path, uid="1000")
    assert result.returncode != 0  # the fake install fails, so the suite never starts
    assert "sudo" in calls.splitlines()
    install = next(line for line in calls.splitlines() if line.startswith("apt-get install"))
    assert "python3" in install.split() and "python3-venv" in install.split()


def test_ci_installs_without_sudo_as_root(tmp_path):
    _, calls = _run_ci(tmp_path, uid="0", with_sudo=False)
    assert "sudo" not in calls.splitlines()
    assert any(line.startswith("apt-get install") and "python3-venv" in line for line in calls.splitlines())


def test_ci_says_what_to_install_when_not_root_and_no_sudo(tmp_path):
    result, calls = _run_ci(tmp_path, uid="1000", with_sudo=False)
    assert result.returncode != 0
    assert calls == ""
    assert "apt-get install -y python3 python3-venv" in result.stderr
