import datetime
import json

import pytest

from verdicts.ingest.importers import ImportRefused, PackageIndexImporter, importer_for

pytestmark = pytest.mark.usefixtures("fetch_allows_httpserver")


def package_json(**info_changes) -> dict:
    """The package index's JSON API response, in its documented shape."""
    info = {
        "name": "aider-chat",
        "summary": "AI pair programming in your terminal",
        "version": "0.86.1",
        "license": "Apache License 2.0",
        "license_expression": "Apache-2.0",
        "author": "Paul Gauthier",
        "home_page": "",
        "project_urls": {
            "Homepage": "https://aider.chat/",
            "Source": "https://github.com/Aider-AI/aider",
        },
        "classifiers": ["License :: OSI Approved :: Apache Software License"],
        **info_changes,
    }
    upload = {
        "filename": "aider_chat-0.86.1.tar.gz",
        "upload_time_iso_8601": "2026-11-20T09:30:00.123456Z",
    }
    return {"info": info, "releases": {info["version"]: [upload]}, "urls": []}


def test_the_documented_shape_gives_every_fact_with_its_source(index):
    index.expect_request("/pypi/aider-chat/json").respond_with_json(package_json())

    (facts,) = PackageIndexImporter().read("pypi:aider-chat")

    assert facts.name.value == "aider-chat" and facts.package_name.value == "aider-chat"
    assert facts.tagline.value == "AI pair programming in your terminal"
    assert facts.licence.value == "Apache-2.0"
    assert facts.version.value == "0.86.1"
    assert facts.release_date.value == datetime.date(2026, 11, 20)
    assert facts.homepage.value == "https://aider.chat/"
    assert facts.repository_url.value == "https://github.com/Aider-AI/aider"
    assert facts.vendor_hint == "Paul Gauthier"
    assert facts.licence.source_url == index.url_for("/pypi/aider-chat/json")


def test_a_licence_text_gives_way_to_the_classifier(index):
    body = package_json(license_expression=None, license="Apache License\nVersion 2.0 ...")
    index.expect_request("/pypi/aider-chat/json").respond_with_json(body)
    (facts,) = PackageIndexImporter().read("pypi:aider-chat")
    assert facts.licence.value == "Apache Software License"


def test_a_project_page_url_is_a_target(index, settings):
    index.expect_request("/pypi/aider-chat/json").respond_with_json(package_json())
    target = f"{settings.VERDICTS_PACKAGE_INDEX_URL}/project/aider-chat/"
    assert importer_for(target).name == "package index"
    assert importer_for("https://pypi.org/project/aider-chat/").name == "package index"
    (facts,) = importer_for(target).read(target)
    assert facts.name.value == "aider-chat"


def test_an_unknown_package_is_reported_as_no_such_package(index):
    index.expect_request("/pypi/nothing-here/json").respond_with_data("Not Found", status=404)
    with pytest.raises(ImportRefused, match="no such package 'nothing-here'"):
        PackageIndexImporter().read("pypi:nothing-here")


def test_malformed_json_is_refused(index):
    index.expect_request("/pypi/aider-chat/json").respond_with_data(
        '{"info": {"name": ', content_type="application/json"
    )
    with pytest.raises(ImportRefused, match="answered malformed JSON"):
        PackageIndexImporter().read("pypi:aider-chat")
    index.clear()
    index.expect_request("/pypi/aider-chat/json").respond_with_json({"info": []})
    with pytest.raises(ImportRefused, match=r"without info\.name"):
        PackageIndexImporter().read("pypi:aider-chat")


def test_a_wrong_content_type_is_refused(index):
    index.expect_request("/pypi/aider-chat/json").respond_with_data(
        json.dumps(package_json()), content_type="text/html"
    )
    with pytest.raises(ImportRefused, match="answered text/html, not JSON"):
        PackageIndexImporter().read("pypi:aider-chat")


def test_a_bad_package_name_is_refused_before_any_request(index):
    with pytest.raises(ImportRefused, match="is not a package name"):
        PackageIndexImporter().read("pypi:../admin")
    assert index.log == []


def test_without_the_allow_list_the_index_on_loopback_is_refused_unreached(index, settings):
    settings.VERDICTS_FETCH_ALLOW_HOSTS = []
    settings.VERDICTS_FETCH_ALLOWED_PORTS = [80, 443, index.port]
    index.expect_request("/pypi/aider-chat/json").respond_with_json(package_json())
    with pytest.raises(ImportRefused) as refused:
        PackageIndexImporter().read("pypi:aider-chat")
    assert str(refused.value).endswith("a loopback address")
    assert not str(refused.value).startswith("refused")
    assert index.log == []
