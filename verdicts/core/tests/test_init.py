import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from verdicts.catalog.models import Category, Comparison, PricingPlan, Tool
from verdicts.common.datafiles import DataFileError
from verdicts.core.starter import STARTER_DIR, starter_catalog_load
from verdicts.panel.models import Persona, Review


def catalog_counts() -> dict[str, int]:
    return {
        "categories": Category.objects.count(),
        "tools": Tool.objects.count(),
        "plans": PricingPlan.objects.count(),
        "personas": Persona.objects.count(),
        "reviews": Review.objects.count(),
        "comparisons": Comparison.objects.count(),
    }


@pytest.mark.django_db
def test_init_loads_the_starter_catalog_once(capsys):
    call_command("init", "--no-static")
    first = catalog_counts()
    assert first["tools"] >= 26
    assert first["categories"] >= 6
    assert first["comparisons"] >= 10
    assert first["personas"] == 4
    call_command("init", "--no-static")
    assert catalog_counts() == first
    assert "nothing to add" in capsys.readouterr().out


@pytest.mark.django_db
def test_init_keeps_editor_changes_and_deletions():
    call_command("init", "--no-static")
    tool = Tool.objects.get(slug="claude-4-sonnet")
    tool.tagline = "Edited by an editor"
    tool.save()
    Tool.objects.filter(slug="cursor").delete()
    Review.objects.filter(tool=tool, persona__slug="skeptic").delete()

    call_command("init", "--no-static")

    assert Tool.objects.get(slug="claude-4-sonnet").tagline == "Edited by an editor"
    assert not Tool.objects.filter(slug="cursor").exists()
    assert not Review.objects.filter(tool=tool, persona__slug="skeptic").exists()


@pytest.mark.django_db
def test_every_tool_in_a_comparison_has_a_full_editorial_panel(starter):
    personas = set(Persona.objects.values_list("slug", flat=True))
    for comparison in Comparison.objects.select_related("tool_a", "tool_b"):
        for tool in comparison.tools:
            reviews = Review.objects.filter(tool=tool, is_current=True)
            assert {review.persona.slug for review in reviews} == personas, tool.slug
            for review in reviews:
                assert review.is_editorial
                assert review.author == "Verdicts editorial"
                assert 80 <= len(review.body.split()) <= 140, (tool.slug, review.persona.slug)


@pytest.mark.django_db
def test_reference_pair_facts(starter):
    claude = Tool.objects.get(slug="claude-4-sonnet")
    smol = Tool.objects.get(slug="smolvlm-3b")
    assert claude.category.name == smol.category.name == "Developer Tools"
    assert claude.entry_tier_label == "Paid"
    assert smol.entry_tier_label == "Free"
    assert smol.open_weights and "Apache" in smol.licence
    assert "1M" in claude.facts.get("context_window", "") or "1,000,000" in str(claude.facts)
    verdicts = dict(Review.objects.filter(tool=smol).values_list("persona__slug", "verdict"))
    assert verdicts == {
        "builder": "ship",
        "skeptic": "ship",
        "futurist": "ship",
        "operator": "skip",
    }
    assert set(Review.objects.filter(tool=claude).values_list("verdict", flat=True)) == {"ship"}


def copy_starter(tmp_path: Path) -> Path:
    target = tmp_path / "starter"
    shutil.copytree(STARTER_DIR, target)
    return target


@pytest.mark.django_db
def test_a_malformed_starter_file_is_refused_whole_with_its_name(tmp_path):
    starter_dir = copy_starter(tmp_path)
    broken = starter_dir / "tools" / "cursor.toml"
    broken.write_text(broken.read_text().replace('kind = "', 'kind = "bogus-', 1))

    with pytest.raises(DataFileError, match=r"cursor\.toml"):
        starter_catalog_load(starter_dir=starter_dir)
    assert Tool.objects.count() == 0, "nothing is loaded when any file is malformed"


@pytest.mark.django_db
def test_a_comparison_naming_an_unknown_tool_is_refused(tmp_path):
    starter_dir = copy_starter(tmp_path)
    with (starter_dir / "comparisons.toml").open("a") as handle:
        handle.write('\n[[comparison]]\na = "claude-4-sonnet"\nb = "no-such-tool"\n')
    with pytest.raises(DataFileError, match="no-such-tool"):
        starter_catalog_load(starter_dir=starter_dir)
    assert Comparison.objects.count() == 0


@pytest.mark.django_db
def test_init_reports_a_malformed_file_as_a_command_error(tmp_path, monkeypatch):
    starter_dir = copy_starter(tmp_path)
    (starter_dir / "categories.toml").write_text("[[category]\nbroken")
    monkeypatch.setattr(
        "verdicts.core.management.commands.init.starter_catalog_load",
        lambda: starter_catalog_load(starter_dir=starter_dir),
    )
    with pytest.raises(CommandError, match=r"categories\.toml"):
        call_command("init", "--no-static")
