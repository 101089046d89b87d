"""The vocabularies programs are described with, as data. Slugs are stable
(URLs and the search form use them); names and descriptions are ours, in
plain language; samhsa_codes tie each term to the SAMHSA service codes in
directory/data/samhsa_service_codes.tsv so the importer can map both ways.
Staff can add terms in the admin afterwards."""

from django.db import migrations

# slug, name, ASAM level, SAMHSA codes, is_housing, description
LEVELS_OF_CARE = [
    ("detox", "Detox (withdrawal management)", "1-WM, 2-WM, 3.2-WM, 3.7-WM, 4-WM",
     ["DT", "HID", "OD", "RD", "ADTX", "BDTX", "CDTX", "MDTX", "ODTX", "MDET"], False,
     "Help getting through withdrawal safely, at home, in a residence or in a hospital, as the first step before treatment."),
    ("inpatient", "Hospital inpatient", "3.7 / 4", ["HI", "HIT"], False,
     "Round-the-clock care in a hospital or medical unit, directed by doctors, for people who need close medical attention."),
    ("residential", "Residential (short and long term)", "3.1 / 3.3 / 3.5", ["RES", "RS", "RL"], False,
     "You live at the program and take part in treatment every day, for a few weeks or for several months."),
    ("partial-hospitalization", "Partial hospitalization (day treatment)", "2.5", ["ODT", "PHDT"], False,
     "Treatment for most of the day, five or more days a week, going home each night."),
    ("intensive-outpatient", "Intensive outpatient (IOP)", "2.1", ["OIT"], False,
     "Several hours of structured treatment a few days a week while you keep living at home."),
    ("outpatient", "Outpatient", "1", ["OP", "ORT", "OMB"], False,
     "Regular counseling or medical visits, usually once or twice a week, while you live at home."),
    ("opioid-treatment-program", "Opioid treatment program (OTP)", "OTP", ["OTP"], False,
     "A federally certified clinic that can give methadone, and often buprenorphine, for opioid use disorder."),
    ("sober-living", "Sober living / recovery residence", "Recovery residence (NARR I-IV)", ["HH"], True,
     "Alcohol- and drug-free shared housing with house rules and peer support; a place to live, not treatment itself."),
]  # fmt: skip

# slug, name, SAMHSA codes, description
MEDICATIONS = [
    ("methadone", "Methadone", ["MU", "METH", "MM", "DM"],
     "A long-acting opioid medicine for opioid use disorder, given daily at certified opioid treatment programs."),
    ("buprenorphine", "Buprenorphine", ["BU", "BUM", "DB", "UB", "BWN", "BWON", "BERI", "BSDM"],
     "An opioid use disorder medicine with a lower overdose risk: tablets or films under the tongue (often with naloxone), a monthly shot or an implant."),
    ("naltrexone", "Naltrexone", ["NU", "UN", "RPN", "NXN", "VTRL"],
     "A medicine that blocks the effect of opioids and eases alcohol cravings, taken as a daily pill or a monthly shot after 7-10 days without opioids."),
    ("accepts-outside-prescriptions", "Accepts medication prescribed elsewhere", ["MOA"],
     "Welcomes people who already take methadone, buprenorphine or naltrexone prescribed by another provider."),
]  # fmt: skip

# slug, name, kind, SAMHSA codes, description
PAYMENT_OPTIONS = [
    ("medicaid", "Medicaid", "payment", ["MD"], "Takes Medicaid, the public health coverage for people with low incomes."),
    ("medicare", "Medicare", "payment", ["MC"], "Takes Medicare, the federal coverage for people 65 and over and some people with disabilities."),
    ("private-insurance", "Private insurance", "payment", ["PI"], "Takes health insurance from an employer or the marketplace; check that your plan is in network."),
    ("cash", "Cash or self-pay", "payment", ["SF"], "You can pay directly, without insurance."),
    ("tricare", "TRICARE (military insurance)", "payment", ["MI"], "Takes TRICARE, the health plan for service members, veterans and their families."),
    ("state-financed", "State-financed coverage", "payment", ["SI"], "Takes state health coverage other than Medicaid."),
    ("ihs-tribal", "IHS / tribal / urban Indian funds", "payment", ["ITU"], "Takes Indian Health Service, tribal or urban Indian health program funding."),
    ("government-funding", "Government or grant funding", "payment", ["FSA", "SAMF"], "Has public grant money that can pay for treatment for people who qualify."),
    ("free", "Free (no payment accepted)", "payment", ["NP"], "Services are free of charge."),
    ("sliding-fee", "Sliding fee scale", "assistance", ["SS"], "What you pay depends on your income."),
    ("payment-assistance", "Payment assistance", "assistance", ["PA"], "The program can help you pay; ask them what is available."),
]  # fmt: skip

# slug, name, kind, SAMHSA codes, description
POPULATIONS = [
    ("children-and-teens", "Children and teens", "age", ["CHLD"], "Accepts people under 18."),
    ("young-adults", "Young adults", "age", ["YAD"], "Accepts people aged about 18 to 25."),
    ("adults", "Adults", "age", ["ADLT"], "Accepts adults."),
    ("older-adults", "Older adults", "age", ["SNR"], "Accepts people 65 and over."),
    ("teen-program", "Program for teens", "group", ["AD"], "Has a program designed for adolescents."),
    ("young-adult-program", "Program for young adults", "group", ["TAY"], "Has a program designed for young adults."),
    ("women", "Women", "group", ["WN"], "Has a program designed for women."),
    ("pregnant-postpartum", "Pregnant or postpartum women", "group", ["PW"], "Has a program for women who are pregnant or have recently given birth."),
    ("men", "Men", "group", ["MN"], "Has a program designed for men."),
    ("senior-program", "Program for older adults", "group", ["SE"], "Has a program designed for older adults."),
    ("lgbtq", "LGBTQ+ people", "group", ["GL"], "Has a program for lesbian, gay, bisexual, transgender and queer people."),
    ("veterans", "Veterans", "group", ["VET"], "Has a program for people who served in the military."),
    ("active-duty-military", "Active-duty military", "group", ["ADM"], "Has a program for people serving in the military now."),
    ("military-families", "Military families", "group", ["MF"], "Has a program for family members of service members."),
    ("criminal-justice", "People involved with the justice system", "group", ["CJ"], "Has a program for people referred by courts, probation or parole."),
    ("co-occurring", "Co-occurring mental health conditions", "group", ["CO", "SUMH"], "Treats substance use together with mental health conditions such as depression or anxiety."),
    ("hiv-aids", "People with HIV or AIDS", "group", ["HV"], "Has a program for people living with HIV or AIDS."),
    ("trauma", "Trauma survivors", "group", ["TRMA"], "Has a program for people who have lived through trauma."),
    ("sexual-abuse", "Survivors of sexual abuse", "group", ["XA"], "Has a program for people who have experienced sexual abuse."),
    ("domestic-violence", "Domestic violence survivors", "group", ["DV"], "Has a program for people who have experienced violence from a partner or family member."),
]  # fmt: skip

# slug, name, SAMHSA codes, description
LANGUAGES = [
    ("spanish", "Spanish", ["SP"], "Staff can help you in Spanish."),
    ("sign-language", "Sign language", ["AH"], "Services for deaf and hard-of-hearing people, in sign language."),
    ("native-american-languages", "American Indian / Alaska Native languages", ["NX"], "Staff speak an American Indian or Alaska Native language."),
    ("arabic", "Arabic", ["F4"], "Staff can help you in Arabic."),
    ("chinese", "Chinese", ["F17"], "Staff can help you in a Chinese language."),
    ("haitian-creole", "Creole", ["F19"], "Staff can help you in Creole."),
    ("farsi", "Farsi", ["F25"], "Staff can help you in Farsi."),
    ("french", "French", ["F28"], "Staff can help you in French."),
    ("german", "German", ["F30"], "Staff can help you in German."),
    ("greek", "Greek", ["F31"], "Staff can help you in Greek."),
    ("hebrew", "Hebrew", ["F35"], "Staff can help you in Hebrew."),
    ("hindi", "Hindi", ["F36"], "Staff can help you in Hindi."),
    ("hmong", "Hmong", ["F37"], "Staff can help you in Hmong."),
    ("italian", "Italian", ["F42"], "Staff can help you in Italian."),
    ("japanese", "Japanese", ["F43"], "Staff can help you in Japanese."),
    ("korean", "Korean", ["F47"], "Staff can help you in Korean."),
    ("polish", "Polish", ["F66"], "Staff can help you in Polish."),
    ("portuguese", "Portuguese", ["F67"], "Staff can help you in Portuguese."),
    ("russian", "Russian", ["F70"], "Staff can help you in Russian."),
    ("tagalog", "Tagalog", ["F81"], "Staff can help you in Tagalog."),
    ("vietnamese", "Vietnamese", ["F92"], "Staff can help you in Vietnamese."),
    ("ojibwa", "Ojibwa", ["N24"], "Staff can help you in Ojibwa."),
    ("yupik", "Yupik", ["N40"], "Staff can help you in Yupik."),
]  # fmt: skip

# slug, name, SAMHSA codes, description
ACCREDITATIONS = [
    ("carf", "CARF", ["CARF"], "Accredited by CARF, an independent body that checks the quality of rehabilitation programs."),
    ("joint-commission", "The Joint Commission", ["JC"], "Accredited by The Joint Commission, which inspects hospitals and health programs against quality and safety standards."),
    ("coa", "Council on Accreditation (COA)", ["COA"], "Accredited by the Council on Accreditation, which reviews human-service and behavioral-health organizations."),
    ("hfap", "HFAP", ["HFAP"], "Accredited by the Healthcare Facilities Accreditation Program."),
    ("ncqa", "NCQA", ["NCQA"], "Accredited by the National Committee for Quality Assurance."),
]  # fmt: skip


def _rows(model, rows, extra):
    return [model(sort_order=(i + 1) * 10, **extra(row)) for i, row in enumerate(rows)]


def load(apps, schema_editor):
    def get(name):
        return apps.get_model("directory", name)

    specs = [
        (get("LevelOfCare"), LEVELS_OF_CARE,
         lambda r: dict(slug=r[0], name=r[1], asam_level=r[2], samhsa_codes=r[3], is_housing=r[4], description=r[5])),
        (get("Medication"), MEDICATIONS,
         lambda r: dict(slug=r[0], name=r[1], samhsa_codes=r[2], description=r[3])),
        (get("PaymentOption"), PAYMENT_OPTIONS,
         lambda r: dict(slug=r[0], name=r[1], kind=r[2], samhsa_codes=r[3], description=r[4])),
        (get("Population"), POPULATIONS,
         lambda r: dict(slug=r[0], name=r[1], kind=r[2], samhsa_codes=r[3], description=r[4])),
        (get("Language"), LANGUAGES,
         lambda r: dict(slug=r[0], name=r[1], samhsa_codes=r[2], description=r[3])),
        (get("Accreditation"), ACCREDITATIONS,
         lambda r: dict(slug=r[0], name=r[1], samhsa_codes=r[2], description=r[3])),
    ]  # fmt: skip
    for model, rows, extra in specs:
        existing = set(model.objects.values_list("slug", flat=True))
        model.objects.bulk_create(t for t in _rows(model, rows, extra) if t.slug not in existing)


def unload(apps, schema_editor):
    for name, rows in [
        ("LevelOfCare", LEVELS_OF_CARE),
        ("Medication", MEDICATIONS),
        ("PaymentOption", PAYMENT_OPTIONS),
        ("Population", POPULATIONS),
        ("Language", LANGUAGES),
        ("Accreditation", ACCREDITATIONS),
    ]:
        apps.get_model("directory", name).objects.filter(slug__in=[r[0] for r in rows]).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
