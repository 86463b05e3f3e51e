"""Writes for remembrances, each validated first: bad input is a `ValidationError` naming the
field and nothing changes. Who may write is checked here for every door (the site and the API):
the author in a community space they are in; the space's moderators to hide and restore.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows import spaces
from workflows.models import NotificationKind
from workflows.remembrance import selectors
from workflows.remembrance.models import NAME_MAX, REASON_MAX, WORDS_MAX, Remembrance, RemindOn
from workflows.services.notifications import notify

FIELDS = ("name", "born", "died", "words", "photo", "photo_alt", "hand_to_community", "remind_on")
SUBJECT = "remembrance"


def _text(data: dict, field: str, *, required: bool, limit: int) -> str:
    value = data.get(field, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: [_("Write text here.")]})
    value = value.strip()
    if "\x00" in value:
        raise ValidationError({field: [_("Write text here.")]})
    if required and not value:
        raise ValidationError({field: [_("This field is required.")]})
    if len(value) > limit:
        raise ValidationError(
            {field: [_("Keep it to %(max)d characters or fewer.") % {"max": limit}]}
        )
    return value


def _date(data: dict, field: str) -> datetime.date | None:
    value = data.get(field)
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as error:
        raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from error


def _cleaned(user, space, data: dict, current: Remembrance | None = None) -> dict:
    """The fields of `data` (all of them for a new one; those given for a change), checked."""
    given = {field for field in FIELDS if field in data} if current else set(FIELDS)
    unknown = set(data) - set(FIELDS) - {"space"}
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationError({field[:40]: [_("There is no such field.")]})
    out = {}
    if "name" in given:
        out["name"] = _text(data, "name", required=True, limit=NAME_MAX)
    if "words" in given:
        out["words"] = _text(data, "words", required=True, limit=WORDS_MAX)
    if "photo_alt" in given:
        out["photo_alt"] = _text(data, "photo_alt", required=False, limit=250)
    for field in ("born", "died"):
        if field in given:
            out[field] = _date(data, field)
    born = out.get("born", current.born if current else None)
    died = out.get("died", current.died if current else None)
    if born and died and born > died:
        raise ValidationError({"died": [_("The day they died is before the day they were born.")]})
    today = timezone.localdate()
    for field, value in (("born", born), ("died", died)):
        if value and value > today:
            raise ValidationError({field: [_("This date is in the future.")]})
    if "hand_to_community" in given:
        value = data.get("hand_to_community", False)
        if value not in (True, False):
            raise ValidationError({"hand_to_community": [_("Answer true or false.")]})
        out["hand_to_community"] = value
    if "remind_on" in given:
        value = data.get("remind_on") or ""
        if value not in RemindOn.values:
            raise ValidationError({"remind_on": [_("Choose born, died or nothing.")]})
        out["remind_on"] = value
    remind_on = out.get("remind_on", current.remind_on if current else "")
    if remind_on and {"born": born, "died": died}[remind_on] is None:
        raise ValidationError({"remind_on": [_("Give that date to be reminded of it.")]})
    if "photo" in given:
        out["photo"] = _photo(user, space, data.get("photo"))
    return out


def _photo(user, space, value):
    """A photo from the space's own collection that the author may see; anything else is
    refused like a missing image (another community's image is not named)."""
    if value in (None, ""):
        return None
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, bool) or not str(value).isdigit() or len(str(value)) > 18:
        raise ValidationError({"photo": [_("Choose an image of your community's collection.")]})
    photo = selectors.photos_for(user, space).filter(pk=int(value)).first()
    if photo is None:
        raise ValidationError({"photo": [_("Choose an image of your community's collection.")]})
    return photo


def _may_write_in(user, space) -> None:
    if space is None or spaces.is_common_ground(space) or not spaces.in_space(user, space):
        raise ValidationError({"space": [_("Choose a community you are in.")]})
    if not spaces.people_in(space).filter(pk=user.pk).exists():
        raise ValidationError({"space": [_("Choose a community you are in.")]})


@transaction.atomic
def remembrance_create(*, user, space, data: dict) -> Remembrance:
    _may_write_in(user, space)
    fields = _cleaned(user, space, data)
    now = timezone.now()
    return Remembrance.objects.create(
        space=space, author=user, created_at=now, updated_at=now, **fields
    )


@transaction.atomic
def remembrance_update(*, user, remembrance: Remembrance, data: dict) -> Remembrance:
    locked = Remembrance.objects.select_for_update().get(pk=remembrance.pk)
    if locked.author_id != user.pk:
        raise PermissionDenied(_("Only the person who shared it may change it."))
    fields = _cleaned(user, locked.space, data, current=locked)
    for field, value in fields.items():
        setattr(locked, field, value)
    locked.updated_at = timezone.now()
    locked.save()
    return locked


@transaction.atomic
def remembrance_withdraw(*, user, remembrance: Remembrance) -> None:
    """Withdrawn is gone: the row, and with it every reminder naming it."""
    deleted, _rows = Remembrance.objects.filter(pk=remembrance.pk, author=user).delete()
    if not deleted:
        raise PermissionDenied(_("Only the person who shared it may withdraw it."))


@transaction.atomic
def remembrance_hide(*, user, remembrance: Remembrance, reason: str) -> Remembrance:
    if not spaces.may_moderate(user, remembrance.space):
        raise PermissionDenied(_("Only the community's elected editors may hide it."))
    reason = _text({"reason": reason}, "reason", required=True, limit=REASON_MAX)
    locked = Remembrance.objects.select_for_update().get(pk=remembrance.pk)
    locked.hidden_at = timezone.now()
    locked.hidden_reason = reason
    locked.hidden_by = user
    locked.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    return locked


@transaction.atomic
def remembrance_restore(*, user, remembrance: Remembrance) -> Remembrance:
    if not spaces.may_moderate(user, remembrance.space):
        raise PermissionDenied(_("Only the community's elected editors may restore it."))
    Remembrance.objects.filter(pk=remembrance.pk).update(
        hidden_at=None, hidden_reason="", hidden_by=None
    )
    remembrance.refresh_from_db()
    return remembrance


def _same_day(date: datetime.date, today: datetime.date) -> bool:
    if (date.month, date.day) == (today.month, today.day):
        return True
    # 29 February is remembered on 28 February in other years.
    leap = today.year % 4 == 0 and (today.year % 100 != 0 or today.year % 400 == 0)
    return (date.month, date.day) == (2, 29) and not leap and (today.month, today.day) == (2, 28)


def remembrance_dates_remind(today: datetime.date | None = None) -> int:
    """Remind each author who asked, on the day they chose, once a year (exactly once: the
    year is claimed by a conditional update before the reminder is written). Only the author is
    ever reminded; nobody else is told of a date. Returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    candidates = Remembrance.objects.exclude(remind_on="").filter(
        author__isnull=False, author__is_active=True
    )
    for remembrance in candidates.select_related("author", "space"):
        date = remembrance.reminder_date()
        if date is None or not _same_day(date, today):
            continue
        with transaction.atomic():
            claimed = (
                Remembrance.objects.filter(pk=remembrance.pk)
                .exclude(reminded_year=today.year)
                .update(reminded_year=today.year)
            )
            if claimed and selectors.remembrance_for(remembrance.author, remembrance.pk):
                notify(
                    remembrance.author,
                    NotificationKind.REMEMBRANCE_DATE,
                    subject=(SUBJECT, remembrance.pk),
                )
                sent += 1
    return sent


def remembrance_reminders_job(now: datetime.datetime) -> list[str]:
    """The scheduled job's part (`workflows.services.scheduled.register_scheduled`): today's
    reminders, in the site's time zone; run every quarter hour, each sent once a year."""
    sent = remembrance_dates_remind(timezone.localdate(now))
    return [f"sent {sent} remembrance reminder(s)"] if sent else []


def remembrances_on_account_delete(user) -> None:
    """At account deletion: the remembrances go, unless the author chose to hand one to the
    community: that one stays, shared by "a former member", with no reminder."""
    Remembrance.objects.filter(author=user, hand_to_community=False).delete()
    Remembrance.objects.filter(author=user).update(
        author=None, remind_on="", reminded_year=None, updated_at=timezone.now()
    )
