"""Recording an observation: drafts, autosave, the no-JavaScript path, errors, follow-ups and history."""

import datetime as dt

import pytest

from audit_app.autosave import save_with_version, update_together
from audit_app.changelog import acting_as
from audit_app.extensions import db
from audit_app.models import ActivityStatus, ChangeLog, FollowUp, Lens, Observation, ObservationStatus
from audit_app.permissions import Role
from audit_app.practice_week import services
from tests.conftest import get, path_for, post, sign_in_as
from tests.factories import CaseFactory, TeamFactory, ThemeFactory, icpc_booking, user_with

LENSES = [lens.value for lens in Lens]


@pytest.fixture
def booking():
    return icpc_booking()


def start(client, activity):
    response = post(
        client, "practice_week.start_observation", week_id=activity.week_id, data={"activity_id": activity.id}
    )
    assert response.status_code == 302
    observation = db.session.scalar(db.select(Observation).where(Observation.activity_id == activity.id))
    assert response.headers["Location"].endswith(path_for("practice_week.observation", observation_id=observation.id))
    return observation


def start_as_observer(client, activity):
    """The booking's observer signs in and starts the observation."""
    sign_in_as(client, activity.observer)
    return start(client, activity)


def complete_form(observation, **overrides):
    data = {
        "version": observation.version,
        "activity_type": "icpc",
        "team_id": observation.team_id or 0,
        "observed_on": ["5", "10", "2021"],
        "case_reference": "",
        "working_well": "The children's views were shared in their own words.",
        "needs_to_improve": "The report lacked analysis of the family history.",
        "quick_wins-0-text": "Share the report with parents two days before conference.",
        "quick_wins-0-theme_id": 0,
        "quick_wins-1-text": "",
        "quick_wins-1-theme_id": 0,
    }
    for lens in LENSES:
        data[f"grade_{lens}"] = "2"
        data[f"note_{lens}"] = f"What I saw of {lens}."
    data["grade_multi_agency"] = "not_observed"
    data["note_multi_agency"] = ""
    data.update(overrides)
    return data


def test_starting_from_a_booking_fills_in_the_activity_and_resumes_the_same_draft(app, client, booking):
    observation = start_as_observer(client, booking)
    assert observation.status == ObservationStatus.DRAFT.value
    assert (observation.activity_type, observation.team_id, observation.observed_on) == (
        "icpc",
        booking.team_id,
        dt.date(2021, 10, 5),
    )
    assert observation.service_id == booking.team.service_id
    assert start(client, booking).id == observation.id  # a second tap resumes, never duplicates
    page = get(client, "practice_week.observation", observation_id=observation.id).get_data(as_text=True)
    assert 'value="icpc" selected' in page
    assert "Record an observation" in page


def test_someone_elses_booking_cannot_be_observed(app, client, booking):
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))
    response = post(
        client, "practice_week.start_observation", week_id=booking.week_id, data={"activity_id": booking.id}
    )
    assert response.status_code == 403


def test_without_javascript_save_keeps_a_draft_and_submit_shows_every_missing_answer(app, client, booking):
    observation = start_as_observer(client, booking)
    theme = ThemeFactory(name="Parental participation")
    data = {
        "version": observation.version,
        "activity_type": "icpc",
        "observed_on": ["5", "10", "2021"],
        "grade_voice_of_child": "3",
        "note_voice_of_child": "Views were gathered but not shared.",
        "working_well": "Partners were well prepared.",
        "quick_wins-0-text": "Share the report with parents early.",
        "quick_wins-0-theme_id": theme.id,
        "theme_ids": [theme.id],
        "last_section": "lenses",
        "save": "Save and come back later",
    }
    response = post(client, "practice_week.observation", observation_id=observation.id, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        path_for("practice_week.observation", observation_id=observation.id, _anchor="lenses")
    )
    db.session.refresh(observation)
    assert observation.status == ObservationStatus.DRAFT.value
    assert observation.working_well == "Partners were well prepared."
    assert [(q.text, q.theme_id) for q in observation.quick_wins] == [
        ("Share the report with parents early.", theme.id)
    ]
    assert [t.name for t in observation.themes] == ["Parental participation"]
    judgements = {j.lens: j for j in observation.judgements}
    assert (judgements["voice_of_child"].grade, judgements["voice_of_child"].answered) == (3, True)
    assert judgements["safety_planning"].answered is False

    # Come back: what was typed is on the form again.
    page = get(client, "practice_week.observation", observation_id=observation.id).get_data(as_text=True)
    assert "Views were gathered but not shared." in page and "Share the report with parents early." in page

    # Submitting with answers missing: the error summary lists them, nothing typed is lost.
    data.update(version=observation.version, submit_observation="Submit observation", needs_to_improve="")
    data.pop("save")
    response = post(client, "practice_week.observation", observation_id=observation.id, data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "<title>Error:" in page
    assert "Enter what needs to improve" in page
    assert "Select a judgement for assessment quality, or &#39;Not observed&#39;" in page
    assert "Views were gathered but not shared." in page
    db.session.refresh(observation)
    assert observation.status == ObservationStatus.DRAFT.value


def test_a_complete_observation_is_submitted_and_the_booking_counts_as_observed(app, client, booking):
    observation = start_as_observer(client, booking)
    case = CaseFactory(case_reference="CMS104233")
    data = complete_form(observation, case_reference="cms104233", submit_observation="Submit observation")
    response = post(client, "practice_week.observation", observation_id=observation.id, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        path_for("practice_week.view_observation", observation_id=observation.id)
    )
    db.session.refresh(observation)
    assert observation.status == ObservationStatus.SUBMITTED.value and observation.submitted_at is not None
    assert observation.case_id == case.id
    assert db.session.get(type(booking), booking.id).status == ActivityStatus.OBSERVED.value
    judgements = {j.lens: j for j in observation.judgements}
    assert judgements["multi_agency"].grade is None and judgements["multi_agency"].answered
    # Once submitted, the form shows the read-only page.
    assert get(client, "practice_week.observation", observation_id=observation.id).status_code == 302


def test_an_unknown_case_reference_is_refused_and_kept_on_the_page(app, client, booking):
    observation = start_as_observer(client, booking)
    data = complete_form(observation, case_reference="CMS999999", save="Save")
    page = post(client, "practice_week.observation", observation_id=observation.id, data=data).get_data(as_text=True)
    assert "Enter a case reference that exists" in page and 'value="CMS999999"' in page
    db.session.refresh(observation)
    assert observation.case_id is None
    assert observation.working_well == "The children's views were shared in their own words."


def test_an_immediate_concern_cannot_be_submitted_without_a_follow_up(app, client, booking):
    sign_in_as(client, booking.observer)
    owner = user_with(Role.SENIOR_MANAGER, display_name="Harper Head of Service")
    observation = start(client, booking)
    data = complete_form(observation, immediate_concern="y", submit_observation="Submit observation")
    response = post(client, "practice_week.observation", observation_id=observation.id, data=data)
    assert response.status_code == 200
    assert "record the follow-up before submitting" in response.get_data(as_text=True)
    db.session.refresh(observation)
    assert observation.status == ObservationStatus.DRAFT.value and observation.immediate_concern
    assert db.session.scalar(db.select(db.func.count(FollowUp.id))) == 0

    # A follow-up missing its owner is refused too, with the other answers kept.
    data.update(
        version=observation.version,
        **{
            "follow_up-action_required": "Team manager to review the safety plan today.",
            "follow_up-owner_id": 0,
            "follow_up-due_date": ["6", "10", "2021"],
        },
    )
    page = post(client, "practice_week.observation", observation_id=observation.id, data=data).get_data(as_text=True)
    assert "Select who owns the follow-up" in page and "Team manager to review the safety plan today." in page
    db.session.refresh(observation)
    assert observation.status == ObservationStatus.DRAFT.value

    data.update(version=observation.version, **{"follow_up-owner_id": owner.id})
    response = post(client, "practice_week.observation", observation_id=observation.id, data=data)
    assert response.status_code == 302
    db.session.refresh(observation)
    assert observation.status == ObservationStatus.SUBMITTED.value
    follow_up = db.session.scalar(db.select(FollowUp).where(FollowUp.observation_id == observation.id))
    assert (follow_up.owner_id, follow_up.due_date) == (owner.id, dt.date(2021, 10, 6))


def test_an_inadequate_judgement_also_needs_a_follow_up(app, client, booking):
    observation = start_as_observer(client, booking)
    data = complete_form(observation, grade_safety_planning="4", submit_observation="Submit observation")
    page = post(client, "practice_week.observation", observation_id=observation.id, data=data).get_data(as_text=True)
    assert "record the follow-up before submitting" in page
    db.session.refresh(observation)
    assert observation.status == ObservationStatus.DRAFT.value


def autosave_working_well(client, observation, version, working_well):
    """An autosave (htmx) of the ICPC observation's "working well" box, from a page at `version`."""
    data = {"version": version, "activity_type": "icpc", "working_well": working_well}
    headers = {"HX-Request": "true"}
    return post(client, "practice_week.observation", observation_id=observation.id, data=data, headers=headers)


def test_autosave_saves_and_refuses_a_stale_copy_without_overwriting(app, client, booking):
    observation = start_as_observer(client, booking)
    first_version = observation.version
    response = autosave_working_well(client, observation, first_version, "Partners were well prepared.")
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "Saved at" in fragment and "<html" not in fragment
    db.session.refresh(observation)
    assert observation.working_well == "Partners were well prepared." and observation.version > first_version
    assert f'id="autosave-version" value="{observation.version}" hx-swap-oob="true"' in fragment

    # A second tab still on the first version: refused, both values shown, the saved one kept.
    response = autosave_working_well(client, observation, first_version, "Something else.")
    fragment = response.get_data(as_text=True)
    assert "Your latest changes have not been saved" in fragment
    assert "Partners were well prepared." in fragment and "Something else." in fragment
    db.session.refresh(observation)
    assert observation.working_well == "Partners were well prepared."


def test_autosave_says_at_once_what_could_not_be_saved_and_what_a_judgement_needs(app, client, booking):
    observation = start_as_observer(client, booking)
    data = {
        "version": observation.version,
        "activity_type": "icpc",
        "case_reference": "NOT-A-CASE",
        "grade_voice_of_child": "4",
        "note_voice_of_child": "",
        "working_well": "Partners were well prepared.",
    }
    fragment = post(
        client, "practice_week.observation", observation_id=observation.id, data=data, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "Saved at" in fragment  # the rest is saved
    assert "Before you can submit, this page needs:" in fragment
    assert 'href="#case_reference"' in fragment and "Enter a case reference that exists" in fragment
    assert (
        'href="#note_voice_of_child"' in fragment and "Enter a note on what you saw of voice of the child" in fragment
    )
    assert 'href="#follow_up-action_required"' in fragment  # an inadequate judgement needs a follow-up
    db.session.refresh(observation)
    assert observation.working_well == "Partners were well prepared." and observation.case_id is None

    data.update(
        version=observation.version,
        case_reference="",
        grade_voice_of_child="2",
        note_voice_of_child="The child's words were in the plan.",
    )
    fragment = post(
        client, "practice_week.observation", observation_id=observation.id, data=data, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "Saved at" in fragment and "Before you can submit" not in fragment


def test_a_quick_win_over_its_limit_is_not_autosaved_and_the_status_says_so(app, client, booking):
    observation = start_as_observer(client, booking)
    too_long = "Share the report early. " * 83 + "x" * 9  # 2,001 characters
    data = complete_form(observation, **{"quick_wins-0-text": too_long})
    fragment = post(
        client, "practice_week.observation", observation_id=observation.id, data=data, headers={"HX-Request": "true"}
    ).text
    assert "Saved at" in fragment  # the rest is saved
    assert 'href="#quick_wins-0-text"' in fragment and "Quick win must be 2,000 characters or fewer" in fragment
    db.session.refresh(observation)
    assert observation.quick_wins == [] and observation.working_well  # refused, not cut
    # Without JavaScript: the form again, with the quick win as typed and its error.
    data["version"] = observation.version
    page = post(client, "practice_week.observation", observation_id=observation.id, data=data).text
    assert too_long in page and 'id="quick_wins-0-text-error"' in page


def test_a_quick_win_over_its_limit_keeps_its_saved_text_and_the_others_save(app, client, booking):
    observation = start_as_observer(client, booking)
    too_long = "x" * 2001
    saves = [
        {"quick_wins-0-text": "Send the agenda early.", "quick_wins-1-text": too_long},
        {"quick_wins-0-text": too_long, "quick_wins-1-text": "Book a quiet room."},
    ]
    for typed in saves:
        db.session.refresh(observation)
        data = complete_form(observation, **typed)
        fragment = post(
            client, "practice_week.observation", observation_id=observation.id, data=data, headers=HTMX
        ).text
        assert "Saved at" in fragment and "Quick win must be 2,000 characters or fewer" in fragment
    db.session.refresh(observation)
    # The first save kept the new quick win, not the one too long; the second kept the first as saved
    # (its edit was too long) and added the one after it.
    assert [q.text for q in observation.quick_wins] == ["Send the agenda early.", "Book a quiet room."]


def test_a_half_typed_date_is_not_autosaved_but_the_rest_is(app, client, booking):
    observation = start_as_observer(client, booking)
    post(
        client,
        "practice_week.observation",
        observation_id=observation.id,
        data={
            "version": observation.version,
            "activity_type": "icpc",
            "observed_on": ["7", "", ""],
            "working_well": "Kept.",
        },
        headers={"HX-Request": "true"},
    )
    db.session.refresh(observation)
    assert observation.observed_on == dt.date(2021, 10, 5) and observation.working_well == "Kept."


def test_only_the_observer_edits_a_draft_and_every_change_is_in_the_history(app, client, booking):
    observation = start_as_observer(client, booking)
    theme = ThemeFactory(name="Voice of the child")
    post(
        client,
        "practice_week.observation",
        observation_id=observation.id,
        data=complete_form(observation, theme_ids=[theme.id], save="Save"),
    )
    other = app.test_client()
    sign_in_as(other, user_with(Role.QA_LEAD))
    before = observation.working_well
    url = path_for("practice_week.observation", observation_id=observation.id)
    response = other.post(url, data=complete_form(observation, working_well="Changed by someone else"))
    assert response.status_code == 403
    db.session.refresh(observation)
    assert observation.working_well == before

    db.session.refresh(observation)
    client.post(url, data=complete_form(observation, theme_ids=[theme.id], submit_observation="Submit"))
    response = other.get(url)  # submitted: everyone reads it, nobody edits it
    view = path_for("practice_week.view_observation", observation_id=observation.id)
    assert response.status_code == 302 and response.headers["Location"].endswith(view)
    page = other.get(view).get_data(as_text=True)
    assert "History" in page and "Voice of the child: grade" in page and "Observation: themes" in page
    assert (
        db.session.scalar(
            db.select(ChangeLog.new_value).where(ChangeLog.record_type == "observation", ChangeLog.field == "themes")
        )
        == "Voice of the child"
    )


def test_a_draft_is_private_to_its_observer_until_submitted(app, client, booking):
    observation = start_as_observer(client, booking)
    url = path_for("practice_week.observation", observation_id=observation.id)
    client.post(url, data=complete_form(observation, needs_to_improve="Draft thoughts on drift."))
    assert "Draft thoughts on drift." in client.get(f"{url}/view").get_data(as_text=True)  # the observer reads it

    for role in (Role.SENIOR_MANAGER, Role.QA_LEAD):
        other = app.test_client()
        sign_in_as(other, user_with(role))
        for path in (url, f"{url}/view"):
            response = other.get(path, follow_redirects=True)
            assert response.status_code == 403 and "Draft thoughts on drift." not in response.get_data(as_text=True)
        week_page = get(other, "practice_week.week", week_id=booking.week_id).get_data(as_text=True)
        assert f'href="{url}/view"' not in week_page

    qa = app.test_client()
    sign_in_as(qa, user_with(Role.QA_LEAD))
    summary = get(qa, "practice_week.summary", week_id=booking.week_id).get_data(as_text=True)
    assert "Draft thoughts on drift." not in summary  # progress counts only

    db.session.refresh(observation)
    submit = complete_form(observation, needs_to_improve="Draft thoughts on drift.", submit_observation="Submit")
    client.post(url, data=submit)
    db.session.refresh(observation)
    assert observation.status == ObservationStatus.SUBMITTED.value
    assert "Draft thoughts on drift." in qa.get(f"{url}/view").get_data(as_text=True)


def test_observation_posts_need_a_csrf_token(app, csrf_app, client, booking):
    sign_in_as(client, booking.observer)
    response = post(
        client, "practice_week.start_observation", week_id=booking.week_id, data={"activity_id": booking.id}
    )
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Observation.id))) == 0


def test_services_refuse_to_submit_without_answers(app, booking):
    values = services.ObservationInput(activity_type="icpc", observed_on=dt.date(2021, 10, 5))
    problems = services.input_problems(values, submitting=True)
    assert set(problems) == {f"grade_{lens}" for lens in LENSES} | {"working_well", "needs_to_improve"}
    assert services.input_problems(values, submitting=False) == {}


def test_a_grade_that_is_not_a_choice_is_refused_and_the_rest_of_the_draft_is_saved(app, client, booking):
    observation = start_as_observer(client, booking)
    data = complete_form(observation, grade_voice_of_child="7", save="Save and come back later")
    response = post(client, "practice_week.observation", observation_id=observation.id, data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "Select a judgement for voice of the child" in page
    db.session.refresh(observation)
    judgements = {j.lens: j for j in observation.judgements}
    assert judgements["voice_of_child"].answered is False  # the altered grade is not stored
    assert (judgements["assessment_quality"].grade, judgements["assessment_quality"].answered) == (2, True)
    assert observation.working_well == "The children's views were shared in their own words."


def test_the_form_mapping_returns_problems_and_reverts_fields_by_name_without_a_form(app, client, booking):
    observation = start_as_observer(client, booking)
    values = services.values_from(observation)
    values.grades["voice_of_child"] = "7"
    values.working_well = "Typed but refused"
    values.needs_to_improve = "Typed and kept"
    problems = services.grade_problems(values)
    assert problems == {"grade_voice_of_child": "Select a judgement for voice of the child"}
    # Any mapping or list of field names will do: the service never writes into a form's errors.
    kept = services.without_invalid(values, [*problems, "working_well"], observation)
    assert kept.grades["voice_of_child"] is None  # back to what is stored: not yet answered
    assert kept.working_well is None  # refused: back to what is stored
    assert kept.needs_to_improve == "Typed and kept"


HTMX = {"HX-Request": "true"}


def test_another_team_chosen_is_saved_with_its_service_and_shown_among_every_team(app, client, booking):
    """A save offers only the stored team, so another team chosen from the list is checked to exist: it is
    saved with its service and shown chosen among every team; an id of no team is refused, the rest kept."""
    observation = start_as_observer(client, booking)
    other, booking_team = TeamFactory(name="Fostering North"), booking.team.name
    data = {"version": observation.version, "activity_type": "icpc", "team_id": other.id, "working_well": "Kept."}
    response = post(client, "practice_week.observation", observation_id=observation.id, data=data, headers=HTMX)
    assert "Saved at" in response.get_data(as_text=True)
    db.session.refresh(observation)
    assert (observation.team_id, observation.service_id) == (other.id, other.service_id)
    page = get(client, "practice_week.observation", observation_id=observation.id).get_data(as_text=True)
    assert f'value="{other.id}" selected' in page and f">{booking_team}</option>" in page

    data |= {"version": observation.version, "team_id": 999999, "working_well": "Also kept."}
    response = post(client, "practice_week.observation", observation_id=observation.id, data=data)
    assert response.status_code == 200 and "Select a team from the list" in response.get_data(as_text=True)
    assert f">{booking_team}</option>" in response.get_data(as_text=True)  # every team offered again
    db.session.refresh(observation)
    assert (observation.team_id, observation.working_well) == (other.id, "Also kept.")


def test_each_lens_change_is_in_the_change_log_with_its_old_and_new_value(app, client, booking):
    observation = start_as_observer(client, booking)
    started = db.session.scalar(db.select(db.func.max(ChangeLog.id)))  # the lenses' creation logged before

    def autosave(**typed):
        version = db.session.get(Observation, observation.id).version
        data = {"version": version, "activity_type": "icpc", **typed}
        post(client, "practice_week.observation", observation_id=observation.id, data=data, headers=HTMX)

    autosave(grade_voice_of_child="3", note_voice_of_child="Read out.")
    autosave(grade_voice_of_child="2", note_voice_of_child="Read out.", grade_safety_planning="not_observed")
    db.session.expire_all()
    lenses = {j.lens: j for j in db.session.get(Observation, observation.id).judgements}
    voice, safety = lenses["voice_of_child"], lenses["safety_planning"]
    assert (voice.grade, voice.note, voice.answered) == (2, "Read out.", True)
    assert (safety.grade, safety.note, safety.answered) == (None, None, True)
    logged = db.session.execute(
        db.select(
            ChangeLog.record_id, ChangeLog.field, ChangeLog.old_value, ChangeLog.new_value, ChangeLog.user_id
        ).where(ChangeLog.record_type == "lens_judgement", ChangeLog.id > started)
    ).all()
    observer = booking.observer_id
    assert sorted(logged, key=str) == sorted(
        [
            (voice.id, "grade", None, "3", observer),
            (voice.id, "note", None, "Read out.", observer),
            (voice.id, "answered", "no", "yes", observer),
            (voice.id, "grade", "3", "2", observer),
            (safety.id, "answered", "no", "yes", observer),
        ],
        key=str,
    )


def test_a_save_that_writes_only_lens_rows_of_their_own_still_logs_each_change(app, booking):
    """The lens rows go in one UPDATE of their own and the version moves in another, so no flush is left to
    write the change log: the save writes it all the same."""
    observation = services.start_observation(booking.observer, booking.week, booking)
    db.session.commit()
    voice = next(j for j in observation.judgements if j.lens == "voice_of_child")

    def write_note(record, changes):
        update_together([(voice, {"note": changes["note"]})])

    with acting_as(booking.observer):
        result = save_with_version(
            observation, observation.version, {"note": "Read out."}, apply=write_note, current=lambda r: {"note": None}
        )
    assert result.saved
    logged = db.session.execute(
        db.select(ChangeLog.old_value, ChangeLog.new_value, ChangeLog.user_id).where(
            ChangeLog.record_type == "lens_judgement", ChangeLog.record_id == voice.id, ChangeLog.field == "note"
        )
    ).all()
    assert logged == [(None, "Read out.", booking.observer_id)]


def test_a_lens_note_is_stored_without_control_characters_whichever_way_it_came(app, booking):
    observation = services.start_observation(booking.observer, booking.week, booking)
    values = services.values_from(observation)
    values.grades["voice_of_child"], values.notes["voice_of_child"] = "2", "Read\x00 out."
    with acting_as(booking.observer):
        assert services.save_observation(observation, values, observation.version).saved
    db.session.expire_all()
    voice = next(j for j in db.session.get(Observation, observation.id).judgements if j.lens == "voice_of_child")
    assert (voice.grade, voice.note) == (2, "Read out.")
