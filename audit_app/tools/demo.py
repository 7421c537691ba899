"""The seeded case audit tool, in the words of the seeds (the performance report's audit themes and the
children's services priorities): what good looks like for each domain."""

GRADE, YES_NO, TEXT = "grade", "yes_no", "text"

# (key, title, description, [(key, text, response type, guidance, allow n/a, evidence always, default themes)])
SEEDED_TOOL = {
    "name": "Case file audit",
    "description": "The monthly case file audit of children's records, graded on the Ofsted scale.",
    "domains": [
        (
            "help_at_right_time",
            "Help at the right time and drift",
            "Timeliness of the response and whether the child's plan progresses without drift.",
            [
                (
                    "timely_response",
                    "Did the child and family receive help at the right time?",
                    GRADE,
                    "Immediate responses to children's need of protection are decisive and timely. Early help becomes involved in a timely way where needed, without weeks of delay at the front door.",
                    False,
                    False,
                    ["Early help timeliness", "Drift and delay"],
                ),
                (
                    "no_drift",
                    "Does the work progress without drift or delay?",
                    GRADE,
                    "The plan moves forward at the child's pace; decisions are made and acted on; previous help did not end before changes were fully tested.",
                    False,
                    False,
                    ["Drift and delay"],
                ),
            ],
        ),
        (
            "assessment_quality",
            "Assessment quality",
            "Analysis of risk and history; the child seen and seen alone; fathers and wider family.",
            [
                (
                    "analysis",
                    "Is the assessment thorough, with good analysis of risk and need?",
                    GRADE,
                    "Every child has an up-to-date assessment of need that informs the current intervention. The assessment analyses the child's experience, risk and the family history, not only describes them, and is completed in a timely way.",
                    False,
                    False,
                    ["Analysis in assessments", "History and chronology"],
                ),
                (
                    "child_seen_alone",
                    "Was the child seen, and seen alone where appropriate?",
                    YES_NO,
                    "Children are consistently seen and seen alone, and this is recorded with what they said.",
                    True,
                    False,
                    ["Child seen and seen alone"],
                ),
                (
                    "fathers_family",
                    "Were fathers and the wider family included in the assessment?",
                    GRADE,
                    "Fathers, partners and grandparents are always included in assessment and planning; their strengths and risks are assessed.",
                    True,
                    False,
                    ["Fathers and wider family"],
                ),
            ],
        ),
        (
            "voice_of_child",
            "Voice and lived experience of the child",
            "Whether the child's voice and daily lived experience shape the work.",
            [
                (
                    "voice",
                    "Is the voice of the child present in the assessment and plan?",
                    GRADE,
                    "Practitioners know children well and have a good understanding of their lived experience. The voice of the child is always present in assessments and plans, and direct work is recorded on the file.",
                    False,
                    False,
                    ["Voice of the child"],
                ),
            ],
        ),
        (
            "plans",
            "Plans",
            "SMART plans linked to the assessed risk, and effective safety planning.",
            [
                (
                    "smart_plan",
                    "Is there an up-to-date SMART plan linked to the assessed risk?",
                    GRADE,
                    "Every child has a SMART plan that clearly sets out the reason for the intervention, the outcomes to be achieved and the support needed from each professional.",
                    False,
                    False,
                    ["SMART plans"],
                ),
                (
                    "safety_plan",
                    "Is there an effective safety plan that the family understands?",
                    GRADE,
                    "Safety plans are clear, realistic about parents' capacity to change, address domestic abuse and neglect where present, and are understood by the family and the professionals.",
                    True,
                    False,
                    ["Safety planning", "Domestic abuse practice"],
                ),
            ],
        ),
        (
            "visits",
            "Visits",
            "Visits that are timely, purposeful and progress the plan.",
            [
                (
                    "visits_timely",
                    "Are visits as frequent as the plan requires, and recorded in a timely way?",
                    GRADE,
                    "Children are seen at least as often as their plan requires (every four weeks for children in need, six weeks for children in care) and visits are recorded promptly.",
                    False,
                    False,
                    ["Purposeful visits"],
                ),
                (
                    "visits_purposeful",
                    "Do visits have a purpose and progress the plan?",
                    GRADE,
                    "Visits are purposeful, used to build relationships and clearly progress the plan.",
                    False,
                    False,
                    ["Purposeful visits"],
                ),
            ],
        ),
        (
            "management_oversight",
            "Management oversight and supervision",
            "Clear management direction on the file and reflective supervision.",
            [
                (
                    "oversight",
                    "Is there clear management oversight recorded on the file?",
                    GRADE,
                    "There is consistent evidence of good management oversight on the child's record: a clear plan for the work, and an effective review so that all issues have been explored fully.",
                    False,
                    False,
                    ["Management oversight"],
                ),
                (
                    "supervision",
                    "Is supervision regular, reflective and of a high standard?",
                    GRADE,
                    "All practitioners receive regular supervision of a high standard that supports excellent practice and tests the plan and the analysis.",
                    False,
                    False,
                    ["Supervision quality"],
                ),
            ],
        ),
        (
            "multi_agency",
            "Multi-agency work",
            "Partners share information and contribute to plans.",
            [
                (
                    "partners",
                    "Do partner agencies share information and contribute to the plan?",
                    GRADE,
                    "Partners understand thresholds, share information promptly and take their part in the plan; checks with other local authorities are completed where needed.",
                    False,
                    False,
                    ["Multi-agency working", "Thresholds and step-down"],
                ),
            ],
        ),
        (
            "impact",
            "Impact for the child",
            "What difference the work has made to the child's life.",
            [
                (
                    "impact",
                    "Has the work made a positive difference for the child?",
                    GRADE,
                    "The child's circumstances have improved because of the help given, and changes are sustained; the child's experience is better now than when the work began.",
                    False,
                    True,
                    [],
                ),
            ],
        ),
    ],
}
