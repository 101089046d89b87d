"""Reads for the content app: reviews due, site search, the editors and
medical reviewers to remind. The reads the pages themselves show (article lists,
topics, related articles) are in models.py beside the pages, since this
module imports the models; the links into the directory search are in
find_treatment.py."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, DateField, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Or, PlainText

from directory import vocabularies
from directory.models import Program

from .models import REVIEW_DUE_WINDOW_DAYS, LinkCheckResult, MedicallyReviewedPage, articles_live
from .review_tasks import EDITORS, MEDICAL_REVIEWERS


def reviews_due(*, today=None, window_days=REVIEW_DUE_WINDOW_DAYS):
    """Live pages of every medically reviewed type (articles, the care guide:
    `MedicallyReviewedPage.page_models()`) whose review is overdue or due
    within the window, most urgent first, as specific pages. One with no due
    date was never reviewed: it counts as overdue, and comes first."""
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
    return "__".join(path.join_field.name for path in model._meta.get_path_from_parent(Page))


# FTS5's operators, in the capitals that make them operators.
OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "NEAR"})
# Words of a query looked for; more say nothing more (the form allows 200 characters).
MAX_WORDS = 32


def search_words(text) -> list[str]:
    """The words of what a person typed (vocabularies.words: letters and
    digits of any script), with every backend's query syntax left out:
    quotes, brackets, `*`, `^`, `:`, `-` and FTS5's operator words. SQLite
    FTS5 fails on an unbalanced quote (wagtail issue 13227); PostgreSQL's
    tsquery and MySQL's boolean mode have syntax of their own. Safe to hand
    to any search backend."""
    return [word for word in vocabularies.words(text) if word not in OPERATOR_WORDS]


def backend_query(text):
    """What the search backends are given for what a person typed: every
    word required, a name families use (vocabularies.read_names: "suboxone",
    "heroin") matching itself or the words of its terms ("buprenorphine",
    "opioids"); None when no word is left."""
    parts, plain = [], []
    for item in vocabularies.read_names(search_words(text)[:MAX_WORDS]):
        if isinstance(item, str):
            plain.append(item)
        else:
            alternatives = [" ".join(item.words), *item.search_words]
            parts.append(Or([PlainText(words, operator="and") for words in alternatives]))
    if plain:  # one flat query: nesting is bounded (FTS5's parser stack is small)
        parts.insert(0, PlainText(" ".join(plain), operator="and"))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def search_articles(query):
    """Live articles matching the query, best match first (Wagtail search:
    PostgreSQL full text in production, SQLite FTS5 in development)."""
    articles = articles_live().specific()
    searched = backend_query(query)
    return articles.search(searched) if searched is not None else articles.none()


def search_programs(query):
    """Listed directory programs (what /find/ lists: Program.objects.listed())
    whose name, organization, city or terms (every vocabulary:
    Program.search_fields) match the query."""
    programs = Program.objects.listed()
    searched = backend_query(query)
    return get_search_backend().search(searched, programs) if searched is not None else programs.none()


def reviews_past_due(*, today=None):
    """Live medically reviewed pages whose next review date has passed (or
    that were never reviewed), most overdue first: the reviewers' dashboard
    panel, the reminder emails and their command all use this one list (the
    reader's note is `MedicallyReviewedPage.review_past_due`, the same rule)."""
    today = today or timezone.localdate()
    return reviews_due(today=today, window_days=-1)


def review_reminder_recipients():
    """Who is reminded of past-due medical reviews, each address once, with
    the groups it is reminded as: active members of Editors (an editor starts
    the review) and of Medical reviewers (one approves it), as sorted
    (address, frozenset of group names) pairs."""
    addresses, roles = {}, {}
    members = (
        get_user_model()
        .objects.filter(groups__name__in=[EDITORS, MEDICAL_REVIEWERS], is_active=True)
        .exclude(email="")
        .values_list("email", "groups__name")
        .order_by("email")
    )
    for address, group in members:
        key = address.lower()  # one message for one mailbox, however it is spelled
        addresses.setdefault(key, address)
        roles.setdefault(key, set()).add(group)
    return sorted((addresses[key], frozenset(groups)) for key, groups in roles.items())


_STATUS = LinkCheckResult.Status
_PROBLEM_ORDER = [_STATUS.BROKEN, _STATUS.UNSURE, _STATUS.REDIRECTED]


def link_problems():
    """The last link check's links that are not fine: broken first, then
    those it could not confirm, then moved ones; by article, then in the
    article's order."""
    order = Case(*[When(status=status, then=Value(n)) for n, status in enumerate(_PROBLEM_ORDER)])
    return (
        LinkCheckResult.objects.filter(status__in=_PROBLEM_ORDER)
        .select_related("page")
        .order_by(order, "page__title", "pk")
    )


def link_check_last_run():
    """When the last link check ran and what it found, or None if none ran:
    {"checked_at", "links", "pages", "<status>": count...}."""
    last = LinkCheckResult.objects.order_by("-checked_at").values_list("checked_at", flat=True).first()
    if last is None:
        return None
    counts = dict(
        LinkCheckResult.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {
        "checked_at": last,
        "links": sum(counts.values()),
        "pages": LinkCheckResult.objects.values("page").distinct().count(),
        **{status: counts.get(status, 0) for status in LinkCheckResult.Status.values},
    }
