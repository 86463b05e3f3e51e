"""API representations of a support group's schedule, place and online link (`api_fields` of
`SupportGroupPage`). Below the models, which name them; the endpoints are `api.py`."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework.fields import Field

from community_pages import schedules
from core.visibility import user_can_view_page


def _request_user(context):
    request = (context or {}).get("request")
    return getattr(request, "user", None)


class GroupScheduleField(Field):
    """The schedule in words and as rules, cancellations, and the next four weeks' meetings."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, group):
        today = timezone.localdate()
        rules = list(group.schedule_rules.all())
        return {
            "time_zone": group.time_zone,
            "start_time": group.start_time.isoformat(timespec="minutes"),
            "end_time": group.end_time.isoformat(timespec="minutes"),
            "starts_on": group.starts_on.isoformat() if group.starts_on else None,
            "ends_on": group.ends_on.isoformat() if group.ends_on else None,
            "rules": [
                {
                    "kind": rule.kind,
                    "weekday": rule.weekday,
                    "nth": rule.nth,
                    "on": rule.on.isoformat() if rule.on else None,
                    "description": schedules.describe_rule(rule.as_rule()),
                }
                for rule in rules
            ],
            "cancelled": [
                {"on": c.on.isoformat(), "note": c.note} for c in group.cancellations.all()
            ],
            "next_occurrences": [
                {"start": o.start.isoformat(), "end": o.end.isoformat()}
                for o in schedules.occurrences(group.schedule(), today, today + timedelta(days=28))
            ],
        }


class GroupOnlineField(Field):
    """How to join online: only for those who may read the group's page, as on the web page
    (`support_group_page.html`) and in the member feeds (`feeds.member_meeting`)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, group):
        if not group.is_online or not user_can_view_page(_request_user(self.context), group):
            return None
        return {"url": group.online_url, "notes": group.online_url_notes, "phone": group.phone}


class GroupLocationField(Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, group):
        if not group.is_in_person:
            return None
        return {
            "name": group.location_name,
            "address": group.address,
            "city": group.city,
            "state": group.state,
            "postal_code": group.postal_code,
            "region": group.region,
            "notes": group.location_notes,
        }
