"""The community tools' notifications: a small registry, so that each tool (conversations,
proposals, gatherings, remembrance) says for its own subjects who may see a notification and what
it says, and `workflows.selectors.notifications` asks it without importing the tools.

A tool registers once, in its `AppConfig.ready`:

    register_subject(
        "reply",
        visible=lambda notification, user: ...,  # may `user` (the recipient) still see it?
        describe=lambda notification: {"text": ..., "path": ..., "comment": ...},
        subject=gettext_lazy("Someone replied"),  # the e-mail subject: never a name or a title
    )

and notifies with `notify(user, kind, subject=("reply", reply.pk))`. `visible` is asked every
time the notification is shown, counted or e-mailed: a subject that is gone, hidden, or in a
space the recipient has left answers False, and the notification is not shown (hidden answers
exactly like missing). A listing or count runs inside `checks_batched(user)`; `visible` may then
keep what it reads for all the user's notifications in `checks_cache(user)` (one query per
subject, not one per notification). `describe` runs in the recipient's language and only for a
visible one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db.models import QuerySet

from workflows.models import Notification


@dataclass(frozen=True)
class Subject:
    visible: Callable  # (notification, user) -> bool
    describe: Callable  # (notification) -> {"text", "path", "comment"}
    email_subject: object  # a lazy string that names nothing private


_SUBJECTS: dict[str, Subject] = {}


def register_subject(name: str, *, visible: Callable, describe: Callable, subject) -> None:
    if not name or len(name) > 32:
        raise ValueError("a subject type is 1 to 32 characters")
    _SUBJECTS[name] = Subject(visible=visible, describe=describe, email_subject=subject)


def subject_for(name: str) -> Subject | None:
    return _SUBJECTS.get(name)


_BATCH = "_notification_checks"


@contextmanager
def checks_batched(user) -> Iterator[None]:
    """While `user`'s notifications are listed or counted, `visible` may read what it needs for
    all of them at once (`checks_cache`) instead of once per notification; afterwards it is
    forgotten, so a later check reads afresh."""
    setattr(user, _BATCH, {})
    try:
        yield
    finally:
        delattr(user, _BATCH)


def checks_cache(user) -> dict | None:
    """The cache of the listing or count under way for `user` (fresh for each), where a
    subject's `visible` keeps what it read for all their notifications; None outside one (a
    single notification checked alone, e.g. before its e-mail)."""
    return getattr(user, _BATCH, None)


def checks_kept(user, key: str, read: Callable):
    """What `read()` gives, kept for the listing or count under way (`checks_batched`), so it is
    read once for all the notifications shown; read afresh outside one."""
    cache = checks_cache(user)
    if cache is None:
        return read()
    if key not in cache:
        cache[key] = read()
    return cache[key]


def checked_in_batch(user, subject: str, readable: QuerySet) -> tuple[set, set]:
    """(ids checked, ids readable) of the objects of the user's notifications of this subject:
    two queries per listing or count (`checks_batched`), however many notifications it holds;
    nothing checked outside one (the caller then checks the one notification alone)."""
    if checks_cache(user) is None:
        return set(), set()

    def read():
        rows = Notification.objects.filter(recipient=user, subject_type=subject)
        checked = set(rows.values_list("subject_id", flat=True))
        return checked, set(readable.filter(pk__in=checked).values_list("pk", flat=True))

    return checks_kept(user, subject, read)
