# ruff: noqa: E501 (article prose reads better unwrapped than split mid-sentence)
"""The demo site's articles, written for FindCare from the facts in the
project's domain reference. Each body is a list of compact block tuples that
tools.demo.content turns into StreamField data:

("h", text) heading · ("p", html) paragraph · ("table", caption, header, rows[, True: first column too])
("callout", kind, title, html) · ("faq", [(question, answer_html), ...])
("quote", text, attribution) · ("find", heading, text, {filter: [slugs]})"""

REFS = {
    "samhsa-helpline": ("SAMHSA National Helpline", "Substance Abuse and Mental Health Services Administration",
                        "https://www.samhsa.gov/find-help/helplines/national-helpline"),
    "tip63": ("TIP 63: Medications for Opioid Use Disorder", "Substance Abuse and Mental Health Services Administration",
              "https://store.samhsa.gov/product/tip-63-medications-opioid-use-disorder/pep21-02-01-002"),
    "nida-principles": ("Principles of Drug Addiction Treatment: A Research-Based Guide", "National Institute on Drug Abuse",
                        "https://nida.nih.gov/publications/principles-drug-addiction-treatment-research-based-guide-third-edition"),
    "nida-moud": ("Medications to Treat Opioid Use Disorder (Research Report)", "National Institute on Drug Abuse",
                  "https://nida.nih.gov/publications/research-reports/medications-to-treat-opioid-addiction"),
    "medline-withdrawal": ("Opiate and opioid withdrawal", "MedlinePlus, U.S. National Library of Medicine",
                           "https://medlineplus.gov/ency/article/000949.htm"),
    "asam": ("The ASAM Criteria", "American Society of Addiction Medicine", "https://www.asam.org/asam-criteria"),
    "findtreatment": ("FindTreatment.gov", "Substance Abuse and Mental Health Services Administration",
                      "https://findtreatment.gov/"),
    "narr": ("NARR Standard for Recovery Residences", "National Alliance for Recovery Residences",
             "https://narronline.org/"),
    "988": ("988 Suicide & Crisis Lifeline", "988 Lifeline", "https://988lifeline.org/"),
}  # fmt: skip

ARTICLES = [
    {
        "slug": "what-is-detox",
        "title": "What detox is, and why medical supervision matters",
        "summary": (
            "Detox helps the body get through withdrawal safely. It is an important first step, "
            "but it is not treatment on its own."
        ),
        "topics": ["Detox", "Withdrawal"],
        "authors": ["jordan"],
        "reviewed_days_ago": 40,
        "refs": ["medline-withdrawal", "tip63", "nida-principles"],
        "related": ["heroin-withdrawal-timeline", "after-detox"],
        "body": [
            ("h", "Detox in plain words"),
            (
                "p",
                "<p>When someone who depends on a drug such as heroin or alcohol stops using it, the body "
                "reacts. Clinicians call the care people get during that period <b>withdrawal management</b>; "
                "most people say <b>detox</b>. Its job is narrow: keep the person safe and as comfortable as "
                "possible until the acute symptoms pass, and connect them to ongoing treatment [1].</p>",
            ),
            ("h", "Why a medical team helps"),
            (
                "p",
                "<p>Opioid withdrawal is rarely deadly by itself, yet it can be dangerous in practice. Vomiting "
                "and diarrhea can cause dehydration. Cravings are intense, and many people use again just to make "
                "the symptoms stop. Withdrawal from alcohol or sedatives can cause seizures, so those always "
                "need a medical assessment.</p>"
                "<p>A supervised program checks vital signs, rates withdrawal with tools such as the Clinical "
                "Opiate Withdrawal Scale (COWS), and adjusts medicines to match. Staff also look for other "
                "conditions, including depression, anxiety or the use of several substances at once [2].</p>",
            ),
            (
                "callout",
                "warning",
                "Lower tolerance after detox",
                "<p>After a few days without opioids, the body loses its tolerance. Taking a previous dose again "
                "can cause a fatal overdose. Ask the program about naloxone before you leave.</p>",
            ),
            ("h", "Where detox happens"),
            (
                "p",
                "<p>Detox can be ambulatory (you sleep at home and visit daily), residential, or in a hospital "
                "unit for people with serious medical needs. The right setting depends on the substance, past "
                "withdrawals, health conditions and support at home.</p>",
            ),
            (
                "find",
                "Find a detox program",
                "Search programs that offer supervised withdrawal management.",
                {"care": ["detox"]},
            ),
            ("h", "Detox is the start, not the treatment"),
            (
                "p",
                "<p>Stopping use is not the same as recovering. Research consistently finds that outcomes depend "
                "on what comes next: medication for opioid use disorder, counseling and peer support [3].</p>",
            ),
            (
                "faq",
                [
                    (
                        "Can I detox at home?",
                        "<p>Sometimes, with a clinician's plan and daily check-ins. Never stop "
                        "alcohol or sedatives suddenly without medical advice.</p>",
                    ),
                    (
                        "How long does detox take?",
                        "<p>For opioids, the hardest part usually lasts about a week. "
                        "Programs often plan five to seven days, longer when needed.</p>",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "heroin-withdrawal-timeline",
        "title": "The heroin withdrawal timeline: what to expect, day by day",
        "summary": (
            "Withdrawal usually begins within a day of the last dose, is worst on days two and three, "
            "and eases after about a week. Some symptoms can linger for months."
        ),
        "topics": ["Withdrawal", "Detox"],
        "authors": ["jordan"],
        "reviewed_days_ago": 345,
        "refs": ["medline-withdrawal", "tip63"],
        "related": ["what-is-detox", "medications-compared"],
        "body": [
            (
                "p",
                "<p>Knowing the usual course of heroin withdrawal makes it less frightening and helps a "
                "person and their family plan for care. Everyone is different: the amount used, for how long, "
                "and general health all change the picture [1].</p>",
            ),
            ("h", "The first day"),
            (
                "p",
                "<p>Symptoms tend to start 6 to 24 hours after the last use. Early signs include restlessness, "
                "anxiety, yawning, a runny nose, watery eyes, sweating and strong cravings.</p>",
            ),
            ("h", "Days two and three: the peak"),
            (
                "p",
                "<p>Around 48 to 72 hours, symptoms are usually at their worst: muscle aches, stomach cramps, "
                "nausea, vomiting, diarrhea, goosebumps, dilated pupils, a fast heartbeat and little sleep.</p>",
            ),
            (
                "table",
                "A typical course of heroin withdrawal",
                ["When", "What is common", "What helps"],
                [
                    [
                        "6-24 hours",
                        "Anxiety, yawning, runny nose, sweating, cravings",
                        "Starting medication, fluids",
                    ],
                    [
                        "Days 2-3",
                        "Aches, cramps, vomiting, diarrhea, insomnia",
                        "Medical monitoring, symptom relief",
                    ],
                    [
                        "Days 4-7",
                        "Symptoms ease; tiredness and low mood remain",
                        "Planning the next step of care",
                    ],
                    [
                        "Weeks to months",
                        "Poor sleep, mood swings, cravings",
                        "Counseling, medication, peer support",
                    ],
                ],
            ),
            ("h", "After the first week"),
            (
                "p",
                "<p>The acute phase usually settles within about a week. Sleep problems, low mood and cravings "
                "can continue for weeks or months. This later stretch is when many relapses happen, which is "
                "why ongoing care matters so much [2].</p>",
            ),
            (
                "callout",
                "important",
                "When to get urgent help",
                "<p>Call 911 for confusion, fainting, chest pain, a seizure, or vomiting so severe that no fluids stay "
                "down.</p>",
            ),
            (
                "find",
                "Find help with opioid withdrawal",
                "Programs offering detox with buprenorphine or methadone.",
                {"care": ["detox"], "medication": ["buprenorphine", "methadone"]},
            ),
        ],
    },
    {
        "slug": "medications-compared",
        "title": "Methadone, buprenorphine and naltrexone compared",
        "summary": (
            "Three medicines are approved for opioid use disorder. They work differently, are given in "
            "different places, and suit different people."
        ),
        "topics": ["Medications", "Treatment options"],
        "authors": ["jordan", "sam"],
        "reviewed_days_ago": 400,
        "refs": ["tip63", "nida-moud"],
        "related": ["what-is-detox", "choosing-a-program"],
        "body": [
            (
                "p",
                "<p>Medication for opioid use disorder (MOUD), sometimes called medication-assisted treatment, "
                "lowers the risk of overdose and death and helps people stay in treatment [1]. Taking it is "
                "not swapping one addiction for another: the medicines are prescribed, dosed and monitored.</p>",
            ),
            ("h", "How the three medicines differ"),
            (
                "table",
                "Medications for opioid use disorder at a glance",
                ["", "Methadone", "Buprenorphine", "Naltrexone"],
                [
                    [
                        "How it acts",
                        "Full opioid agonist, long acting",
                        "Partial agonist with a ceiling effect",
                        "Antagonist: blocks opioids",
                    ],
                    [
                        "Where you get it",
                        "Certified opioid treatment programs only",
                        "Ordinary clinics and doctors",
                        "Ordinary clinics and doctors",
                    ],
                    [
                        "Forms",
                        "Daily liquid or tablet, observed at first",
                        "Tablet or film under the tongue, monthly injection, implant",
                        "Daily pill or monthly injection",
                    ],
                    [
                        "Before starting",
                        "Can start while still in withdrawal",
                        "Start once mild withdrawal has begun",
                        "Needs 7-10 days with no opioids",
                    ],
                ],
                True,  # the first column names each row
            ),
            ("h", "Methadone"),
            (
                "p",
                "<p>Methadone fully activates opioid receptors but slowly and for a long time, so it prevents "
                "withdrawal and dulls cravings without a high at a stable dose. For opioid use disorder it is "
                "dispensed only by certified opioid treatment programs, usually with daily visits at first [2].</p>",
            ),
            ("h", "Buprenorphine"),
            (
                "p",
                "<p>Buprenorphine only partly activates the receptors. Its effect levels off at higher doses, "
                "which makes overdose less likely. It is often combined with naloxone and can be prescribed "
                "in a regular doctor's office.</p>",
            ),
            ("h", "Naltrexone"),
            (
                "p",
                "<p>Naltrexone blocks opioids instead of activating receptors. Because it can trigger sudden "
                "withdrawal, a person must be free of opioids for about 7 to 10 days first.</p>",
            ),
            (
                "find",
                "Find programs offering these medicines",
                "Search by the medication you are interested in.",
                {"medication": ["methadone", "buprenorphine", "naltrexone"]},
            ),
            (
                "faq",
                [
                    (
                        "How long do people stay on medication?",
                        "<p>As long as it helps. Many people take it for "
                        "months or years; stopping early raises the risk of relapse.</p>",
                    ),
                    (
                        "Will a residential program accept my prescription?",
                        "<p>Not all do. Filter for programs that "
                        "accept medication prescribed elsewhere and confirm when you call.</p>",
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "levels-of-care",
        "title": "Levels of care explained: from outpatient to hospital",
        "summary": (
            "Treatment ranges from a weekly counseling visit to round-the-clock hospital care. "
            "Here is what each level means and who it suits."
        ),
        "topics": ["Treatment options"],
        "authors": ["sam"],
        "reviewed_days_ago": 90,
        "refs": ["asam", "findtreatment"],
        "related": ["choosing-a-program", "sober-living"],
        "body": [
            (
                "p",
                "<p>Programs describe their services with levels drawn from the ASAM Criteria, the standard "
                "clinicians use to match people to the right intensity of care [1]. The names below are the "
                "ones used in our search.</p>",
            ),
            (
                "table",
                "Levels of care and what they mean",
                ["Level", "Where you live", "Typical time in treatment"],
                [
                    ["Outpatient", "At home", "One or two sessions a week"],
                    ["Intensive outpatient (IOP)", "At home", "Several hours, three or more days a week"],
                    ["Partial hospitalization", "At home", "Most of the day, five or more days a week"],
                    ["Residential", "At the program", "Treatment every day, for weeks to months"],
                    [
                        "Hospital inpatient",
                        "In a hospital or medical unit",
                        "Round-the-clock care led by doctors",
                    ],
                    ["Opioid treatment program", "At home", "Regular visits for methadone or buprenorphine"],
                ],
            ),
            ("h", "Stepping up and stepping down"),
            (
                "p",
                "<p>Levels are not a ladder to climb once. Many people start with more support and move to "
                "less intensive care as they stabilize, or step up for a while after a setback.</p>",
            ),
            (
                "callout",
                "tip",
                "Not sure which level fits?",
                "<p>Call the SAMHSA National Helpline at 1-800-662-4357. It is free, confidential and open every "
                "day, in English and Spanish [2].</p>",
            ),
            (
                "find",
                "Search by level of care",
                "Start with outpatient or intensive outpatient programs near you.",
                {"care": ["outpatient", "intensive-outpatient"]},
            ),
        ],
    },
    {
        "slug": "choosing-a-program",
        "title": "How to choose a treatment program: questions to ask",
        "summary": (
            "A good program is licensed, offers evidence-based care including medication, and answers "
            "your questions plainly. Use these questions when you call."
        ),
        "topics": ["Treatment options", "Families"],
        "authors": ["sam"],
        "reviewed_days_ago": 20,
        "refs": ["nida-principles", "findtreatment", "samhsa-helpline"],
        "related": ["levels-of-care", "helping-a-family-member"],
        "body": [
            (
                "p",
                "<p>Choosing a program often happens in a hurry. A few direct questions separate programs that "
                "offer sound care from those that mostly offer marketing [1].</p>",
            ),
            ("h", "Questions to ask on the phone"),
            (
                "p",
                "<ol><li>Is the program licensed by the state, and is it accredited?</li>"
                "<li>Do you offer medication for opioid or alcohol use disorder, or accept it if prescribed "
                "elsewhere?</li><li>Which therapies do you use, and who provides them?</li>"
                "<li>How do you treat mental health conditions alongside substance use?</li>"
                "<li>What does it cost, which insurance do you take, and what will I owe?</li>"
                "<li>What happens after discharge?</li></ol>",
            ),
            (
                "callout",
                "warning",
                "Watch out for patient brokering",
                "<p>Be wary of anyone who offers free travel, rent or cash to enter a program, or a hotline that will "
                "not say which center it represents. Paying for referrals is illegal under federal law.</p>",
            ),
            ("h", "Check the listing yourself"),
            (
                "p",
                "<p>Call the number shown on the program's own listing and confirm the address. Listings on "
                "FindCare show when details were last verified [2].</p>",
            ),
            (
                "find",
                "Find programs that take your insurance",
                "Start with Medicaid or private insurance.",
                {"payment": ["medicaid", "private-insurance"]},
            ),
        ],
    },
    {
        "slug": "after-detox",
        "title": "After detox: therapy, aftercare and relapse prevention",
        "summary": (
            "What follows detox shapes recovery: medication, counseling such as CBT, peer support and a "
            "plan for hard moments."
        ),
        "topics": ["Recovery"],
        "authors": ["jordan"],
        "reviewed_days_ago": 120,
        "refs": ["nida-principles", "tip63"],
        "related": ["what-is-detox", "sober-living"],
        "body": [
            ("h", "Therapies with good evidence"),
            (
                "p",
                "<ul><li><b>Cognitive behavioral therapy (CBT)</b> teaches ways to notice and handle the "
                "thoughts and situations that lead to use.</li><li><b>Contingency management</b> gives small "
                "rewards for goals such as negative drug tests.</li><li><b>Motivational interviewing</b> helps a "
                "person find their own reasons to change.</li><li><b>Family therapy</b> brings in the people "
                "closest to them.</li></ul>",
            ),
            ("h", "Relapse is common, and treatable"),
            (
                "p",
                "<p>Between 40 and 60 percent of people treated for a substance use disorder return to use at "
                "some point, similar to relapse rates for other long-term illnesses such as asthma or high "
                "blood pressure [1]. A relapse is a signal to adjust the plan, not proof that treatment failed.</p>",
            ),
            (
                "quote",
                "Recovery is a long walk with many short steps. The point is to keep walking.",
                "A peer recovery coach",
            ),
            ("h", "Building a relapse prevention plan"),
            (
                "p",
                "<p>A written plan lists personal triggers, early warning signs, people to call, and what to do "
                "if use happens, including having naloxone at hand [2].</p>",
            ),
            (
                "find",
                "Find ongoing outpatient care",
                "Outpatient and intensive outpatient programs near you.",
                {"care": ["outpatient", "intensive-outpatient"]},
            ),
        ],
    },
    {
        "slug": "sober-living",
        "title": "Sober living homes: what they are and how to pick one",
        "summary": (
            "Recovery residences offer a drug- and alcohol-free place to live with peer support. "
            "They are housing, not treatment, and standards vary."
        ),
        "topics": ["Sober living", "Recovery"],
        "authors": ["sam"],
        "reviewed_days_ago": 200,
        "refs": ["narr"],
        "related": ["after-detox", "levels-of-care"],
        "body": [
            (
                "p",
                "<p>A sober living home, or recovery residence, is shared housing where everyone agrees not to "
                "drink or use drugs. Residents usually work, study or attend outpatient treatment during the "
                "day.</p>",
            ),
            ("h", "The four levels of recovery residence"),
            (
                "table",
                "NARR levels of recovery residence",
                ["Level", "Who runs it", "What it offers"],
                [
                    ["I: peer-run", "Residents themselves", "Shared rules, house meetings, no paid staff"],
                    [
                        "II: monitored",
                        "A house manager",
                        "House rules, drug testing; what most people call sober living",
                    ],
                    ["III: supervised", "Paid, trained staff", "Life-skills programming and structure"],
                    ["IV: service provider", "A clinical organization", "Clinical services in the home"],
                ],
            ),
            (
                "callout",
                "tip",
                "Ask about medication",
                "<p>Some homes do not accept residents who take methadone or buprenorphine. Ask before you move in.</p>",
            ),
            ("h", "Signs of a well-run home"),
            (
                "p",
                "<p>Look for written rules, a clear fee agreement, safe and clean rooms, naloxone on site, and "
                "certification by a state affiliate of the national alliance of recovery residences [1].</p>",
            ),
            (
                "find",
                "Find sober living homes",
                "Homes that welcome residents who take prescribed medication.",
                {"care": ["sober-living"], "medication": ["accepts-outside-prescriptions"]},
            ),
        ],
    },
    {
        "slug": "helping-a-family-member",
        "title": "Helping a family member who uses drugs",
        "summary": (
            "You cannot force someone to recover, but you can stay connected, keep yourself and others safe, "
            "and be ready when they say yes to help."
        ),
        "topics": ["Families"],
        "authors": ["jordan", "sam"],
        "reviewed_days_ago": 10,
        "refs": ["samhsa-helpline", "988"],
        "related": ["choosing-a-program", "medications-compared"],
        "body": [
            ("h", "Start with safety"),
            (
                "p",
                "<p>Keep naloxone at home and learn the signs of an overdose: slow or stopped breathing, blue "
                "lips, and not waking up. Call 911 first, then give naloxone.</p>",
            ),
            ("h", "Talk without blame"),
            (
                "p",
                "<p>Choose a calm moment. Describe what you have seen, say that you are worried, and ask what "
                "would help. Approaches such as CRAFT (community reinforcement and family training) teach "
                "families to reward sober time rather than confront.</p>",
            ),
            (
                "callout",
                "important",
                "Take care of yourself too",
                "<p>Family support groups and counseling help you cope whatever your relative decides. The SAMHSA "
                "helpline can point you to services for families [1].</p>",
            ),
            (
                "faq",
                [
                    (
                        "Should I wait until they hit rock bottom?",
                        "<p>No. Getting help earlier is safer and works at least as well.</p>",
                    ),
                    (
                        "What if they are in crisis right now?",
                        "<p>Call or text 988 for a mental health or substance "
                        "use crisis, or 911 in an emergency [2].</p>",
                    ),
                ],
            ),
            (
                "find",
                "Find programs that work with families",
                "Programs near you, including family services.",
                {"care": ["outpatient", "residential"]},
            ),
        ],
    },
]
