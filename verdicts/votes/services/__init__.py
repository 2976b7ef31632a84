"""Writes of community votes, by lifecycle: casting, limits and rankings."""
