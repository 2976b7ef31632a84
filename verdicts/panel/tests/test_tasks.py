"""The panel's tasks load the call layer only when a job runs."""

import os
import subprocess
import sys


def test_starting_django_does_not_import_pydantic_ai():
    """Huey imports the tasks and the admin imports the services at start-up; pydantic-ai's
    agent costs half a second, so only the jobs module imports it, on first use."""
    code = "import sys, django; django.setup(); print('pydantic_ai' in sys.modules)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "verdicts.settings_test"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "False"
