"""The steps of the daily pipeline, each a function of a DailyContext, and their item names."""

SOURCES = "sources"
TOUCHED = "tool"  # one item a tool an import created or updated in this run
VERIFICATION = "verification"
LOGOS = "logos"
EMBEDDINGS = "embeddings"
RIVALS = "rivals"
PANEL = "panel"
HEAD_TO_HEAD = "head-to-head"
BUDGET = "budget"  # the item that says this run stopped calling models
PUBLISH = "publish"
STEP = "step"  # one item a step once it has run to its end
