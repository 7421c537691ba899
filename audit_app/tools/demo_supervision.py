"""The seeded supervision audit tool, in the seeds' words ("consistent evidence of good supervision and
management oversight", Leeds' support on the quality of supervision): a Leeds-style audit of a supervisor's
and supervisee's supervision records over a period, not of a child's case."""

from .demo import GRADE, YES_NO

# The same shape as SEEDED_TOOL: (key, title, description, [(key, text, type, guidance, n/a, evidence, themes)]).
SUPERVISION_TOOL = {
    "name": "Supervision audit",
    "description": "Audit of supervision records: a supervisor and supervisee over a period, graded on the Ofsted scale.",
    "subject": "supervision",
    "domains": [
        (
            "supervision_frequency",
            "Frequency and regularity of supervision",
            "Supervision happens as often as the supervision policy sets, planned and recorded promptly.",
            [
                (
                    "at_policy_frequency",
                    "Did supervision take place at the frequency the supervision policy sets?",
                    YES_NO,
                    "All practitioners receive regular supervision: every session in the period took place as planned, or the reason it moved is recorded.",
                    False,
                    True,
                    ["Supervision quality"],
                ),
                (
                    "regular_and_recorded",
                    "Is supervision regular, planned and recorded promptly?",
                    GRADE,
                    "Supervision is timely; records are written up and shared with the supervisee within the policy's timescale.",
                    False,
                    False,
                    ["Supervision quality"],
                ),
            ],
        ),
        (
            "reflective_discussion",
            "Reflective discussion",
            "Supervision is reflective and analytical, not only a list of cases.",
            [
                (
                    "reflective",
                    "Is supervision reflective, testing the analysis and the plan for the children discussed?",
                    GRADE,
                    "The record shows reflective and analytical discussion: hypotheses, what the child's lived experience is, what is not yet known, with challenge on timeliness and practice.",
                    False,
                    False,
                    ["Supervision quality", "Analysis in assessments"],
                ),
            ],
        ),
        (
            "case_direction",
            "Case direction and management oversight",
            "Clear direction recorded, with reasons, and visible on the children's case files.",
            [
                (
                    "direction_recorded",
                    "Is case direction clearly recorded, with reasons and timescales, for each child discussed?",
                    GRADE,
                    "Each child discussed is named by case reference only, with the decision, the reason for it and by when.",
                    False,
                    False,
                    ["Management oversight"],
                ),
                (
                    "oversight_on_files",
                    "Is management oversight evident on the children's case files?",
                    GRADE,
                    "The direction given in supervision appears on each child's record, so the level of challenge and scrutiny managers give is visible.",
                    False,
                    False,
                    ["Management oversight"],
                ),
            ],
        ),
        (
            "actions_followed_up",
            "Actions followed up",
            "Actions from supervision are specific and reviewed at the next session.",
            [
                (
                    "actions_reviewed",
                    "Are actions specific, owned and followed up at the next supervision?",
                    GRADE,
                    "Actions are SMART and reviewed; drift for a child is spotted and escalated, not carried from session to session.",
                    False,
                    False,
                    ["Drift and delay"],
                ),
            ],
        ),
        (
            "wellbeing_development",
            "The supervisee's wellbeing and development",
            "Workload, wellbeing, learning and appraisal are part of supervision.",
            [
                (
                    "wellbeing",
                    "Are the supervisee's wellbeing and workload discussed and acted on?",
                    GRADE,
                    "Caseload and the emotional impact of the work are discussed in a high-support, high-challenge way, with what was agreed.",
                    False,
                    False,
                    ["Supervision quality"],
                ),
                (
                    "development",
                    "Is the supervisee's learning and development planned, including observation of practice?",
                    GRADE,
                    "Supervision includes observation of practice where appropriate and links to appraisal and training.",
                    True,
                    False,
                    [],
                ),
            ],
        ),
        (
            "supervision_overall",
            "Overall quality of supervision",
            "How well supervision supports excellent practice for children.",
            [
                (
                    "overall_quality",
                    "Overall, does supervision support good practice and good outcomes for children?",
                    GRADE,
                    "Supervision of a high standard that supports excellent practice: reflective, timely, with clear direction and oversight.",
                    False,
                    False,
                    ["Supervision quality", "Management oversight"],
                ),
            ],
        ),
    ],
}
