"""The runtime package ships no test helpers: nothing outside the test tree imports test tools."""

import ast
from pathlib import Path

import verdicts

TEST_ONLY_PACKAGES = {
    "aiosmtpd",
    "factory",
    "hypothesis",
    "playwright",
    "pytest",
    "pytest_django",
    "pytest_httpserver",
    "testkit",
}
PACKAGE_ROOT = Path(verdicts.__file__).resolve().parent


def runtime_modules() -> list[Path]:
    """Every module that ships in the `verdicts` package, tests and conftest files left out."""
    return [
        path
        for path in PACKAGE_ROOT.rglob("*.py")
        if "tests" not in path.relative_to(PACKAGE_ROOT).parts and path.name != "conftest.py"
    ]


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_runtime_module_imports_a_test_tool():
    offenders = {
        str(path.relative_to(PACKAGE_ROOT)): sorted(imported_roots(path) & TEST_ONLY_PACKAGES)
        for path in runtime_modules()
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_checker_sees_a_test_import(tmp_path):
    module = tmp_path / "helper.py"
    module.write_text("import os\nfrom pytest import fixture\n", encoding="utf-8")
    assert imported_roots(module) & TEST_ONLY_PACKAGES == {"pytest"}
