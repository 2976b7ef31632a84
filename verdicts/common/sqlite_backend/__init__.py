"""Django's SQLite backend with its writers queued (verdicts/common/sqlite_writes.py)."""
