import shutil

import pytest
from django.core.management import call_command

from verdicts.core.starter import starter_catalog_load
from verdicts.panel.charters import PERSONA_DIR, SyncState, personas_sync
from verdicts.panel.models import Persona


@pytest.fixture
def persona_dir(tmp_path):
    target = tmp_path / "personas"
    shutil.copytree(PERSONA_DIR, target)
    return target


@pytest.mark.django_db
def test_sync_reports_then_applies_a_changed_charter(starter, persona_dir):
    skeptic = persona_dir / "skeptic.toml"
    skeptic.write_text(skeptic.read_text().replace('motto = "', 'motto = "Show me the logs. ', 1))
    before = Persona.objects.get(slug="skeptic").charter_version

    found = personas_sync(persona_dir=persona_dir, apply=False)
    assert {synced.slug: synced.state for synced in found} == {
        "builder": SyncState.SAME,
        "futurist": SyncState.SAME,
        "operator": SyncState.SAME,
        "skeptic": SyncState.CHANGED,
    }
    assert Persona.objects.get(slug="skeptic").charter_version == before

    personas_sync(persona_dir=persona_dir, apply=True)
    skeptic_row = Persona.objects.get(slug="skeptic")
    assert skeptic_row.motto.startswith("Show me the logs. ")
    assert skeptic_row.charter_version != before
    again = personas_sync(persona_dir=persona_dir, apply=False)
    assert {synced.state for synced in again} == {SyncState.SAME}


@pytest.mark.django_db
def test_sync_creates_a_new_persona_and_init_does_not_duplicate_it(starter, persona_dir):
    (persona_dir / "auditor.toml").write_text(
        'slug = "auditor"\nname = "Auditor"\norder = 5\nlens = "Compliance and data residency."\n'
    )
    personas_sync(persona_dir=persona_dir, apply=True)
    assert Persona.objects.get(slug="auditor").position == 5
    starter_catalog_load(persona_dir=persona_dir)
    assert Persona.objects.filter(slug="auditor").count() == 1


@pytest.mark.django_db
def test_the_command_lists_without_changing_until_asked(starter, capsys):
    Persona.objects.filter(slug="builder").update(motto="Changed in the admin")
    call_command("personas")
    out = capsys.readouterr().out
    assert "builder: changed in the files" in out and "--sync" in out
    assert Persona.objects.get(slug="builder").motto == "Changed in the admin"
    call_command("personas", "--sync")
    assert Persona.objects.get(slug="builder").motto != "Changed in the admin"
