"""Accessibility checks on a rendered page's HTML: id references and landmark names."""

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
ID_REFERENCES = ("aria-describedby", "aria-errormessage", "aria-labelledby", "aria-controls")
LANDMARK_ROLES = {
    "banner", "complementary", "contentinfo", "form", "main", "navigation", "region", "search",
}  # fmt: skip
IMPLICIT_ROLES = {"nav": "navigation", "main": "main", "aside": "complementary", "search": "search"}
# header and footer are the page's banner and contentinfo only outside these.
SECTIONING = {"article", "aside", "main", "nav", "section"}


@dataclass
class Element:
    tag: str
    attrs: dict
    parent: "Element | None"
    children: list = field(default_factory=list)

    def text(self) -> str:
        return " ".join(
            " ".join(child.split()) if isinstance(child, str) else child.text()
            for child in self.children
        ).strip()

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID_TAGS:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Element:
    """The page as a tree of elements, good enough for attribute and text checks."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def broken_id_references(html: str) -> list[str]:
    """Each aria-* or label-for reference to a missing id, and each id used twice."""
    elements = list(parse(html).walk())
    counts = Counter(element.attrs["id"] for element in elements if element.attrs.get("id"))
    problems = [f'id "{name}" is used {count} times' for name, count in counts.items() if count > 1]
    for element in elements:
        references = [(attr, element.attrs.get(attr, "")) for attr in ID_REFERENCES]
        if element.tag == "label":
            references.append(("for", element.attrs.get("for", "")))
        for attr, value in references:
            problems += [
                f'<{element.tag} {attr}="{value}">: no element has id "{name}"'
                for name in value.split()
                if name not in counts
            ]
    return problems


def _role(element: Element) -> str:
    explicit = element.attrs.get("role", "").split()
    if explicit:
        return explicit[0]
    if element.tag in ("header", "footer"):
        ancestor = element.parent
        while ancestor is not None and ancestor.tag not in SECTIONING:
            ancestor = ancestor.parent
        if ancestor is None:
            return "banner" if element.tag == "header" else "contentinfo"
        return ""
    if element.tag in ("section", "form") and _named(element):
        return "region" if element.tag == "section" else "form"
    return IMPLICIT_ROLES.get(element.tag, "")


def _named(element: Element) -> bool:
    return bool(element.attrs.get("aria-label") or element.attrs.get("aria-labelledby"))


def _name(element: Element, by_id: dict[str, Element]) -> str:
    if element.attrs.get("aria-labelledby"):
        parts = element.attrs["aria-labelledby"].split()
        return " ".join(by_id[part].text() for part in parts if part in by_id)
    return " ".join(element.attrs.get("aria-label", "").split())


def landmarks(html: str) -> list[tuple[str, str]]:
    """(role, accessible name) of every landmark on the page, in document order."""
    elements = list(parse(html).walk())
    by_id = {element.attrs["id"]: element for element in elements if element.attrs.get("id")}
    found = []
    for element in elements:
        role = _role(element)
        if role in LANDMARK_ROLES:
            found.append((role, _name(element, by_id)))
    return found


def landmarks_sharing_a_name(html: str) -> list[tuple[str, str]]:
    """Landmarks a screen reader's landmark list could not tell apart: same role, same name."""
    counts = Counter(landmarks(html))
    return [landmark for landmark, count in counts.items() if count > 1]
