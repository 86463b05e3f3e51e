"""Reads, by domain: `moderation` (who reviews a page) and `elections`. Import from those
modules (`models.moderation` imports `selectors.moderation`, so nothing is re-exported here)."""
