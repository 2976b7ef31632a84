"""What the page-quality gates share (docs/quality.md): where the pinned npm checks live, the
pages they check and the size limits; used by test_quality_gates.py and bench/lighthouse.py."""

from pathlib import Path

WEB_CHECKS = Path(__file__).resolve().parent / "web-checks"
NODE_MODULES = WEB_CHECKS / "node_modules"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
# One page of every public type, on the starter catalog.
PAGES = {
    "comparison": "/compare/claude-4-sonnet-vs-smolvlm-3b/",
    "tool": "/tools/claude-4-sonnet/",
    "tools": "/tools/",
    "home": "/",
    "comparisons": "/compare/",
    "categories": "/categories/",
    "category": "/categories/foundation-models/",
    "rankings": "/rankings/",
    "panel": "/panel/",
    "persona": "/panel/skeptic/",
    "methodology": "/methodology/",
    "search": "/search?q=ollama",
}
# The pages issue 15 set Lighthouse goals for.
LIGHTHOUSE_PAGES = {name: PAGES[name] for name in ("comparison", "tool", "tools", "home")}
COMPARISON = PAGES["comparison"]
# The comparison page's HTML, and everything a first load of it moves.
HTML_LIMIT = 60 * 1024
FIRST_LOAD_LIMIT = 100 * 1024
