# ruff: noqa: E501 (guide prose reads better unwrapped than split mid-sentence)
"""The demo guide's words and rules, written for FindCare from the facts in
the domain reference (the six ASAM dimensions, withdrawal risk, medications
for opioid use disorder). Data, so tests and the demo share one source."""

TITLE = "Which care do I need?"
SLUG = "which-care"
INTRO = (
    "Ten short questions, one at a time, about what is happening now, health, support and home, then "
    "where to look and, if you like, how care will be paid for. At the end you get a suggested place "
    "to start and why, what that care involves, whether medications may help, what to ask a program, "
    "and a search near you already set to match."
)

# (code, text, text for someone else, explanation, multiple, [(code, label, urgent reason or "")])
QUESTIONS = [
    (
        "danger-now",
        "Is any of this happening to you right now?",
        "Is any of this happening to them right now?",
        "We ask first because some situations need emergency help before anything else.",
        False,
        [
            (
                "overdose-signs",
                "Signs of an overdose: very slow or no breathing, blue lips, cannot be woken",
                "An overdose can stop breathing within minutes. Call 911 now; if you have naloxone and opioids may be involved, give it.",
            ),
            (
                "suicide-thoughts",
                "Thoughts of ending life or of self-harm",
                "These thoughts deserve help today, from people trained to listen. Call or text 988 now, any time of day.",
            ),
            (
                "severe-withdrawal",
                "Seizures, seeing or hearing things that are not there, or severe confusion",
                "These can be signs of dangerous withdrawal or another medical emergency. Call 911.",
            ),
            (
                "alcohol-benzo-withdrawal",
                "Shaking, sweating or feeling very unwell after cutting down on alcohol or sedatives such as Xanax or Valium",
                "Withdrawal from alcohol or benzodiazepines can lead to seizures and must not be sat out at home. Get medical care today: call 911 if it is getting worse, or the helpline to find a detox now.",
            ),
            ("safe-now", "None of these right now", ""),
        ],
    ),
    (
        "substances",
        "Which substances are you using?",
        "Which substances are they using, as far as you know?",
        "Different substances carry different risks when stopping and call for different medications.",
        True,
        [
            ("opioids", "Opioids: heroin, fentanyl, or pain pills not taken as prescribed", ""),
            ("alcohol", "Alcohol", ""),
            ("benzodiazepines", "Sedatives or benzodiazepines (such as Xanax, Valium, Klonopin)", ""),
            ("stimulants", "Stimulants (such as methamphetamine or cocaine)", ""),
            ("other-substance", "Something else, or not sure", ""),
        ],
    ),
    (
        "how-often",
        "How often are you using?",
        "How often are they using?",
        "Using every day makes withdrawal more likely when stopping.",
        False,
        [
            ("daily", "Every day or nearly every day", ""),
            ("weekly", "A few times a week", ""),
            ("occasional", "Less often than that", ""),
        ],
    ),
    (
        "withdrawal",
        "When you stop or cut down for a day or two, what happens?",
        "When they stop or cut down for a day or two, what happens?",
        "How hard stopping is tells us whether withdrawal needs medical care.",
        False,
        [
            ("withdrawal-none", "Little or nothing", ""),
            ("withdrawal-moderate", "Clearly unwell: aches, sweats, sickness, no sleep, strong cravings", ""),
            (
                "withdrawal-severe",
                "Has had seizures, hallucinations or delirium (DTs) when stopping before",
                "",
            ),
            ("withdrawal-unknown", "Not sure, or has not tried to stop", ""),
        ],
    ),
    (
        "physical-health",
        "Is there a physical health concern that needs attention?",
        "Do they have a physical health concern that needs attention?",
        "Pregnancy, serious illness or pain can mean treatment should include medical care.",
        False,
        [
            ("pregnant", "Pregnant", ""),
            ("serious-illness", "A serious illness or injury, or severe pain", ""),
            ("health-ok", "No, or nothing serious", ""),
        ],
    ),
    (
        "mental-health",
        "How is your mental health, such as mood, anxiety or trauma?",
        "How is their mental health, such as mood, anxiety or trauma?",
        "Many people live with both a mental health condition and a substance problem; treating both together works better.",
        False,
        [
            (
                "mental-health-severe",
                "It makes daily life very hard, or needed a hospital stay this past year",
                "",
            ),
            ("mental-health-some", "Some struggles that are mostly manageable", ""),
            ("mental-health-ok", "No real concerns", ""),
        ],
    ),
    (
        "readiness",
        "How do you feel about starting treatment?",
        "How do they feel about starting treatment?",
        "Feeling unsure is common and does not rule anyone out. It helps us suggest how to begin.",
        False,
        [
            ("ready", "Ready to start now", ""),
            ("unsure", "Unsure, or going back and forth", ""),
            ("not-ready", "Not ready: the push is coming from others", ""),
        ],
    ),
    (
        "past-attempts",
        "What happened after past attempts to stop?",
        "What happened after their past attempts to stop?",
        "Returning to use after treatment is common, as with other long-term illnesses, and it tells us how much support to suggest.",
        False,
        [
            ("first-time", "This is the first real attempt", ""),
            ("returned-quickly", "Went back to using soon after treatment or detox", ""),
            ("stayed-stopped", "Stayed stopped for months before using again", ""),
        ],
    ),
    (
        "home",
        "What is home like right now?",
        "What is home like for them right now?",
        "A safe, steady place to live makes it possible to get treatment while living at home.",
        False,
        [
            ("home-supportive", "Safe and supportive", ""),
            ("home-difficult", "Others there use, or it is tense or unsafe", ""),
            ("no-stable-home", "No steady place to live", ""),
        ],
    ),
    (
        "daily-life",
        "Could you keep up with work, school or family while going to sessions a few times a week?",
        "Could they keep up with work, school or family while going to sessions a few times a week?",
        "This tells us how much structure would help.",
        False,
        [
            ("daily-life-ok", "Yes, mostly", ""),
            ("needs-structure", "No: most days are taken up by using or its effects", ""),
        ],
    ),
]

# What an answer says the person uses now (the directory's "Detox for"
# slugs): the guide's safety rules read it (guide/rules.py
# CONTRAINDICATIONS: no naltrexone for someone using opioids now).
USES_NOW = {
    "opioids": ["opioids"],
    "alcohol": ["alcohol"],
    "benzodiazepines": ["benzodiazepines"],
    "stimulants": ["cocaine", "methamphetamine"],
}

# Care rules follow the dimensions of the ASAM Criteria (4th edition), most
# medical risk first: (1) intoxication, withdrawal and addiction medications,
# (2) biomedical, (3) psychiatric and cognitive, (4) substance use-related
# risks, (5) recovery environment, (6) person-centred considerations. They are
# tried in order; the first that matches gives the suggestion.
# (name, all_of, any_of, none_of, levels, why, involves)
WM_INVOLVES_MEDICAL = "Medically monitored withdrawal management (detox), in an inpatient unit or a hospital: doctors and nurses watch over the body day and night while the substance leaves it, with medication to ease symptoms and prevent seizures. It lasts days, not weeks, and is the first step: treatment should follow straight after."
WM_INVOLVES_OPIOIDS = "Withdrawal management for opioids usually starts with a first dose of buprenorphine once withdrawal has begun, or daily methadone at a clinic, with check-ins over the first days, while living at home. Many people stay on the medication for months or years, with counseling alongside."
CARE_RULES = [
    (
        "Dangerous withdrawal before (dimension 1)",
        [],
        ["withdrawal-severe"],
        [],
        ["detox", "inpatient"],
        "Seizures, hallucinations or delirium when stopping before mean withdrawal could be dangerous this time too, so withdrawal management should be medically monitored, in an inpatient unit or a hospital.",
        WM_INVOLVES_MEDICAL,
    ),
    (
        "Alcohol or sedative withdrawal (dimension 1)",
        ["withdrawal-moderate"],
        ["alcohol", "benzodiazepines"],
        [],
        ["detox", "inpatient"],
        "Being clearly unwell when cutting down is withdrawal, and withdrawal from alcohol or sedatives can turn into seizures or delirium. It should be managed by medical staff in a medically monitored detox or a hospital, not sat out at home.",
        WM_INVOLVES_MEDICAL,
    ),
    (
        "Daily alcohol or sedatives, withdrawal not known (dimension 1)",
        ["daily", "withdrawal-unknown"],
        ["alcohol", "benzodiazepines"],
        [],
        ["detox", "inpatient"],
        "Stopping alcohol or sedatives after daily use can cause seizures, and there is no way yet to know how stopping will go, so the safest start is withdrawal management with medical staff.",
        WM_INVOLVES_MEDICAL,
    ),
    (
        "Pregnant and using opioids (dimensions 1 and 2)",
        ["pregnant"],
        ["opioids"],
        [],
        ["opioid-treatment-program", "inpatient"],
        "During pregnancy, the recommended care for opioid use is to start methadone or buprenorphine, which also ends withdrawal, rather than to stop opioids suddenly. An opioid treatment program can start it, or a hospital when closer medical care is needed; tell them about the pregnancy so prenatal care is part of the plan.",
        "An opioid treatment program gives methadone, and often buprenorphine, with daily visits at first and counseling; many also coordinate with prenatal care. A hospital unit offers round-the-clock medical care while the medication is started.",
    ),
    (
        "Opioid withdrawal (dimension 1)",
        ["withdrawal-moderate"],
        ["opioids"],
        [],
        ["detox", "outpatient", "opioid-treatment-program"],
        "Feeling clearly unwell when stopping opioids is withdrawal, which is what withdrawal management is for. With buprenorphine or methadone it is much easier, and it can be done while living at home: an outpatient clinic can prescribe buprenorphine and an opioid treatment program gives methadone, often within days.",
        WM_INVOLVES_OPIOIDS,
    ),
    (
        "Daily opioids, withdrawal not known (dimension 1)",
        ["daily", "withdrawal-unknown"],
        ["opioids"],
        [],
        ["detox", "outpatient", "opioid-treatment-program"],
        "Using opioids every day almost always brings withdrawal when stopping. Withdrawal management with buprenorphine or methadone eases it and can be done while living at home: an outpatient clinic can prescribe buprenorphine and an opioid treatment program gives methadone.",
        WM_INVOLVES_OPIOIDS,
    ),
    (
        "Other withdrawal (dimension 1)",
        [],
        ["withdrawal-moderate"],
        [],
        ["detox", "outpatient"],
        "Being clearly unwell when stopping is withdrawal. From stimulants and most other substances it is hard but rarely dangerous, so withdrawal management with support through the first days is a reasonable start, often while living at home.",
        "Withdrawal management (detox) helps through the first days of stopping: check-ins, help with sleep, food and mood, and medication for symptoms where it helps. It lasts days, not weeks; outpatient treatment should follow straight after.",
    ),
    (
        "Medical or mental health needs (dimensions 2 and 3)",
        [],
        ["pregnant", "serious-illness", "mental-health-severe"],
        [],
        ["inpatient", "residential"],
        "Pregnancy, a serious health problem or a mental health condition that makes daily life very hard are best treated together with the substance use, with doctors and nurses close by.",
        "Inpatient care offers 24-hour care directed by doctors; residential care offers round-the-clock structure and daily therapy. Both usually last weeks, followed by outpatient care.",
    ),
    (
        "Home is not a safe base (dimension 5)",
        [],
        ["home-difficult", "no-stable-home"],
        [],
        ["residential", "sober-living"],
        "Recovery is hard where others use or where there is no steady home; time away in a structured setting gives recovery a chance to take hold.",
        "Residential programs provide a place to live with treatment every day. Sober living homes are alcohol- and drug-free housing, not treatment, often paired with outpatient care.",
    ),
    (
        "Needs more structure (dimension 4)",
        [],
        ["returned-quickly", "needs-structure"],
        [],
        ["partial-hospitalization", "intensive-outpatient"],
        "When using takes up most days, or treatment has not held before, more hours of treatment each week help, while still sleeping at home.",
        "Partial hospitalization (day treatment) takes most of the day, five days a week; intensive outpatient means about three hours a day, three or more days a week.",
    ),
    (
        "Everyone else",
        [],
        [],
        [],
        ["outpatient", "intensive-outpatient"],
        "Nothing in your answers points to withdrawal, a need for medical supervision or round-the-clock care, so treatment while living at home is a reasonable place to start.",
        "Outpatient care means regular counseling sessions, usually once or twice a week; intensive outpatient adds more hours if needed.",
    ),
]

# (name, all_of, any_of, none_of, medications, add to search, text)
MEDICATION_RULES = [
    (
        "Opioid use now",
        [],
        ["opioids"],
        [],
        ["methadone", "buprenorphine"],
        True,
        "Methadone and buprenorphine are the best-proven treatment for opioid use disorder: they ease withdrawal and cravings and lower the risk of dying from an overdose. Methadone comes from certified opioid treatment programs; buprenorphine can be prescribed in ordinary clinics. Ask every program whether it offers them or accepts them prescribed elsewhere. After a detox without them, tolerance is lost, so a return to use carries a high overdose risk: keep naloxone at hand.",
    ),
    (
        "Alcohol use, no opioids",
        [],
        ["alcohol"],
        ["opioids"],
        ["naltrexone"],
        False,
        "Medications such as naltrexone can also reduce drinking and cravings. Ask the program about them; not every program offers them, so the search is not narrowed to them.",
    ),
]

URGENT_TEXT = (
    "The rest of the guide can wait. Once the person is safe, you can come back and take it; "
    "nothing you chose has been kept."
)
NO_MEDICATION_TEXT = (
    "Your answers did not mention opioids or alcohol. Medications still help with some other "
    "conditions; ask the program what it offers."
)
QUESTIONS_TO_ASK = "\n".join(
    [
        "Do you offer an assessment before admission, and who does it?",
        "Which medications do you offer, and do you accept medications prescribed elsewhere?",
        "Do you treat mental health conditions alongside substance use?",
        "How long does the program last, and what happens afterwards?",
        "What does it cost, and which insurance or Medicaid plans do you take?",
        "Are you licensed by the state or accredited, and can I see proof?",
        "How soon can someone start?",
    ]
)
RELATED_ARTICLE_SLUGS = ["levels-of-care", "medications-compared", "choosing-a-program"]
