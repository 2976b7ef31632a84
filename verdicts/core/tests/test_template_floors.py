"""Templates keep the floor plan: a template includes partials of its own app or of a floor below.

The floors come from the import contract in pyproject.toml: code and templates share one plan.
"""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "verdicts"
INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")


def floors() -> dict[str, int]:
    """App name -> floor number (0 is the ground), from the layers contract."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    layers = list(reversed(contract["layers"]))
    return {
        name.strip().removeprefix("verdicts."): floor
        for floor, layer in enumerate(layers)
        for name in layer.split("|")
    }


def templates_by_app() -> dict[str, list[Path]]:
    return {
        app_dir.parent.name: sorted(app_dir.rglob("*.html")) + sorted(app_dir.rglob("*.txt"))
        for app_dir in PACKAGE.glob("*/templates")
    }


def include_violations(plan: dict[str, int], found: dict[str, list[tuple[str, str]]]) -> list:
    """(app, template, included) for every include that reaches a sibling or a higher floor."""
    return [
        (app, template, included)
        for app, includes in found.items()
        for template, included in includes
        if (owner := included.split("/", 1)[0] if "/" in included else app) != app
        and plan.get(owner, 99) >= plan[app]
    ]


def includes_found() -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for app, templates in templates_by_app().items():
        for path in templates:
            for included in INCLUDE.findall(path.read_text(encoding="utf-8")):
                found.setdefault(app, []).append((path.name, included))
    return found


def test_every_app_with_templates_is_on_a_floor():
    assert sorted(set(templates_by_app()) - set(floors())) == []


def test_templates_include_only_their_own_app_or_a_floor_below():
    assert include_violations(floors(), includes_found()) == []


def test_the_check_sees_an_upward_and_a_sideways_include():
    plan = {"common": 0, "catalog": 1, "panel": 2, "votes": 2, "pages": 4}
    found = {
        "catalog": [("a.html", "pages/_side.html"), ("b.html", "common/_pager.html")],
        "panel": [("c.html", "votes/_pick.html"), ("d.html", "panel/_own.html")],
    }
    assert include_violations(plan, found) == [
        ("catalog", "a.html", "pages/_side.html"),
        ("panel", "c.html", "votes/_pick.html"),
    ]
