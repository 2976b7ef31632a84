"""Verdicts that live: what the dossier held at each review, and the changes they make."""
