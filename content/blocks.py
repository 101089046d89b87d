"""StreamField blocks shared by the content page types."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock

from . import find_treatment

# Rich text in articles stays simple: no headings inside paragraphs (the
# heading block makes the table of contents) and no embeds.
ARTICLE_RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
CHECKBOXES = forms.CheckboxSelectMultiple


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section (h2)"), ("h3", "Subsection (h3)")],
        default="h2",
        required=False,
        help_text="Subsections are indented under their section in the table of contents.",
    )

    class Meta:
        icon = "title"
        template = "content/blocks/heading.html"


class BasicBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])


class ParagraphBlock(blocks.RichTextBlock):
    """Rich text whose "[2]"-style citations link to the article's references."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", ARTICLE_RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "content/blocks/paragraph.html"


class ArticleTableBlock(TableBlock):
    class Meta:
        icon = "table"
        template = "content/blocks/table.html"
        help_text = 'Choose "Display the first row as a header" so screen readers announce column names.'


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("important", "Important"), ("warning", "Warning"), ("tip", "Tip")], default="important"
    )
    title = blocks.CharBlock(max_length=80, required=False)
    text = blocks.RichTextBlock(features=ARTICLE_RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "content/blocks/callout.html"


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=ARTICLE_RICH_TEXT_FEATURES)


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Frequently asked questions")
    items = blocks.ListBlock(FAQItemBlock(), min_num=1)

    class Meta:
        icon = "help"
        label = "FAQ"  # not Wagtail's "Faq" from the block's name
        template = "content/blocks/faq.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(max_length=120, required=False)

    class Meta:
        icon = "openquote"
        template = "content/blocks/quote.html"


class ArticleImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250, help_text="Describe what the image shows for people who cannot see it."
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "content/blocks/image.html"


def vocabulary_filter_block(vocabulary, choices):
    return blocks.MultipleChoiceBlock(
        choices=choices, required=False, widget=CHECKBOXES, label=vocabulary.label
    )


class FindTreatmentBlock(blocks.StructBlock):
    """A link into the directory search with the filters the editor picked,
    and the live number of published programs that match them."""

    heading = blocks.CharBlock(max_length=120, default="Find a program")
    text = blocks.TextBlock(required=False, help_text="One or two sentences inviting the reader to search.")
    # One checkbox list per vocabulary of find_treatment.FIND_TREATMENT_VOCABULARIES,
    # named by its search parameter, labelled as the search page labels it.
    care = vocabulary_filter_block(find_treatment.CARE, find_treatment.level_of_care_choices)
    medication = vocabulary_filter_block(find_treatment.MEDICATION, find_treatment.medication_choices)
    payment = vocabulary_filter_block(find_treatment.PAYMENT, find_treatment.payment_choices)
    language = vocabulary_filter_block(find_treatment.LANGUAGE, find_treatment.language_choices)
    button_label = blocks.CharBlock(max_length=60, default="Search programs")

    class Meta:
        icon = "search"
        template = "content/blocks/find_treatment.html"

    def clean(self, value):
        value = super().clean(value)
        if not any(value.get(vocabulary.param) for vocabulary in find_treatment.FIND_TREATMENT_VOCABULARIES):
            raise StructBlockValidationError(
                non_block_errors=[ValidationError("Choose at least one filter.", code="no_filters")]
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        filters = {
            vocabulary.param: list(value.get(vocabulary.param) or [])
            for vocabulary in find_treatment.FIND_TREATMENT_VOCABULARIES
        }
        context["search_url"] = find_treatment.directory_search_url(filters)
        context["program_count"] = find_treatment.program_count(filters)
        return context


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    table = ArticleTableBlock()
    callout = CalloutBlock()
    faq = FAQBlock()
    quote = QuoteBlock()
    image = ArticleImageBlock()
    find_treatment = FindTreatmentBlock()
