import datetime

import pytest
from django.utils import timezone
from werkzeug import Response

from verdicts.catalog.models import Tool
from verdicts.ingest.importers import ArtifactMissing, ImportRefused, Refusal, ToolFacts
from verdicts.ingest.importers.base import Validators
from verdicts.ingest.importers.hub import HubImporter, first_paragraph, parameters_text
from verdicts.ingest.intake import tool_facts_import
from verdicts.ingest.models import ToolDocument, ToolFactSource, ToolRegistryCheck

MODEL = "HuggingFaceTB/SmolLM2-135M"
CARD = """---
library_name: transformers
license: apache-2.0
language:
- en
---

# SmolLM2

![image/png](https://cdn-uploads.huggingface.co/production/uploads/smollm2.png)
[![Discord](https://img.shields.io/badge/discord-join-blue)](https://discord.gg/x)

<p align="center"><img src="logo.png" width="200"></p>

## Table of Contents

1. [Model Summary](#model-summary)
2. [How to use the model in your own code](#how-to-use)

## Model Summary

SmolLM2 is a family of **compact** language models available in three sizes: 135M, 360M
and 1.7B parameters. They run on-device; see [the paper](https://arxiv.org/abs/2502.02737).

```python
from transformers import AutoModelForCausalLM
```
"""


def model_json(**changes) -> dict:
    """`GET /api/models/<id>`, in the Hub's documented shape."""
    return {
        "_id": "673f1b6a0c5e2e3a2b1c0d9e",
        "id": MODEL,
        "modelId": MODEL,
        "author": "HuggingFaceTB",
        "sha": "93efa2f097d58c2a74874c7e644dbc9b0cee75a2",
        "lastModified": "2026-11-20T09:30:00.000Z",
        "private": False,
        "gated": False,
        "pipeline_tag": "text-generation",
        "library_name": "transformers",
        "tags": ["transformers", "safetensors", "llama", "en", "license:apache-2.0"],
        "cardData": {"license": "apache-2.0", "language": ["en"]},
        "downloads": 456789,
        "likes": 321,
        "safetensors": {"parameters": {"BF16": 134515008}, "total": 134515008},
        **changes,
    }


@pytest.fixture
def hub(fetch_allows_httpserver, settings):
    settings.VERDICTS_HF_API_URL = fetch_allows_httpserver.url_for("/").rstrip("/")
    settings.HF_TOKEN = ""
    return fetch_allows_httpserver


def serve_model(hub, model: str = MODEL, card: str | None = CARD, **changes) -> None:
    hub.expect_request(f"/api/models/{model}").respond_with_json(model_json(id=model, **changes))
    if card is None:
        hub.expect_request(f"/{model}/raw/main/README.md").respond_with_data(
            "Entry not found", status=404, headers={"X-Error-Code": "EntryNotFound"}
        )
    else:
        hub.expect_request(f"/{model}/raw/main/README.md").respond_with_data(
            card, content_type="text/plain; charset=utf-8"
        )


def test_a_model_gives_every_fact_with_its_source_and_date(hub, settings):
    serve_model(hub)
    before = timezone.now()

    (facts,) = HubImporter().read(f"hf:{MODEL}")

    base = settings.VERDICTS_HF_API_URL
    api, card = f"{base}/api/models/{MODEL}", f"{base}/{MODEL}/raw/main/README.md"
    assert facts.name.value == "SmolLM2-135M" and facts.hub_id.value == MODEL
    assert facts.vendor_hint == "HuggingFaceTB"
    assert facts.homepage.value == f"{base}/{MODEL}"
    assert facts.licence.value == "apache-2.0"
    assert facts.tagline.value == (
        "SmolLM2 is a family of compact language models available in three sizes: 135M, 360M "
        "and 1.7B parameters."
    )
    assert facts.description.value.endswith("They run on-device; see the paper.")
    assert {name: fact.value for name, fact in facts.extra.items()} == {
        "pipeline_tag": "text-generation",
        "parameters": "135M",
        "downloads": "456789",
        "likes": "321",
        "last_modified": datetime.date(2026, 11, 20),
    }
    assert facts.tagline.source_url == card and facts.licence.source_url == api
    assert all(fact.source_url == api for fact in facts.extra.values())
    assert before <= facts.licence.read_at <= timezone.now()
    assert facts.document.source_url == card
    assert facts.document.text.startswith("# SmolLM2")  # the front matter is stripped
    assert (facts.verified.registry, facts.verified.artifact) == ("Hugging Face Hub", MODEL)
    assert facts.verified.checked_url == api


def test_the_licence_comes_from_the_tags_when_the_card_names_none(hub):
    serve_model(hub, cardData={})
    (facts,) = HubImporter().read(f"hf:{MODEL}")
    assert facts.licence.value == "apache-2.0"


def test_an_other_licence_is_kept_as_other(hub):
    serve_model(hub, cardData={"license": "other", "license_name": "llama3"})
    (facts,) = HubImporter().read(f"hf:{MODEL}")
    assert facts.licence.value == "other"


@pytest.mark.parametrize(
    ("total", "text"),
    [
        (3_070_000_000, "3.07B"),
        (134_515_008, "135M"),
        (1_200_000_000_000, "1.2T"),
        (7_241_732_096, "7.24B"),
        (999_999_999, "1B"),
        (22_700, "22.7K"),
        (135, "135"),
    ],
)
def test_parameter_counts_read_as_people_write_them(total, text):
    assert parameters_text(total) == text


def test_parameters_are_summed_by_type_when_no_total_is_given(hub):
    serve_model(hub, safetensors={"parameters": {"BF16": 3_000_000_000, "F32": 70_000_000}})
    (facts,) = HubImporter().read(f"hf:{MODEL}")
    assert facts.extra["parameters"].value == "3.07B"


def test_a_model_without_a_card_is_described_by_its_task(hub):
    serve_model(hub, card=None)
    (facts,) = HubImporter().read(f"hf:{MODEL}")
    assert facts.tagline.value == "text-generation model on the Hugging Face Hub"
    assert facts.document is None


def test_the_first_paragraph_skips_headings_badges_html_lists_and_code():
    markdown = "# Title\n\n[![CI](b.svg)](x)\n\n<div>\n\n```\nlong code line here\n```\n\n" + (
        "- a list item of words\n\nThe model **answers** questions, see [docs](http://d)."
    )
    assert first_paragraph(markdown) == "The model answers questions, see docs."
    assert first_paragraph("# Only a heading\n\n![img](x.png)") == ""


@pytest.mark.parametrize(
    "target",
    [
        f"hf:{MODEL}",
        f"https://huggingface.co/{MODEL}",
        f"https://huggingface.co/{MODEL}/blob/main/config.json",
        "hf-search:smollm",
    ],
)
def test_model_targets_are_recognised(target):
    assert HubImporter().can_import(target)


@pytest.mark.parametrize(
    "target",
    [
        "https://huggingface.co/datasets/HuggingFaceFW/fineweb",
        "https://huggingface.co/spaces/HuggingFaceTB/SmolLM2",
        "https://huggingface.co/docs/hub/index",
        "https://huggingface.co/api/models",
        "https://huggingface.co/blog/smollm",
        "https://huggingface.co/HuggingFaceTB",
        "https://example.com/HuggingFaceTB/SmolLM2-135M",
        "pypi:smollm",
    ],
)
def test_other_hub_pages_and_sites_are_not_model_targets(target):
    assert not HubImporter().can_import(target)


def test_a_model_page_under_the_configured_hub_is_read(hub, settings):
    serve_model(hub)
    target = f"{settings.VERDICTS_HF_API_URL}/{MODEL}"
    assert HubImporter().can_import(target)
    (facts,) = HubImporter().read(target)
    assert facts.hub_id.value == MODEL


def test_an_unknown_model_is_missing_from_the_hub(hub, settings):
    hub.expect_request("/api/models/nobody/nothing").respond_with_json(
        {"error": "Repository not found"}, status=404
    )
    with pytest.raises(
        ArtifactMissing, match=r"^no such model nobody/nothing on the Hugging Face Hub$"
    ):
        HubImporter().read("hf:nobody/nothing")


def test_a_401_repo_not_found_is_missing_too(hub, settings):
    hub.expect_request("/api/models/nobody/nothing").respond_with_json(
        {"error": "Invalid username or password."},
        status=401,
        headers={"X-Error-Code": "RepoNotFound"},
    )
    with pytest.raises(ArtifactMissing) as missing:
        HubImporter().read("hf:nobody/nothing")
    assert (missing.value.registry, missing.value.artifact) == (
        "Hugging Face Hub",
        "nobody/nothing",
    )
    assert missing.value.checked_url == f"{settings.VERDICTS_HF_API_URL}/api/models/nobody/nothing"


def test_a_401_for_another_reason_is_refused_not_missing(hub):
    hub.expect_request(f"/api/models/{MODEL}").respond_with_json(
        {"error": "gated"}, status=401, headers={"X-Error-Code": "GatedRepo"}
    )
    with pytest.raises(ImportRefused, match="answered HTTP 401") as refused:
        HubImporter().read(f"hf:{MODEL}")
    assert not isinstance(refused.value, ArtifactMissing)


def test_malformed_json_is_refused(hub):
    hub.expect_request(f"/api/models/{MODEL}").respond_with_data(
        "{not json", content_type="application/json"
    )
    with pytest.raises(ImportRefused, match="answered malformed JSON"):
        HubImporter().read(f"hf:{MODEL}")


def test_a_page_instead_of_json_is_refused(hub):
    hub.expect_request(f"/api/models/{MODEL}").respond_with_data(
        "<html>login</html>", content_type="text/html"
    )
    with pytest.raises(ImportRefused, match="answered text/html, not application/json"):
        HubImporter().read(f"hf:{MODEL}")


def test_the_token_is_sent_to_the_hub_when_set(hub, settings):
    settings.HF_TOKEN = "hf_secret"
    serve_model(hub)
    HubImporter().read(f"hf:{MODEL}")
    assert [request.headers.get("Authorization") for request, _ in hub.log] == [
        "Bearer hf_secret",
        "Bearer hf_secret",
    ]


def search_answer(*models: str) -> list[dict]:
    return [{"id": model, "modelId": model, "likes": 1, "downloads": 2} for model in models]


def expect_search(hub, answer, **respond) -> None:
    query = {"search": "smollm", "sort": "lastModified", "direction": "-1", "limit": "20"}
    hub.expect_request("/api/models", query_string=query).respond_with_json(answer, **respond)


def test_a_search_reads_each_model_and_reports_the_one_that_fails(hub):
    expect_search(hub, search_answer(MODEL, "HuggingFaceTB/gone", "HuggingFaceTB/SmolLM2-360M"))
    serve_model(hub)
    hub.expect_request("/api/models/HuggingFaceTB/gone").respond_with_data("", status=404)
    serve_model(hub, model="HuggingFaceTB/SmolLM2-360M", card=None)

    items = HubImporter().read("hf-search:smollm")

    assert [type(item) for item in items] == [ToolFacts, Refusal, ToolFacts]
    assert [item.hub_id.value for item in items if isinstance(item, ToolFacts)] == [
        MODEL,
        "HuggingFaceTB/SmolLM2-360M",
    ]
    assert items[1].target == "hf:HuggingFaceTB/gone"
    assert items[1].reason == "no such model HuggingFaceTB/gone on the Hugging Face Hub"


def test_a_rate_limit_stops_a_search_with_one_line(hub):
    expect_search(hub, search_answer(MODEL, "HuggingFaceTB/SmolLM2-360M", "HuggingFaceTB/third"))
    serve_model(hub)
    hub.expect_request("/api/models/HuggingFaceTB/SmolLM2-360M").respond_with_data(
        "Too Many Requests", status=429, headers={"RateLimit": '"api";r=0;t=240'}
    )

    items = HubImporter().read("hf-search:smollm")

    assert isinstance(items[0], ToolFacts) and len(items) == 2
    assert items[1].reason.startswith("Hugging Face Hub rate limit reached; it resets at ")
    assert items[1].reason.endswith("(set HF_TOKEN for more); 2 of 3 models not read")
    assert "/api/models/HuggingFaceTB/third" not in [request.path for request, _ in hub.log]


def test_an_unchanged_search_costs_one_304(hub):
    def conditional(request):
        assert request.headers.get("If-None-Match") == 'W/"list-1"'
        assert request.headers.get("If-Modified-Since") == "Tue, 01 Dec 2026 10:00:00 GMT"
        return Response(status=304, headers={"ETag": 'W/"list-1"'})

    hub.expect_request("/api/models").respond_with_handler(conditional)
    validators = Validators(etag='W/"list-1"', last_modified="Tue, 01 Dec 2026 10:00:00 GMT")

    read = HubImporter().read_conditional("hf-search:smollm", validators=validators)

    assert read.items is None and read.validators.etag == 'W/"list-1"'
    assert len(hub.log) == 1


def test_a_changed_search_gives_its_items_and_new_validators(hub):
    expect_search(hub, search_answer(MODEL), headers={"ETag": '"list-2"'})
    serve_model(hub)
    read = HubImporter().read_conditional("hf-search:smollm", validators=Validators(etag='"1"'))
    assert [item.hub_id.value for item in read.items] == [MODEL]
    assert read.validators == Validators(etag='"list-2"')


@pytest.mark.django_db
def test_an_imported_model_is_a_draft_with_its_sources_check_and_card(hub, settings):
    serve_model(hub)
    (facts,) = HubImporter().read(f"hf:{MODEL}")

    imported = tool_facts_import(facts=facts)

    tool = Tool.objects.get(pk=imported.tool.pk)
    assert tool.status == Tool.Status.DRAFT and tool.name == "SmolLM2-135M"
    assert tool.licence == "apache-2.0" and tool.vendor.name == "HuggingFaceTB"
    sources = {row.fact: row for row in ToolFactSource.objects.filter(tool=tool)}
    assert sources["parameters"].value == "135M"
    assert sources["hub_id"].value == MODEL
    assert sources["last_modified"].value == "2026-11-20"
    api = f"{settings.VERDICTS_HF_API_URL}/api/models/{MODEL}"
    assert sources["parameters"].source_url == api
    check = ToolRegistryCheck.objects.get(tool=tool)
    assert (check.registry, check.artifact, check.found) == ("Hugging Face Hub", MODEL, True)
    assert check.checked_url == api
    document = ToolDocument.objects.get(tool=tool)
    assert document.source_url == f"{settings.VERDICTS_HF_API_URL}/{MODEL}/raw/main/README.md"
    assert "SmolLM2 is a family of **compact** language models" in document.text
