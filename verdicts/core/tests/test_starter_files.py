"""A broken starter or persona file stops `verdicts init` / `verdicts personas` with one line
that names the file, never a traceback, and nothing is loaded.

The commands run as real subprocesses; a small runner points them at a copy of the starter and
persona files that each test breaks in its own way.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from testkit.subprocesses import subprocess_database_url, wait_for_other_sessions_to_end
from verdicts.catalog.models import Tool
from verdicts.core.starter import STARTER_DIR
from verdicts.panel.charters import PERSONA_DIR
from verdicts.panel.models import Persona

pytestmark = pytest.mark.django_db(transaction=True)

# Runs a management command with the starter and persona directories given on the command line.
RUNNER = """
import functools, sys
from pathlib import Path
import django
django.setup()
from django.core.management import execute_from_command_line
from verdicts.core import starter
from verdicts.core.management.commands import init
from verdicts.panel import charters
from verdicts.panel.management.commands import personas
starter_dir, persona_dir, *command = sys.argv[1:]
init.starter_catalog_load = functools.partial(
    starter.starter_catalog_load, starter_dir=Path(starter_dir), persona_dir=Path(persona_dir)
)
personas.personas_sync = functools.partial(charters.personas_sync, persona_dir=Path(persona_dir))
execute_from_command_line(["verdicts", *command])
"""

NOT_UTF8 = 'name = "Caf\xe9"\n'.encode("latin-1")


@pytest.fixture
def data_dirs(tmp_path) -> tuple[Path, Path]:
    starter_dir, persona_dir = tmp_path / "starter", tmp_path / "personas"
    shutil.copytree(STARTER_DIR, starter_dir)
    shutil.copytree(PERSONA_DIR, persona_dir)
    return starter_dir, persona_dir


def run(tmp_path, data_dirs, *command: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("VERDICTS_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "verdicts.settings",
        "DATABASE_URL": subprocess_database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "VERDICTS_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, *map(str, data_dirs), *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    wait_for_other_sessions_to_end()
    return done


def error_line(done: subprocess.CompletedProcess) -> str:
    """The command's one line of error output."""
    assert done.returncode != 0, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


def init(tmp_path, data_dirs) -> str:
    line = error_line(run(tmp_path, data_dirs, "init", "--no-static"))
    assert line.startswith("CommandError: Starter catalog not loaded: "), line
    assert Tool.objects.count() == 0 and Persona.objects.count() == 0
    return line


def test_a_tool_file_that_is_not_utf8(tmp_path, data_dirs):
    path = data_dirs[0] / "tools" / "cursor.toml"
    path.write_bytes(path.read_bytes().replace(b'name = "Cursor"', b'name = "Curs\xf6r"'))
    line = init(tmp_path, data_dirs)
    assert f"{path}: not UTF-8 text (byte 0xf6 at offset" in line


def test_a_persona_file_that_is_not_utf8_stops_init_and_personas(tmp_path, data_dirs):
    path = data_dirs[1] / "skeptic.toml"
    path.write_bytes(NOT_UTF8 + path.read_bytes())
    assert f"{path}: not UTF-8 text" in init(tmp_path, data_dirs)
    line = error_line(run(tmp_path, data_dirs, "personas"))
    assert line.startswith(f"CommandError: {path}: not UTF-8 text")


def test_a_tool_file_with_schema_errors(tmp_path, data_dirs):
    path = data_dirs[0] / "tools" / "cursor.toml"
    text = path.read_text().replace('tagline = "', 'colour = "red"\ntag_line = "', 1)
    path.write_text(text)
    line = init(tmp_path, data_dirs)
    assert f"{path}: " in line
    assert "tagline: Field required" in line and "colour: Extra inputs are not permitted" in line


def test_a_tool_file_whose_values_the_model_refuses(tmp_path, data_dirs):
    path = data_dirs[0] / "tools" / "cursor.toml"
    path.write_text(
        path.read_text().replace('homepage = "https://cursor.com"', 'homepage = "nope"', 1)
    )
    line = init(tmp_path, data_dirs)
    assert line.endswith(f"{path}: homepage: Enter a valid URL."), line


def test_a_persona_file_whose_values_the_model_refuses(tmp_path, data_dirs):
    path = data_dirs[1] / "skeptic.toml"
    path.write_text(path.read_text().replace('name = "', f'name = "{"x" * 300}', 1))
    assert f"{path}: name: " in init(tmp_path, data_dirs)
    line = error_line(run(tmp_path, data_dirs, "personas", "--sync"))
    assert line.startswith(f"CommandError: {path}: name: "), line


def test_a_tool_slug_in_two_files_names_both(tmp_path, data_dirs):
    tools = data_dirs[0] / "tools"
    copy = tools / "zz-cursor-again.toml"
    shutil.copy(tools / "cursor.toml", copy)
    line = init(tmp_path, data_dirs)
    assert line.endswith(
        f"tool slug 'cursor' is in both {tools / 'cursor.toml'} and {copy}; slugs must be unique"
    ), line


def test_a_persona_slug_in_two_files_names_both(tmp_path, data_dirs):
    personas = data_dirs[1]
    copy = personas / "zz-skeptic-again.toml"
    shutil.copy(personas / "skeptic.toml", copy)
    line = error_line(run(tmp_path, data_dirs, "personas"))
    assert line == (
        f"CommandError: persona slug 'skeptic' is in both {personas / 'skeptic.toml'} and "
        f"{copy}; slugs must be unique"
    )


def test_the_unbroken_copy_loads(tmp_path, data_dirs):
    done = run(tmp_path, data_dirs, "init", "--no-static")
    assert done.returncode == 0, done.stderr
    assert Tool.objects.count() >= 26 and Persona.objects.count() == 4
