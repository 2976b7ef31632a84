import pytest
from django.core.exceptions import ImproperlyConfigured

from verdicts.digest.tasks import weekly_schedule


def test_weekly_schedule_parses_and_refuses_nonsense():
    assert weekly_schedule("mon 08:00") == {"day_of_week": "1", "hour": "8", "minute": "0"}
    assert weekly_schedule("Sunday 23:59") == {"day_of_week": "0", "hour": "23", "minute": "59"}
    assert weekly_schedule("off") is None
    for bad in ("monday", "mon 25:00", "funday 08:00", "mon 8"):
        with pytest.raises(ImproperlyConfigured):
            weekly_schedule(bad)
