"""Docs that tests keep honest: every command and every setting is documented."""

import re
from pathlib import Path

from django.core.management import get_commands

from verdicts.api.api import api

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs"
SETTINGS_SOURCES = [ROOT / "verdicts" / "settings.py", ROOT / "verdicts" / "env.py"]
ENV_READ = re.compile(r"""env_(?:str|bool|int|float|list|ports)\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def documented_sections(path: Path) -> set[str]:
    return {line[3:].strip() for line in path.read_text().splitlines() if line.startswith("## ")}


def test_every_verdicts_command_is_documented():
    ours = {name for name, app in get_commands().items() if app.startswith("verdicts.")}
    assert {"init", "serve", "worker"} <= ours
    sections = documented_sections(DOCS / "cli.md")
    documented = {section.split()[0] for section in sections}
    assert sorted(ours - documented) == []


def test_every_setting_read_from_the_environment_is_documented():
    read = set()
    for source in SETTINGS_SOURCES:
        read |= set(ENV_READ.findall(source.read_text()))
    assert {"DATABASE_URL", "DEBUG", "ALLOWED_HOSTS"} <= read
    assert sorted(read - documented_sections(DOCS / "settings.md")) == []


def test_readme_quickstart_is_exactly_two_commands():
    readme = (ROOT / "README.md").read_text()
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(?:\$ )?(make \w+)\s*$", quickstart, flags=re.M)
    assert commands == ["make up", "make test"]


def test_every_api_endpoint_is_documented():
    schema = api.get_openapi_schema()
    endpoints = {
        f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops
    }
    assert "GET /api/tools" in endpoints
    assert sorted(endpoints - documented_sections(DOCS / "api.md")) == []


def site_port() -> str:
    return re.search(r"^PORT \?= (\d+)$", (ROOT / "Makefile").read_text(), flags=re.M).group(1)


def test_no_model_server_example_takes_the_sites_port():
    port = site_port()
    for path in [ROOT / "README.md", *DOCS.glob("*.md")]:
        text = path.read_text()
        assert f":{port}/v1" not in text, path.name
        assert not re.search(rf"(vllm|llama|ollama|testing)[^\n]*--port {port}\b", text), path.name


def test_readme_says_make_up_keeps_the_terminal_and_how_to_try_the_panel():
    readme = (ROOT / "README.md").read_text()
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    assert "Ctrl-C" in quickstart
    server = re.search(r"python -m verdicts\.llm\.testing --port (\d+)", quickstart)
    assert server, "the README starts the bundled fake model server"
    model = re.search(r"VERDICTS_PANEL_MODEL='http://127\.0\.0\.1:(\d+)/v1#[\w-]+'", quickstart)
    assert model and model.group(1) == server.group(1) != site_port()
    assert "verdicts panel run" in quickstart
