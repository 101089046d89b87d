"""Terms for what SAMHSA publishes beyond the search filters (issue 10):
substance-specific detox, treatment approaches, gender accepted, facility
operation, recovery support and testing. Slugs are stable; names and
descriptions are ours; samhsa_codes tie them to
directory/data/samhsa_service_codes.tsv. Also: SAMHSA's OTP certification
code (SOTP) now means the opioid-treatment-program level too."""

from django.db import migrations

# slug, name, SAMHSA codes, description
DETOX_SUBSTANCES = [
    ("alcohol", "Alcohol", ["ADTX"], "Supervised withdrawal from alcohol, which can be dangerous without medical care."),
    ("opioids", "Opioids", ["ODTX", "DM", "DB"], "Supervised withdrawal from heroin, fentanyl or prescription painkillers."),
    ("benzodiazepines", "Benzodiazepines", ["BDTX"], "Supervised, gradual withdrawal from sedatives such as Xanax or Valium."),
    ("cocaine", "Cocaine", ["CDTX"], "Support through the crash and cravings after stopping cocaine."),
    ("methamphetamine", "Methamphetamine", ["MDTX"], "Support through withdrawal from methamphetamine and other stimulants."),
]  # fmt: skip

TREATMENT_APPROACHES = [
    ("cbt", "Cognitive behavioral therapy (CBT)", ["CBT"], "Learning to notice and change the thoughts and habits that lead to using."),
    ("dbt", "Dialectical behavior therapy (DBT)", ["DBT"], "Skills for handling strong emotions and distress without using."),
    ("motivational-interviewing", "Motivational interviewing", ["MOTI"], "Conversations that help a person find their own reasons to change."),
    ("contingency-management", "Contingency management", ["CMI", "CRV"], "Small rewards for meeting goals such as negative drug tests."),
    ("matrix-model", "Matrix Model", ["MX"], "A structured outpatient program, often used for stimulant use."),
    ("relapse-prevention", "Relapse prevention", ["RELP"], "Planning for triggers and high-risk moments before they happen."),
    ("twelve-step", "12-step facilitation", ["TWFA"], "Help getting started with groups such as AA or NA."),
    ("trauma-counseling", "Trauma-related counseling", ["TRC"], "Counseling that takes past trauma into account."),
    ("substance-use-counseling", "Substance use counseling", ["SACA"], "Regular counseling focused on alcohol or drug use."),
    ("brief-intervention", "Brief intervention", ["BIA"], "Short, focused conversations about use and its risks."),
    ("anger-management", "Anger management", ["ANG"], "Skills for recognizing and calming anger."),
]  # fmt: skip

GENDERS_ACCEPTED = [
    ("women", "Women", ["FEM"], "Accepts women."),
    ("men", "Men", ["MALE"], "Accepts men."),
]  # fmt: skip

FACILITY_OPERATIONS = [
    ("private-for-profit", "Private for-profit", ["PVTP"], "Run by a private company."),
    ("private-non-profit", "Private non-profit", ["PVTN"], "Run by a private non-profit organization."),
    ("local-government", "Local or county government", ["LCCG"], "Run by a city, county or community government."),
    ("state-government", "State government", ["STG"], "Run by the state."),
    ("federal-government", "Federal government", ["FED"], "Run by a federal agency."),
    ("veterans-affairs", "U.S. Department of Veterans Affairs", ["VAMC"], "Run by the VA, for veterans."),
    ("department-of-defense", "Department of Defense", ["DDF"], "Run by the military."),
    ("indian-health-service", "Indian Health Service", ["IH"], "Run by the Indian Health Service."),
    ("tribal-government", "Tribal government", ["TBG"], "Run by a tribal government."),
]  # fmt: skip

# slug, name, kind, SAMHSA codes, description
SUPPORT_SERVICES = [
    ("peer-support", "Peer support or mentoring", "recovery", ["PEER"], "Support from people with their own experience of recovery."),
    ("recovery-coach", "Recovery coach", "recovery", ["RC"], "A coach who helps with the practical steps of staying in recovery."),
    ("self-help-groups", "Self-help groups", "recovery", ["SHG"], "Mutual-help meetings held at or arranged by the program."),
    ("housing-services", "Help with housing", "recovery", ["HS"], "Help finding or keeping a safe place to live."),
    ("employment-help", "Help with work", "recovery", ["EMP", "VOC"], "Job counseling, training or help returning to school."),
    ("social-services-help", "Help with social services", "recovery", ["AOSS"], "Help applying for benefits and other services."),
    ("aftercare", "Aftercare and continuing care", "recovery", ["ACC"], "Support that continues after the main treatment ends."),
    ("naloxone-education", "Naloxone and overdose education", "recovery", ["NOE"], "Teaches how to spot an overdose and use naloxone."),
    ("alcohol-testing", "Breath or blood alcohol testing", "testing", ["BABA"], "Tests for recent alcohol use."),
    ("drug-testing", "Drug or alcohol testing (urine or saliva)", "testing", ["DAUT", "DAOF"], "Tests for recent drug or alcohol use."),
    ("hiv-testing", "HIV testing", "testing", ["HIVT"], "Offers HIV tests."),
    ("hepatitis-testing", "Hepatitis testing", "testing", ["HBT", "HCT"], "Offers hepatitis B and C tests."),
    ("std-testing", "STD testing", "testing", ["STDT"], "Offers tests for sexually transmitted infections."),
    ("tb-screening", "TB screening", "testing", ["TBS"], "Offers tuberculosis screening."),
]  # fmt: skip


def load(apps, schema_editor):
    def get(name):
        return apps.get_model("directory", name)

    specs = [
        (get("DetoxSubstance"), [dict(slug=r[0], name=r[1], samhsa_codes=r[2], description=r[3]) for r in DETOX_SUBSTANCES]),
        (get("TreatmentApproach"), [dict(slug=r[0], name=r[1], samhsa_codes=r[2], description=r[3]) for r in TREATMENT_APPROACHES]),
        (get("GenderAccepted"), [dict(slug=r[0], name=r[1], samhsa_codes=r[2], description=r[3]) for r in GENDERS_ACCEPTED]),
        (get("FacilityOperation"), [dict(slug=r[0], name=r[1], samhsa_codes=r[2], description=r[3]) for r in FACILITY_OPERATIONS]),
        (get("SupportService"), [dict(slug=r[0], name=r[1], kind=r[2], samhsa_codes=r[3], description=r[4]) for r in SUPPORT_SERVICES]),
    ]  # fmt: skip
    for model, rows in specs:
        existing = set(model.objects.values_list("slug", flat=True))
        model.objects.bulk_create(
            model(sort_order=(i + 1) * 10, **row) for i, row in enumerate(rows) if row["slug"] not in existing
        )
    otp = get("LevelOfCare").objects.filter(slug="opioid-treatment-program").first()
    if otp and "SOTP" not in otp.samhsa_codes:
        otp.samhsa_codes = [*otp.samhsa_codes, "SOTP"]
        otp.save(update_fields=["samhsa_codes"])


def unload(apps, schema_editor):
    for name, rows in [
        ("DetoxSubstance", DETOX_SUBSTANCES),
        ("TreatmentApproach", TREATMENT_APPROACHES),
        ("GenderAccepted", GENDERS_ACCEPTED),
        ("FacilityOperation", FACILITY_OPERATIONS),
        ("SupportService", SUPPORT_SERVICES),
    ]:
        apps.get_model("directory", name).objects.filter(slug__in=[r[0] for r in rows]).delete()
    otp = apps.get_model("directory", "LevelOfCare").objects.filter(slug="opioid-treatment-program").first()
    if otp and "SOTP" in otp.samhsa_codes:
        otp.samhsa_codes = [code for code in otp.samhsa_codes if code != "SOTP"]
        otp.save(update_fields=["samhsa_codes"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0008_import_fidelity_vocabularies_provenance")]

    operations = [migrations.RunPython(load, unload)]
