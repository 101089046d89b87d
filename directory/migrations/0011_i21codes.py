"""Every code has a home (issue 21): a vocabulary for limits on who a
program takes (SAMHSA's exclusive services and "does not treat" answers),
acamprosate and disulfiram as medications, the American Indian / Alaska
Native languages of SAMHSA's table (Hopi, Lakota, Navajo) and "Other
languages" for the F-codes we cannot name, a DUI/DWI program group, and
codes added to existing terms. Slugs are stable; samhsa_codes tie terms to
directory/data/samhsa_service_codes.tsv. Codes that stay unmapped say why in
directory/importing/codes.py (NOT_SHOWN)."""

from django.db import migrations, models

# slug, name, kind, SAMHSA codes, description
RESTRICTIONS = [
    ("veterans-only", "Serves veterans only", "only", ["VO"],
     "Only people who served in the military can be treated here."),
    ("dui-dwi-only", "DUI/DWI clients only", "only", ["DUO"],
     "Only treats people referred after driving under the influence."),
    ("methadone-clients-only", "Methadone clients only", "only", ["MO"],
     "Only takes people who receive methadone."),
    ("opioid-treatment-clients-only", "Methadone and buprenorphine clients only", "only", ["BMO"],
     "Only takes people who receive methadone or buprenorphine for opioid use disorder."),
    ("alcohol-only", "Treats alcohol use disorder only", "only", ["AUDO"],
     "Only takes people whose main problem is alcohol."),
    ("opioids-only", "Treats opioid use disorder only", "only", ["OUDO"],
     "Only takes people whose main problem is opioids."),
    ("no-opioid-treatment", "Does not treat opioid use disorder", "not", ["NOOP"],
     "Does not treat addiction to heroin, fentanyl or prescription painkillers."),
    ("no-opioid-medication", "Does not use medication for opioid use disorder", "not", ["NMOA"],
     "Does not prescribe or give methadone, buprenorphine or naltrexone for opioid use disorder."),
    ("no-alcohol-treatment", "Does not treat alcohol use disorder", "not", ["NAUT"],
     "Does not treat alcohol use disorder."),
    ("no-alcohol-medication", "Does not use medication for alcohol use disorder", "not", ["NMAUT"],
     "Does not prescribe medication for alcohol use disorder."),
]  # fmt: skip

# model, slug, name, SAMHSA codes, description, sort order, extra fields
NEW_TERMS = [
    ("Medication", "acamprosate", "Acamprosate", ["ACM"],
     "A daily pill (Campral) that eases cravings for alcohol after a person stops drinking.", 50, {}),
    ("Medication", "disulfiram", "Disulfiram", ["DSF"],
     "A daily pill (Antabuse) that makes drinking alcohol cause a strong, unpleasant reaction.", 60, {}),
    ("Language", "hopi", "Hopi", ["N13"], "Staff can help you in Hopi.", 245, {}),
    ("Language", "lakota", "Lakota", ["N18"], "Staff can help you in Lakota.", 246, {}),
    ("Language", "navajo", "Navajo", ["N23"], "Staff can help you in Navajo.", 247, {}),
    ("Language", "other-languages", "Other languages", ["FX"],
     "Staff speak a language other than English or Spanish; ask which.", 260, {}),
    ("Population", "dui-dwi", "People with a DUI or DWI", ["DU"],
     "Has a program designed for people referred after driving under the influence.", 215, {"kind": "group"}),
]  # fmt: skip

# model, slug, codes added (what else SAMHSA calls the same thing)
ADDED_CODES = [
    ("DetoxSubstance", "opioids", ["DLC"]),  # lofexidine or clonidine detoxification
    ("SupportService", "housing-services", ["SH"]),  # supported housing
    ("SupportService", "employment-help", ["SEMP", "VRS"]),  # supported employment, vocational rehabilitation
    ("PaymentOption", "government-funding",
     ["CLF", "CMHG", "CSBG", "FG", "OSF", "SCJJ", "SEF", "SMHA", "SWFS", "VAF"]),  # public funds (N-SUMHSS)
]  # fmt: skip


def load(apps, schema_editor):
    restriction = apps.get_model("directory", "Restriction")
    existing = set(restriction.objects.values_list("slug", flat=True))
    restriction.objects.bulk_create(
        restriction(slug=slug, name=name, kind=kind, samhsa_codes=codes, description=text, sort_order=(i + 1) * 10)
        for i, (slug, name, kind, codes, text) in enumerate(RESTRICTIONS)
        if slug not in existing
    )
    for model_name, slug, name, codes, text, order, extra in NEW_TERMS:
        model = apps.get_model("directory", model_name)
        if not model.objects.filter(slug=slug).exists():
            model.objects.create(slug=slug, name=name, samhsa_codes=codes, description=text, sort_order=order, **extra)
    for model_name, slug, codes in ADDED_CODES:
        term = apps.get_model("directory", model_name).objects.filter(slug=slug).first()
        if term:
            term.samhsa_codes = [*term.samhsa_codes, *(c for c in codes if c not in term.samhsa_codes)]
            term.save(update_fields=["samhsa_codes"])


def unload(apps, schema_editor):
    for model_name, slug, _name, _codes, _text, _order, _extra in NEW_TERMS:
        apps.get_model("directory", model_name).objects.filter(slug=slug).delete()
    for model_name, slug, codes in ADDED_CODES:
        term = apps.get_model("directory", model_name).objects.filter(slug=slug).first()
        if term:
            term.samhsa_codes = [c for c in term.samhsa_codes if c not in codes]
            term.save(update_fields=["samhsa_codes"])


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0010_program_base_manager'),
    ]

    operations = [
        migrations.CreateModel(
            name='Restriction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=60, unique=True)),
                ('name', models.CharField(max_length=120)),
                ('description', models.CharField(blank=True, help_text='One plain-language sentence.', max_length=300)),
                ('sort_order', models.PositiveSmallIntegerField(default=100)),
                ('samhsa_codes', models.JSONField(blank=True, default=list, help_text='SAMHSA service codes that mean this term, e.g. ["DT", "RD"].')),
                ('kind', models.CharField(choices=[('only', 'Serves only'), ('not', 'Does not treat')], default='only', max_length=10)),
            ],
            options={
                'verbose_name': 'restriction',
                'ordering': ['sort_order', 'name'],
                'abstract': False,
            },
        ),
        migrations.AddField(
            model_name='program',
            name='restrictions',
            field=models.ManyToManyField(blank=True, related_name='programs', to='directory.restriction'),
        ),
        migrations.RunPython(load, unload),
    ]
