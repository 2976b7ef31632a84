"""A tool's logo (#15): fetched once from the intake's logo URL through the safe fetcher, on a
real loopback server; only a real PNG, JPEG or WebP within the caps is kept, stored locally
and served from the site with its digest as the ETag. Failures are recorded, never raised."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from werkzeug import Response

from verdicts.catalog.logos import LOGO_MAX_BYTES, LogoRejected, logo_image_check
from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.ingest.logos import RETRY_AFTER, tool_logo_fetch
from verdicts.ingest.models import ToolFactSource

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (32, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, format=kind)
    return out.getvalue()


@pytest.fixture
def logos(fetch_allows_httpserver, settings, tmp_path):
    """The loopback server, and a VAR_DIR of this test's own for the stored files."""
    settings.VAR_DIR = tmp_path
    return fetch_allows_httpserver


def tool_with_logo_fact(url: str) -> Tool:
    tool = ToolFactory(slug="acme-review")
    ToolFactSource.objects.create(
        tool=tool,
        fact="logo_url",
        value=url,
        source_url="https://acme.example/",
        read_at=timezone.now(),
    )
    return tool


def test_a_png_is_fetched_once_stored_locally_and_served_with_an_etag(logos, client, tmp_path):
    png = image_bytes()
    logos.expect_request("/logo.png").respond_with_data(png, content_type="image/png")
    url = logos.url_for("/logo.png")
    tool = tool_with_logo_fact(url)

    assert tool_logo_fetch(tool=tool) == f"logo stored from {url}"
    tool.refresh_from_db()
    assert (tool.logo_source, tool.logo_error) == (url, "")
    assert tool.logo.name.startswith("acme-review-") and tool.logo.name.endswith(".png")
    assert (tmp_path / "logos" / tool.logo.name).read_bytes() == png
    # Asked again, nothing is fetched: the server saw one request.
    assert tool_logo_fetch(tool=Tool.objects.get(pk=tool.pk)) == ""
    assert len(logos.log) == 1

    assert tool.logo_url == f"/tools/acme-review/logo?v={tool.logo_digest}"
    response = client.get(tool.logo_url)
    assert response.status_code == 200
    assert response.content == png and response["Content-Type"] == "image/png"
    assert response["ETag"] == f'"{tool.logo_digest}"'
    cache = response["Cache-Control"]
    assert "immutable" in cache and "max-age=31536000" in cache
    assert response["X-Content-Type-Options"] == "nosniff"
    again = client.get("/tools/acme-review/logo", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert "immutable" not in client.get("/tools/acme-review/logo")["Cache-Control"]


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (SVG, "image/svg+xml", "is image/svg+xml, not an accepted type"),
        (SVG, "image/png", "is not a readable image"),
        (image_bytes("GIF"), "image/png", "is GIF, not PNG, JPEG or WebP"),
        (image_bytes("PNG", (2000, 10)), "image/png", "is 2000x10 pixels, more than 1024 a side"),
        (b"\x89PNG" + b"0" * LOGO_MAX_BYTES, "image/png", f"larger than {LOGO_MAX_BYTES} bytes"),
    ],
)
def test_what_is_not_a_raster_logo_within_the_caps_is_recorded_not_kept(
    logos, client, body, content_type, reason
):
    logos.expect_request("/logo").respond_with_data(body, content_type=content_type)
    url = logos.url_for("/logo")
    tool = tool_with_logo_fact(url)

    note = tool_logo_fetch(tool=tool)

    assert note.startswith("logo not kept: ") and reason in note
    tool.refresh_from_db()
    assert (tool.logo.name, tool.logo_source, tool.logo_url) == ("", url, "")
    assert reason in tool.logo_error and tool.logo_fetched_at is not None
    assert client.get("/tools/acme-review/logo").status_code == 404


def test_a_failed_url_is_asked_again_only_a_week_later_and_a_fixed_one_replaces_nothing_kept(
    logos,
):
    logos.expect_request("/logo.webp").respond_with_response(Response("gone", status=404))
    url = logos.url_for("/logo.webp")
    tool = tool_with_logo_fact(url)
    assert "HTTP 404" in tool_logo_fetch(tool=tool)
    tool.refresh_from_db()
    assert tool_logo_fetch(tool=tool, now=timezone.now() + datetime.timedelta(days=1)) == ""
    assert len(logos.log) == 1

    logos.clear()
    webp = image_bytes("WEBP")
    logos.expect_request("/logo.webp").respond_with_data(webp, content_type="image/webp")
    later = timezone.now() + RETRY_AFTER + datetime.timedelta(minutes=1)
    assert tool_logo_fetch(tool=tool, now=later) == f"logo stored from {url}"
    tool.refresh_from_db()
    assert tool.logo.name.endswith(".webp") and tool.logo_error == ""


def test_a_tool_without_a_logo_url_or_with_an_address_the_fetcher_refuses(logos, settings):
    plain = ToolFactory()
    assert tool_logo_fetch(tool=plain) == ""
    settings.VERDICTS_FETCH_ALLOW_HOSTS = []
    tool = tool_with_logo_fact(logos.url_for("/logo.png"))
    note = tool_logo_fetch(tool=tool)
    assert note.startswith("logo not kept: refused")
    assert logos.log == []


def test_the_image_check_takes_jpeg_and_refuses_garbage():
    assert logo_image_check(content=image_bytes("JPEG")) == "jpg"
    with pytest.raises(LogoRejected, match="not a readable image"):
        logo_image_check(content=b"<html>not an image</html>")


def test_a_draft_tools_logo_is_served_to_staff_alone_and_never_to_a_shared_cache(
    logos, client, admin_client
):
    logos.expect_request("/logo.png").respond_with_data(image_bytes(), content_type="image/png")
    tool = tool_with_logo_fact(logos.url_for("/logo.png"))
    tool_logo_fetch(tool=tool)
    Tool.objects.filter(pk=tool.pk).update(status=Tool.Status.DRAFT)
    tool.refresh_from_db()
    assert client.get(tool.logo_url).status_code == 404
    # The admin's preview of the draft, at the address its change page shows.
    change = admin_client.get(f"/admin/catalog/tool/{tool.pk}/change/").content.decode()
    assert tool.logo_url.replace("&", "&amp;") in change
    preview = admin_client.get(tool.logo_url)
    assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
    assert "private" in preview["Cache-Control"] and "public" not in preview["Cache-Control"]


def test_the_logos_command_fetches_each_due_logo_once(logos):
    logos.expect_request("/logo.png").respond_with_data(image_bytes(), content_type="image/png")
    tool_with_logo_fact(logos.url_for("/logo.png"))
    ToolFactory(slug="no-logo")
    out = io.StringIO()
    call_command("logos", stdout=out)
    assert out.getvalue().splitlines() == [
        f"acme-review: logo stored from {logos.url_for('/logo.png')}",
        "1 logo(s) stored, 0 not kept",
    ]
    out = io.StringIO()
    call_command("logos", "acme-review", stdout=out)
    assert out.getvalue().splitlines() == ["0 logo(s) stored, 0 not kept"]
    assert len(logos.log) == 1
