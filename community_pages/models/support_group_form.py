"""The support-group editor's form: the whole schedule checked across its rows.

Its own module so that `support_groups.py` stays short; the checks are `schedules.py`'s.
"""

from wagtail.admin.forms import WagtailAdminPageForm

from community_pages import schedules


class SupportGroupPageForm(WagtailAdminPageForm):
    """Checks the whole schedule (rules, times, zone, cancellations) with clear messages.

    The rows live in formsets, which the page model cannot see while the form is validated, so
    the cross-row checks are made here, by the same function the model and demo use.
    """

    def clean(self):
        cleaned = super().clean()
        if not all(formset.is_valid() for formset in self.formsets.values()):
            return cleaned  # the rows' own errors come first
        rules = [
            schedules.Rule(
                kind=data.get("kind"),
                weekday=data.get("weekday"),
                nth=data.get("nth"),
                on=data.get("on"),
            )
            for data in self._rows("schedule_rules")
            if data.get("kind")
        ]
        cancelled = frozenset(data["on"] for data in self._rows("cancellations") if data.get("on"))
        if not (cleaned.get("start_time") and cleaned.get("end_time")):
            return cleaned
        schedule = schedules.Schedule(
            rules=tuple(rules),
            start_time=cleaned["start_time"],
            end_time=cleaned["end_time"],
            time_zone=cleaned.get("time_zone") or "",
            starts_on=cleaned.get("starts_on"),
            ends_on=cleaned.get("ends_on"),
            cancelled=cancelled,
        )
        for name, messages in schedules.schedule_errors(schedule).items():
            for message in messages:
                if name in ("rules", "cancelled"):
                    self.add_error(None, message)
                elif name in self.fields and name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def _rows(self, name):
        formset = self.formsets.get(name)
        if formset is None:
            return []
        return [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
