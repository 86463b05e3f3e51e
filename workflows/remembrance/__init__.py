"""Remembrance, with consent (issue 17, docs/community-tools.md, "Remembrance"): a member names
the person they lost, in one community they are in, and nowhere else."""
