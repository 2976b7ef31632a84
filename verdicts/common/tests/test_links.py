"""The `web_url` filter lets only absolute http(s) URLs become links."""

import pytest
from django.template import Context, Template

from verdicts.common.templatetags.links import web_url


@pytest.mark.parametrize(
    "url",
    ["https://acme.example", "http://acme.example/a?b=c#d", "HTTPS://ACME.EXAMPLE/x"],
)
def test_http_and_https_urls_pass(url):
    assert web_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:x",
        "file:///etc/passwd",
        "//evil.example/x",
        "/relative/path",
        "https://",
        "http:///path",
        "http://[::1",
        "https://acme.example/\x00",
        "",
        None,
    ],
)
def test_everything_else_is_no_link(url):
    assert web_url(url) == ""


def test_a_template_renders_a_refused_url_as_text():
    template = Template(
        "{% load links %}{% with url=value|web_url %}"
        '{% if url %}<a href="{{ url }}">{{ url }}</a>{% else %}{{ value }}{% endif %}{% endwith %}'
    )
    assert template.render(Context({"value": "javascript:alert(1)"})) == "javascript:alert(1)"
    assert (
        template.render(Context({"value": 'https://a.example/"x'}))
        == '<a href="https://a.example/&quot;x">https://a.example/&quot;x</a>'
    )
