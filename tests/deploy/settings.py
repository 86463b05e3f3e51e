"""The production settings, with the demo allowed: only for loading the demo into the
deployment test's own database (tests/deploy/stack.py). The app servers use
`config.settings.production` itself."""

from config.settings.production import *  # noqa: F403

NEIGHBORHOOD_ALLOW_DEMO = True
