"""Templates keep the floor plan: a template includes or extends its own app's or a lower floor's.

The floors come from the import contract in pyproject.toml: code and templates share one plan.
"""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "verdicts"
# An include, or an extends: a template builds only on its own app's or a lower floor's.
INCLUDE = re.compile(r"""{%\s*(?:include|extends)\s+["']([^"']+)["']""")


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


def root_templates() -> dict[str, str]:
    """Templates that sit at the top of an app's templates folder (base.html, 404.html) -> app."""
    return {path.name: path.parent.parent.name for path in PACKAGE.glob("*/templates/*.html")}


def template_owner(used: str, plan: dict[str, int], roots: dict[str, str]) -> str:
    """The app a template belongs to; Django's admin templates belong to the framework below
    every floor, and an app's admin overrides (`admin/<app>/...`) to that app."""
    if "/" not in used:
        return roots.get(used, "?")
    first, rest = used.split("/", 1)
    if first == "admin":
        app = rest.split("/", 1)[0]
        return app if app in plan and "/" in rest else "django.contrib.admin"
    return first


def include_violations(
    plan: dict[str, int], found: dict[str, list[tuple[str, str]]], roots: dict[str, str]
) -> list:
    """(app, template, used) for each include or extends reaching a sibling or a higher floor."""
    plan = plan | {"django.contrib.admin": -1}
    return [
        (app, template, used)
        for app, uses in found.items()
        for template, used in uses
        if (owner := template_owner(used, plan, roots)) != app and plan.get(owner, 99) >= plan[app]
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
    assert include_violations(floors(), includes_found(), root_templates()) == []


def test_the_check_sees_upward_and_sideways_includes_and_extends():
    plan = {"common": 0, "catalog": 1, "panel": 2, "votes": 2, "pages": 4}
    found = {
        "catalog": [("a.html", "pages/_side.html"), ("b.html", "common/_pager.html")],
        "panel": [("c.html", "votes/_pick.html"), ("d.html", "panel/_own.html")],
        "votes": [("e.html", "base.html"), ("f.html", "layout.html")],
        "ingest": [("g.html", "admin/change_list.html"), ("h.html", "admin/pages/tool/x.html")],
    }
    roots = {"base.html": "common", "layout.html": "pages"}
    assert include_violations(plan | {"ingest": 3}, found, roots) == [
        ("catalog", "a.html", "pages/_side.html"),
        ("panel", "c.html", "votes/_pick.html"),
        ("votes", "f.html", "layout.html"),
        ("ingest", "h.html", "admin/pages/tool/x.html"),
    ]
