"""Writes to the panel, one module per lifecycle: editorial, config, runs, spend and jobs."""
