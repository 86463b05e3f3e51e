"""E-mail leaves through a background task (docs/deploy.md, "Background tasks").

`EMAIL_BACKEND` is `QueuedEmailBackend` everywhere, so every sender (our `send_mail` calls,
Django's password reset, Wagtail's moderation notices) is covered without changing it: each
message is written down as plain data and handed to the `send_email` task, which sends it with
the real backend, `EMAIL_DELIVERY_BACKEND` (SMTP, or the console under `make run`). With the
immediate task backend (the default) that happens at once, inside the request, as before; with
the database backend the request only stores a row, and `manage.py db_worker` sends it, retrying
nothing by itself: a failure is recorded on the task's row (the admin's task results).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            send_email.enqueue(message_data(message))
            count += 1
        return count


def message_data(message) -> dict:
    """A message as JSON-safe data (task arguments are stored as JSON). No attachments: no
    sender here attaches files."""
    if getattr(message, "attachments", None):
        raise ValueError("e-mail attachments cannot be queued")
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "content_subtype": message.content_subtype,
    }


@task()
def send_email(data: dict) -> int:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        connection=get_connection(settings.EMAIL_DELIVERY_BACKEND),
    )
    message.content_subtype = data["content_subtype"]
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message.send()
