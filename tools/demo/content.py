"""Demo articles, authors and a medical reviewer for `manage.py load_demo`.
Idempotent: does nothing when articles already exist."""

import datetime
import json
import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from content.models import (
    ArticleIndexPage,
    ArticlePage,
    ArticleReference,
    Author,
    MedicalReviewer,
    RelatedArticle,
)
from directory.models import Program
from tools.demo.content_articles import ARTICLES, REFS

AUTHORS = {
    "jordan": ("Jordan Reyes", "MPH", "Health writer covering addiction treatment and harm reduction."),
    "sam": (
        "Sam Whitfield",
        "LCSW",
        "Social worker who has guided families through treatment choices for 15 years.",
    ),
}
REVIEWER = ("Maya Ellison", "MD, FASAM", "Addiction medicine physician; reviews FindCare's health articles.")
REVIEWER_USERNAME = "reviewer"  # the demo account in load_demo's DEMO_ACCOUNTS


def block(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def stream_block(spec):
    kind, *args = spec
    if kind == "h":
        return block("heading", {"text": args[0]})
    if kind == "p":
        return block("paragraph", args[0])
    if kind == "table":
        caption, header, rows, *first_column_headers = args
        return block("table", table_value(header, rows, caption, row_headers=any(first_column_headers)))
    if kind == "callout":
        callout_kind, title, text = args
        return block("callout", {"kind": callout_kind, "title": title, "text": text})
    if kind == "faq":
        items = [{"question": q, "answer": a} for q, a in args[0]]
        return block("faq", {"heading": "Frequently asked questions", "items": items})
    if kind == "quote":
        return block("quote", {"quote": args[0], "attribution": args[1]})
    if kind == "find":
        heading, text, filters = args
        value = {"heading": heading, "text": text, "button_label": "Search programs"}
        value.update({name: filters.get(name, []) for name in ("care", "medication", "payment", "language")})
        return block("find_treatment", value)
    raise ValueError(f"Unknown demo block {kind!r}")


def table_value(header, rows, caption="", row_headers=False):
    """TableBlock data with a header row (and optionally a header column)."""
    return {
        "data": [list(header), *[list(row) for row in rows]],
        "table_header_choice": "both" if row_headers else "row",
        "first_row_is_table_header": True,
        "first_col_is_header": row_headers,
        "table_caption": caption,
    }


def body_json(specs):
    return json.dumps([stream_block(spec) for spec in specs])


def demo_reviewer():
    reviewer, _ = MedicalReviewer.objects.get_or_create(
        name=REVIEWER[0], defaults={"credentials": REVIEWER[1], "bio": REVIEWER[2]}
    )
    # The demo reviewer account signs its approvals as this person.
    user, _ = get_user_model().objects.get_or_create(
        username=REVIEWER_USERNAME,
        defaults={"email": "reviewer@example.org", "first_name": "Maya", "last_name": "Ellison"},
    )
    if reviewer.user_id is None and not MedicalReviewer.objects.filter(user=user).exists():
        reviewer.user = user
        reviewer.save(update_fields=["user"])
    return reviewer


INDEX_BATCH = 2000


def index_programs():
    """The directory's demo creates programs in bulk, which bypasses Wagtail's
    indexing signals: index them so site search finds them by name."""
    # In batches, with what the index reads (the organization and every
    # vocabulary: Program.search_fields) fetched up front by
    # get_indexed_objects: one query per batch and relation, not one per
    # program and relation (100,000 listings took minutes and 1 GB that way).
    backend = get_search_backend()
    programs = Program.get_indexed_objects()
    pks = list(programs.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), INDEX_BATCH):
        batch = list(programs.filter(pk__in=pks[start : start + INDEX_BATCH]))
        backend.add_bulk(Program, batch)
    return len(pks)


@transaction.atomic
def load(stdout=None, listings=None):
    indexed = index_programs()
    if stdout and indexed:
        stdout.write(f"Indexed {indexed} programs for site search.")
    if ArticlePage.objects.exists():
        if stdout:
            stdout.write("Articles already exist: demo articles skipped.")
        return
    index = ArticleIndexPage.objects.first()
    if index is None:
        raise RuntimeError("No /learn/ page: run migrations first.")
    authors = {
        key: Author.objects.get_or_create(name=name, defaults={"credentials": cred, "bio": bio})[0]
        for key, (name, cred, bio) in AUTHORS.items()
    }
    reviewer = demo_reviewer()
    today = timezone.localdate()
    pages = {}
    for number, spec in enumerate(ARTICLES):
        reviewed = today - datetime.timedelta(days=spec["reviewed_days_ago"])
        article = ArticlePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            body=body_json(spec["body"]),
            medical_reviewer=reviewer,
            first_published=reviewed - datetime.timedelta(days=30 + number),
            references=[
                ArticleReference(title=REFS[key][0], publisher=REFS[key][1], url=REFS[key][2])
                for key in spec["refs"]
            ],
        ).with_review(reviewer=reviewer, on=reviewed)
        article.topics.add(*spec["topics"])
        index.add_child(instance=article)
        article.authors.set([authors[key] for key in spec["authors"]])
        pages[spec["slug"]] = article
    for spec in ARTICLES:
        article = pages[spec["slug"]]
        article.related_links = [RelatedArticle(article=pages[slug]) for slug in spec["related"]]
        article.save_revision().publish()
    if stdout:
        stdout.write(f"Created {len(ARTICLES)} demo articles under {index.url}.")
