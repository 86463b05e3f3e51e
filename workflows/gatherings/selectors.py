"""Reads of gatherings. Who may see a gathering is the space's rule (`workflows.spaces.in_space`):
a gathering in a space the reader is not in is `None`, exactly like a missing one.

The exact address is shown to the organiser and to those coming (RSVP yes) when the organiser
chose so; everyone else in the space reads the town or area line only (`address_for`).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from workflows import spaces
from workflows.gatherings.models import BringItem, Gathering, Rsvp
from workflows.models import Notification
from workflows.notification_subjects import checks_kept

Answer = Rsvp.Answer
_GRACE = timedelta(hours=3)  # a gathering without an end time is "on" for three hours


def _with_counts(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        coming=Count("rsvps", filter=Q(rsvps__answer=Answer.YES)),
        maybe=Count("rsvps", filter=Q(rsvps__answer=Answer.MAYBE)),
        waiting=Count("rsvps", filter=Q(rsvps__answer=Answer.WAITING)),
    )


def gatherings_of_space(space) -> QuerySet:
    return Gathering.objects.filter(space=space)


def upcoming(space, *, now=None) -> QuerySet:
    """The space's gatherings that have not ended yet, soonest first, with their counts."""
    now = now or timezone.now()
    return _with_counts(gatherings_of_space(space).filter(_not_over(now))).order_by(
        "starts_at", "pk"
    )


def _not_over(now):
    """Not cancelled, and not over yet."""
    return Q(cancelled_at__isnull=True) & (
        Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now - _GRACE)
    )


def upcoming_visible_to(user, *, now=None) -> QuerySet:
    """The upcoming gatherings of every space `user` is in, soonest first, with their counts."""
    now = now or timezone.now()
    queryset = Gathering.objects.filter(space__in=spaces.spaces_of(user)).filter(_not_over(now))
    return _with_counts(queryset).order_by("starts_at", "pk")


def space_ids_of(user) -> frozenset[int]:
    """The ids of the spaces `user` is in: the notification checks ask it for every
    notification shown or counted."""
    return checks_kept(
        user,
        "tool space ids",
        lambda: frozenset(spaces.spaces_of(user).values_list("pk", flat=True)),
    )


def subject_space_ids(user, model, subject: str) -> dict[int, int]:
    """{object id: space id} for the objects of the user's notifications of this subject, in one
    query per listing or count."""

    def read():
        ids = Notification.objects.filter(recipient=user, subject_type=subject).values("subject_id")
        return dict(model.objects.filter(pk__in=ids).values_list("pk", "space_id"))

    return checks_kept(user, f"tool subjects {subject}", read)


def gathering_for(user, gathering_id, *, space=None) -> Gathering | None:
    """The gathering if `user` is in its space (and it is in `space`, when given); else None."""
    queryset = _with_counts(Gathering.objects.filter(pk=gathering_id)).select_related(
        "space", "organiser", "series", "proposal"
    )
    if space is not None:
        queryset = queryset.filter(space=space)
    gathering = queryset.first()
    if gathering is None or not spaces.in_space(user, gathering.space):
        return None
    return gathering


def rsvp_of(user, gathering) -> Rsvp | None:
    if not user.is_authenticated:
        return None
    return Rsvp.objects.filter(gathering=gathering, user=user).first()


def answers_of(user, gatherings) -> dict[int, str]:
    """{gathering id: the user's answer} for a page of gatherings, in one query."""
    if not user.is_authenticated:
        return {}
    rows = Rsvp.objects.filter(user=user, gathering__in=[g.pk for g in gatherings])
    return dict(rows.values_list("gathering_id", "answer"))


def is_coming(user, gathering, *, answer: str | None = None) -> bool:
    if answer is None:
        rsvp = rsvp_of(user, gathering)
        answer = rsvp.answer if rsvp else None
    return answer == Answer.YES


def may_cancel(user, gathering) -> bool:
    """Its organiser, and those who moderate its space."""
    if not user.is_authenticated or gathering.cancelled_at is not None:
        return False
    return gathering.organiser_id == user.pk or spaces.may_moderate(user, gathering.space)


def sees_address(user, gathering, *, answer: str | None = None) -> bool:
    """The exact address: for everyone in the space unless the organiser chose "those coming
    only"; then for the organiser and those coming (not the waiting list, not "maybe")."""
    if not gathering.address:
        return False
    if not gathering.address_for_coming_only:
        return True
    if user.is_authenticated and gathering.organiser_id == user.pk:
        return True
    return is_coming(user, gathering, answer=answer)


def address_for(user, gathering, *, answer: str | None = None) -> str:
    if sees_address(user, gathering, answer=answer):
        return gathering.address
    return ""


def people(gathering) -> dict[str, list]:
    """Who answered what, in order (the waiting list first in line first)."""
    rsvps = Rsvp.objects.filter(gathering=gathering).select_related("user")
    found: dict[str, list] = {answer: [] for answer in Answer.values}
    for rsvp in rsvps.order_by("waiting_since", "updated_at", "pk"):
        found[rsvp.answer].append(rsvp.user)
    return found


def bring_items(gathering) -> QuerySet:
    return BringItem.objects.filter(gathering=gathering).select_related("claimed_by")


def with_bring_items(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("bring_items", queryset=BringItem.objects.select_related("claimed_by"))
    )


def occurrences(gathering) -> QuerySet:
    """The other dates of the gathering's series."""
    if gathering.series_id is None:
        return Gathering.objects.none()
    return gathering.series.gatherings.exclude(pk=gathering.pk).order_by("starts_at")


def reminders_due(now) -> QuerySet:
    """Gatherings starting within a day that have not had their reminder yet."""
    return Gathering.objects.filter(
        reminded_at__isnull=True,
        cancelled_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=1),
    )


HIDDEN = "a gathering in a space you no longer belong to"


def gatherings_export(user) -> dict:
    """The member's RSVPs, claims and the gatherings they organise (the export). A gathering in
    a space they are no longer in is described without its title, time or place."""
    mine = spaces.spaces_of(user).values_list("pk", flat=True)
    visible = set(mine)

    def named(gathering) -> dict:
        if gathering.space_id not in visible:
            return {"gathering": HIDDEN}
        return {
            "gathering": gathering.title,
            "space": gathering.space.slug,
            "starts_at": gathering.starts_at.isoformat(),
        }

    rsvps = Rsvp.objects.filter(user=user).select_related("gathering__space")
    claims = BringItem.objects.filter(claimed_by=user).select_related("gathering__space")
    organised = Gathering.objects.filter(organiser=user).select_related("space")
    return {
        "rsvps": [
            {**named(r.gathering), "answer": r.answer, "updated_at": r.updated_at.isoformat()}
            for r in rsvps
        ],
        "bring_list_claims": [{**named(i.gathering), "what": i.what} for i in claims],
        "organised": [named(g) for g in organised],
    }
