"""Writes, by domain: `moderation` (the review workflow), `elections`, `terms` (editors follow
their terms) and `scheduled` (the job that applies windows and terms). Import from those
modules."""
