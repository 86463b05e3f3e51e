"""Reading a draft's fields from a client (the API's JSON, the site's form), checked first.

Every refusal is a `ValidationError` keyed by the field it is about (`body[2].value.image`), so
the API answers 400 naming the field and nothing is written (docs/api.md, "Drafts"). Checked:
unknown fields, plain-text fields holding HTML, text longer than the model allows, choices,
addresses, taxonomy slugs, and the StreamField body in the JSON shape that the pages endpoint
returns (`[{"type", "value"}]`, figures' `image` as an id or `{"id": …}`, related resources as
ids or `{"id": …}`). Rich text is cleaned to the features its editor allows, as the admin does.
A file or page the writer may not see answers like one that does not exist; one they may see
but that lies in another space is refused by name (the models' `clean`).
"""

from __future__ import annotations

import datetime
import json
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock

from core.visibility import user_can_view_file, visible_pages
from resources.models import GuidePage, Language, ResourcePage, SupportType, Topic
from resources.selectors import collection_allowed_for, page_may_link_to

MAX_BODY_CHARS = 50_000  # the body as JSON (or rich text): about 8,000 words
_HTML = re.compile(r"<\s*[a-zA-Z/!?]|&#?[a-zA-Z0-9]+;")
_URL = URLValidator(schemes=["http", "https"])

PLAIN = {
    GuidePage: ("title", "summary", "byline", "content_note"),
    ResourcePage: ("title", "summary", "audience", "region", "phone"),
}
FIELDS = {
    GuidePage: {*PLAIN[GuidePage], "slug", "support_types", "body"},
    ResourcePage: {
        *PLAIN[ResourcePage],
        *("slug", "kind", "link", "document", "body", "last_reviewed"),
        *("support_types", "topics", "languages"),
    },
}
TAXONOMY = {
    "support_types": (SupportType, "slug"),
    "topics": (Topic, "slug"),
    "languages": (Language, "code"),
}


class FieldErrors:
    """Collects refusals by field; `raise_if_any` raises them as one ValidationError."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def first_error(error: ValidationError) -> tuple[str | None, str]:
    """(field, "field: message") for an API answer."""
    if hasattr(error, "error_dict"):
        name, errors = next(iter(error.message_dict.items()))
        label = None if name == "__all__" else name
        message = " ".join(errors)
        return label, f"{label}: {message}" if label else message
    return None, " ".join(error.messages)


def _id(value) -> int | None:
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


def _plain(value, field: str, errors: FieldErrors, max_length: int | None) -> str | None:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(field, _("Send text."))
        return None
    value = value.strip()
    if _HTML.search(value):
        errors.add(field, _("Plain text only: no HTML tags or entities."))
        return None
    if max_length and len(value) > max_length:
        errors.add(
            field,
            _("At most %(max)d characters (this has %(count)d).")
            % {"max": max_length, "count": len(value)},
        )
        return None
    return value


def rich_text(value, field: str, errors: FieldErrors, features) -> str | None:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(field, _("Send the text as HTML in a string."))
        return None
    if len(value) > MAX_BODY_CHARS:
        errors.add(field, _("At most %(max)d characters.") % {"max": MAX_BODY_CHARS})
        return None
    return EditorHTMLConverter(features).to_database_format(value)


class _Reader:
    """Reads one draft's fields for `user`, to be placed under `anchor` (the page or parent)."""

    def __init__(self, model, *, user, anchor, errors: FieldErrors):
        self.model, self.user, self.anchor, self.errors = model, user, anchor, errors

    def field_max(self, name: str) -> int | None:
        return self.model._meta.get_field(name).max_length

    def read(self, data: dict) -> dict:
        values = {}
        for name, raw in data.items():
            if name not in FIELDS[self.model]:
                self.errors.add(name, _("Unknown field for this type of page."))
                continue
            if name in PLAIN[self.model] or name == "slug":
                value = _plain(raw, name, self.errors, self.field_max(name))
                if value is not None:
                    values[name] = value
            elif name in TAXONOMY:
                values[name] = self.taxonomy(name, raw)
            else:
                values[name] = getattr(self, f"read_{name}")(raw)
        return values

    def taxonomy(self, name: str, raw):
        model, key = TAXONOMY[name]
        if not isinstance(raw, list) or not all(isinstance(v, str | dict) for v in raw):
            self.errors.add(name, _("Send a list of slugs."))
            return []
        wanted = [v.get(key) if isinstance(v, dict) else v for v in raw]
        found = {getattr(o, key): o for o in model.objects.filter(**{f"{key}__in": wanted})}
        unknown = [str(v) for v in wanted if v not in found]
        if unknown:
            self.errors.add(name, _("Unknown: %(values)s.") % {"values": ", ".join(unknown)})
        return [found[v] for v in wanted if v in found]

    def read_kind(self, raw):
        if raw not in ResourcePage.Kind.values:
            self.errors.add(
                "kind", _("One of: %(kinds)s.") % {"kinds": ", ".join(ResourcePage.Kind.values)}
            )
        return raw

    def read_link(self, raw):
        value = _plain(raw, "link", self.errors, self.field_max("link"))
        if value:
            try:
                _URL(value)
            except ValidationError:
                self.errors.add("link", _("Send a web address starting with https://."))
        return value or ""

    def read_last_reviewed(self, raw):
        if raw in (None, ""):
            return None
        try:
            return datetime.date.fromisoformat(raw)
        except (TypeError, ValueError):
            self.errors.add("last_reviewed", _("Send a date as YYYY-MM-DD."))
            return None

    def read_document(self, raw):
        if raw is None:
            return None
        document = self.file(get_document_model(), raw, "document")
        return document

    def file(self, model, raw, field: str):
        pk = _id(raw)
        obj = model.objects.select_related("collection").filter(pk=pk).first() if pk else None
        if obj is None or not user_can_view_file(self.user, obj):
            # Hidden answers like missing: the same words for both.
            self.errors.add(field, _("No file with this id."))
            return None
        if not collection_allowed_for(self.anchor, obj.collection):
            self.errors.add(
                field,
                _("“%(title)s” belongs to another space's collection.") % {"title": obj.title},
            )
            return None
        return obj

    def read_body(self, raw):
        if self.model is ResourcePage:
            return rich_text(raw, "body", self.errors, ["bold", "italic", "link", "ol", "ul"])
        return self.stream(raw)

    # The guide's StreamField ---------------------------------------------------------------

    def stream(self, raw):
        stream_block = GuidePage._meta.get_field("body").stream_block
        if not isinstance(raw, list):
            self.errors.add("body", _("Send a list of blocks, each {“type”, “value”}."))
            return None
        if len(json.dumps(raw)) > MAX_BODY_CHARS:
            self.errors.add("body", _("At most %(max)d characters.") % {"max": MAX_BODY_CHARS})
            return None
        items = []
        for index, item in enumerate(raw):
            where = f"body[{index}]"
            if not isinstance(item, dict) or item.get("type") not in stream_block.child_blocks:
                names = ", ".join(stream_block.child_blocks)
                self.errors.add(f"{where}.type", _("One of: %(names)s.") % {"names": names})
                continue
            block = stream_block.child_blocks[item["type"]]
            value = self.block(block, item.get("value"), f"{where}.value")
            items.append({"type": item["type"], "value": value})
        if self.errors.errors:
            return None
        value = stream_block.to_python(items)
        try:
            return stream_block.clean(value)
        except ValidationError as error:
            for path, message in _block_errors(error.as_json_data(), "body"):
                self.errors.add(path, message)
            return None

    def block(self, block, value, where: str):
        if isinstance(block, blocks.StructBlock):
            if not isinstance(value, dict):
                self.errors.add(where, _("Send an object."))
                return {}
            for name in set(value) - set(block.child_blocks):
                self.errors.add(f"{where}.{name}", _("Unknown field for this block."))
            return {
                name: self.block(child, value[name], f"{where}.{name}")
                for name, child in block.child_blocks.items()
                if name in value
            }
        if isinstance(block, blocks.ListBlock):
            if not isinstance(value, list):
                self.errors.add(where, _("Send a list."))
                return []
            return [
                self.block(
                    block.child_block,
                    item["value"] if isinstance(item, dict) and "value" in item else item,
                    f"{where}[{i}]",
                )
                for i, item in enumerate(value)
            ]
        if isinstance(block, blocks.RichTextBlock):
            return rich_text(value, where, self.errors, block.features)
        if isinstance(block, ImageChooserBlock):
            image = self.file(get_image_model(), value, where)
            return image.pk if image else None
        if isinstance(block, blocks.PageChooserBlock):
            return self.resource(value, where)
        return _plain(value, where, self.errors, None)

    def resource(self, value, where: str):
        pk = _id(value)
        page = visible_pages(self.user, ResourcePage.objects.filter(pk=pk)).first() if pk else None
        if page is None:
            self.errors.add(where, _("No resource with this id."))
            return None
        if not page_may_link_to(self.anchor, page):
            self.errors.add(
                where,
                _(
                    "“%(title)s” is in another space: link only resources from this space or "
                    "from Common Ground."
                )
                % {"title": page.title},
            )
            return None
        return page.pk


def _block_errors(data, where: str):
    """(path, message) for each message in a StreamField error's JSON form."""
    if isinstance(data, list):
        for message in data:
            yield where, str(message)
        return
    if not isinstance(data, dict):
        return
    for message in data.get("messages", []):
        yield where, str(message)
    children = data.get("blockErrors", {})
    items = children.items() if isinstance(children, dict) else enumerate(children)
    for key, child in items:
        if child is None:
            continue
        if isinstance(key, int) or str(key).isdigit():
            # A stream's or list's item; a stream item's errors are about its value.
            inner = f"{where}[{key}]" + (".value" if where == "body" else "")
        else:
            inner = f"{where}.{key}"
        yield from _block_errors(child, inner)


def draft_fields(model, data: dict, *, user, anchor) -> dict:
    """The model's field values read from `data`; raises ValidationError naming each field."""
    errors = FieldErrors()
    values = _Reader(model, user=user, anchor=anchor, errors=errors).read(data)
    errors.raise_if_any()
    return values
