"""Django settings for Verdicts; everything that varies is read from the environment."""

from pathlib import Path

import dj_database_url

from verdicts.env import (
    code_release,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_ports,
    env_str,
    proxy_ssl_header,
    refuse_weak_secret_key,
    secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VERDICTS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Production: debug off and the public URL is https. Then HTTPS defaults turn on (below) and a
# weak SECRET_KEY stops the start instead of signing sessions and links with it.
SITE_IS_HTTPS = SITE_URL.startswith("https://")
PRODUCTION = SITE_IS_HTTPS and not DEBUG
SECRET_KEY = secret_key(VAR_DIR)
if PRODUCTION:
    refuse_weak_secret_key(SECRET_KEY)
SITE_NAME = "Verdicts"

INSTALLED_APPS = [
    # Django's admin on a site whose login is throttled (verdicts/core/adminsite.py).
    "verdicts.core.adminapp.ThrottledAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "huey.contrib.djhuey",
    "ninja",
    "verdicts.core",
    "verdicts.common",
    "verdicts.catalog",
    "verdicts.panel",
    "verdicts.panel.steering",
    "verdicts.votes",
    "verdicts.similar",
    "verdicts.search",
    "verdicts.compare",
    "verdicts.digest",
    "verdicts.ingest",
    "verdicts.daily",
    "verdicts.pages",
    "verdicts.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what the page cache below does not answer itself (it stores pages gzipped).
    # BREACH needs a secret in a compressed body beside text an attacker controls: reader
    # pages hold no CSRF token (verdicts/common/csrf.py) and no reader's own state, and this
    # middleware also pads the gzip header by a random length (docs/quality.md).
    "django.middleware.gzip.GZipMiddleware",
    # Serves stored reader pages before the rest of the stack runs (verdicts/common/page_cache.py).
    "verdicts.common.page_cache.PageCacheMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Sec-Fetch-Site and Origin first, Django's token only when a client sends neither.
    "verdicts.common.csrf.FetchMetadataCsrfMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "verdicts.urls"
WSGI_APPLICATION = "verdicts.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "verdicts.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite under var/ by default, anything dj-database-url reads otherwise.
DEFAULT_SQLITE_PATH = VAR_DIR / "verdicts.sqlite3"
SQLITE_ENGINE = "verdicts.common.sqlite_backend"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open between requests: opening one and running the PRAGMAs below costs about
    # 1.6 ms, several times what a stored page costs to answer.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a transaction takes the write lock when it begins, so concurrent
        # writers wait on busy_timeout instead of failing with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # Django's SQLite backend with its writers queued on a lock file beside the database, so
    # that a waiting writer wakes when the lock is free (verdicts/common/sqlite_writes.py).
    DATABASES["default"]["ENGINE"] = SQLITE_ENGINE
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Prepared statements for the stamp read alone, the one query of a stored page
    # (verdicts/common/content_versions.py): Django's own cursors bind on the client, which
    # never prepares. Off for a pooler that cannot hold them (PgBouncer before 1.22 in
    # transaction mode): docs/deploy.md.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        0 if env_bool("DATABASE_PREPARED_STATEMENTS", True) else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, else each process's memory. Nothing that workers must
# share lives in the default cache without Redis: rate-limit counters go to a table of their own
# (verdicts/common/ratelimit.py) and page freshness to the content stamps. Stored reader pages:
# in each process's memory (a per-process copy is never stale, only rendered once per process),
# in Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_ENTRIES = env_int("PAGE_CACHE_ENTRIES", 2_000)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
        PAGE_CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pages",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        PAGE_CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "verdicts-pages",
            "OPTIONS": {"MAX_ENTRIES": PAGE_CACHE_ENTRIES},
        },
    }
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
# URL namespaces whose GET answers are stored for readers without cookies of their own.
PAGE_CACHE_NAMESPACES = ("pages", "api")
PAGE_CACHE_PERSONAL_COOKIES = ("sessionid", "verdicts_voter")
# How long a stored page may sit unread before it is dropped; it is never served stale.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 24 * 3600)
# What shared caches (nginx, a CDN) and browsers are told: browsers revalidate every time
# (ETag makes that a 304), a proxy may hold a page a few seconds and serve it while refetching.
PAGE_CACHE_BROWSER_SECONDS = env_int("PAGE_CACHE_BROWSER_SECONDS", 0)
PAGE_CACHE_SHARED_SECONDS = env_int("PAGE_CACHE_SHARED_SECONDS", 5)
PAGE_CACHE_STALE_SECONDS = env_int("PAGE_CACHE_STALE_SECONDS", 30)
# Part of every stored page's key, so a release's new templates are never answered with the last
# release's pages: by default a fingerprint of the code; set it per deploy where many machines
# share the pages in Redis, so they share one key space.
PAGE_CACHE_RELEASE = env_str("PAGE_CACHE_RELEASE") or code_release(BASE_DIR / "verdicts")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security headers; HTTPS-only cookies, HSTS and the redirect to https when SITE_URL is https.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SITE_IS_HTTPS
CSRF_COOKIE_SECURE = SITE_IS_HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if SITE_IS_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SITE_IS_HTTPS)
# The header a TLS-terminating proxy sets (and overwrites) to say the request came over https.
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(
    "SECURE_PROXY_SSL_HEADER", env_str("SECURE_PROXY_SSL_HEADER")
)
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Email: files under var/mail by default so nothing leaves the machine; SMTP via EMAIL_URL.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Verdicts <verdicts@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    from verdicts.core.mailconfig import smtp_mailer_from_url

    MAILERS = {"default": smtp_mailer_from_url(EMAIL_URL)}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }

# Background work: Huey on SQLite under var/ by default, Redis when HUEY_REDIS_URL is set.
HUEY_REDIS_URL = env_str("HUEY_REDIS_URL")
if HUEY_REDIS_URL:
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": "verdicts",
        "url": HUEY_REDIS_URL,
        "immediate": False,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "verdicts",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }
HUEY["consumer"] = {"workers": env_int("VERDICTS_WORKER_THREADS", 8), "worker_type": "thread"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Huey's consumer adds its own handler to a "huey" logger that has none, on top of the
        # root's: give it ours and stop it propagating, so each line is printed once.
        "huey": {"handlers": ["console"], "propagate": False},
    },
}

# Serving. Behind a reverse proxy, list its addresses so the client's own address is read
# from X-Forwarded-For (rate limits, abuse checks); nobody else can set that header.
VERDICTS_WEB_WORKERS = env_int("VERDICTS_WEB_WORKERS", 3)
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

# Weekly digest: when the periodic job builds and sends (UTC, "mon 08:00"; "off" disables it),
# which MAILERS alias carries it, and how long a sender's claim on one message lasts.
VERDICTS_DIGEST_SCHEDULE = env_str("VERDICTS_DIGEST_SCHEDULE", "mon 08:00")
VERDICTS_DIGEST_MAILER = env_str("VERDICTS_DIGEST_MAILER", "default")
VERDICTS_DIGEST_LEASE_SECONDS = env_int("VERDICTS_DIGEST_LEASE_SECONDS", 120)
VERDICTS_SIGNUPS_PER_HOUR = env_int("VERDICTS_SIGNUPS_PER_HOUR", 10)

# Admin login throttling: failed logins allowed per account and per client address in one
# window (seconds); past either, the login form answers 429, even to the right password.
VERDICTS_ADMIN_LOGIN_WINDOW = env_int("VERDICTS_ADMIN_LOGIN_WINDOW", 900)
VERDICTS_ADMIN_LOGIN_FAILURES_PER_ACCOUNT = env_int("VERDICTS_ADMIN_LOGIN_FAILURES_PER_ACCOUNT", 5)
VERDICTS_ADMIN_LOGIN_FAILURES_PER_ADDRESS = env_int("VERDICTS_ADMIN_LOGIN_FAILURES_PER_ADDRESS", 20)

# Pricing: a plan's price is marked stale when nobody has checked it for this many days.
VERDICTS_PRICE_STALE_DAYS = env_int("VERDICTS_PRICE_STALE_DAYS", 90)

# Similar tools: the score (0 to 1) a published alternative needs to count as a tool's rival.
VERDICTS_RIVAL_THRESHOLD = env_float("VERDICTS_RIVAL_THRESHOLD", 0.48)

# Community votes and rankings.
VOTES_PROVISIONAL_BELOW = env_int("VOTES_PROVISIONAL_BELOW", 30)
VOTES_RATE_WINDOW = env_int("VOTES_RATE_WINDOW", 60)
VOTES_RATE_PER_VOTER = env_int("VOTES_RATE_PER_VOTER", 30)
VOTES_RATE_PER_ADDRESS = env_int("VOTES_RATE_PER_ADDRESS", 120)
VOTES_BALLOTS_PER_ADDRESS = env_int("VOTES_BALLOTS_PER_ADDRESS", 10)
VOTES_NEW_VOTERS_PER_ADDRESS = env_int("VOTES_NEW_VOTERS_PER_ADDRESS", 20)
VOTES_RECEIPT_HOURS = env_int("VOTES_RECEIPT_HOURS", 24)
VOTES_RANKING_MINUTES = env_int("VOTES_RANKING_MINUTES", 10)
VOTES_BOOTSTRAP_SAMPLES = env_int("VOTES_BOOTSTRAP_SAMPLES", 200)

# Reviewer panel (LLM). Model strings: anthropic:<model>, openai:<model>, ollama:<model>, or
# <base-url>#<model> for any OpenAI-compatible server. Times are seconds; money is US dollars.
VERDICTS_PANEL_MODEL = env_str("VERDICTS_PANEL_MODEL")
# persona=model pairs (skeptic=openai:gpt-4o,...): a persona's own model, over the default.
VERDICTS_PANEL_MODELS = env_list("VERDICTS_PANEL_MODELS", [])
# provider=mode pairs; an entry without "=" keeps an empty mode, which the system check reports.
VERDICTS_LLM_OUTPUT_MODES = dict(
    item.partition("=")[::2] for item in env_list("VERDICTS_LLM_OUTPUT_MODES", [])
)
VERDICTS_PANEL_TIMEOUT = env_int("VERDICTS_PANEL_TIMEOUT", 90)
VERDICTS_PANEL_MAX_ATTEMPTS = env_int("VERDICTS_PANEL_MAX_ATTEMPTS", 4)
VERDICTS_PANEL_OUTPUT_RETRIES = env_int("VERDICTS_PANEL_OUTPUT_RETRIES", 2)
VERDICTS_PANEL_BACKOFF = env_int("VERDICTS_PANEL_BACKOFF", 2)
VERDICTS_PANEL_BACKOFF_CAP = env_int("VERDICTS_PANEL_BACKOFF_CAP", 60)
VERDICTS_PANEL_MAX_WAIT = env_int("VERDICTS_PANEL_MAX_WAIT", 120)
VERDICTS_PANEL_MONTHLY_BUDGET_USD = env_str("VERDICTS_PANEL_MONTHLY_BUDGET_USD", "25")
VERDICTS_PANEL_DOSSIER_MAX_CHARS = env_int("VERDICTS_PANEL_DOSSIER_MAX_CHARS", 12000)
VERDICTS_PANEL_MAX_OUTPUT_TOKENS = env_int("VERDICTS_PANEL_MAX_OUTPUT_TOKENS", 1500)
VERDICTS_PANEL_CONCURRENCY = env_int("VERDICTS_PANEL_CONCURRENCY", 8)
VERDICTS_PANEL_WORKER_WAIT = env_int("VERDICTS_PANEL_WORKER_WAIT", 5)
# A running self-audit with no heartbeat for this long is failed by the sweeper.
VERDICTS_PANEL_AUDIT_STALE = env_int("VERDICTS_PANEL_AUDIT_STALE", 600)
# Dollars per million tokens, by model name or full model string; VERDICTS_LLM_PRICES (JSON)
# adds or replaces entries. A model with no entry costs nothing against the budget.
VERDICTS_LLM_PRICES = {
    "claude-sonnet-4-5": {"input": 3, "cached_input": 0.3, "cache_write": 3.75, "output": 15},
    "claude-sonnet-4-0": {"input": 3, "cached_input": 0.3, "cache_write": 3.75, "output": 15},
    "claude-haiku-4-5": {"input": 1, "cached_input": 0.1, "cache_write": 1.25, "output": 5},
    "claude-opus-4-1": {"input": 15, "cached_input": 1.5, "cache_write": 18.75, "output": 75},
    "gpt-4o": {"input": 2.5, "cached_input": 1.25, "output": 10},
    "gpt-4o-mini": {"input": 0.15, "cached_input": 0.075, "output": 0.6},
    "gpt-4.1": {"input": 2, "cached_input": 0.5, "output": 8},
    "gpt-4.1-mini": {"input": 0.4, "cached_input": 0.1, "output": 1.6},
}
VERDICTS_LLM_PRICES_JSON = env_str("VERDICTS_LLM_PRICES")
# Model providers' keys and base URLs, from their usual variables; the llm layer reads none itself.
VERDICTS_LLM_ANTHROPIC_API_KEY = env_str("ANTHROPIC_API_KEY")
VERDICTS_LLM_ANTHROPIC_BASE_URL = env_str("ANTHROPIC_BASE_URL")
VERDICTS_LLM_OPENAI_API_KEY = env_str("OPENAI_API_KEY")
VERDICTS_LLM_OPENAI_BASE_URL = env_str("OPENAI_BASE_URL")
VERDICTS_LLM_OLLAMA_BASE_URL = env_str("OLLAMA_BASE_URL")
VERDICTS_LLM_API_KEY = env_str("VERDICTS_LLM_API_KEY")

# Imported documentation (verdicts ingest docs): the longest text a document may hold, the
# largest file or download read to get it, and how long a download may take (seconds).
VERDICTS_DOCUMENT_MAX_CHARS = env_int("VERDICTS_DOCUMENT_MAX_CHARS", 200_000)
VERDICTS_DOCUMENT_MAX_BYTES = env_int("VERDICTS_DOCUMENT_MAX_BYTES", 2_000_000)
VERDICTS_DOCUMENT_FETCH_TIMEOUT = env_int("VERDICTS_DOCUMENT_FETCH_TIMEOUT", 20)

# The one fetcher of outside URLs (verdicts/common/fetch.py): the ports it may connect to, and
# the internal hosts (host[:port], as written in URLs) it may reach despite its address checks.
VERDICTS_FETCH_ALLOWED_PORTS = env_ports("VERDICTS_FETCH_ALLOWED_PORTS", [80, 443])
VERDICTS_FETCH_ALLOW_HOSTS = env_list("VERDICTS_FETCH_ALLOW_HOSTS", [])

# Tool importers (verdicts import): the Python package index whose JSON API `pypi:<name>` reads.
VERDICTS_PACKAGE_INDEX_URL = env_str("VERDICTS_PACKAGE_INDEX_URL", "https://pypi.org")
# Registry importers (verdicts import hf:..., github:...): the APIs' base URLs, and optional
# tokens, sent as a Bearer token to those APIs alone, for their higher rate limits.
VERDICTS_HF_API_URL = env_str("VERDICTS_HF_API_URL", "https://huggingface.co")
VERDICTS_GITHUB_API_URL = env_str("VERDICTS_GITHUB_API_URL", "https://api.github.com")
HF_TOKEN = env_str("HF_TOKEN")
GITHUB_TOKEN = env_str("GITHUB_TOKEN")

# Daily pipeline (verdicts daily, and the worker's periodic job): when the worker runs it (UTC
# "HH:MM"; "off" disables the periodic job), whether it publishes comparisons whose panel
# completed ("auto") or leaves everything in the editors' review queue ("review"), and how long
# a run's heartbeat may stop (seconds) before the next start takes it over and resumes it.
VERDICTS_DAILY_SCHEDULE = env_str("VERDICTS_DAILY_SCHEDULE", "05:30")
VERDICTS_DAILY_PUBLISH = env_str("VERDICTS_DAILY_PUBLISH", "review")
VERDICTS_DAILY_LEASE_SECONDS = env_int("VERDICTS_DAILY_LEASE_SECONDS", 600)
