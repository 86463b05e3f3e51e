"""Common blocks for body content, shared by every app that has a StreamField.

Each block that holds an image or a page returns a useful API representation (rendition URL,
size and alt text; title and URL), never a bare id. See Wagtail's block reference:
https://docs.wagtail.org/en/stable/reference/streamfield/blocks.html
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

API_RENDITION = "max-1200x1200"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200, help_text=_("The heading's words."))
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section")), ("h3", _("Subsection"))],
        default="h2",
        help_text=_("Sections start a new part; subsections sit inside one."),
    )

    class Meta:
        icon = "title"
        template = "home/blocks/heading_block.html"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", ["bold", "italic", "link", "ol", "ul"])
        kwargs.setdefault("help_text", _("Plain text with simple formatting and links."))
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, help_text=_("What to do, in a few words."))
    text = blocks.TextBlock(required=False, help_text=_("Optional: more about this step."))


class NumberedStepsBlock(blocks.ListBlock):
    """An ordered list of steps, numbered in the order they are given."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Steps in the order a reader should take them."))
        super().__init__(StepBlock(), min_num=1, **kwargs)

    class Meta:
        icon = "list-ol"
        template = "home/blocks/numbered_steps_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(help_text=_("The words quoted."))
    attribution = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text=_("Who said it. A first name or a pseudonym is enough."),
    )

    class Meta:
        icon = "openquote"
        template = "home/blocks/quote_block.html"


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(
        choices=[("note", _("Note")), ("tip", _("Tip")), ("caution", _("Take care"))],
        default="note",
        help_text=_("How the box is styled and announced."),
    )
    title = blocks.CharBlock(required=False, max_length=200, help_text=_("Optional heading."))
    text = ParagraphBlock()

    class Meta:
        icon = "help"
        template = "home/blocks/callout_block.html"


class CrisisLineBlock(blocks.StructBlock):
    """A crisis line people can reach now: shown prominently, with its number as a tel: link."""

    name = blocks.CharBlock(max_length=200, help_text=_("e.g. 988 Suicide & Crisis Lifeline."))
    phone = blocks.CharBlock(
        max_length=40, help_text=_("The number to call, as people dial it, e.g. 988.")
    )
    text_number = blocks.CharBlock(
        required=False, max_length=40, help_text=_("Optional: a number to text, if different.")
    )
    hours = blocks.CharBlock(
        required=False, max_length=100, help_text=_("e.g. Every day, at any hour.")
    )
    url = blocks.URLBlock(required=False, help_text=_("Optional: the line's website."))
    description = blocks.TextBlock(
        required=False, help_text=_("Optional: who it is for, what happens when you call.")
    )

    class Meta:
        icon = "warning"
        template = "home/blocks/crisis_line_block.html"


class FigureBlock(blocks.StructBlock):
    """An image from the space's own collection, served through the membership check."""

    image = ImageChooserBlock(help_text=_("Choose an image from this space's collection."))
    alt_text = blocks.CharBlock(
        max_length=250, help_text=_("Describe the image for people who cannot see it.")
    )
    caption = blocks.CharBlock(required=False, max_length=250, help_text=_("Optional caption."))

    class Meta:
        icon = "image"
        template = "home/blocks/figure_block.html"

    def get_api_representation(self, value, context=None):
        image = value["image"]
        rendition = image.get_rendition(API_RENDITION) if image else None
        return {
            "image": (
                {
                    "id": image.pk,
                    "title": image.title,
                    "url": rendition.url,
                    "width": rendition.width,
                    "height": rendition.height,
                }
                if image
                else None
            ),
            "alt_text": value["alt_text"],
            "caption": value["caption"],
        }
