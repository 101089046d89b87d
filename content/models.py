"""Wagtail page types for the site's editorial content, the people who write
and review it, and the medical review step of the editorial workflow."""

import datetime
import math
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import AbstractGroupApprovalTask, Orderable, Page
from wagtail.search import index

from . import seo
from .blocks import ArticleBodyBlock, BasicBodyBlock
from .forms import ArticlePageForm
from .review_tasks import EditorialReviewTask, MedicalReviewTaskMixin  # noqa: F401 (EditorialReviewTask is a model)

ARTICLES_PER_PAGE = 10
HOME_ARTICLES = 3
WORDS_PER_MINUTE = 200
REVIEW_DUE_WINDOW_DAYS = 30  # "due soon": review_status and selectors.reviews_due


def one_year_after(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class HomePage(Page):
    """The front door: a treatment search first, then featured reading."""

    hero_heading = models.CharField(max_length=120, default="Find addiction treatment near you")
    hero_text = models.TextField(
        blank=True,
        default=(
            "Search programs by place and the kind of care you need. "
            "Free, confidential, and no account needed."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("hero_heading"),
        FieldPanel("hero_text"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        index = article_index()
        context["article_index"] = index
        context["latest_articles"] = article_list()[:HOME_ARTICLES] if index else []
        return context


class StandardPage(Page):
    """Plain pages: About, Privacy, Editorial policy, Terms, Data sources."""

    intro = models.TextField(blank=True, help_text="One or two sentences shown under the title.")
    body = StreamField(BasicBodyBlock(), blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["content.HomePage", "content.StandardPage"]
    subpage_types = ["content.StandardPage"]

    class Meta:
        verbose_name = "standard page"


class Contributor(models.Model):
    name = models.CharField(max_length=120)
    credentials = models.CharField(
        max_length=120, blank=True, help_text="Degrees and licences, e.g. MD, FASAM or LCSW."
    )
    bio = models.TextField("short bio", max_length=600, blank=True)

    panels = ["name", "credentials", "bio"]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class Author(Contributor):
    class Meta(Contributor.Meta):
        verbose_name = "author"


class MedicalReviewer(Contributor):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="medical_reviewer",
        help_text="The admin account that approves medical reviews as this person.",
    )

    panels = [*Contributor.panels, "user"]

    class Meta(Contributor.Meta):
        verbose_name = "medical reviewer"

    @classmethod
    def for_user(cls, user):
        """The reviewer profile an approving account signs as, created from the
        account's name the first time so every approval names a person."""
        reviewer, _ = cls.objects.get_or_create(
            user=user, defaults={"name": user.get_full_name() or user.get_username()}
        )
        return reviewer


class MedicallyReviewedPage(models.Model):
    """The medical review fields of a page type that goes through the
    medical review (articles, the care guide): who reviewed it, when, and
    when it is due again. Only the medical approval sets them
    (MedicalReviewTask.record_review calls `with_review`); the editor shows
    them read-only (`review_fields_panel()`); templates show them with
    content/includes/review_meta.html."""

    medical_reviewer = models.ForeignKey(
        MedicalReviewer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="Set automatically when a medical reviewer approves the page."
    )
    next_review_due = models.DateField(
        null=True, blank=True, help_text="One year after the last review, set by the medical review."
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.last_reviewed and not self.next_review_due:
            self.next_review_due = one_year_after(self.last_reviewed)
        return super().save(*args, **kwargs)

    @staticmethod
    def page_models():
        """Every concrete page type whose own table holds the review fields
        (ArticlePage, GuidePage, ...), derived from this class's subclasses:
        a new medically reviewed page type is in the "Medical reviews due"
        report, the dashboard panel and the reminders without being listed
        anywhere. Subclasses of those types are included through them
        (`Page.objects.type()`)."""
        return [
            model
            for model in apps.get_models()
            if issubclass(model, MedicallyReviewedPage)
            and model._meta.get_field("next_review_due").model is model
        ]

    def with_review(self, *, reviewer, on):
        """This page as medically reviewed by `reviewer` on day `on`."""
        self.medical_reviewer = reviewer
        self.last_reviewed = on
        self.next_review_due = one_year_after(on)
        return self

    @property
    def review_past_due(self):
        """True when the next medical review date has passed (or the page
        was never reviewed): readers are told, calmly."""
        return self.live and review_status(self) == "overdue"


def review_fields_panel():
    """The review fields, read-only for everyone: set only by the medical
    review's approval (MedicalReviewTask)."""
    return FieldRowPanel(
        [
            FieldPanel("medical_reviewer", read_only=True),
            FieldPanel("last_reviewed", read_only=True),
            FieldPanel("next_review_due", read_only=True),
        ]
    )


class ArticleIndexPage(Page):
    """/learn/: every article, newest first, filterable by topic."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ArticlePage", "guide.GuidePage"]

    class Meta:
        verbose_name = "article index page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        topic = request.GET.get("topic", "").strip()
        topics = list(topics_in_use())
        current_topic = next((t for t in topics if t["tag__slug"] == topic), None)
        paginator = Paginator(article_list(topic=topic if current_topic else None), ARTICLES_PER_PAGE)
        articles = paginator.get_page(request.GET.get("page"))
        context.update(
            articles=articles,
            topics=topics,
            current_topic=current_topic,
            query_string=urlencode({"topic": topic}) if current_topic else "",
        )
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("content.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(MedicallyReviewedPage, Page):  # noqa: DJ008 (Page has __str__)
    """A medically reviewed health article."""

    summary = models.TextField(
        max_length=300, help_text="One or two sentences: shown in cards and as the search-engine description."
    )
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image_alt = models.CharField(
        "image alt text", max_length=250, blank=True, help_text="Required with an image: what it shows."
    )
    body = StreamField(ArticleBodyBlock())
    authors = ParentalManyToManyField(Author, blank=True, related_name="articles")
    first_published = models.DateField(
        null=True, blank=True, help_text="Leave blank to use the date the page was first published here."
    )
    topics = ClusterTaggableManager(through=ArticlePageTag, blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading="Image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("authors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("first_published"),
                review_fields_panel(),
            ],
            heading="Authors, review and dates",
            help_text="A medical reviewer's approval sets the reviewer and review dates.",
        ),
        FieldPanel("topics"),
        InlinePanel("references", heading="References", label="Reference"),
        InlinePanel("related_links", heading="Related articles", label="Related article"),
    ]

    parent_page_types = ["content.ArticleIndexPage"]
    subpage_types = []
    base_form_class = ArticlePageForm

    class Meta:
        verbose_name = "article"

    # Set by the editor's form while it saves a draft (ArticlePageForm):
    # like a required field, the image description may wait until the
    # article is submitted or published.
    drafting = False

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt.strip() and not self.drafting:
            raise ValidationError(
                {
                    "image_alt": ValidationError(
                        # Not code="required": the form would show its own
                        # "This field is required." instead of this message.
                        "Describe the image for people who cannot see it.",
                        code="image_alt_missing",
                    )
                }
            )

    @property
    def meta_description(self):
        return self.search_description or self.summary

    @property
    def published_on(self):
        if self.first_published:
            return self.first_published
        if self.first_published_at:
            return timezone.localdate(self.first_published_at)
        return None

    def headings(self):
        """(anchor, text) for each heading and FAQ block."""
        return [(entry["anchor"], entry["text"]) for entry in self.table_of_contents()]

    def table_of_contents(self):
        """[{anchor, text, level}] for each heading (h2 or h3) and FAQ block."""
        entries = []
        for block in self.body:
            if block.block_type == "heading":
                text, level = block.value["text"], block.value.get("level") or "h2"
            elif block.block_type == "faq":
                text, level = block.value["heading"], "h2"
            else:
                continue
            entries.append({"anchor": slugify(text), "text": text, "level": level})
        return entries

    def faq_items(self):
        return [item for block in self.body if block.block_type == "faq" for item in block.value["items"]]

    def reading_time(self):
        """Minutes to read at an unhurried pace, never less than one."""
        words = sum(len(strip_tags(str(block.render())).split()) for block in self.body)
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_articles"] = related_articles(article=self)
        context["json_ld"] = seo.article_json_ld(self, request)
        return context


class ArticleReference(Orderable):
    """A source the article cites by its number, e.g. "[2]"."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="references")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    date = models.DateField(null=True, blank=True, help_text="Publication or last-updated date.")

    panels = ["title", "publisher", "url", "date"]

    class Meta(Orderable.Meta):
        verbose_name = "reference"

    def __str__(self):
        return self.title


class RelatedArticle(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_links")
    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("article", page_type="content.ArticlePage")]

    class Meta(Orderable.Meta):
        verbose_name = "related article"


class MedicalReviewTask(MedicalReviewTaskMixin, AbstractGroupApprovalTask):
    """A group approval task whose approval is the medical review: it records
    the reviewer and the review date on the revision the workflow publishes.
    Four eyes and "changed since editorial review" come from the mixin."""

    class Meta:
        verbose_name = "medical review task"
        verbose_name_plural = "medical review tasks"

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups medically review the page; approving records the review."

    def record_review(self, page, user):
        # Any MedicallyReviewedPage (ArticlePage, GuidePage) gets the review
        # recorded.
        reviewed = page.specific.get_latest_revision_as_object()
        if not isinstance(reviewed, MedicallyReviewedPage):
            return
        reviewed.with_review(reviewer=MedicalReviewer.for_user(user), on=timezone.localdate())
        # A new revision, saved as the reviewer. When this is the last task the
        # workflow then publishes `page.get_latest_revision()`, so the page
        # object it holds must point at the new revision.
        page.latest_revision = reviewed.save_revision(user=user, log_action=True, clean=False)


def review_status(page, today=None):
    """ "overdue", "due soon" or "" for a medically reviewed page's next review date."""
    today = today or timezone.localdate()
    if page.next_review_due is None or page.next_review_due < today:
        return "overdue"
    if page.next_review_due <= today + datetime.timedelta(days=REVIEW_DUE_WINDOW_DAYS):
        return "due soon"
    return ""


class LinkCheckResult(models.Model):
    """One link of a live article as the last link check found it
    (content/link_check.py: `manage.py check_links`, the "Broken links"
    report). Each check replaces the results of the pages it checked."""

    class Status(models.TextChoices):
        OK = "ok", "Works"
        REDIRECTED = "redirected", "Moved"
        UNSURE = "unsure", "Could not confirm"
        BROKEN = "broken", "Broken"

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    url = models.CharField("link", max_length=2000)
    where = models.CharField(max_length=200, help_text='e.g. "Reference 2" or "Body: paragraph 3".')
    status = models.CharField(max_length=12, choices=Status.choices)
    http_status = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    final_url = models.CharField("where it leads", max_length=2000, blank=True)
    message = models.CharField(max_length=500, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["page_id", "pk"]
        indexes = [models.Index(fields=["status"], name="content_linkcheck_status")]

    def __str__(self):
        return f"{self.url} ({self.get_status_display()})"


# Reads the pages above show, also used by the feeds and the guide. They
# live beside the pages because selectors.py (every other read) imports
# this module: pages calling into it would be an import cycle.


def articles_live():
    return ArticlePage.objects.live().public()


def article_list(*, topic=None):
    """Live articles for the index, newest first, optionally for one topic slug."""
    articles = articles_live().order_by("-first_published_at", "-pk")
    if topic:
        articles = articles.filter(topics__slug=topic)
    return articles.select_related("image").prefetch_related("topics", "authors")


def topics_in_use():
    return (
        ArticlePageTag.objects.filter(content_object__live=True)
        .values("tag__name", "tag__slug")
        .annotate(count=Count("content_object", distinct=True))
        .order_by("tag__name")
    )


def related_articles(*, article, limit=3):
    """Articles the editor chose, else the live ones sharing most topics."""
    # .all() rather than query methods: in previews `article` is an unsaved
    # revision whose relations are in-memory lists.
    chosen = [link.article for link in article.related_links.all() if link.article and link.article.live]
    if chosen:
        return chosen[:limit]
    topic_ids = [tag.pk for tag in article.topics.all()]
    if not topic_ids:
        return []
    return list(
        articles_live()
        .exclude(pk=article.pk)
        .filter(topics__in=topic_ids)
        .annotate(shared=Count("topics", filter=Q(topics__in=topic_ids), distinct=True))
        .order_by("-shared", "-first_published_at")[:limit]
    )


def article_index():
    return ArticleIndexPage.objects.live().order_by("path").first()
