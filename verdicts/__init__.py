"""Verdicts: which AI tool should you ship with?"""
