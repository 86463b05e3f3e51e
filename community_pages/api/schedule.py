"""`/api/v2/schedule/`: the meetings of the support groups you may see, with the group
finder's filters (the site's `ScheduleFilterForm`, the same names and values). docs/api.md,
"The schedule"."""

from __future__ import annotations

from datetime import date, timedelta
from http import HTTPStatus

from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from wagtail.models import Page

from community_pages import schedules
from community_pages.forms import ScheduleFilterForm
from community_pages.models import SupportGroupPage
from community_pages.selectors import (
    TIME_OF_DAY,
    WINDOW_DAYS,
    finder_choices,
    groups_found,
    meeting_wanted,
    space_by_slug,
    support_groups_visible,
)
from core.api.views import ReaderAPIView, bad_request
from core.languages import content_language_codes, language_name
from core.visibility import user_can_view_page

MAX_RANGE_DAYS = 366
DEFAULT_DAYS = 28  # four weeks, like the group schedule page
# The group finder's filters, as the site names them (`?when=week&time=evening`).
FINDER_PARAMETERS = ("when", "day", "time", "attendance", "kind", "town", "language", "accessible")
SCHEDULE_PARAMETERS = ("start", "end", "space", "locale", *FINDER_PARAMETERS)
BOOLEAN = {"true": True, "false": False}


class BadParameter(ValueError):
    pass


def _parse_date(request, name: str, default: date) -> date:
    if name not in request.GET:
        return default
    try:
        return date.fromisoformat(request.GET[name])
    except ValueError:
        raise BadParameter(
            _("“%(name)s” must be a date such as 2026-01-31.") % {"name": name}
        ) from None


def _schedule_window(request) -> tuple[date, date]:
    """`start` and `end` are both included: `?start=2027-01-26&end=2027-01-26` is that day;
    `when=today` is today, `when=week` the seven days from today."""
    unknown = sorted(set(request.GET) - set(SCHEDULE_PARAMETERS))
    if unknown:
        raise BadParameter(
            _("Unknown parameter “%(name)s”: use %(known)s.")
            % {"name": unknown[0][:40], "known": ", ".join(SCHEDULE_PARAMETERS)}
        )
    for name in SCHEDULE_PARAMETERS:
        if len(request.GET.getlist(name)) > 1:
            raise BadParameter(_("Give “%(name)s” once.") % {"name": name})
    when = request.GET.get("when")
    if when and ("start" in request.GET or "end" in request.GET):
        raise BadParameter(_("Give either “when” or “start” and “end”, not both."))
    if when in WINDOW_DAYS:
        start = timezone.localdate()
        return start, start + timedelta(days=WINDOW_DAYS[when] - 1)
    start = _parse_date(request, "start", timezone.localdate())
    end = _parse_date(request, "end", start + timedelta(days=DEFAULT_DAYS - 1))
    if end < start:
        raise BadParameter(_("“end” must not be before “start”."))
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise BadParameter(
            _("Ask for at most %(n)d days at a time (“start” to “end”).") % {"n": MAX_RANGE_DAYS}
        )
    locale = request.GET.get("locale")
    if locale is not None and locale not in content_language_codes():
        raise BadParameter(
            _("“locale” must be one of: %(codes)s.")
            % {"codes": ", ".join(content_language_codes())}
        )
    if request.GET.get("space") == "":
        raise BadParameter(_("“space” must be a community or Common Ground slug."))
    return start, end


def _finder_filters(request, groups) -> dict:
    """The finder's filters, checked as the site's form checks them (a town or language is one
    of the groups you may see); a 400 naming the field otherwise."""
    accessible = request.GET.get("accessible")
    if accessible is not None and accessible not in BOOLEAN:
        raise BadParameter(_("“accessible” must be true or false."))
    choices = finder_choices(groups)
    data = {name: request.GET[name] for name in FINDER_PARAMETERS if name in request.GET}
    data["accessible"] = BOOLEAN.get(accessible or "false")
    form = ScheduleFilterForm(
        data,
        towns=choices["towns"],
        attendance=SupportGroupPage.Attendance.choices,
        kinds=SupportGroupPage.Kind.choices,
        languages=[(code, language_name(code)) for code in choices["language_codes"]],
    )
    if not form.is_valid():
        raise BadParameter(" ".join(form.error_messages_named()))
    return form.cleaned_data


_GROUP = inline_serializer(
    "ScheduleGroup",
    {
        "id": serializers.IntegerField(),
        "title": serializers.CharField(),
        "locale": serializers.ChoiceField(content_language_codes()),
        "html_url": serializers.URLField(),
    },
)
_MEETINGS = inline_serializer(
    "ScheduleMeeting",
    many=True,
    fields={
        "start": serializers.DateTimeField(help_text="Local time with its UTC offset."),
        "end": serializers.DateTimeField(),
        "group": _GROUP,
    },
)
_SCHEDULE = inline_serializer(
    "Schedule",
    {
        "start": serializers.DateField(),
        "end": serializers.DateField(help_text="Included: the last day asked for."),
        "items": _MEETINGS,
    },
)
_MESSAGE = inline_serializer("ScheduleError", {"message": serializers.CharField()})


def _enum(values) -> dict:
    return {"type": "string", "enum": [str(value) for value in values]}


_FINDER = [
    OpenApiParameter(
        "when",
        _enum(WINDOW_DAYS),
        description="today: today only; week: the seven days from today. Not with start/end.",
    ),
    OpenApiParameter(
        "day",
        {"type": "integer", "enum": list(WEEKDAYS)},
        description="Day of the week of the meeting: 0 Monday … 6 Sunday (the group's own time).",
    ),
    OpenApiParameter(
        "time",
        _enum(TIME_OF_DAY),
        description="Time of day the meeting starts, in the group's own time: morning (before "
        "noon), afternoon (noon to 5 pm), evening (from 5 pm).",
    ),
    OpenApiParameter(
        "attendance",
        _enum(SupportGroupPage.Attendance.values),
        description="Format: in person, online, or hybrid.",
    ),
    OpenApiParameter("kind", _enum(SupportGroupPage.Kind.values), description="Kind of group."),
    OpenApiParameter(
        "town",
        str,
        description="A town of the in-person groups you may see (exactly as listed on the group "
        "finder); any other is a 400.",
    ),
    OpenApiParameter(
        "language",
        _enum(content_language_codes()),
        description="A language the group meets in (one of the groups you may see; else 400).",
    ),
    OpenApiParameter(
        "accessible", _enum(BOOLEAN), description="true: wheelchair accessible rooms only."
    ),
]


class ScheduleView(ReaderAPIView):
    """Meetings of the support groups you may see, on the days from `start` to `end`, narrowed
    by the group finder's filters.

    Both dates are included (a one-day window has `start` equal to `end`); the days are each
    group's local dates. See docs/api.md and docs/feeds.md.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="First day. Default: today."),
            OpenApiParameter(
                "end",
                OpenApiTypes.DATE,
                description=f"Last day, included; not before start, at most {MAX_RANGE_DAYS} "
                f"days in all. Default: start + {DEFAULT_DAYS - 1} days (four weeks).",
            ),
            OpenApiParameter(
                "space",
                str,
                pattern=r"^[-a-zA-Z0-9_]+$",
                description="A community or Common Ground slug. Unknown or not yours: 404.",
            ),
            OpenApiParameter(
                "locale",
                str,
                enum=content_language_codes(),
                description="Only groups whose page is in this language.",
            ),
            *_FINDER,
        ],
        responses={200: _SCHEDULE, 400: _MESSAGE, 401: _MESSAGE, 404: _MESSAGE},
        tags=["schedules"],
    )
    def get(self, request):
        # The API is outside the language prefix, so its messages follow the asker's
        # Accept-Language (or language cookie), as a localized client expects.
        with translation.override(translation.get_language_from_request(request)):
            response = self._answer(request)
        patch_vary_headers(response, ("Accept-Language",))
        return response

    def _answer(self, request):
        try:
            start, end = _schedule_window(request)
        except BadParameter as error:
            return bad_request(str(error))
        slug = request.GET.get("space")
        if slug:
            space = space_by_slug(slug)
            if space is None or not user_can_view_page(request.user, space):
                return Response({"message": _("Not found.")}, status=HTTPStatus.NOT_FOUND)
            groups = support_groups_visible(request.user, space)
        else:
            groups = support_groups_visible(request.user, Page.get_first_root_node())
        if request.GET.get("locale"):
            groups = groups.filter(locale__language_code=request.GET["locale"])
        groups = list(groups.select_related("locale"))
        try:
            filters = _finder_filters(request, groups)
        except BadParameter as error:
            return bad_request(str(error))
        wanted = meeting_wanted(filters)
        meetings = []
        after_end = end + timedelta(days=1)
        for group in groups_found(groups, filters):
            for occurrence in schedules.occurrences(group.schedule(), start, after_end):
                if not wanted(occurrence):
                    continue
                meetings.append(
                    {
                        "start": occurrence.start.isoformat(),
                        "end": occurrence.end.isoformat(),
                        "group": {
                            "id": group.pk,
                            "title": group.title,
                            "locale": group.locale.language_code,
                            "html_url": group.get_full_url(request),
                        },
                    }
                )
        meetings.sort(key=lambda m: (m["start"], m["group"]["title"]))
        return Response({"start": start.isoformat(), "end": end.isoformat(), "items": meetings})
