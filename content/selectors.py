"""Reads for the content app, including the few it makes from the directory.

The directory is another app with its own release pace, so its models are
looked up lazily: content keeps working (without live counts) when a
vocabulary or the program table is not there."""

import datetime
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Count, DateField, F, Q, Value
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.search.backends import get_search_backend

# Find-treatment block field -> (directory vocabulary model, Program M2M field).
# The field names double as the directory search's GET parameters.
FIND_TREATMENT_FILTERS = {
    "care": ("LevelOfCare", "levels_of_care"),
    "medication": ("Medication", "medications"),
    "payment": ("PaymentOption", "payment_options"),
    "language": ("Language", "languages"),
}
REVIEW_DUE_WINDOW_DAYS = 30


def directory_model(name):
    try:
        return apps.get_model("directory", name)
    except LookupError:
        return None


def vocabulary_choices(model_name):
    model = directory_model(model_name)
    if model is None:
        return []
    return list(model.objects.order_by("sort_order", "name").values_list("slug", "name"))


def level_of_care_choices():
    return vocabulary_choices("LevelOfCare")


def medication_choices():
    return vocabulary_choices("Medication")


def payment_choices():
    return vocabulary_choices("PaymentOption")


def language_choices():
    return vocabulary_choices("Language")


def directory_search_url(filters):
    """The directory search URL for the given {param: [slugs]} filters."""
    try:
        base = reverse("directory:search")
    except NoReverseMatch:
        base = "/find/"
    query = urlencode([(name, slug) for name, slugs in filters.items() for slug in slugs])
    return f"{base}?{query}" if query else base


def program_count(filters):
    """How many published programs the directory search would show for these
    filters, or None when the directory cannot say. The directory's own
    count (its in-memory index, kept current as listings change), so the
    number is always the one the linked search page shows: no cache."""
    try:
        from directory.search import program_count as directory_program_count
    except ImportError:
        return _count_programs_by_terms(filters)
    data = QueryDict(mutable=True)
    for name, slugs in filters.items():
        data.setlist(name, slugs)
    return directory_program_count(data=data)


def _count_programs_by_terms(filters):
    program = directory_model("Program")
    if program is None:
        return None
    queryset = program.objects.published()
    for name, slugs in filters.items():
        if slugs:
            field = FIND_TREATMENT_FILTERS[name][1]
            queryset = queryset.filter(**{f"{field}__slug__in": slugs})
    return queryset.distinct().count()


def articles_live():
    from .models import ArticlePage

    return ArticlePage.objects.live().public()


def article_list(*, topic=None):
    """Live articles for the index, newest first, optionally for one topic slug."""
    articles = articles_live().order_by("-first_published_at", "-pk")
    if topic:
        articles = articles.filter(topics__slug=topic)
    return articles.select_related("image").prefetch_related("topics", "authors")


def topics_in_use():
    from .models import ArticlePageTag

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


def reviews_due(*, today=None, window_days=REVIEW_DUE_WINDOW_DAYS):
    """Live pages of every medically reviewed type (articles, the care guide:
    `MedicallyReviewedPage.page_models()`) whose review is overdue or due
    within the window, most urgent first, as specific pages. One with no due
    date was never reviewed: it counts as overdue, and comes first."""
    from wagtail.models import Page

    from .models import MedicallyReviewedPage

    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=window_days)
    models = MedicallyReviewedPage.page_models()
    # Each page is of one type, so its own table's date is the one not null.
    due = Coalesce(
        *[F(f"{_path_from_page(model)}__next_review_due") for model in models],
        Value(None, output_field=DateField()),
    )
    return (
        Page.objects.live()
        .type(*models)
        .annotate(review_due=due)
        .filter(Q(review_due__lte=horizon) | Q(review_due__isnull=True))
        .order_by(F("review_due").asc(nulls_first=True), "title", "pk")
        .specific()
        .select_related("medical_reviewer", for_specific_subqueries=True)
    )


def _path_from_page(model):
    """The lookup from Page to a page type's own table, e.g. "articlepage"."""
    from wagtail.models import Page

    return "__".join(path.join_field.name for path in model._meta.get_path_from_parent(Page))


def article_index():
    from .models import ArticleIndexPage

    return ArticleIndexPage.objects.live().order_by("path").first()


def search_articles(query):
    """Live articles matching the query, best match first (Wagtail search:
    PostgreSQL full text in production, the database backend's fallback on SQLite)."""
    return articles_live().specific().search(query)


def search_programs(query):
    """Published directory programs whose name, organization, city or terms
    (every vocabulary: Program.search_fields) match the query."""
    program = directory_model("Program")
    if program is None:
        return []
    return get_search_backend().search(query, program.objects.published())


def reviews_past_due(*, today=None):
    """Live medically reviewed pages whose next review date has passed (or
    that were never reviewed), most overdue first: the reviewers' dashboard
    panel, the reminder emails and their command all use this one list (the
    reader's note is `MedicallyReviewedPage.review_past_due`, the same rule)."""
    today = today or timezone.localdate()
    return reviews_due(today=today, window_days=-1)


def medical_reviewer_emails():
    """Addresses of the active members of the Medical reviewers group."""
    from django.contrib.auth import get_user_model

    from .review_tasks import MEDICAL_REVIEWERS

    return sorted(
        set(
            get_user_model()
            .objects.filter(groups__name=MEDICAL_REVIEWERS, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
