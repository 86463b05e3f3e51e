"""Writes of gatherings, validated first: create (one date or a series), RSVP with a waiting
list, the bring-list, the day-before reminders, and what an account's deletion takes with it.

Exactly once at the capacity boundary: an RSVP locks the gathering's row (`select_for_update`)
before counting who is coming, so two people taking the last place at once are served one
after the other: one gets it, the other is put on the waiting list. One RSVP per person is a
unique constraint. When someone coming changes their answer, the first on the waiting list gets
the place and is told (GATHERING_PLACE).
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community_pages import schedules
from workflows import spaces
from workflows.gatherings.models import BringItem, Gathering, GatheringSeries, Rsvp
from workflows.gatherings.selectors import may_cancel, reminders_due
from workflows.models import NotificationKind
from workflows.services.notifications import notify

SUBJECT = "gathering"
MAX_DATES = 12
MAX_ITEMS = 30
Answer = Rsvp.Answer


def _local(day: date, at: time, zone_name: str) -> datetime:
    return datetime.combine(day, at, tzinfo=schedules.time_zone(zone_name))


def _validated(data: dict) -> dict:
    """The gathering's fields from `data`, or a ValidationError naming each bad field."""
    errors: dict[str, list[str]] = {}

    def need(name, message):
        errors.setdefault(name, []).append(message)

    title = " ".join(str(data.get("title") or "").split())
    if not title:
        need("title", _("Give the gathering a title."))
    elif len(title) > 200:
        need("title", _("At most 200 characters."))
    kind = data.get("kind") or Gathering.Kind.SOCIAL
    if kind not in Gathering.Kind.values:
        need("kind", _("Choose potluck, social, remembrance walk or other."))
    zone = data.get("time_zone") or schedules.DEFAULT_TIME_ZONE
    try:
        schedules.time_zone(zone)
    except ValueError:
        need("time_zone", _("Use a time-zone name such as America/New_York."))
    day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
    if not isinstance(day, date):
        need("date", _("Give the date."))
    if not isinstance(start, time):
        need("start_time", _("Give the start time."))
    if end is not None and not isinstance(end, time):
        need("end_time", _("Give the end time or leave it empty."))
    elif end is not None and isinstance(start, time) and end <= start:
        need("end_time", _("The end must be after the start, the same day."))
    capacity = data.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or not 1 <= capacity <= 10_000):
        need("capacity", _("Places: a whole number from 1 to 10,000, or empty for no limit."))
    also_on = list(data.get("also_on") or [])
    if len(also_on) > MAX_DATES - 1 or not all(isinstance(d, date) for d in also_on):
        need("also_on", _("Up to %(n)d more dates, each a date.") % {"n": MAX_DATES - 1})
    items = [" ".join(str(i).split())[:120] for i in data.get("bring_list") or []]
    items = [item for item in items if item]
    if len(items) > MAX_ITEMS:
        need("bring_list", _("At most %(n)d things to bring.") % {"n": MAX_ITEMS})
    text = {}
    for name, limit in (("description", 5_000), ("area", 120), ("address", 255)):
        text[name] = str(data.get(name) or "").strip()
        if len(text[name]) > limit:
            need(name, _("At most %(n)d characters.") % {"n": limit})
    if errors:
        raise ValidationError(errors)
    dates = sorted({day, *also_on})
    now = timezone.now()
    if any(_local(d, start, zone) <= now for d in dates):
        raise ValidationError({"date": [_("Every date must be in the future.")]})
    return {
        "title": title,
        "kind": kind,
        "time_zone": zone,
        "capacity": capacity,
        "dates": dates,
        "start": start,
        "end": end,
        "bring_list": items,
        "address_for_coming_only": bool(data.get("address_for_coming_only", True)),
        **text,
    }


@transaction.atomic
def gathering_create(*, user, space, data: dict, proposal=None) -> list[Gathering]:
    """Create a gathering (one per date: a series when there are several); the organiser is
    told nothing, everyone else in the space is told once (GATHERING_NEW, the first date)."""
    if not spaces.in_space(user, space) or not user.is_authenticated:
        raise PermissionDenied(_("Only people in this space may organise a gathering here."))
    if proposal is not None and proposal.space_id != space.pk:
        raise ValidationError({"proposal": [_("That proposal is not in this space.")]})
    clean = _validated(data)
    series = GatheringSeries.objects.create(space=space) if len(clean["dates"]) > 1 else None
    made = []
    for day in clean["dates"]:
        gathering = Gathering.objects.create(
            space=space,
            series=series,
            proposal=proposal,
            organiser=user,
            kind=clean["kind"],
            title=clean["title"],
            description=clean["description"],
            starts_at=_local(day, clean["start"], clean["time_zone"]),
            ends_at=_local(day, clean["end"], clean["time_zone"]) if clean["end"] else None,
            time_zone=clean["time_zone"],
            area=clean["area"],
            address=clean["address"],
            address_for_coming_only=clean["address_for_coming_only"],
            capacity=clean["capacity"],
        )
        BringItem.objects.bulk_create(
            BringItem(gathering=gathering, what=what) for what in clean["bring_list"]
        )
        made.append(gathering)
    first = made[0]
    for person in spaces.people_in(space).exclude(pk=user.pk):
        notify(person, NotificationKind.GATHERING_NEW, subject=(SUBJECT, first.pk))
    return made


def _locked(gathering) -> Gathering:
    return Gathering.objects.select_for_update().get(pk=gathering.pk)


def _promote(gathering: Gathering, now) -> Rsvp | None:
    """The first on the waiting list gets a freed place and is told."""
    if gathering.capacity is not None:
        coming = Rsvp.objects.filter(gathering=gathering, answer=Answer.YES).count()
        if coming >= gathering.capacity:
            return None
    first = (
        Rsvp.objects.filter(gathering=gathering, answer=Answer.WAITING)
        .order_by("waiting_since", "pk")
        .first()
    )
    if first is None:
        return None
    first.answer, first.waiting_since, first.updated_at = Answer.YES, None, now
    first.save(update_fields=["answer", "waiting_since", "updated_at"])
    notify(first.user, NotificationKind.GATHERING_PLACE, subject=(SUBJECT, gathering.pk))
    return first


@transaction.atomic
def rsvp_set(*, user, gathering, answer: str) -> Rsvp:
    """Answer yes, maybe or no. "Yes" when the gathering is full puts the person on the waiting
    list; leaving "yes" gives the place to the first in line. Exactly once under concurrency."""
    if answer not in (Answer.YES, Answer.MAYBE, Answer.NO):
        raise ValidationError({"answer": [_("Answer yes, maybe or no.")]})
    if not user.is_authenticated or not spaces.in_space(user, gathering.space):
        raise PermissionDenied(_("Only people in this space may answer."))
    gathering = _locked(gathering)
    now = timezone.now()
    if gathering.cancelled_at is not None:
        raise ValidationError({"answer": [_("This gathering is cancelled.")]})
    if gathering.starts_at <= now:
        raise ValidationError({"answer": [_("This gathering has already started.")]})
    rsvp = Rsvp.objects.filter(gathering=gathering, user=user).first()
    before = rsvp.answer if rsvp else None
    if answer == Answer.YES and before in (Answer.YES, Answer.WAITING):
        return rsvp
    status, waiting_since = answer, None
    if answer == Answer.YES and gathering.capacity is not None:
        coming = Rsvp.objects.filter(gathering=gathering, answer=Answer.YES).count()
        if coming >= gathering.capacity:
            status, waiting_since = Answer.WAITING, now
    if rsvp is None:
        try:
            with transaction.atomic():
                return Rsvp.objects.create(
                    gathering=gathering, user=user, answer=status, waiting_since=waiting_since
                )
        except IntegrityError:  # only without the row lock (SQLite): a twin request made it
            rsvp = Rsvp.objects.get(gathering=gathering, user=user)
            before = rsvp.answer
            if answer == Answer.YES and before in (Answer.YES, Answer.WAITING):
                return rsvp
    rsvp.answer, rsvp.waiting_since, rsvp.updated_at = status, waiting_since, now
    rsvp.save(update_fields=["answer", "waiting_since", "updated_at"])
    if before == Answer.YES and status != Answer.YES:
        _promote(gathering, now)
    return rsvp


@transaction.atomic
def gathering_cancel(*, user, gathering) -> Gathering:
    """The organiser (or a moderator of the space) cancels: answers are closed and those coming,
    maybe coming or waiting are told (GATHERING_REMINDER: news of a gathering they answered)."""
    gathering = _locked(gathering)
    if not may_cancel(user, gathering):
        raise PermissionDenied(_("Only its organiser or the space's editors may cancel it."))
    gathering.cancelled_at = timezone.now()
    gathering.save(update_fields=["cancelled_at"])
    answered = Rsvp.objects.filter(gathering=gathering).exclude(answer=Answer.NO)
    for rsvp in answered.exclude(user=user).select_related("user"):
        notify(rsvp.user, NotificationKind.GATHERING_REMINDER, subject=(SUBJECT, gathering.pk))
    return gathering


# The bring-list ------------------------------------------------------------------------------


def _item_in(gathering, item_id) -> BringItem:
    item = BringItem.objects.select_for_update().filter(pk=item_id, gathering=gathering).first()
    if item is None:
        raise ValidationError({"item": [_("There is no such thing on the list.")]})
    return item


@transaction.atomic
def bring_item_add(*, user, gathering, what: str) -> BringItem:
    if not spaces.in_space(user, gathering.space):
        raise PermissionDenied(_("Only people in this space may add to the list."))
    what = " ".join(str(what or "").split())
    if not what or len(what) > 120:
        raise ValidationError({"what": [_("Say what to bring, in at most 120 characters.")]})
    if BringItem.objects.filter(gathering=gathering).count() >= MAX_ITEMS:
        raise ValidationError({"what": [_("The list is full.")]})
    return BringItem.objects.create(gathering=gathering, what=what)


@transaction.atomic
def bring_item_claim(*, user, gathering, item_id, claim: bool = True) -> BringItem:
    """Claim a thing to bring (if no one has), or give back one's own claim."""
    if not spaces.in_space(user, gathering.space):
        raise PermissionDenied(_("Only people in this space may claim."))
    item = _item_in(gathering, item_id)
    if claim:
        if item.claimed_by_id not in (None, user.pk):
            raise ValidationError({"item": [_("Someone is already bringing this.")]})
        item.claimed_by, item.claimed_at = user, timezone.now()
    else:
        if item.claimed_by_id != user.pk:
            raise ValidationError({"item": [_("You are not bringing this.")]})
        item.claimed_by, item.claimed_at = None, None
    item.save(update_fields=["claimed_by", "claimed_at"])
    return item


# Scheduled: reminders ------------------------------------------------------------------------


def reminders_send(now=None) -> list[str]:
    """The day before: tell those coming (GATHERING_REMINDER), once per gathering (the row is
    marked in the same transaction, so a second run or a concurrent one sends nothing)."""
    now = now or timezone.now()
    done = []
    for gathering_id in reminders_due(now).values_list("pk", flat=True):
        with transaction.atomic():
            claimed = Gathering.objects.filter(pk=gathering_id, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            coming = Rsvp.objects.filter(gathering_id=gathering_id, answer=Answer.YES)
            for rsvp in coming.select_related("user"):
                notify(
                    rsvp.user, NotificationKind.GATHERING_REMINDER, subject=(SUBJECT, gathering_id)
                )
            done.append(f"reminded those coming to gathering #{gathering_id}")
    return done


# Account deletion ----------------------------------------------------------------------------


@transaction.atomic
def member_forget(user) -> None:
    """An account's deletion (home.services.member_delete): its RSVPs go (a freed place goes to
    the first on the waiting list) and its claims on bring-lists are given back; gatherings it
    organised stay for the community, organised by "a former member"."""
    now = timezone.now()
    for rsvp in Rsvp.objects.filter(user=user).select_related("gathering"):
        gathering = _locked(rsvp.gathering)
        was_coming = rsvp.answer == Answer.YES
        rsvp.delete()
        if was_coming and gathering.starts_at > now:
            _promote(gathering, now)
    BringItem.objects.filter(claimed_by=user).update(claimed_by=None, claimed_at=None)
    Gathering.objects.filter(organiser=user).update(organiser=None)
