"""What a reader sees on an HTML page: its visible text, and the metadata the page declares.

One extraction for every importer and for `verdicts ingest docs`, on selectolax's lexbor parser
(which, like a browser, makes a tree of any markup, however broken). The text is the page's
visible text, one block a line with a blank line between blocks, `<pre>` kept as written.
Content a reader does not see is never read, so a page cannot slip instructions to the panel
through it: scripts, styles, templates, frames, SVG and the head; HTML comments; elements marked
`hidden`, `aria-hidden="true"` or styled invisible (display:none, visibility:hidden,
font-size:0, opacity:0); hidden inputs; and zero-width and other invisible characters.

URLs are returned as the page wrote them; the caller resolves them against the page's URL.
"""

import json
import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

# A <title> outside the head is not shown either; browsers hide it.
HIDDEN_TAGS = {
    "script", "style", "noscript", "template", "svg", "iframe", "object", "head", "title",
}  # fmt: skip
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "pre", "blockquote",
    "table", "tr", "td", "th", "figure", "figcaption", "form", "fieldset", "details", "summary",
    "address", "caption",
}  # fmt: skip
INVISIBLE_CHARACTERS = re.compile(
    "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
)
# Stands in for a line break inside <pre> while the page's other lines are tidied.
PRE_NEWLINE = "\ue000"
WHITESPACE = re.compile(r"\s+")
HIDING_STYLES = {
    "display": re.compile(r"none"),
    "visibility": re.compile(r"hidden|collapse"),
    "font-size": re.compile(r"(0+(\.0*)?|\.0+)([a-z]+|%)?"),
    "opacity": re.compile(r"(0+(\.0*)?|\.0+)%?"),
}
META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
CHARSET_SNIFF_BYTES = 4096
# Most specific first: an entity typed both Product and SoftwareApplication is the latter.
LINKED_DATA_TYPES = ("SoftwareApplication", "WebApplication", "Product", "Organization", "WebSite")


@dataclass(frozen=True)
class Offer:
    price: str  # as the page wrote it: "20", "19.99", "0"
    currency: str = ""


@dataclass(frozen=True)
class LinkedData:
    """One JSON-LD entity of a type that describes a tool or its maker."""

    kind: str  # "SoftwareApplication", "Product", "Organization"...
    name: str = ""
    description: str = ""
    url: str = ""
    logo: str = ""
    image: str = ""
    licence: str = ""
    offers: tuple[Offer, ...] = ()
    code_repository: str = ""
    same_as: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageMeta:
    title: str = ""
    description: str = ""  # <meta name="description">
    og_title: str = ""
    og_site_name: str = ""
    og_description: str = ""
    og_image: str = ""
    og_url: str = ""
    canonical: str = ""  # <link rel="canonical">
    icon: str = ""  # <link rel="icon">
    linked_data: tuple[LinkedData, ...] = ()  # in page order


@dataclass(frozen=True)
class ReadablePage:
    text: str
    meta: PageMeta
    links: tuple[str, ...] = ()  # every visible <a href>, in page order


def clean(text: str) -> str:
    """Text without invisible characters, its white space collapsed."""
    return WHITESPACE.sub(" ", INVISIBLE_CHARACTERS.sub("", text)).strip()


def meta_charset(body: bytes) -> str:
    """The charset a page's <meta charset> or http-equiv declares near its start, or ""."""
    found = META_CHARSET.search(body[:CHARSET_SNIFF_BYTES])
    if not found:
        return ""
    label = found.group(1).decode("ascii").lower()
    # A page whose <meta> could be read as ASCII is not UTF-16, whatever it says (HTML spec).
    return "utf-8" if label.startswith(("utf-16", "utf-32")) else label


def style_hides(style: str) -> bool:
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        pattern = HIDING_STYLES.get(name.strip().lower())
        value = value.lower().replace("!important", "").strip()
        if pattern is not None and pattern.fullmatch(value):
            return True
    return False


def is_hidden(node: LexborNode) -> bool:
    if node.tag in HIDDEN_TAGS:
        return True
    attributes = node.attributes
    if "hidden" in attributes:
        return True
    if (attributes.get("aria-hidden") or "").strip().lower() == "true":
        return True
    if node.tag == "input" and (attributes.get("type") or "").strip().lower() == "hidden":
        return True
    return style_hides(attributes.get("style") or "")


def visible_text_and_links(root: LexborNode) -> tuple[str, tuple[str, ...]]:
    """Walked with a stack, not recursion, so a page nested thousands deep is still read."""
    parts: list[str] = []
    links: list[str] = []
    preformatted = 0
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            if node.tag == "pre":
                preformatted -= 1
            if node.tag in BLOCK_TAGS:
                parts.append("\n")
            continue
        if node.is_text_node:
            text = INVISIBLE_CHARACTERS.sub("", (node.text_content or "").replace(PRE_NEWLINE, ""))
            if preformatted:
                parts.append(text.replace("\n", PRE_NEWLINE))
            else:
                parts.append(WHITESPACE.sub(" ", text))
            continue
        if not node.is_element_node or is_hidden(node):
            continue
        if node.tag == "br":
            parts.append(PRE_NEWLINE if preformatted else "\n")
            continue
        if node.tag == "a" and (node.attributes.get("href") or "").strip():
            links.append(node.attributes["href"].strip())
        if node.tag in BLOCK_TAGS:
            parts.append("\n")
        if node.tag == "pre":
            preformatted += 1
        stack.append((node, True))
        children = list(node.iter(include_text=True))
        stack.extend((child, False) for child in reversed(children))
    lines = (line.strip() for line in "".join(parts).split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text.replace(PRE_NEWLINE, "\n"), tuple(links)


def inside_svg(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "svg":
            return True
        parent = parent.parent
    return False


def first_string(value: object, depth: int = 0) -> str:
    """A JSON-LD value as one string: itself, the first of a list, or a node's url or name.

    A node's @id is not taken: it names the node (often "#logo"), not the thing's address.
    Values nested deeper than a few levels are not a name or a URL, and would exhaust the stack.
    """
    if depth > 3:
        return ""
    if isinstance(value, list):
        return next((found for item in value if (found := first_string(item, depth + 1))), "")
    if isinstance(value, dict):
        for key in ("url", "contentUrl", "@value", "name"):
            if found := first_string(value.get(key), depth + 1):
                return found
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float | str):
        return clean(str(value))
    return ""


def strings(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(found for item in items if (found := first_string(item)))


def offers_from(value: object) -> tuple[Offer, ...]:
    offers = []
    for item in value if isinstance(value, list) else [value]:
        if not isinstance(item, dict):
            continue
        price = first_string(item.get("price", item.get("lowPrice")))
        if price:
            offers.append(Offer(price=price, currency=first_string(item.get("priceCurrency"))))
    return tuple(offers)


def type_names(node: dict) -> set[str]:
    """Its @type names without a schema.org prefix ("https://schema.org/Product" is "Product")."""
    return {re.sub(r"^.*[/:]", "", name) for name in strings(node.get("@type"))}


def linked_data_from(value: object, found: list[LinkedData], depth: int = 0) -> None:
    """The wanted entities in a JSON-LD value: a node, a list of nodes, or a @graph."""
    if depth > 4:
        return
    if isinstance(value, list):
        for item in value:
            linked_data_from(item, found, depth + 1)
        return
    if not isinstance(value, dict):
        return
    linked_data_from(value.get("@graph"), found, depth + 1)
    kinds = type_names(value)
    kind = next((name for name in LINKED_DATA_TYPES if name in kinds), "")
    if kind:
        found.append(
            LinkedData(
                kind=kind,
                name=first_string(value.get("name")),
                description=first_string(value.get("description")),
                url=first_string(value.get("url")),
                logo=first_string(value.get("logo")),
                image=first_string(value.get("image")),
                licence=first_string(value.get("license")),
                offers=offers_from(value.get("offers")),
                code_repository=first_string(value.get("codeRepository")),
                same_as=strings(value.get("sameAs")),
            )
        )
    # A WebPage's subject is often the tool itself.
    linked_data_from(value.get("mainEntity"), found, depth + 1)


def linked_data_read(tree: LexborHTMLParser) -> tuple[LinkedData, ...]:
    found: list[LinkedData] = []
    for script in tree.css("script"):
        if (script.attributes.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text(deep=True) or "")
        except (ValueError, RecursionError):
            continue  # A broken block tells nothing; the page's other metadata still counts.
        linked_data_from(data, found)
    return tuple(found)


def meta_read(tree: LexborHTMLParser) -> PageMeta:
    title = next((clean(node.text()) for node in tree.css("title") if not inside_svg(node)), "")
    named: dict[str, str] = {}
    for node in tree.css("meta"):
        key = (node.attributes.get("property") or node.attributes.get("name") or "").strip()
        content = clean(node.attributes.get("content") or "")
        if key and content and key.lower() not in named:
            named[key.lower()] = content
    links: dict[str, str] = {}
    for node in tree.css("link"):
        href = (node.attributes.get("href") or "").strip()
        for relation in (node.attributes.get("rel") or "").lower().split():
            if href and relation not in links:
                links[relation] = href
    return PageMeta(
        title=title,
        description=named.get("description", ""),
        og_title=named.get("og:title", ""),
        og_site_name=named.get("og:site_name", ""),
        og_description=named.get("og:description", ""),
        og_image=named.get("og:image", ""),
        og_url=named.get("og:url", ""),
        canonical=links.get("canonical", ""),
        icon=links.get("icon", ""),
        linked_data=linked_data_read(tree),
    )


def page_read(html: str) -> ReadablePage:
    """The page's visible text, its visible links and its metadata; never raises on bad markup."""
    tree = LexborHTMLParser(html)
    meta = meta_read(tree)
    if tree.root is None:
        return ReadablePage(text="", meta=meta)
    text, links = visible_text_and_links(tree.root)
    return ReadablePage(text=text, meta=meta, links=links)
