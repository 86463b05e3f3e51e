"""Writes, by domain: `moderation` (the review workflow), `elections` and `terms` (editors
follow their terms). Import from those modules."""
