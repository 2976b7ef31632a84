"""Settings for `verdicts` subprocesses of a multi-worker test: the real settings, with Huey's
queue named for that test run alone, so that its Redis keys collide with nobody's."""

import os

from verdicts.settings import *  # noqa: F403
from verdicts.settings import HUEY

HUEY = {**HUEY, "name": os.environ["VERDICTS_TEST_HUEY_NAME"]}
