"""The plain "Write a guide" form, for members who never open the admin (docs/moderation.md).

It reads plain text only and turns it into the guide's StreamField in the API's JSON shape
(paragraphs, numbered steps, a quote, a crisis line, an image and a document link from the
writer's own space), which `services.drafts` then checks and saves exactly as the API does. A
draft whose body this form cannot show without losing something (headings, callouts, formatted
text...) is edited in the admin instead (`guide_form_initial` answers None).
"""

from __future__ import annotations

import html
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from resources.models import SupportType

DOCUMENT_LINK = re.compile(r'^<p><a href="/documents/(\d+)/[^"<>]*">[^<>]*</a></p>$')


class GuideForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        help_text=_("One or two sentences shown in the list of guides."),
    )
    content_note = forms.CharField(
        label=_("Content note (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the guide talks about that may be hard to read. Shown before it."),
    )
    support_types = forms.ModelMultipleChoiceField(
        label=_("Kinds of support it offers (optional)"),
        queryset=SupportType.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    text = forms.CharField(
        label=_("Your guide"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text. Leave an empty line between paragraphs."),
    )
    steps = forms.CharField(
        label=_("Numbered steps (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One step per line, in the order a reader should take them."),
    )
    quote = forms.CharField(
        label=_("A quote (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    quote_attribution = forms.CharField(
        label=_("Who said it (optional)"),
        max_length=200,
        required=False,
        help_text=_("A first name or a pseudonym is enough."),
    )
    crisis_name = forms.CharField(
        label=_("Crisis line: its name (optional)"), max_length=200, required=False
    )
    crisis_phone = forms.CharField(
        label=_("Crisis line: the number to call"), max_length=40, required=False
    )
    image = forms.TypedChoiceField(label=_("An image (optional)"), coerce=int, required=False)
    image_alt = forms.CharField(
        label=_("Describe the image for people who cannot see it"),
        max_length=250,
        required=False,
    )
    document = forms.TypedChoiceField(
        label=_("A document to link (optional)"), coerce=int, required=False
    )

    def __init__(self, *args, images=(), documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        none = [("", _("None"))]
        self.fields["image"].choices = none + [(i.pk, i.title) for i in images]
        self.fields["document"].choices = none + [(d.pk, d.title) for d in documents]
        self.documents = {d.pk: d for d in documents}

    def clean(self):
        data = super().clean()
        if bool(data.get("crisis_name")) != bool(data.get("crisis_phone")):
            self.add_error(
                "crisis_phone" if data.get("crisis_name") else "crisis_name",
                _("A crisis line needs both its name and its number."),
            )
        if data.get("image") and not data.get("image_alt"):
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        if data.get("quote_attribution") and not data.get("quote"):
            self.add_error("quote", _("Add the words quoted, or leave both empty."))
        return data

    # To and from the guide's fields ---------------------------------------------------------

    def draft_data(self) -> tuple[dict, dict[str, str]]:
        """(fields in the API's shape, {body path: form field}) from the cleaned form."""
        data = self.cleaned_data
        body, origin = [], {}

        def add(block: dict, field: str) -> None:
            origin[f"body[{len(body)}]"] = field
            body.append(block)

        for paragraph in _paragraphs(data["text"]):
            add({"type": "paragraph", "value": f"<p>{html.escape(paragraph)}</p>"}, "text")
        steps = [line.strip() for line in data.get("steps", "").splitlines() if line.strip()]
        if steps:
            add({"type": "steps", "value": [{"title": s, "text": ""} for s in steps]}, "steps")
        if data.get("quote"):
            value = {"quote": data["quote"], "attribution": data.get("quote_attribution", "")}
            add({"type": "quote", "value": value}, "quote")
        if data.get("crisis_name"):
            value = {"name": data["crisis_name"], "phone": data["crisis_phone"]}
            add({"type": "crisis_line", "value": value}, "crisis_phone")
        if data.get("image"):
            value = {"image": data["image"], "alt_text": data["image_alt"], "caption": ""}
            add({"type": "figure", "value": value}, "image")
        document = self.documents.get(data.get("document"))
        if document is not None:
            link = f'<p><a href="{html.escape(document.url)}">{html.escape(document.title)}</a></p>'
            add({"type": "paragraph", "value": link}, "document")
        fields = {
            "title": data["title"],
            "summary": data["summary"],
            "content_note": data.get("content_note", ""),
            "support_types": [t.slug for t in data.get("support_types", [])],
            "body": body,
        }
        return fields, origin


def _paragraphs(text: str) -> list[str]:
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    return [" ".join(line.strip() for line in c.splitlines()).strip() for c in chunks if c.strip()]


def guide_form_initial(page) -> dict | None:
    """The form's initial values for a guide, or None if its body has something the form
    cannot show (then it is edited in the admin, so that nothing is lost)."""
    initial = {
        "title": page.title,
        "summary": page.summary,
        "content_note": page.content_note,
        "support_types": [t.slug for t in page.support_types.all()],
    }
    order = ["paragraph", "steps", "quote", "crisis_line", "figure", "document"]
    position, paragraphs = 0, []
    for block in page.body.raw_data:
        kind, value = block["type"], block["value"]
        if kind == "paragraph" and DOCUMENT_LINK.match(value or ""):
            kind = "document"
        if kind not in order or order.index(kind) < position:
            return None
        if kind != "paragraph" and order.index(kind) == position and position:
            return None  # twice the same kind of block
        position = order.index(kind)
        if not _read_block(kind, value, initial, paragraphs):
            return None
    initial["text"] = "\n\n".join(paragraphs)
    return initial


def _read_block(kind: str, value, initial: dict, paragraphs: list) -> bool:
    if kind == "paragraph":
        match = re.fullmatch(r"<p>([^<>]*)</p>", value or "")
        if match is None:
            return False
        paragraphs.append(html.unescape(match.group(1)))
    elif kind == "steps":
        items = [item.get("value", item) for item in value]
        if any(item.get("text") for item in items):
            return False
        initial["steps"] = "\n".join(item["title"] for item in items)
    elif kind == "quote":
        initial["quote"], initial["quote_attribution"] = value["quote"], value["attribution"]
    elif kind == "crisis_line":
        if any(value.get(k) for k in ("text_number", "hours", "url", "description")):
            return False
        initial["crisis_name"], initial["crisis_phone"] = value["name"], value["phone"]
    elif kind == "figure":
        if value.get("caption"):
            return False
        initial["image"], initial["image_alt"] = value["image"], value["alt_text"]
    elif kind == "document":
        initial["document"] = int(DOCUMENT_LINK.match(value).group(1))
    return True
