"""The layers hold (docs/architecture.md): each app imports only from the layers below it, as
import-linter's contracts in pyproject.toml say, and no app takes another's private names."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
APPS = ("accounts", "programme", "tasks", "indicators", "reports", "notifications", "operations")


def python_packages() -> list[str]:
    return sorted(
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"node_modules", "static", "templates"}
    )


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_the_code(tmp_path) -> Path:
    """The project's Python packages and its pyproject.toml, in a folder of their own."""
    for package in python_packages():
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "migrations"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_contracts_hold_and_an_upward_import_breaks_them(copy_of_the_code):
    kept = lint_imports(copy_of_the_code)
    assert kept.returncode == 0, kept.stdout + kept.stderr

    (copy_of_the_code / "programme" / "upward.py").write_text(
        "from tasks.models import Assignment\n", encoding="utf-8"
    )
    broken = lint_imports(copy_of_the_code)

    assert broken.returncode != 0
    assert "programme is not allowed to import tasks" in broken.stdout
    assert "programme.upward -> tasks.models" in broken.stdout


def private_imports_across_apps() -> list[str]:
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.ImportFrom) or not node.module or node.level:
                    continue
                source_app = node.module.split(".")[0]
                if source_app == app or source_app not in APPS:
                    continue
                private = [
                    alias.name
                    for alias in node.names
                    if alias.name.startswith("_")
                    or any(part.startswith("_") for part in node.module.split("."))
                ]
                if private:
                    where = path.relative_to(ROOT)
                    found.append(f"{where}:{node.lineno} {node.module} {private}")
    return found


def test_no_app_imports_another_apps_private_names():
    assert private_imports_across_apps() == []
