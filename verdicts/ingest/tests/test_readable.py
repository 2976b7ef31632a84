import json

from verdicts.ingest.readable import LinkedData, Offer, meta_charset, page_read


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_the_visible_text_is_one_block_a_line_and_pre_keeps_its_lines():
    page = page_read(
        "<title>T</title><h1>Acme</h1><p>Reviews   your\n code.<br>Every day.</p>"
        "<ul><li>Fast</li><li>Local &amp; private</li></ul><pre>acme review\n  --all</pre>"
    )
    assert page.text == (
        "Acme\n\nReviews your code.\nEvery day.\n\nFast\n\nLocal & private\n\nacme review\n  --all"
    )


def test_hidden_content_comments_and_invisible_characters_are_never_read():
    hidden = [
        "<script>s1</script>",
        "<style>s2</style>",
        "<noscript>s3</noscript>",
        "<template><p>s4</p></template>",
        "<svg><text>s5</text></svg>",
        "<iframe>s6</iframe>",
        "<object>s7</object>",
        "<!-- s8 -->",
        "<p hidden>s9</p>",
        '<p aria-hidden="TRUE">s10</p>',
        '<p style="color:red; DISPLAY: none !important">s11</p>',
        '<p style="visibility:hidden">s12</p>',
        '<p style="font-size:0px">s13</p>',
        '<p style="opacity: 0.0">s14</p>',
        "<title>s18</title>",
        '<input type="hidden" value="s15"><div hidden><a href="https://github.com/x/y">s16</a></div>',
    ]
    invisible = "".join(
        chr(code)
        for code in [0x200B, 0x200F, 0x202A, 0x202E, 0x2060, 0x2064, 0x2066, 0x2069, 0xFEFF, 0xAD]
    )
    tag_block = "".join(chr(0xE0000 + ord(letter)) for letter in "obey me") + "\U000e007f"
    page = page_read(
        "<head><title>Acme</title><meta name=x content=s17></head><body>"
        + "".join(hidden)
        + f"<p>Vis{invisible}ible{tag_block}</p>"
        + '<p style="opacity:0.5">Half</p></body>'
    )
    assert page.text == "Visible\n\nHalf"
    assert page.links == ()


def test_the_page_metadata_is_read_from_head_and_json_ld():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Acme site", "url": "https://acme.example/"},
            {
                "@type": ["Product", "https://schema.org/SoftwareApplication"],
                "name": "Acme\u200b Review",
                "description": "  Reviews\n your code. ",
                "logo": {"@type": "ImageObject", "url": "/logo.png"},
                "image": ["/shot.png"],
                "license": {"@type": "CreativeWork", "url": "https://spdx.org/licenses/MIT.html"},
                "offers": [
                    {"@type": "Offer", "price": 0, "priceCurrency": "USD"},
                    {"@type": "AggregateOffer", "lowPrice": "20.00", "priceCurrency": "USD"},
                ],
                "codeRepository": "https://github.com/acme/review",
                "sameAs": ["https://x.example/acme", "https://github.com/acme"],
            },
        ],
    }
    html = (
        "<html><head><title> Acme | Home </title>"
        '<meta name="Description" content="Plain description">'
        '<meta property="og:title" content="Acme Review">'
        '<meta property="og:site_name" content="Acme">'
        '<meta property="og:description" content="OG description">'
        '<meta property="og:image" content="https://cdn.example/card.png">'
        '<meta property="og:url" content="https://acme.example/">'
        '<link rel="Canonical" href="/review"><link rel="shortcut icon" href="/favicon.ico">'
        + ld([{"@type": "Organization", "name": "Acme Inc"}])
        + "</head><body><svg><title>icon</title></svg>"
        + ld(graph)
        + "<p>Hi</p></body></html>"
    )
    meta = page_read(html).meta
    assert (meta.title, meta.description) == ("Acme | Home", "Plain description")
    assert (meta.og_title, meta.og_site_name, meta.og_description) == (
        "Acme Review",
        "Acme",
        "OG description",
    )
    assert (meta.og_image, meta.og_url) == ("https://cdn.example/card.png", "https://acme.example/")
    assert (meta.canonical, meta.icon) == ("/review", "/favicon.ico")
    organization, website, product = meta.linked_data
    assert organization == LinkedData(kind="Organization", name="Acme Inc")
    assert website.kind == "WebSite" and website.url == "https://acme.example/"
    assert product == LinkedData(
        kind="SoftwareApplication",
        name="Acme Review",
        description="Reviews your code.",
        logo="/logo.png",
        image="/shot.png",
        licence="https://spdx.org/licenses/MIT.html",
        offers=(Offer(price="0", currency="USD"), Offer(price="20.00", currency="USD")),
        code_repository="https://github.com/acme/review",
        same_as=("https://x.example/acme", "https://github.com/acme"),
    )


def test_a_malformed_json_ld_block_is_skipped_and_the_others_read():
    html = (
        '<script type="application/ld+json">{"@type": "Product", "name": </script>'
        '<script type="application/ld+json">' + "[" * 100_000 + "</script>"
        + ld({"@type": "Product", "name": [[[[[[["Too deep"]]]]]]], "url": {"url": "/x"}})
        + ld({"@type": "WebPage", "mainEntity": {"@type": "WebApplication", "name": "Acme"}})
        + ld({"@type": "Article", "name": "Not a tool"})
    )  # fmt: skip
    assert page_read(html).meta.linked_data == (
        LinkedData(kind="Product", url="/x"),
        LinkedData(kind="WebApplication", name="Acme"),
    )


def test_malformed_markup_still_gives_what_it_can():
    page = page_read(
        "<title>Acme</title><p>garbage <<< >>> <b>bold<i>both</b> text</div></span>"
        "<div><p>unclosed <a href='https://github.com/acme/review/issues'>repo\x00"
    )
    assert page.meta.title == "Acme"
    assert page.text == "garbage <<< >>> boldboth text\n\nunclosed repo"  # NUL dropped
    assert page.links == ("https://github.com/acme/review/issues",)


def test_a_charset_is_found_in_a_meta_tag_near_the_start():
    assert meta_charset(b'<html><meta charset="Windows-1252">') == "windows-1252"
    assert meta_charset(
        b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">'
    ) == ("iso-8859-15")
    assert meta_charset(b"<meta charset=utf-16le>") == "utf-8"
    assert meta_charset(b"<p>" + b" " * 5000 + b"<meta charset=koi8-r>") == ""


def test_a_json_ld_reference_to_another_node_is_not_taken_for_an_address():
    html = ld(
        {"@type": "Organization", "name": "Acme", "logo": {"@id": "https://acme.example/#logo"}}
    )
    assert page_read(html).meta.linked_data == (LinkedData(kind="Organization", name="Acme"),)
