"""Settings for bench/serve.py's server: the site's own, with the bench's trivial views routed."""

from verdicts.settings import *  # noqa: F403

ROOT_URLCONF = "bench._serve_urls"
