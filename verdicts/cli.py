"""The `verdicts` console command: Django's management commands under a friendly name."""

import os
import sys


def main() -> None:
    """Run a management command, e.g. `verdicts init` or `verdicts serve`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verdicts.settings")
    from django.core.management import execute_from_command_line

    from verdicts.env import SettingError

    argv = list(sys.argv)
    argv[0] = "verdicts"
    try:
        execute_from_command_line(argv)
    except SettingError as error:
        # A malformed environment variable: say which, not a traceback through the settings.
        sys.exit(f"verdicts: {error}")


if __name__ == "__main__":
    main()
