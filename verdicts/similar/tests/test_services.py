"""Embedding tools: every tool once, then only those whose text or model changed."""

import numpy as np
import pytest

from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.similar import services
from verdicts.similar.encoder import MODEL_NAME, model_version
from verdicts.similar.features import text_sha256, tool_text
from verdicts.similar.models import ToolEmbedding
from verdicts.similar.services import EmbeddingRefresh, tool_embeddings_refresh

pytestmark = pytest.mark.django_db


def test_every_tool_is_embedded_once_drafts_included(fake_encoder):
    draft = ToolFactory(status=Tool.Status.DRAFT)
    published = ToolFactory()
    assert tool_embeddings_refresh() == EmbeddingRefresh(embedded=2, unchanged=0)
    stored = ToolEmbedding.objects.get(tool=draft)
    assert (stored.model_name, stored.model_version) == (MODEL_NAME, model_version())
    assert stored.text_sha256 == text_sha256(tool_text(draft))
    assert stored.array.dtype == np.float32 and stored.array.shape == (384,)
    assert ToolEmbedding.objects.filter(tool=published).exists()
    assert tool_embeddings_refresh() == EmbeddingRefresh(embedded=0, unchanged=2)
    assert len(fake_encoder) == 1


def test_a_changed_text_re_embeds_that_tool_only(fake_encoder):
    changed, same = ToolFactory(), ToolFactory()
    tool_embeddings_refresh()
    before = ToolEmbedding.objects.get(tool=changed).vector
    changed.facts = {"modalities": "Image input"}
    changed.save()
    assert tool_embeddings_refresh() == EmbeddingRefresh(embedded=1, unchanged=1)
    assert fake_encoder[-1] == [tool_text(changed)]
    assert bytes(ToolEmbedding.objects.get(tool=changed).vector) != bytes(before)
    assert ToolEmbedding.objects.get(tool=same).text_sha256 == text_sha256(tool_text(same))


def test_a_new_model_version_re_embeds_everything(fake_encoder, monkeypatch):
    ToolFactory.create_batch(3)
    tool_embeddings_refresh()
    monkeypatch.setattr(services, "model_version", lambda: "0.2.0")
    assert tool_embeddings_refresh() == EmbeddingRefresh(embedded=3, unchanged=0)
    assert set(ToolEmbedding.objects.values_list("model_version", flat=True)) == {"0.2.0"}


def test_vectors_of_the_numpy_encoder_are_re_embedded(fake_encoder):
    # Before onnxruntime, the version recorded was the model package's alone.
    old = ToolFactory()
    ToolFactory()
    tool_embeddings_refresh()
    ToolEmbedding.objects.filter(tool=old).update(model_version="0.1.0", vector=b"old")
    assert model_version() == "0.1.0+ort-int8.1"
    assert tool_embeddings_refresh() == EmbeddingRefresh(embedded=1, unchanged=1)
    assert fake_encoder[-1] == [tool_text(old)]
    stored = ToolEmbedding.objects.get(tool=old)
    assert stored.model_version == model_version() and bytes(stored.vector) != b"old"


def test_tool_ids_limit_the_refresh(fake_encoder):
    first, second = ToolFactory(), ToolFactory()
    assert tool_embeddings_refresh(tool_ids=[first.pk]) == EmbeddingRefresh(1, 0)
    assert list(ToolEmbedding.objects.values_list("tool_id", flat=True)) == [first.pk]
    assert tool_embeddings_refresh(tool_ids=[]) == EmbeddingRefresh(0, 0)
    assert tool_embeddings_refresh(tool_ids=[first.pk, second.pk]) == EmbeddingRefresh(1, 1)


def test_progress_counts_every_tool(fake_encoder, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    ToolFactory.create_batch(5)
    steps = []
    tool_embeddings_refresh(on_progress=steps.append)
    assert steps == [2, 2, 1]
    steps.clear()
    tool_embeddings_refresh(on_progress=steps.append)
    assert steps == [5]


def test_the_embedded_text_holds_name_tagline_description_category_and_facts(db):
    tool = ToolFactory(
        name="Acme", tagline="Sees things", description="Reads images.", facts={"tasks": "OCR"}
    )
    text = tool_text(tool)
    for part in ("Acme", "Sees things", "Reads images.", tool.category.name, "tasks: OCR"):
        assert part in text


def test_the_real_model_embeds_the_starter_catalog(starter):
    refresh = tool_embeddings_refresh()
    assert refresh == EmbeddingRefresh(embedded=Tool.objects.count(), unchanged=0)
    vectors = {e.tool.slug: e.array for e in ToolEmbedding.objects.select_related("tool")}
    # Two coding assistants sit closer than a coding assistant and a speech model.
    assert vectors["cursor"] @ vectors["github-copilot"] > vectors["cursor"] @ vectors["elevenlabs"]
