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
exactly like missing). `describe` runs in the recipient's language and only for a visible one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


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
