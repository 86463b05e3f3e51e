"""A member's data export, built in the background (docs/data-protection.md, docs/deploy.md
"Background tasks").

The member asks on their account page (`data_export_request`); the `data_export_build` task
writes `member_data_export(user)` as JSON into private storage (Django's default storage, never a
public address) and marks the row ready. With the immediate task backend (the default) that
happens inside the request; with the database backend `manage.py db_worker` does it. A second
request while one is being prepared queues nothing. The file goes after `EXPORT_DAYS`, when the
member asks again, or with the account (`data_exports_delete`); expired ones are swept by the
scheduled job (`data_exports_expire_job`, registered in `HomeConfig.ready`), by each build and by
`manage.py expire_data_exports`.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from home.models import DataExport
from home.selectors import member_data_export

EXPORT_DAYS = 7
# A build still waiting after this long is taken as lost (a failed task, a stopped worker): the
# member may ask again instead of waiting for ever.
STALE_AFTER = timedelta(hours=1)


def export_json(user) -> bytes:
    data = member_data_export(user)
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=True).encode()


def data_export_of(user) -> DataExport | None:
    """The member's export, unless it has expired (an expired one answers like none)."""
    export = DataExport.objects.filter(user=user).first()
    if export and export.expires_at and export.expires_at <= timezone.now():
        return None
    return export


def data_export_owned(user, key) -> DataExport | None:
    """The member's own export with this key; for anyone else's (another member, staff, a
    visitor), an expired or a missing one: None, so all of them answer alike."""
    if not user.is_authenticated:
        return None
    export = data_export_of(user)
    return export if export is not None and export.key == key else None


def data_export_request(*, user) -> bool:
    """Ask for a fresh export. False when one is already being prepared (nothing is queued)."""
    with transaction.atomic():
        # The user's row is the lock: two requests at once queue exactly one build.
        get_user_model().objects.select_for_update().get(pk=user.pk)
        export = DataExport.objects.filter(user=user).first()
        stale = timezone.now() - STALE_AFTER
        if export and export.status == DataExport.PENDING and export.requested_at > stale:
            return False
        if export:
            export.file.delete(save=False)
            export.delete()
        export = DataExport.objects.create(user=user)
    data_export_build.enqueue(export.pk)
    return True


@task()
def data_export_build(export_id: int) -> bool:
    data_exports_expire()
    export = DataExport.objects.filter(pk=export_id, status=DataExport.PENDING).first()
    if export is None:
        return False
    export.file.save(f"{export.key}.json", ContentFile(export_json(export.user)), save=False)
    export.status = DataExport.READY
    export.expires_at = timezone.now() + timedelta(days=EXPORT_DAYS)
    export.save(update_fields=["file", "status", "expires_at"])
    return True


def data_exports_expire(*, now: datetime | None = None) -> int:
    """Delete every export past its time, file and row."""
    expired = DataExport.objects.filter(expires_at__lte=now or timezone.now())
    return _delete(expired)


def data_exports_expire_job(now: datetime) -> list[str]:
    """The scheduled job's part (`workflows.services.scheduled.register_scheduled`, in
    `HomeConfig.ready`): expired exports go on the schedule, with no cron line of their own."""
    count = data_exports_expire(now=now)
    return [f"deleted {count} expired data exports"] if count else []


def data_exports_delete(*, user) -> int:
    return _delete(DataExport.objects.filter(user=user))


def _delete(exports) -> int:
    count = 0
    for export in exports:
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count
