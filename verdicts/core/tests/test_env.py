"""Settings read from the environment fail at start with a message naming the variable."""

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
