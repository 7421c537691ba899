"""The worker's response (a reflection, and agree / partly / disagree per graded domain) and a moderator's
resolution of one disagreement."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from ..forms import at_most, radios, submit_button
from ..idempotency import FormTokenMixin
from ..models import Agreement, Resolution
from ..models.grades import GRADE_LABELS

TEXT_MAX = 3000
AGREEMENT_CHOICES = [(a.value, a.label) for a in Agreement]
GRADE_CHOICES = [(str(grade.value), label) for grade, label in GRADE_LABELS.items()]
GRADES_BY_VALUE = {str(grade.value): grade.value for grade in GRADE_LABELS}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _text_area(label: str, description: str, what: str, required: str | None = None) -> TextAreaField:
    """Free text of up to TEXT_MAX characters, spaces around it dropped (so spaces alone are no answer);
    `what` names it in the too-long message, `required` is the message when it is left empty."""
    validators = [DataRequired(required)] if required else []
    validators.append(at_most(TEXT_MAX, what))
    return TextAreaField(label, widget=GovTextArea(), description=description, filters=[_strip], validators=validators)


class ResponseForm(FormTokenMixin, FlaskForm):
    reflection = _text_area(
        "What you take from this audit",
        "Your reflection: what went well, what you would do differently, what you will take into your practice.",
        "Your reflection",
        required="Enter what you take from this audit",
    )
    submit = submit_button("Send your response")

    domain_fields: list[tuple] = []  # (domain, agreement field name, reason field name), set per audit

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for domain, agreement_name, reason_name in self.domain_fields:
            agreement, reason = self[agreement_name], self[reason_name]
            if agreement.data in (Agreement.PARTLY, Agreement.DISAGREE) and not reason.data:
                reason.errors = [*reason.errors, f"Enter why you {_verb(agreement.data)} the grades for {domain.title}"]
                valid = False
        return valid

    def answers(self) -> dict[str, tuple[str, str]]:
        return {domain.key: (self[a].data, self[r].data or "") for domain, a, r in self.domain_fields}


def _verb(agreement: str) -> str:
    return "only partly agree with" if agreement == Agreement.PARTLY else "disagree with"


def response_form(domains) -> ResponseForm:
    """The response form for these graded domains: one agreement and one reason each."""

    class AuditResponseForm(ResponseForm):
        pass

    fields = []
    for index, domain in enumerate(domains):
        agreement_name, reason_name = f"agreement_{index}", f"reason_{index}"
        setattr(
            AuditResponseForm,
            agreement_name,
            radios(
                f"Do you agree with the grades for {domain.title}?",
                required=f"Select whether you agree with the grades for {domain.title}",
                choices=AGREEMENT_CHOICES,
            ),
        )
        setattr(
            AuditResponseForm,
            reason_name,
            _text_area(f"Your reason ({domain.title})", "Required when you partly agree or disagree.", "Your reason"),
        )
        fields.append((domain, agreement_name, reason_name))
    AuditResponseForm.domain_fields = fields
    return AuditResponseForm()


class ResolutionForm(FlaskForm):
    resolution = radios(
        "What happens to the grade?",
        required="Select whether the grade is kept or changed",
        choices=[(Resolution.KEPT.value, "Keep the grade"), (Resolution.CHANGED.value, "Change the grade")],
    )
    grade = RadioField("The new grade", choices=GRADE_CHOICES, widget=GovRadioInput(), validate_choice=False)
    reason = _text_area(
        "Your reason",
        "The social worker reads this beside the audit.",
        "Your reason",
        required="Enter the reason for your decision",
    )
    submit = submit_button("Record the resolution")

    def validate_grade(self, field):
        if self.resolution.data == Resolution.CHANGED and field.data not in GRADES_BY_VALUE:
            raise ValidationError("Select the new grade")

    def new_grade(self) -> int | None:
        return GRADES_BY_VALUE.get(self.grade.data)
