"""What the starter loader has loaded once."""

from django.db import models


class StarterItem(models.Model):
    """A starter-catalog entry that `verdicts init` has loaded once, so it is never loaded again.

    Keeping the key, not the row, means an editor's edit or deletion survives every later init.
    """

    key = models.CharField(max_length=200, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
