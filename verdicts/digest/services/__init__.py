"""Writes of the weekly email, by lifecycle: subscriptions, issues and the outbox."""
