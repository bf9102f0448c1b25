"""StreamField blocks shared by essays and policy events.

Paragraphs carry an anchor so that citations can link to them. The loader
sets readable anchors (``p1``, ``p2`` ...); a paragraph an editor adds with the
anchor left blank falls back to one derived from the block's own id, which
Wagtail keeps across revisions.
"""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

ANCHOR_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9-]*$",
    _("Use lower-case letters, digits and hyphens, starting with a letter."),
)
RICH_TEXT_FEATURES = ["bold", "italic", "link"]


def block_anchor(block, prefix: str = "p") -> str:
    """The anchor of a paragraph or heading block: its own, else one from its id."""
    anchor = block.value.get("anchor") if hasattr(block.value, "get") else ""
    if anchor:
        return anchor
    return f"{prefix}-{str(block.id)[:8]}" if block.id else ""


class ParagraphBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, max_length=10000, label=_("Text")
    )
    anchor = blocks.CharBlock(
        required=False,
        max_length=60,
        validators=[ANCHOR_VALIDATOR],
        label=_("Anchor"),
        help_text=_(
            "Stable name for links to this paragraph (#anchor). Leave blank and "
            "one is made for you; never change one that citations use."
        ),
    )

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph_block.html"
        label = _("Paragraph")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200, label=_("Heading"))
    anchor = blocks.CharBlock(
        required=False,
        max_length=60,
        validators=[ANCHOR_VALIDATOR],
        label=_("Anchor"),
        help_text=_("Stable name for links to this section. Optional."),
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Section heading")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(
        required=False, max_length=200, label=_("Said or written by")
    )

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Quote")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        max_length=250,
        label=_("Alternative text"),
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(required=False, max_length=250, label=_("Caption"))
    credit = blocks.CharBlock(
        required=False,
        max_length=250,
        label=_("Credit"),
        help_text=_("Who made the image and under what licence."),
    )

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"
        label = _("Image")


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = CaptionedImageBlock()
