"""What browsers and crawlers ask for at the root: the icons and robots.txt."""

import struct

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_a_real_icon_served_at_the_root(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    assert "max-age=31536000" in response["Cache-Control"]
    icon = b"".join(response.streaming_content) if response.streaming else response.content
    reserved, kind, count = struct.unpack_from("<HHH", icon)
    assert (reserved, kind) == (0, 1) and count >= 2
    sizes = set()
    for index in range(count):
        width, height, _, _, _, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", icon, 6 + 16 * index
        )
        assert bits == 32 and offset + length <= len(icon)
        sizes.add((width, height))
    assert {(16, 16), (32, 32)} <= sizes


def test_svg_icon_is_served(client):
    response = client.get("/static/common/favicon.svg")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()  # whitenoise streams files
    assert body.lstrip().startswith("<svg") and 'viewBox="0 0 32 32"' in body


def test_robots_points_at_the_sitemap_and_keeps_token_links_out(client, settings):
    settings.SITE_URL = "https://verdicts.example"
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "Sitemap: https://verdicts.example/sitemap.xml" in lines
    assert "Disallow: /digest/unsubscribe/" in lines
    assert "Disallow: /admin/" in lines
