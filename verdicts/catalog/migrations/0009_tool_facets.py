"""Facet rows for /tools/ (verdicts/catalog/facets.py), filled for the tools already stored,
and an index for the open-weights filter. New tables and an index only: SQLite does not
rebuild catalog_tool, so migration 0008's triggers stay."""

import re

import django.db.models.deletion
from django.db import migrations, models

# verdicts/catalog/facets.py as it stood when this migration was written, frozen here so that
# a later change to that module cannot change what this migration writes.
OPEN_SOURCE_LICENCES = ("apache", "mit", "bsd", "gpl", "lgpl", "agpl", "mpl", "isc", "unlicense")
PROPRIETARY_WORDS = ("proprietary", "closed source", "all rights reserved")
MODALITY_FACTS = ("modalities", "modality", "inputs", "input_features", "outputs")
DEPLOYMENT_FACTS = ("deployment", "runs_on", "platforms", "server", "availability", "access")
MODALITY_WORDS = {
    "text": ("text",),
    "image": ("image", "images", "photo", "photos", "vision", "screenshot", "screenshots"),
    "audio": ("audio", "speech", "voice", "voices"),
    "video": ("video", "videos"),
    "code": ("code",),
}
CATEGORY_MODALITIES = {
    "coding-assistants": ("code", "text"),
    "foundation-models": ("text",),
    "image-generation": ("image", "text"),
    "speech": ("audio",),
    "vision-language": ("image", "text"),
}
ON_DEVICE_WORDS = ("on-device", "device", "devices", "edge", "laptop", "phone", "phones", "cpu")
SELF_HOSTED_WORDS = ("self-hosted", "self-host", "on-prem", "on-premises", "local", "locally")
HOSTED_WORDS = ("hosted", "api", "cloud", "web", "saas")


def _words(facts, keys) -> set[str]:
    text = " ".join(str(facts.get(key, "")) for key in keys)
    return set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text.casefold()))


def _licence_kind(licence: str) -> str:
    folded = licence.strip().casefold()
    if not folded:
        return ""
    if any(word in folded for word in PROPRIETARY_WORDS):
        return "proprietary"
    if re.match(rf"^({'|'.join(OPEN_SOURCE_LICENCES)})\b", folded.replace(" ", "-")):
        return "open-source"
    return "restricted"


def facet_values(*, facts, licence, open_weights, category_slug) -> set[tuple[str, str]]:
    words = _words(facts, MODALITY_FACTS)
    found = {value for value, names in MODALITY_WORDS.items() if words & set(names)}
    pairs = {("modality", value) for value in found or CATEGORY_MODALITIES.get(category_slug, ())}
    words = _words(facts, DEPLOYMENT_FACTS)
    kind = _licence_kind(licence)
    if words & set(ON_DEVICE_WORDS):
        pairs.add(("deployment", "on-device"))
    if (
        open_weights
        or kind == "open-source"
        or category_slug == "inference-servers"
        or words & set(SELF_HOSTED_WORDS)
    ):
        pairs.add(("deployment", "self-hosted"))
    if kind == "proprietary" or words & set(HOSTED_WORDS):
        pairs.add(("deployment", "hosted"))
    if kind:
        pairs.add(("licence", kind))
    return pairs


def facets_fill(apps, schema_editor):
    Tool = apps.get_model("catalog", "Tool")
    ToolFacet = apps.get_model("catalog", "ToolFacet")
    rows = []
    for tool in Tool.objects.select_related("category").iterator(chunk_size=2000):
        pairs = facet_values(
            facts=tool.facts or {},
            licence=tool.licence,
            open_weights=tool.open_weights,
            category_slug=tool.category.slug,
        )
        rows += [ToolFacet(tool_id=tool.pk, facet=facet, value=value) for facet, value in pairs]
        if len(rows) >= 5000:
            ToolFacet.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    ToolFacet.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_category_tool_counts")]

    operations = [
        migrations.CreateModel(
            name="ToolFacet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("facet", models.CharField(max_length=20)),
                ("value", models.CharField(max_length=40)),
                (
                    "tool",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="facet_values",
                        to="catalog.tool",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["facet", "value", "tool"], name="tool_facet_value_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("tool", "facet", "value"), name="tool_facet_once"
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="tool",
            index=models.Index(
                fields=["status", "open_weights", "name"], name="tool_open_weights_idx"
            ),
        ),
        migrations.RunPython(facets_fill, migrations.RunPython.noop),
    ]
