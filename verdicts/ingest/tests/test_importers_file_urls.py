"""A tools file's links are refused unless they are http(s): nothing else reaches a tool."""

import json

import pytest

from verdicts.ingest.importers import FileImporter, Refusal, ToolFacts
from verdicts.ingest.tests.test_importers_file import entry

NOT_WEB = ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "file:///etc/passwd"]


@pytest.mark.parametrize("url", NOT_WEB)
@pytest.mark.parametrize("field", ["homepage", "repository_url", "vendor.homepage"])
def test_a_link_that_is_not_http_refuses_its_entry(tmp_path, url, field):
    bad = entry("bad")
    if field == "vendor.homepage":
        bad["vendor"]["homepage"] = url
    else:
        bad[field] = url
    path = tmp_path / "tools.json"
    path.write_text(json.dumps([entry("good"), bad]))

    good, refused = FileImporter().read(str(path))

    assert isinstance(good, ToolFacts)
    assert refused == Refusal(target=f"{path}#2", reason=f"{field}: Enter a valid URL.")


def test_http_https_and_blank_links_are_read(tmp_path):
    path = tmp_path / "tools.json"
    plain = entry("plain", homepage="http://plain.example/", repository_url="")
    plain["vendor"]["homepage"] = "https://vendor.example"
    path.write_text(json.dumps([plain]))

    (facts,) = FileImporter().read(str(path))

    assert facts.homepage.value == "http://plain.example/"
    assert facts.vendor_homepage == "https://vendor.example"
