"""Quality gates that run with the suite: ruff is clean on the whole repository (the package, its
tests and bench/) and mypy on the installed package (configured in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MYPY_TREE = REPO / "build" / "mypy"  # pyproject.toml's [tool.mypy] mypy_path

pytestmark = pytest.mark.slow


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True, timeout=900)


def test_ruff_is_clean() -> None:
    done = _run("ruff", "check")
    assert done.returncode == 0, done.stdout + done.stderr


def lay_out_installed_package(root: Path) -> None:
    """The package as pip installs it, made of symlinks to the repository's folders (from
    setuptools' package-dir: isnad.bot -> bot/, ...), so mypy sees the real module names."""
    mapping = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-dir"]
    shutil.rmtree(root, ignore_errors=True)
    for name, folder in sorted(mapping.items()):  # a package before the packages mapped inside it
        target = root.joinpath(*name.split("."))
        if any(other.startswith(f"{name}.") for other in mapping):
            target.mkdir(parents=True)
            for module in (REPO / folder).glob("*.py"):
                (target / module.name).symlink_to(module)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(REPO / folder, target_is_directory=True)


def _in_repository(line: str) -> str:
    """An error line with its path as the repository's file (bot/fronts/cli.py, not the link)."""
    path, sep, rest = line.partition(":")
    if sep and path.endswith(".py") and (REPO / path).exists():
        return f"{(REPO / path).resolve().relative_to(REPO)}:{rest}"
    return line


def test_mypy_is_clean() -> None:
    lay_out_installed_package(MYPY_TREE)
    done = _run("mypy")
    report = "\n".join(_in_repository(line) for line in (done.stdout + done.stderr).splitlines())
    assert done.returncode == 0, report
