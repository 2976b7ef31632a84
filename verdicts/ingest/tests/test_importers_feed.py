import pytest

from verdicts.ingest.importers import FileImporter, ImportRefused, Refusal, WebImporter
from verdicts.ingest.importers import feed as feed_module
from verdicts.ingest.importers.base import ToolFacts, Validators


def rss(*items: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<?xml-stylesheet href="/feed.xsl"?>\n'
        '<rss version="2.0"><channel><title>Launches</title><link>https://launches.example/</link>'
        + "".join(items)
        + "</channel></rss>"
    )


def rss_item(title: str, link: str | None) -> str:
    return f"<item><title>{title}</title>" + (f"<link>{link}</link>" if link else "") + "</item>"


def atom(*links: str) -> str:
    entries = "".join(
        f'<entry><title>Tool {n}</title><id>urn:{n}</id><link href="{link}"/>'
        "<updated>2026-11-30T00:00:00Z</updated></entry>"
        for n, link in enumerate(links)
    )
    return (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Launches</title>'
        f"<id>urn:feed</id><updated>2026-11-30T00:00:00Z</updated>{entries}</feed>"
    )


@pytest.fixture
def web(fetch_allows_httpserver):
    for name in ("alpha", "beta", "gamma"):
        fetch_allows_httpserver.expect_request(f"/tools/{name}").respond_with_data(
            f"<title>{name.title()} | Launches</title><p>{name} does things.</p>",
            content_type="text/html",
        )
    return fetch_allows_httpserver


def names(items) -> list[str]:
    return [item.name.value for item in items if isinstance(item, ToolFacts)]


def test_an_rss_feed_leads_to_one_tool_a_page(web):
    body = rss(*(rss_item(name, f"/tools/{name}") for name in ("alpha", "beta", "gamma")))
    web.expect_request("/feed.rss").respond_with_data(body, content_type="application/rss+xml")

    items = WebImporter().read(web.url_for("/feed.rss"))

    assert names(items) == ["Alpha", "Beta", "Gamma"]
    assert [item.target for item in items] == [
        web.url_for(f"/tools/{name}") for name in ("alpha", "beta", "gamma")
    ]


@pytest.mark.parametrize("content_type", ["application/atom+xml", "text/xml", "text/html"])
def test_an_atom_feed_is_read_whatever_xml_or_html_type_it_is_served_as(web, content_type):
    links = [web.url_for(f"/tools/{name}") for name in ("alpha", "beta", "gamma")]
    web.expect_request("/atom").respond_with_data(atom(*links), content_type=content_type)

    assert names(WebImporter().read(web.url_for("/atom"))) == ["Alpha", "Beta", "Gamma"]


def test_entries_that_cannot_be_read_are_refused_while_the_rest_import(web):
    web.expect_request("/tools/gone").respond_with_data("Not here", status=404)
    web.expect_request("/inner.rss").respond_with_data(
        rss(rss_item("alpha", "/tools/alpha")), content_type="application/rss+xml"
    )
    body = rss(
        rss_item("alpha", "/tools/alpha"),
        rss_item("No link", None),
        rss_item("gone", "/tools/gone"),
        rss_item("alpha again", "/tools/alpha#pricing"),
        rss_item("inner", "/inner.rss"),
        rss_item("mail", "mailto:hi@launches.example"),
        rss_item("broken", "http://[broken/"),
        rss_item("beta", "/tools/beta"),
    )
    web.expect_request("/feed.rss").respond_with_data(body, content_type="application/rss+xml")

    items = WebImporter().read(web.url_for("/feed.rss"))

    assert names(items) == ["Alpha", "Beta"]
    assert [item for item in items if isinstance(item, Refusal)] == [
        Refusal(target="entry 2 (No link)", reason="has no link"),
        Refusal(
            target=web.url_for("/tools/gone"),
            reason=f"{web.url_for('/tools/gone')} answered HTTP 404 NOT FOUND",
        ),
        Refusal(
            target=web.url_for("/inner.rss"),
            reason=f"{web.url_for('/inner.rss')} is a feed inside a feed; only one level is "
            "followed",
        ),
        Refusal(target="mailto:hi@launches.example", reason="is not an http(s) link"),
        Refusal(target="entry 7 (broken)", reason="has no link"),  # feedparser drops it
    ]
    alpha_requests = [request for request, _ in web.log if request.path == "/tools/alpha"]
    assert len(alpha_requests) == 1


def test_a_feed_with_errors_but_entries_has_them_read(web):
    body = rss(rss_item("alpha", "/tools/alpha")).replace("</channel></rss>", "<item><title>x")
    web.expect_request("/feed.rss").respond_with_data(body, content_type="application/rss+xml")

    assert names(WebImporter().read(web.url_for("/feed.rss"))) == ["Alpha"]


def test_a_malformed_feed_is_refused_on_one_line(web):
    web.expect_request("/feed.rss").respond_with_data(
        "<rss><channel><<<&&& not xml", content_type="application/rss+xml"
    )
    url = web.url_for("/feed.rss")
    with pytest.raises(ImportRefused, match=f"^{url} is not a readable feed: .+") as refused:
        WebImporter().read(url)
    assert "\n" not in str(refused.value)


def test_a_feed_body_naming_a_local_file_is_not_opened(web, tmp_path):
    local = tmp_path / "local.rss"
    local.write_text(rss(rss_item("alpha", web.url_for("/tools/alpha"))))
    web.expect_request("/feed.rss").respond_with_data(
        str(local), content_type="application/rss+xml"
    )
    with pytest.raises(ImportRefused, match="is not a readable feed"):
        WebImporter().read(web.url_for("/feed.rss"))


def test_entries_over_the_cap_are_skipped_and_said_so(web, monkeypatch):
    monkeypatch.setattr(feed_module, "FEED_MAX_ENTRIES", 2)
    body = rss(*(rss_item(name, f"/tools/{name}") for name in ("alpha", "beta", "gamma")))
    web.expect_request("/feed.rss").respond_with_data(body, content_type="application/rss+xml")
    url = web.url_for("/feed.rss")

    items = WebImporter().read(url)

    assert names(items) == ["Alpha", "Beta"]
    assert items[-1] == Refusal(
        target=url, reason="has 3 entries: 1 skipped, over FEED_MAX_ENTRIES (2)"
    )


def test_an_unchanged_feed_costs_one_304(web):
    body = rss(rss_item("alpha", "/tools/alpha"))
    headers = {"ETag": '"v1"', "Last-Modified": "Sun, 29 Nov 2026 10:00:00 GMT"}
    web.expect_oneshot_request("/feed.rss").respond_with_data(
        body, content_type="application/rss+xml", headers=headers
    )
    web.expect_oneshot_request(
        "/feed.rss",
        headers={"If-None-Match": '"v1"', "If-Modified-Since": headers["Last-Modified"]},
    ).respond_with_data("", status=304)
    url = web.url_for("/feed.rss")

    first = WebImporter().read_conditional(url, validators=Validators())
    second = WebImporter().read_conditional(url, validators=first.validators)

    assert names(first.items) == ["Alpha"]
    assert first.validators == Validators(etag='"v1"', last_modified=headers["Last-Modified"])
    assert second.items is None and second.validators == first.validators
    assert [request.path for request, _ in web.log].count("/tools/alpha") == 1


def test_a_local_feed_file_is_read_entry_by_entry(web, tmp_path):
    path = tmp_path / "launches.atom"
    path.write_text(
        atom(
            web.url_for("/tools/alpha"),
            "relative/page",
            "http://[broken/",
            web.url_for("/tools/beta"),
        )
    )

    items = FileImporter().read(str(path))

    assert names(items) == ["Alpha", "Beta"]
    assert items[1:3] == [
        Refusal(target=(tmp_path / "relative/page").as_uri(), reason="is not an http(s) link"),
        Refusal(target="http://[broken/", reason="is not an http(s) link"),
    ]
    assert FileImporter().can_import(str(path))
