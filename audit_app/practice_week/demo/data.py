"""The demo practice weeks as rows: a first week in May 2021 and the second, modelled on the seed's October
week (4-8 October 2021, focus on practice at the Front Door)."""

from datetime import time

from ...permissions import Role

EXTRA_OBSERVERS = [
    ("chief.officer@example.org", "Chris Chief Officer", [Role.SENIOR_MANAGER]),
    ("head.of.service@example.org", "Harper Head of Service", [Role.SENIOR_MANAGER]),
]

AQ, VOC, MO, PP, SP, MA = (
    "assessment_quality",
    "voice_of_child",
    "management_oversight",
    "parental_participation",
    "safety_planning",
    "multi_agency",
)

# (day offset, time, type, team, observer email, description, status, observation or None)
# observation: (grades {lens: grade or None for not observed}, notes {lens: note}, working well,
#               needs to improve, [(quick win, theme)], [themes], submitted?)
OCTOBER_WEEK = [
    (
        0,
        time(9, 30),
        "mash_triage",
        "MASH",
        "manager@example.org",
        "MASH daily triage meeting",
        "observed",
        (
            {AQ: 2, VOC: 3, MO: 2, PP: None, SP: 2, MA: 1},
            {
                AQ: "Contacts where children were clearly at risk of harm were triaged and progressed the same day.",
                VOC: "The child's own words were rarely recorded in the contact; decisions were about the adults.",
                MO: "The team manager gave a clear rationale for each threshold decision.",
                SP: "Immediate safety was considered for every contact where harm was alleged.",
                MA: "Police, health and education shared information promptly and challenged each other well.",
            },
            "Children who are clearly at risk of harm are triaged and progressed in a timely way.",
            "Children who require Early Help experience delay - in some examples up to three weeks. Increased workload and complex systems contribute to this.",
            [("MASH Guardian access for the Emergency Duty Service.", "Early help timeliness")],
            ["Early help timeliness", "Thresholds and step-down"],
            True,
        ),
    ),
    (
        0,
        time(14, 0),
        "strategy_meeting",
        "Exeter Initial Response",
        "manager@example.org",
        "Strategy meeting about a child at risk of significant harm",
        "observed",
        (
            {AQ: 3, VOC: 3, MO: 4, PP: None, SP: 3, MA: 2},
            {
                AQ: "Family history was not brought into the discussion of current risk.",
                VOC: "No plan to see the child alone was agreed.",
                MO: "The chair did not give clear next steps: no expectation set to see the children or to complete checks with the other local authority.",
                SP: "The interim safety plan relied on the mother's agreement without testing it.",
                MA: "Good attendance from police and the school; health did not attend.",
            },
            "Good practice was observed in information sharing between police and the school.",
            "Managers need to provide much clearer guidance and next steps to practitioners, including expectations to see children and to complete checks with other local authorities.",
            [
                (
                    "Provide Business Support to managers chairing child protection strategy meetings in assessment teams.",
                    "Management oversight",
                )
            ],
            ["Management oversight", "Child seen and seen alone"],
            True,
        ),
    ),
    (
        1,
        time(10, 0),
        "icpc",
        "North Initial Response",
        "chief.officer@example.org",
        "Initial child protection conference",
        "observed",
        (
            {AQ: 3, VOC: 2, MO: 3, PP: 3, SP: 3, MA: 2},
            {
                AQ: "The written report described events but did not analyse what they meant for the children.",
                VOC: "The children's views were gathered by the social worker and shared in their own words.",
                MO: "Management oversight of the report before conference was not evident.",
                PP: "The meeting lasted over two hours and the father was not supported to participate fully.",
                SP: "Domestic abuse was discussed, but the plan did not say how the children would be kept safe from it.",
                MA: "Partners contributed well and agreed their actions.",
            },
            "Partners were well prepared and the children's views were heard.",
            "Written reports, and the analysis and management oversight that support them, require improvement. Meetings can be long and parents are not always supported to participate fully.",
            [
                (
                    "Share the social work report with parents at least two working days before conference.",
                    "Parental participation",
                )
            ],
            ["Parental participation", "Analysis in assessments", "Domestic abuse practice"],
            True,
        ),
    ),
    (
        1,
        time(13, 30),
        "shadowing",
        "South Initial Response",
        "head.of.service@example.org",
        "Shadowing a social worker on a home visit",
        "observed",
        (
            {AQ: 3, VOC: 2, MO: None, PP: 2, SP: 3, MA: None},
            {
                AQ: "Gaps in the analysis of the children's experience and the family history.",
                VOC: "The worker spent time with the child alone and used a three houses tool well.",
                PP: "The worker explained the plan to the mother in plain language.",
                SP: "Working with the father about his violence was avoided; the safety plan was about the mother only.",
            },
            "The practitioner knew the family well and was working with an extremely high level of complexity.",
            "Domestic abuse, working with men and safety planning: practice requires improvement.",
            [
                (
                    "Rename the 'Single Assessment' to 'Child and Family Assessment' to support a holistic and professionally curious culture.",
                    "Analysis in assessments",
                )
            ],
            ["Domestic abuse practice", "Fathers and wider family", "Safety planning"],
            True,
        ),
    ),
    (
        2,
        time(9, 30),
        "strategy_meeting",
        "North Initial Response",
        "qa@example.org",
        "Strategy meeting after a police referral",
        "observed",
        (
            {AQ: 2, VOC: 2, MO: 3, PP: None, SP: 2, MA: 2},
            {
                AQ: "Risks were clearly set out, with the history considered.",
                VOC: "The child had been seen and their account was central to the discussion.",
                MO: "Actions were agreed but no timescales were set by the chair.",
                SP: "A clear safety plan was agreed with the family's network.",
                MA: "Effective challenge between police and children's social care.",
            },
            "A well-run strategy meeting: risks were clear and the child's account was central.",
            "Chairs should set timescales for every action.",
            [
                (
                    "Provide Business Support to managers chairing child protection strategy meetings in assessment teams.",
                    "Management oversight",
                )
            ],
            ["Management oversight"],
            True,
        ),
    ),
    (
        2,
        time(14, 0),
        "record_audit",
        "Mid & East Initial Response",
        "manager@example.org",
        "Record audits of assessments, Initial Response",
        "observed",
        (
            {AQ: 3, VOC: 3, MO: 3, PP: 2, SP: None, MA: 2},
            {
                AQ: "Assessments are not always sufficiently thorough, and analysis of the children's experience is missing.",
                VOC: "The voice of the child was not always present in the assessment.",
                MO: "Supervision was recorded but did not test the analysis.",
                PP: "Parents' views were recorded and considered.",
                MA: "Checks with partners were completed.",
            },
            "Children were seen during their assessments.",
            "Assessments: gaps in the analysis of children's experience and family history.",
            [
                (
                    "Bitesize workshops for the Initial Response Teams on assessments and the role of consent.",
                    "Analysis in assessments",
                )
            ],
            ["Analysis in assessments", "Voice of the child"],
            True,
        ),
    ),
    (
        3,
        time(10, 0),
        "cla_review",
        "Exeter Permanency & Transition",
        "chief.officer@example.org",
        "Child looked after review",
        "observed",
        (
            {AQ: 2, VOC: 1, MO: 2, PP: 2, SP: None, MA: 2},
            {
                AQ: "The care plan was up to date and reflected the assessment.",
                VOC: "The young person chaired part of their own review, supported by their advocate.",
                MO: "The IRO's oversight was clear and recorded.",
                PP: "The mother took part by video and her views were recorded.",
                MA: "School and health contributions were clear.",
            },
            "The young person's voice shaped the review; practice and decision making for children in care were good.",
            "Reports were shared late with the young person.",
            [("Deprivation of Liberty training to be arranged for frontline staff.", "Thresholds and step-down")],
            ["Voice of the child"],
            True,
        ),
    ),
    (
        3,
        time(15, 0),
        "staff_focus_group",
        "Mid & East Initial Response",
        "head.of.service@example.org",
        "Focus group with Initial Response social workers",
        "observed",
        (
            {AQ: None, VOC: None, MO: 3, PP: None, SP: None, MA: None},
            {MO: "Staff described supervision as irregular during the summer when caseloads were highest."},
            "Staff are committed and supportive of each other.",
            "Caseloads and complex systems leave too little time for direct work.",
            [
                (
                    "Bitesize workshops for the Initial Response Teams on assessments and the role of consent.",
                    "Analysis in assessments",
                )
            ],
            ["Supervision quality"],
            True,
        ),
    ),
    (
        4,
        time(10, 0),
        "family_conversation",
        "Exeter Children & Families 1",
        "manager@example.org",
        "Conversation with a family about their experience",
        "booked",
        (
            {AQ: None, VOC: 2, MO: None, PP: 3, SP: None, MA: None},
            {
                VOC: "The child said their social worker listens to them.",
                PP: "The parents said they did not understand what the conference had decided.",
            },
            "The family valued the consistency of their social worker.",
            "",
            [],
            [],
            False,
        ),
    ),
    (
        4,
        time(13, 0),
        "icpc",
        "South Initial Response",
        "manager@example.org",
        "Initial child protection conference",
        "cancelled",
        None,
    ),
    (4, time(14, 0), "strategy_meeting", "MASH", "qa@example.org", "Strategy meeting in the MASH", "booked", None),
    (
        4,
        time(15, 30),
        "staff_focus_group",
        "MASH",
        "manager@example.org",
        "Focus group with MASH practitioners",
        "booked",
        None,
    ),
]

MAY_WEEK = [
    (
        0,
        time(10, 0),
        "strategy_meeting",
        "North Initial Response",
        "manager@example.org",
        "Strategy meeting",
        "observed",
        (
            {AQ: 3, VOC: 3, MO: 3, PP: None, SP: 3, MA: 2},
            {
                AQ: "Analysis of risk was limited.",
                VOC: "The child's views were not known.",
                MO: "No recorded direction from the manager.",
                SP: "Safety planning was vague.",
                MA: "Partners attended and shared information.",
            },
            "Partners attended and shared information.",
            "Management direction and the child's voice were missing.",
            [("Circulate a strategy meeting template with a section on the child's views.", "Voice of the child")],
            ["Voice of the child", "Management oversight"],
            True,
        ),
    ),
    (
        1,
        time(10, 0),
        "icpc",
        "Exeter Initial Response",
        "chief.officer@example.org",
        "Initial child protection conference",
        "observed",
        (
            {AQ: 3, VOC: 2, MO: 3, PP: 3, SP: 3, MA: 2},
            {
                AQ: "The report did not analyse the history.",
                VOC: "The child's views were shared.",
                MO: "Oversight of the report was not evident.",
                PP: "Parents were not given the report in advance.",
                SP: "The plan was not specific.",
                MA: "Good partner attendance.",
            },
            "The child's views were shared.",
            "Parents need the report in advance; plans must be specific.",
            [("Share the social work report with parents before conference.", "Parental participation")],
            ["Parental participation", "SMART plans"],
            True,
        ),
    ),
    (
        2,
        time(11, 0),
        "cla_review",
        "North Permanency & Transition",
        "head.of.service@example.org",
        "Child looked after review",
        "observed",
        (
            {AQ: 2, VOC: 2, MO: 2, PP: 2, SP: None, MA: 3},
            {
                AQ: "The plan reflected the child's needs.",
                VOC: "The child's wishes were recorded.",
                MO: "IRO oversight was clear.",
                PP: "The parents took part.",
                MA: "Health did not contribute to the review.",
            },
            "A child-centred review.",
            "Health contributions to reviews need to improve.",
            [("Agree a standard health update for every review.", "Multi-agency working")],
            ["Multi-agency working"],
            True,
        ),
    ),
    (
        3,
        time(9, 30),
        "mash_triage",
        "MASH",
        "qa@example.org",
        "MASH triage",
        "observed",
        (
            {AQ: 2, VOC: 3, MO: 2, PP: None, SP: 2, MA: 2},
            {
                AQ: "Threshold decisions were sound.",
                VOC: "Contacts rarely recorded the child's words.",
                MO: "Clear management decisions.",
                SP: "Immediate safety was considered.",
                MA: "Partners were present.",
            },
            "Threshold decisions were sound.",
            "Record the child's own words in contacts.",
            [("Add a prompt for the child's words to the contact form.", "Voice of the child")],
            ["Voice of the child", "Thresholds and step-down"],
            True,
        ),
    ),
]
