"""The panel's fixtures, for the tests of what ingest adds to the dossier."""

from verdicts.panel.tests.conftest import builder, panel_settings, script, tool  # noqa: F401
