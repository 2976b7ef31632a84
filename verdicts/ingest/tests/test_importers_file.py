import json
from pathlib import Path

import pytest

from verdicts.ingest.importers import (
    FileImporter,
    ImportRefused,
    Refusal,
    ToolFacts,
    importer_for,
)

STARTER_TOOLS = Path(__file__).resolve().parents[2] / "catalog" / "starter" / "tools"


def entry(slug: str, **changes) -> dict:
    return {
        "slug": slug,
        "name": slug.title(),
        "category": "coding-assistants",
        "vendor": {"slug": f"{slug}-inc", "name": f"{slug.title()} Inc"},
        "tagline": f"{slug} in a line",
        "description": f"What {slug} does.",
        "homepage": f"https://{slug}.example/",
        "licence": "MIT",
        **changes,
    }


def test_a_bad_entry_is_refused_and_the_good_ones_around_it_are_read(tmp_path):
    path = tmp_path / "tools.json"
    bad = entry("broken")
    del bad["tagline"]
    path.write_text(json.dumps([entry("alpha"), bad, entry("gamma", colour="red")]))

    alpha, broken, gamma = FileImporter().read(str(path))

    assert isinstance(alpha, ToolFacts) and alpha.name.value == "Alpha"
    assert alpha.slug_hint == "alpha" and alpha.category_hint == "coding-assistants"
    assert alpha.licence.value == "MIT" and alpha.licence.source_url == path.resolve().as_uri()
    assert alpha.licence.read_at is not None
    assert broken == Refusal(target=f"{path}#2", reason="tagline: Field required")
    assert isinstance(gamma, Refusal) and "colour: Extra inputs are not permitted" in gamma.reason


def test_toml_holds_one_tool_or_a_tool_list(tmp_path):
    one = tmp_path / "one.toml"
    one.write_text(
        'slug = "solo"\nname = "Solo"\ncategory = "x"\ntagline = "t"\ndescription = "d"\n'
        'package = "solo-py"\n[vendor]\nname = "Solo Co"\n'
    )
    many = tmp_path / "many.toml"
    many.write_text(
        '[[tool]]\nslug = "a"\nname = "A"\ncategory = "x"\ntagline = "t"\ndescription = "d"\n'
        'vendor = { name = "V" }\n'
        '[[tool]]\nslug = "b"\nname = "B"\ncategory = "x"\ntagline = "t"\ndescription = "d"\n'
        'vendor = { name = "V" }\n'
    )
    (solo,) = FileImporter().read(str(one))
    assert solo.package_name.value == "solo-py" and solo.vendor_hint == "Solo Co"
    assert [facts.name.value for facts in FileImporter().read(str(many))] == ["A", "B"]


def test_every_starter_tool_file_reads_as_an_import():
    files = sorted(STARTER_TOOLS.glob("*.toml"))
    assert files
    for path in files:
        (facts,) = FileImporter().read(str(path))
        assert isinstance(facts, ToolFacts), (path, facts)
        assert facts.slug_hint == path.stem


def test_a_malformed_file_is_refused_whole(tmp_path):
    path = tmp_path / "tools.json"
    path.write_text('[{"slug": "a",')
    with pytest.raises(ImportRefused, match="is not valid JSON"):
        FileImporter().read(str(path))
    path.write_text('"just a string"')
    with pytest.raises(ImportRefused, match="neither a tool"):
        FileImporter().read(str(path))


def test_only_existing_files_of_known_kinds_are_file_targets(tmp_path):
    csv = tmp_path / "tools.csv"
    csv.write_text("slug\na\n")
    assert not FileImporter().can_import(str(csv))
    assert not FileImporter().can_import(str(tmp_path / "missing.json"))
    with pytest.raises(ImportRefused, match=r"not a readable file \(.json, .toml, .yaml\)"):
        importer_for(str(csv))


def test_a_yaml_file_is_read_like_the_others(tmp_path):
    path = tmp_path / "tools.yaml"
    path.write_text(
        "tool:\n"
        "  - slug: alpha\n    name: Alpha\n    category: coding-assistants\n"
        "    vendor: {slug: alpha-inc, name: Alpha Inc}\n    tagline: alpha in a line\n"
        "    description: What alpha does.\n    homepage: https://alpha.example/\n"
    )

    (alpha,) = FileImporter().read(str(path))

    assert alpha.name.value == "Alpha" and alpha.homepage.value == "https://alpha.example/"
    assert alpha.name.source_url == path.resolve().as_uri()


@pytest.mark.parametrize(
    "text",
    ["tool: [unclosed", "!!python/object/apply:os.system ['true']"],
    ids=["malformed", "object-building tag"],
)
def test_bad_or_unsafe_yaml_is_one_line_refusal(tmp_path, text):
    path = tmp_path / "tools.yml"
    path.write_text(text)
    with pytest.raises(ImportRefused, match=r"^is not valid YML: ") as refused:
        FileImporter().read(str(path))
    assert "\n" not in str(refused.value)
