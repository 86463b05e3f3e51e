"""The production settings, with the demo allowed: only for loading the demo into the
deployment test's own database (tests/deploy/stack.py). The app servers use
`config.settings.production` itself."""

from config.settings.production import *  # noqa: F403

NEIGHBORHOOD_ALLOW_DEMO = True
# The demo's own background work (Wagtail's search and reference index updates of every page it
# makes) is done while loading, not left as a few hundred rows ahead of the worker's first task.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
