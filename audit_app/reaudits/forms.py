"""Giving a re-audit to another auditor."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField
from wtforms.validators import ValidationError

from ..forms import submit_button
from ..parsing import parse_id


def _auditor_id(value) -> int:
    """Anything but an id is "no auditor chosen" (0), so the person reads "Select an auditor"."""
    return parse_id(value) or 0


class ReassignForm(FlaskForm):
    auditor_id = SelectField("Auditor", coerce=_auditor_id, widget=GovSelect(), validate_choice=False)
    submit = submit_button("Save auditor")

    def validate_auditor_id(self, field):
        if not field.data or field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Select an auditor")
