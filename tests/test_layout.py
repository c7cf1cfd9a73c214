"""The package layout (docs/architecture.md): one installed namespace, imports run one way.

retrieval -> bot/answer -> bot/fronts. Read from the source with `ast`, so a lazy import inside a
function counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
OLD_TOP_LEVEL = ("bot", "retrieval", "config")


def _imports(path: Path) -> set[str]:
    """Every module a file imports (absolute names; the project uses no relative imports)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.relative_to(REPO)}: relative import"
            names.add(node.module or "")
            names.update(f"{node.module}.{alias.name}" for alias in node.names)  # `from isnad.bot import fronts`
    return names


def _sources(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (REPO / folder).rglob("*.py"))


def _offending(files: list[Path], forbidden: str) -> list[str]:
    return [
        f"{path.relative_to(REPO)} imports {name}"
        for path in files
        for name in sorted(_imports(path))
        if name == forbidden or name.startswith(forbidden + ".")
    ]


def test_retrieval_imports_nothing_from_the_bot() -> None:
    assert _offending(_sources("retrieval"), "isnad.bot") == []


def test_the_answer_imports_nothing_from_the_fronts() -> None:
    assert _offending(_sources("bot/answer"), "isnad.bot.fronts") == []


@pytest.mark.parametrize("old", OLD_TOP_LEVEL)
def test_nothing_imports_the_old_top_level_names(old: str) -> None:
    files = _sources("isnad", "bot", "retrieval", "config", "tests", "bench")
    assert _offending(files, old) == []


def test_the_folders_are_installed_under_one_namespace() -> None:
    import isnad
    import isnad.bot.answer.answering
    import isnad.bot.fronts.cli
    import isnad.retrieval.search
    import isnad.settings

    assert Path(isnad.bot.answer.answering.__file__) == REPO / "bot" / "answer" / "answering.py"
    assert Path(isnad.bot.fronts.cli.__file__) == REPO / "bot" / "fronts" / "cli.py"
    assert Path(isnad.retrieval.search.__file__) == REPO / "retrieval" / "search.py"
    assert Path(isnad.settings.__file__) == REPO / "isnad" / "settings.py"
