"""The demo guide for `manage.py load_demo`: one complete, live guide under
/learn/. Idempotent: does nothing when a guide already exists."""

import json
import uuid

from django.db import transaction
from django.utils import timezone

from content.models import ArticleIndexPage, ArticlePage
from guide.models import GuidePage
from tools.demo import guide_content as spec
from tools.demo.content import demo_reviewer


def block(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def item(value):
    return {"type": "item", "value": value, "id": str(uuid.uuid4())}


def questions_json():
    return json.dumps(
        [
            block(
                "question",
                {
                    "code": code,
                    "text": text,
                    "text_someone": text_someone,
                    "explanation": explanation,
                    "multiple": multiple,
                    "options": [
                        item(
                            {
                                "code": value,
                                "label": label,
                                "urgent": bool(why),
                                "urgent_reason": why,
                                "uses_now": spec.USES_NOW.get(value, []),
                            }
                        )
                        for value, label, why in options
                    ],
                },
            )
            for code, text, text_someone, explanation, multiple, options in spec.QUESTIONS
        ]
    )


def rules_json():
    care = [
        block(
            "care_rule",
            {"name": name, "all_of": ", ".join(all_of), "any_of": ", ".join(any_of),
             "none_of": ", ".join(none_of), "levels": levels, "why": why, "involves": involves},
        )
        for name, all_of, any_of, none_of, levels, why, involves in spec.CARE_RULES
    ]  # fmt: skip
    medication = [
        block(
            "medication_rule",
            {"name": name, "all_of": ", ".join(all_of), "any_of": ", ".join(any_of),
             "none_of": ", ".join(none_of), "medications": medications, "filter_search": filter_search,
             "text": text},
        )
        for name, all_of, any_of, none_of, medications, filter_search, text in spec.MEDICATION_RULES
    ]  # fmt: skip
    return json.dumps(care + medication)


def build_guide_page(**overrides):
    """The demo guide as an unsaved GuidePage (tests use it too)."""
    fields = {
        "title": spec.TITLE,
        "slug": spec.SLUG,
        "intro": spec.INTRO,
        "questions": questions_json(),
        "rules": rules_json(),
        "urgent_text": spec.URGENT_TEXT,
        "no_medication_text": spec.NO_MEDICATION_TEXT,
        "questions_to_ask": spec.QUESTIONS_TO_ASK,
        "search_description": (
            "Ten private questions that suggest where to start treatment and open a matching search."
        ),
    }
    fields.update(overrides)
    return GuidePage(**fields)


def related_articles_json():
    articles = {a.slug: a for a in ArticlePage.objects.filter(slug__in=spec.RELATED_ARTICLE_SLUGS)}
    return json.dumps(
        [block("article", articles[slug].pk) for slug in spec.RELATED_ARTICLE_SLUGS if slug in articles]
    )


@transaction.atomic
def load(stdout=None, listings=None):
    if GuidePage.objects.exists():
        if stdout:
            stdout.write("A care guide already exists: demo guide skipped.")
        return
    index = ArticleIndexPage.objects.first()
    if index is None:
        raise RuntimeError("No /learn/ page: run migrations first.")
    page = build_guide_page(related_articles=related_articles_json()).with_review(
        reviewer=demo_reviewer(), on=timezone.localdate()
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    if stdout:
        stdout.write(f"Created the demo care guide at {page.url}.")
