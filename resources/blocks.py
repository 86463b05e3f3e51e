"""The guide body: a named StreamBlock built from the common blocks in `core/blocks.py`."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from core.blocks import (
    CalloutBlock,
    CrisisLineBlock,
    FigureBlock,
    HeadingBlock,
    NumberedStepsBlock,
    ParagraphBlock,
    QuoteBlock,
)
from core.visibility import visible_pages


def _visible_resources(value, context):
    """The chosen resource pages that the reader may see, in the order they were chosen.

    An editor who belongs to two communities could link a resource of one from a guide of the
    other: the reader gets only what the visibility rule lets them see (one query).
    """
    # cycle: models imports this module (GuidePage.body).
    from resources.models import ResourcePage

    request = (context or {}).get("request")
    user = getattr(request, "user", None)
    ids = [page.pk for page in value if page is not None]
    found = visible_pages(user, ResourcePage.objects.filter(pk__in=ids)).in_bulk()
    return [found[pk] for pk in ids if pk in found]


class RelatedResourcesBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text=_("Optional heading, e.g. 'Where to find more help'."),
    )
    resources = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="resources.ResourcePage"),
        help_text=_("Resource pages from this space's library."),
    )

    class Meta:
        icon = "link"
        template = "resources/blocks/related_resources_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["visible_resources"] = _visible_resources(value["resources"], parent_context)
        return context

    def get_api_representation(self, value, context=None):
        return {
            "title": value["title"],
            "resources": [
                {"id": page.pk, "title": page.title, "url": page.url, "summary": page.summary}
                for page in _visible_resources(value["resources"], context)
            ],
        }


class GuideStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    steps = NumberedStepsBlock()
    quote = QuoteBlock()
    callout = CalloutBlock()
    crisis_line = CrisisLineBlock()
    figure = FigureBlock()
    related_resources = RelatedResourcesBlock()
