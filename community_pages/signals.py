"""Signals that community_pages sends, for the apps above it to react to (it imports none of
them; docs/architecture.md)."""

from django.dispatch import Signal

# Sent by provisioning (`provisioning.py`) for each community or Common Ground page it makes
# whole, inside its transaction, with `page=`. A receiver makes its own part of the space whole
# and returns a list of sentences, one per repair (`workflows` assigns the review workflow).
space_provisioned = Signal()

# Sent by `services.join_request_decide` once a request to join is admitted or declined, inside
# its transaction, with `join_request=` (`workflows` tells the person who asked).
join_request_decided = Signal()
