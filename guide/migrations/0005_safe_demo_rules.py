# ruff: noqa: E501
"""The demo guide's rules before issue 27 offered naltrexone in the search of
someone using opioids now and told a person in opioid withdrawal that
nothing pointed to medical supervision. This migration, on every care
guide, its live and its latest revision:

- marks the demo's substance answers (question "substances": opioids,
  alcohol, benzodiazepines, stimulants) with the substances they mean are
  used now, so the safety rule (guide/rules.py CONTRAINDICATIONS) can keep
  naltrexone out for people using opioids;
- replaces the rules with the reviewed ones (tools/demo/guide_content.py as
  of this migration, frozen here) only where they are still exactly the old
  demo rules. Rules an editor changed are left alone: the safety rule holds
  at run time, and the editor's page check (rules.problems) asks for the
  fix at the next save, which goes through medical review as usual."""

import hashlib
import json
import uuid

from django.db import migrations

OLD_DEMO_RULES_SHA256 = "1e3caa6fd980d69146cb56214f2522c51fe734c87319611faaca68177b0ecad8"
OLD_KEYS = {
    "care_rule": ("name", "all_of", "any_of", "levels", "why", "involves"),
    "medication_rule": ("name", "all_of", "any_of", "medications", "filter_search", "text"),
}
USES_NOW = {'alcohol': ['alcohol'],
 'benzodiazepines': ['benzodiazepines'],
 'opioids': ['opioids'],
 'stimulants': ['cocaine', 'methamphetamine']}
CARE_RULES = [('Dangerous withdrawal before (dimension 1)',
  [],
  ['withdrawal-severe'],
  [],
  ['detox', 'inpatient'],
  'Seizures, hallucinations or delirium when stopping before mean withdrawal could be dangerous this time too, so '
  'withdrawal management should be medically monitored, in an inpatient unit or a hospital.',
  'Medically monitored withdrawal management (detox), in an inpatient unit or a hospital: doctors and nurses watch '
  'over the body day and night while the substance leaves it, with medication to ease symptoms and prevent seizures. '
  'It lasts days, not weeks, and is the first step: treatment should follow straight after.'),
 ('Alcohol or sedative withdrawal (dimension 1)',
  ['withdrawal-moderate'],
  ['alcohol', 'benzodiazepines'],
  [],
  ['detox', 'inpatient'],
  'Being clearly unwell when cutting down is withdrawal, and withdrawal from alcohol or sedatives can turn into '
  'seizures or delirium. It should be managed by medical staff in a medically monitored detox or a hospital, not sat '
  'out at home.',
  'Medically monitored withdrawal management (detox), in an inpatient unit or a hospital: doctors and nurses watch '
  'over the body day and night while the substance leaves it, with medication to ease symptoms and prevent seizures. '
  'It lasts days, not weeks, and is the first step: treatment should follow straight after.'),
 ('Daily alcohol or sedatives, withdrawal not known (dimension 1)',
  ['daily', 'withdrawal-unknown'],
  ['alcohol', 'benzodiazepines'],
  [],
  ['detox', 'inpatient'],
  'Stopping alcohol or sedatives after daily use can cause seizures, and there is no way yet to know how stopping will '
  'go, so the safest start is withdrawal management with medical staff.',
  'Medically monitored withdrawal management (detox), in an inpatient unit or a hospital: doctors and nurses watch '
  'over the body day and night while the substance leaves it, with medication to ease symptoms and prevent seizures. '
  'It lasts days, not weeks, and is the first step: treatment should follow straight after.'),
 ('Pregnant and using opioids (dimensions 1 and 2)',
  ['pregnant'],
  ['opioids'],
  [],
  ['opioid-treatment-program', 'inpatient'],
  'During pregnancy, the recommended care for opioid use is to start methadone or buprenorphine, which also ends '
  'withdrawal, rather than to stop opioids suddenly. An opioid treatment program can start it, or a hospital when '
  'closer medical care is needed; tell them about the pregnancy so prenatal care is part of the plan.',
  'An opioid treatment program gives methadone, and often buprenorphine, with daily visits at first and counseling; '
  'many also coordinate with prenatal care. A hospital unit offers round-the-clock medical care while the medication '
  'is started.'),
 ('Opioid withdrawal (dimension 1)',
  ['withdrawal-moderate'],
  ['opioids'],
  [],
  ['detox', 'outpatient', 'opioid-treatment-program'],
  'Feeling clearly unwell when stopping opioids is withdrawal, which is what withdrawal management is for. With '
  'buprenorphine or methadone it is much easier, and it can be done while living at home: an outpatient clinic can '
  'prescribe buprenorphine and an opioid treatment program gives methadone, often within days.',
  'Withdrawal management for opioids usually starts with a first dose of buprenorphine once withdrawal has begun, or '
  'daily methadone at a clinic, with check-ins over the first days, while living at home. Many people stay on the '
  'medication for months or years, with counseling alongside.'),
 ('Daily opioids, withdrawal not known (dimension 1)',
  ['daily', 'withdrawal-unknown'],
  ['opioids'],
  [],
  ['detox', 'outpatient', 'opioid-treatment-program'],
  'Using opioids every day almost always brings withdrawal when stopping. Withdrawal management with buprenorphine or '
  'methadone eases it and can be done while living at home: an outpatient clinic can prescribe buprenorphine and an '
  'opioid treatment program gives methadone.',
  'Withdrawal management for opioids usually starts with a first dose of buprenorphine once withdrawal has begun, or '
  'daily methadone at a clinic, with check-ins over the first days, while living at home. Many people stay on the '
  'medication for months or years, with counseling alongside.'),
 ('Other withdrawal (dimension 1)',
  [],
  ['withdrawal-moderate'],
  [],
  ['detox', 'outpatient'],
  'Being clearly unwell when stopping is withdrawal. From stimulants and most other substances it is hard but rarely '
  'dangerous, so withdrawal management with support through the first days is a reasonable start, often while living '
  'at home.',
  'Withdrawal management (detox) helps through the first days of stopping: check-ins, help with sleep, food and mood, '
  'and medication for symptoms where it helps. It lasts days, not weeks; outpatient treatment should follow straight '
  'after.'),
 ('Medical or mental health needs (dimensions 2 and 3)',
  [],
  ['pregnant', 'serious-illness', 'mental-health-severe'],
  [],
  ['inpatient', 'residential'],
  'Pregnancy, a serious health problem or a mental health condition that makes daily life very hard are best treated '
  'together with the substance use, with doctors and nurses close by.',
  'Inpatient care offers 24-hour care directed by doctors; residential care offers round-the-clock structure and daily '
  'therapy. Both usually last weeks, followed by outpatient care.'),
 ('Home is not a safe base (dimension 5)',
  [],
  ['home-difficult', 'no-stable-home'],
  [],
  ['residential', 'sober-living'],
  'Recovery is hard where others use or where there is no steady home; time away in a structured setting gives '
  'recovery a chance to take hold.',
  'Residential programs provide a place to live with treatment every day. Sober living homes are alcohol- and '
  'drug-free housing, not treatment, often paired with outpatient care.'),
 ('Needs more structure (dimension 4)',
  [],
  ['returned-quickly', 'needs-structure'],
  [],
  ['partial-hospitalization', 'intensive-outpatient'],
  'When using takes up most days, or treatment has not held before, more hours of treatment each week help, while '
  'still sleeping at home.',
  'Partial hospitalization (day treatment) takes most of the day, five days a week; intensive outpatient means about '
  'three hours a day, three or more days a week.'),
 ('Everyone else',
  [],
  [],
  [],
  ['outpatient', 'intensive-outpatient'],
  'Nothing in your answers points to withdrawal, a need for medical supervision or round-the-clock care, so treatment '
  'while living at home is a reasonable place to start.',
  'Outpatient care means regular counseling sessions, usually once or twice a week; intensive outpatient adds more '
  'hours if needed.')]
MEDICATION_RULES = [('Opioid use now',
  [],
  ['opioids'],
  [],
  ['methadone', 'buprenorphine'],
  True,
  'Methadone and buprenorphine are the best-proven treatment for opioid use disorder: they ease withdrawal and '
  'cravings and lower the risk of dying from an overdose. Methadone comes from certified opioid treatment programs; '
  'buprenorphine can be prescribed in ordinary clinics. Ask every program whether it offers them or accepts them '
  'prescribed elsewhere. After a detox without them, tolerance is lost, so a return to use carries a high overdose '
  'risk: keep naloxone at hand.'),
 ('Alcohol use, no opioids',
  [],
  ['alcohol'],
  ['opioids'],
  ['naltrexone'],
  False,
  'Medications such as naltrexone can also reduce drinking and cravings. Ask the program about them; not every program '
  'offers them, so the search is not narrowed to them.')]


def new_rules():
    care = [
        {"type": "care_rule", "id": str(uuid.uuid4()), "value": {
            "name": name, "all_of": ", ".join(all_of), "any_of": ", ".join(any_of),
            "none_of": ", ".join(none_of), "levels": levels, "why": why, "involves": involves}}
        for name, all_of, any_of, none_of, levels, why, involves in CARE_RULES
    ]
    medication = [
        {"type": "medication_rule", "id": str(uuid.uuid4()), "value": {
            "name": name, "all_of": ", ".join(all_of), "any_of": ", ".join(any_of),
            "none_of": ", ".join(none_of), "medications": medications, "filter_search": filter_search,
            "text": text}}
        for name, all_of, any_of, none_of, medications, filter_search, text in MEDICATION_RULES
    ]
    return care + medication


def is_old_demo(rules):
    canon = [
        [block["type"], {key: block["value"].get(key) for key in OLD_KEYS.get(block["type"], ())}]
        for block in rules
    ]
    return hashlib.sha256(json.dumps(canon, sort_keys=True).encode()).hexdigest() == OLD_DEMO_RULES_SHA256


def mark_uses_now(questions):
    changed = False
    for question in questions:
        if question["value"].get("code") != "substances":
            continue
        for option in question["value"].get("options", []):
            value = option["value"]
            if value.get("code") in USES_NOW and not value.get("uses_now"):
                value["uses_now"] = USES_NOW[value["code"]]
                changed = True
    return changed


def updated(questions, rules):
    """(questions, rules, changed) with the fixes applied."""
    changed = mark_uses_now(questions)
    if is_old_demo(rules):
        rules, changed = new_rules(), True
    return questions, rules, changed


def load(raw):
    return json.loads(raw) if isinstance(raw, str) else list(raw or [])


def forwards(apps, schema_editor):
    GuidePage = apps.get_model("guide", "GuidePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    for page in GuidePage.objects.all():
        questions, rules, changed = updated(list(page.questions.raw_data), list(page.rules.raw_data))
        if changed:
            page.questions, page.rules = questions, rules  # StreamValues, as the field reads them
            GuidePage.objects.filter(pk=page.pk).update(questions=page.questions, rules=page.rules)
        for revision in Revision.objects.filter(pk__in=[page.live_revision_id, page.latest_revision_id]):
            content = dict(revision.content)
            if "questions" not in content or "rules" not in content:
                continue
            was_str = isinstance(content["rules"], str)
            questions, rules, changed = updated(load(content["questions"]), load(content["rules"]))
            if changed:
                content["questions"] = json.dumps(questions) if was_str else questions
                content["rules"] = json.dumps(rules) if was_str else rules
                Revision.objects.filter(pk=revision.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [
        ("guide", "0004_rules_unless_and_uses_now"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
