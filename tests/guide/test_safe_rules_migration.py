"""guide/0005: a guide still holding the demo rules from before issue 27
(naltrexone in an opioid search, "nothing points to medical supervision"
for opioid withdrawal) gets the reviewed rules; one whose rules an editor
changed keeps them, and its substance answers are marked so the safety rule
keeps naltrexone out at run time."""

import importlib
import json
import uuid
from pathlib import Path

import pytest
from django.apps import apps as django_apps

from guide.models import GuidePage
from guide.rules import problems, suggest
from tools.demo import guide_content as spec
from tools.demo.guide import build_guide_page

pytestmark = pytest.mark.django_db

OLD_RULES = json.loads(Path(__file__).with_name("old_demo_rules.json").read_text())
SCENARIO = {
    "danger-now": ["safe-now"],
    "substances": ["opioids"],
    "how-often": ["daily"],
    "withdrawal": ["withdrawal-moderate"],
    "physical-health": ["health-ok"],
    "mental-health": ["mental-health-ok"],
    "readiness": ["ready"],
    "past-attempts": ["first-time"],
    "home": ["home-supportive"],
    "daily-life": ["daily-life-ok"],
}


def migration():
    return importlib.import_module("guide.migrations.0005_safe_demo_rules")


def old_guide(learn_page, rules, slug):
    """A guide as load_demo made it before: old rules, no answer marked, on
    the page, its live revision and a later draft. (Written around the
    page's check, which now refuses these rules.)"""
    page = build_guide_page(slug=slug)
    learn_page.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    page.save_revision()  # a later draft: the latest revision is not the live one
    questions = list(page.questions.raw_data)
    for question in questions:
        for option in question["value"]["options"]:
            option["value"].pop("uses_now", None)
    rules = [{**block, "id": str(uuid.uuid4())} for block in rules]
    page.questions, page.rules = questions, rules
    page.save(clean=False, update_fields=["questions", "rules"])
    for revision in page.revisions.all():
        revision.content.update(questions=json.dumps(questions), rules=json.dumps(rules))
        revision.save(update_fields=["content"])
    return GuidePage.objects.get(pk=page.pk)


def test_old_demo_rules_are_replaced_and_answers_marked(learn_page):
    page = old_guide(learn_page, OLD_RULES, "which-care")
    before = suggest(page.guide, SCENARIO)
    assert before.care_rule.name == "Everyone else"  # the issue: no withdrawal management
    assert "naltrexone" in before.search_medications

    migration().forwards(django_apps, None)

    page = GuidePage.objects.get(pk=page.pk)
    for guide in (page.guide, page.live_revision.as_object().guide, page.latest_revision.as_object().guide):
        assert [rule.name for rule in guide.care_rules] == [rule[0] for rule in spec.CARE_RULES]
        assert guide.questions[1].option("opioids").uses_now == ("opioids",)
        assert problems(guide) == []
        after = suggest(guide, SCENARIO)
        assert "detox" in after.levels and after.search_medications == ["methadone", "buprenorphine"]
    assert page.latest_revision_id != page.live_revision_id


def test_edited_rules_are_kept_but_naltrexone_stays_out(learn_page):
    edited = json.loads(json.dumps(OLD_RULES))
    edited[0]["value"]["why"] += " Edited."
    page = old_guide(learn_page, edited, "which-care-edited")

    migration().forwards(django_apps, None)

    guide = GuidePage.objects.get(pk=page.pk).guide
    assert [rule.name for rule in guide.rules] == [block["value"]["name"] for block in edited]
    after = suggest(guide, SCENARIO)
    assert "naltrexone" not in after.search_medications
    assert any("would offer naltrexone" in message for message in problems(guide))
