"""Reading a tool's facts into comparable codes."""

from verdicts.similar.features import (
    API,
    OPEN_SOURCE,
    OPEN_WEIGHTS,
    PROPRIETARY,
    SELF_HOSTED,
    deployment_parse,
    licence_kind,
    modalities_parse,
    modality_reasons,
    tasks_parse,
)


def test_modalities_take_the_direction_the_list_ends_with():
    mask = modalities_parse("modalities", "Text, image, audio, video and PDF input; text output")
    assert modality_reasons(mask) == [
        "both take image input",
        "both take audio input",
        "both take video input",
        "both take pdf input",
    ]
    assert modality_reasons(modalities_parse("modality", "Text in, image out")) == [
        "both output image"
    ]
    inputs = modalities_parse("inputs", "Multiple images at native resolution, text")
    assert modality_reasons(inputs) == ["both take image input"]
    assert modalities_parse("modalities", "Text in, text out") == 0


def test_tasks_compare_normalised_words():
    assert tasks_parse("Answering questions about images, reading documents, captioning") == {
        "answer question image": "answering questions about images",
        "read document": "reading documents",
        "caption": "captioning",
    }
    assert tasks_parse("caption, query and detect").keys() == {"caption", "query", "detect"}


def test_deployment_kinds():
    assert deployment_parse("On-device and edge") == SELF_HOSTED
    assert deployment_parse("Hosted API, or self-hosted on enterprise contracts") == (
        SELF_HOSTED | API
    )
    assert deployment_parse("OpenAI API, Azure OpenAI") == API
    assert deployment_parse("Desktop app") == 0


def test_licence_kinds():
    assert licence_kind(open_weights=True, licence="Apache-2.0") == OPEN_WEIGHTS
    assert licence_kind(open_weights=False, licence="MIT") == OPEN_SOURCE
    assert licence_kind(open_weights=False, licence="Proprietary") == PROPRIETARY
    assert licence_kind(open_weights=False, licence="") == 0
