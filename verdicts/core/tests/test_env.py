"""Settings read from the environment fail at start with a message naming the variable."""

import os
import subprocess
import sys

import pytest

from verdicts.env import env_float, env_ports


def test_ports_are_read_as_numbers(monkeypatch):
    monkeypatch.setenv("SOME_PORTS", "80, 8443")
    assert env_ports("SOME_PORTS", [443]) == [80, 8443]
    monkeypatch.delenv("SOME_PORTS")
    assert env_ports("SOME_PORTS", [443]) == [443]


@pytest.mark.parametrize("value", ["http", "0", "70000", "-1"])
def test_a_malformed_port_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("SOME_PORTS", f"80,{value}")
    with pytest.raises(ValueError, match=rf"SOME_PORTS .* got '{value}'"):
        env_ports("SOME_PORTS", [443])


def test_a_number_is_read_and_a_malformed_one_names_the_variable(monkeypatch):
    monkeypatch.setenv("SOME_SHARE", " 0.5 ")
    assert env_float("SOME_SHARE", 0.48) == 0.5
    monkeypatch.setenv("SOME_SHARE", "half")
    with pytest.raises(ValueError, match="SOME_SHARE must be a number, got 'half'"):
        env_float("SOME_SHARE", 0.48)


def test_a_malformed_variable_stops_a_command_with_one_line_naming_it(tmp_path):
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "verdicts.settings",
        "VERDICTS_VAR_DIR": str(tmp_path),
        "VERDICTS_PANEL_TIMEOUT": "soon",
    }
    done = subprocess.run(
        [sys.executable, "-m", "verdicts.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "verdicts: VERDICTS_PANEL_TIMEOUT must be a whole number, got 'soon'"
    )
