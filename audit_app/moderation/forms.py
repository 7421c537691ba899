from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from ..forms import at_most, radios, submit_button
from ..models.grades import GRADE_LABELS
from ..parsing import coerce_id

GRADE_CHOICES = [(grade.value, label) for grade, label in GRADE_LABELS.items()]
RATIONALE_MAX = 4000


class SampleForm(FlaskForm):
    share_percent = IntegerField(
        "Share of each auditor's submitted audits to moderate (%)",
        widget=GovTextInput(),
        description="For example, 10. Each auditor's share is rounded up, so everyone with a submitted audit is sampled.",
        validators=[
            InputRequired("Enter the share of audits to moderate, as a whole number from 1 to 100"),
            NumberRange(min=1, max=100, message="Share must be a whole number from 1 to 100"),
        ],
    )
    programme_id = SelectField("Audit programme", coerce=coerce_id, widget=GovSelect(), validators=[Optional()])
    locality_id = SelectField("Locality", coerce=coerce_id, widget=GovSelect(), validators=[Optional()])
    submit = submit_button("Take the sample")


def moderation_form(judgements, data=None):
    """One grade and one rationale per graded judgement, and the overall grade: built for this audit."""

    class ModerationForm(FlaskForm):
        overall_grade = radios(
            "Your overall grade", required="Select your overall grade", choices=GRADE_CHOICES, coerce=int
        )
        overall_rationale = TextAreaField(
            "Rationale for the overall grade",
            widget=GovTextArea(),
            description="Required when your grade differs from the auditor's.",
            validators=[at_most(RATIONALE_MAX, "Rationale")],
        )
        comments_for_auditor = TextAreaField(
            "Comments for the auditor (optional)",
            widget=GovTextArea(),
            validators=[at_most(RATIONALE_MAX, "Comments")],
        )
        submit = submit_button("Confirm moderation")

    for judgement in judgements:
        title = f"{judgement.question.domain.title}: “{judgement.question.text}”"  # each label names its question
        setattr(
            ModerationForm,
            f"grade_{judgement.id}",
            radios(
                f"Your grade for {title}", required=f"Select your grade for {title}", choices=GRADE_CHOICES, coerce=int
            ),
        )
        setattr(
            ModerationForm,
            f"rationale_{judgement.id}",
            TextAreaField(
                f"Rationale for {title}",
                widget=GovTextArea(),
                description="Required when your grade differs from the auditor's.",
                validators=[at_most(RATIONALE_MAX, "Rationale")],
            ),
        )
    return ModerationForm(data=data)


class ReturnForm(FlaskForm):
    comments = TextAreaField(
        "What the auditor needs to change",
        widget=GovTextArea(),
        description="The auditor sees this in \u201cMy audits\u201d when the audit comes back to them.",
        filters=[lambda value: value.strip() if value else value],
        validators=[
            DataRequired("Tell the auditor what to change"),
            at_most(RATIONALE_MAX, "Comments"),
        ],
    )
    about = SelectMultipleField(
        "Which judgements are your comments about? (optional)",
        coerce=int,
        widget=GovCheckboxesInput(),
        description="The auditor sees these sections and questions marked, so they know where to look.",
        validators=[Optional()],
    )
    submit = submit_button("Return the audit")
