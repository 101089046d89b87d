"""The "Which care do I need?" guide: a Wagtail page under /learn/ whose
questions and rules editors write, and which goes through the same
editorial and medical review workflow as the articles beside it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.blocks import PageChooserBlock
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.models import MedicallyReviewedPage, review_fields_panel

from .blocks import QuestionsBlock, RulesBlock
from .rules import guide_from_streams, problems
from .views import serve_guide, serve_review

DEFAULT_CAUTION = (
    "This guide suggests where to start; it is not a diagnosis. A clinician's assessment decides "
    "which care is right, and a good program will do one before admission."
)


class GuidePage(MedicallyReviewedPage, Page):
    """The guide. Its medical review is recorded like an article's (reviewer,
    last reviewed, next review due) and shown on every screen."""

    intro = models.TextField(
        help_text="Shown before the first question: what the guide does and that it is private."
    )
    questions = StreamField(
        QuestionsBlock(),
        help_text="One question per screen, in this order. The first one screens for danger now.",
    )
    rules = StreamField(
        RulesBlock(),
        help_text=(
            "Care rules are tried from the top; the first whose conditions the answers meet gives the "
            "suggestion, so put the most urgent first and a rule with no conditions last. Every "
            "medication rule whose conditions are met applies."
        ),
    )
    urgent_heading = models.CharField(max_length=120, default="Please get help now")
    urgent_text = models.TextField(
        help_text="Shown with the emergency numbers when an answer stops the guide.",
    )
    no_medication_text = models.TextField(
        blank=True, help_text="Shown in the result when no medication rule applies."
    )
    questions_to_ask = models.TextField(
        help_text="Questions to ask a program, one per line.",
    )
    caution = models.TextField(default=DEFAULT_CAUTION)
    related_articles = StreamField(
        [("article", PageChooserBlock(page_type="content.ArticlePage"))],
        blank=True,
        max_num=3,
        help_text="Two or three articles to read next. Leave empty for the latest articles.",
    )

    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("questions"),
        FieldPanel("rules"),
        MultiFieldPanel(
            [FieldPanel("urgent_heading"), FieldPanel("urgent_text")],
            heading="When an answer means danger now",
        ),
        MultiFieldPanel(
            [
                FieldPanel("no_medication_text"),
                FieldPanel("questions_to_ask"),
                FieldPanel("caution"),
                FieldPanel("related_articles"),
            ],
            heading="Result",
        ),
        MultiFieldPanel(
            [review_fields_panel()],
            heading="Medical review",
            help_text="A medical reviewer's approval sets the reviewer and review dates.",
        ),
    ]
    preview_modes = [("", "The guide"), ("review", "All questions and rules on one page")]

    parent_page_types = ["content.ArticleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "care guide"

    @cached_property
    def guide(self):
        return guide_from_streams(self.questions, self.rules)

    def clean(self):
        super().clean()
        found = problems(guide_from_streams(self.questions, self.rules))
        if found:
            raise ValidationError([ValidationError(message, code="guide") for message in found])

    def ask_list(self):
        return [line.strip() for line in self.questions_to_ask.splitlines() if line.strip()]

    # The guide's screens are views (views.py, which never imports this
    # module): the page hands its requests to them.
    def serve(self, request, *args, **kwargs):
        return serve_guide(request, page=self)

    def serve_preview(self, request, mode_name):
        if mode_name == "review":
            return serve_review(request, page=self)
        return super().serve_preview(request, mode_name)
