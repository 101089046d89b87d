#!/usr/bin/env python
"""Django's command-line utility; puts site/ on the import path first."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def main():
    # `site` is the standard library's module name, so the source folder is
    # added to the path rather than imported as a package.
    sys.path.insert(0, str(ROOT / "site"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
