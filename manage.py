#!/usr/bin/env python
"""Django's command-line utility for the Neighborhood."""

import os
import sys
from pathlib import Path

# `site/` holds the Django project package `config`. It is not a package itself (the name would
# shadow the standard library's `site` module), so it goes on the path here, once.
sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
