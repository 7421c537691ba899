from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..idempotency import FormTokenMixin
from ..parsing import coerce_id


class ThemeForm(FormTokenMixin, FlaskForm):
    name = StringField(
        "Name of the theme",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the name of the theme"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
    )
    description = TextAreaField(
        "What good looks like (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=1000, message="Description must be 1000 characters or fewer")],
    )
    submit = SubmitField("Save theme", widget=GovSubmitInput())


class MergeForm(FlaskForm):
    target = SelectField(
        "Merge into",
        coerce=coerce_id,
        widget=GovSelect(),
        description="Every judgement, observation and quick win with this theme moves to the theme you choose.",
        validators=[InputRequired("Select the theme to merge into")],
    )
    submit = SubmitField("Merge themes", widget=GovSubmitInput())

    def validate_target(self, field):
        from wtforms.validators import ValidationError

        if not field.data:
            raise ValidationError("Select the theme to merge into")


class RetireForm(FlaskForm):
    submit = SubmitField("Retire theme", widget=GovSubmitInput())
