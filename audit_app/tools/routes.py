"""QA leads build audit tools: versions of domains and questions; publish, retire, export and import."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from ..extensions import db
from ..forms import field_data
from ..idempotency import save_from_form, save_named
from ..models import AuditTool, CaseAudit, Domain, Question, Theme, ToolVersion
from ..parsing import record_or_404
from ..permissions import Permission, requires
from . import services
from .forms import DomainForm, ImportForm, QuestionForm, ToolForm, without_case_types

bp = Blueprint("tools", __name__, url_prefix="/tools")


@bp.route("/")
@requires(Permission.MANAGE_AUDIT_TOOLS)
def index():
    usage = dict(
        db.session.execute(
            select(CaseAudit.tool_version_id, func.count(CaseAudit.id)).group_by(CaseAudit.tool_version_id)
        ).all()
    )
    return render_template("tools/index.html", tools=services.list_tools(), usage=usage)


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_AUDIT_TOOLS)
def new_tool():
    form = ToolForm()
    if form.validate_on_submit() and (
        saved := save_named(
            form,
            ToolVersion,
            lambda: services.create_tool(form.name.data, form.description.data, form.subject.data),
            noun="tool",
            named=AuditTool,
        )
    ):
        flash(f"Created {saved[0]}. Add its domains and questions, then publish it.")
        return redirect(url_for("tools.version", version_id=saved[0].id))
    return render_template("tools/new_tool.html", form=form)


@bp.route("/versions/<int:version_id>")
@requires(Permission.MANAGE_AUDIT_TOOLS)
def version(version_id):
    item = db.get_or_404(ToolVersion, version_id)
    in_use = db.session.scalar(select(func.count(CaseAudit.id)).where(CaseAudit.tool_version_id == item.id))
    return render_template(
        "tools/version.html",
        version=item,
        in_use=in_use,
        draft=services.draft_of(item.tool),
        history=services.version_history(item),
    )


def _locked(version):
    flash(f"{version} is {version.status}: it cannot be changed. Make a new draft to change it.")
    return redirect(url_for("tools.version", version_id=version.id))


@bp.route("/versions/<int:version_id>/domains/new", methods=["GET", "POST"])
@bp.route("/versions/<int:version_id>/domains/<int:domain_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_AUDIT_TOOLS)
def domain(version_id, domain_id=None):
    item = db.get_or_404(ToolVersion, version_id)
    existing = record_or_404(Domain, domain_id, version_id=item.id)
    if not item.is_editable:
        return _locked(item)
    form = without_case_types(DomainForm(obj=existing), item)
    if request.method == "GET" and existing is not None and form.applies_to:
        form.applies_to.data = existing.case_type_list
    if form.validate_on_submit() and (
        saved := save_from_form(
            form,
            Domain,
            lambda: services.save_domain(
                item,
                existing,
                title=form.title.data,
                description=form.description.data,
                case_types=form.applies_to.data if form.applies_to else (),
            ),
            field="title",
            message="A domain with this title already exists in this tool",
        )
    ):
        flash(f"Saved the domain {saved[0].title}.")
        return redirect(url_for("tools.version", version_id=item.id) + f"#domain-{saved[0].id}")
    return render_template("tools/domain.html", form=form, version=item, domain=existing)


def _theme_choices(form):
    form.default_themes.choices = [
        (t.id, t.name) for t in db.session.scalars(select(Theme).where(Theme.is_active.is_(True)).order_by(Theme.name))
    ]


@bp.route("/domains/<int:domain_id>/questions/new", methods=["GET", "POST"])
@bp.route("/domains/<int:domain_id>/questions/<int:question_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_AUDIT_TOOLS)
def question(domain_id, question_id=None):
    parent = db.get_or_404(Domain, domain_id)
    existing = record_or_404(Question, question_id, domain_id=parent.id)
    if not parent.version.is_editable:
        return _locked(parent.version)
    form = without_case_types(QuestionForm(obj=existing), parent.version)
    _theme_choices(form)
    if request.method == "GET" and existing is not None:
        form.default_themes.data = [t.id for t in existing.default_themes]
        if form.applies_to:
            form.applies_to.data = existing.case_type_list
    if form.validate_on_submit() and save_from_form(
        form,
        Question,
        lambda: services.save_question(
            parent,
            existing,
            theme_ids=form.default_themes.data or [],
            case_types=(form.applies_to.data or []) if form.applies_to else (),
            **field_data(
                form, "text", "guidance", "response_type", "allow_not_applicable", "evidence_required", "required"
            ),
        ),
        field="text",
        message="A question like this was added at the same moment: check the domain's questions",
    ):
        flash("Saved the question.")
        return redirect(url_for("tools.version", version_id=parent.version_id) + f"#domain-{parent.id}")
    return render_template("tools/question.html", form=form, domain=parent, question=existing)


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@requires(Permission.MANAGE_AUDIT_TOOLS)
def delete_question(question_id):
    item = db.get_or_404(Question, question_id)
    version = item.domain.version
    try:
        services.delete_question(item)
    except services.VersionLocked:
        db.session.rollback()
        return _locked(version)
    flash("Removed the question.")
    return redirect(url_for("tools.version", version_id=version.id))


@bp.route("/versions/<int:version_id>/<any(publish, retire, new_draft):action>", methods=["POST"])
@requires(Permission.MANAGE_AUDIT_TOOLS)
def change_status(version_id, action):
    item = db.get_or_404(ToolVersion, version_id)
    try:
        if action == "publish":
            services.publish(item)
            flash(f"Published {item}. It can no longer be changed; audits use it as it is now.")
        elif action == "retire":
            services.retire(item)
            flash(f"Retired {item}. Audits already on it keep it; new programmes cannot choose it.")
        else:
            draft = services.new_draft(item)
            flash(f"{draft} is a draft copy of {item}: change it, then publish it.")
            return redirect(url_for("tools.version", version_id=draft.id))
    except services.VersionLocked as problem:
        db.session.rollback()
        flash(str(problem))
    return redirect(url_for("tools.version", version_id=item.id))


@bp.route("/versions/<int:version_id>/export", methods=["POST"])  # a form button: a download, not a page
@requires(Permission.MANAGE_AUDIT_TOOLS)
def export(version_id):
    item = db.get_or_404(ToolVersion, version_id)
    filename = f"{services.slug(item.tool.name)}-v{item.number}.json"
    return Response(
        services.export_json(item),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/import", methods=["GET", "POST"])
@requires(Permission.MANAGE_AUDIT_TOOLS)
def import_tool():
    form = ImportForm()
    if form.validate_on_submit():
        try:
            version = services.import_json(form.file.data.read())
        except services.ImportProblem as problem:
            db.session.rollback()
            form.file.errors.append(f"The file was not imported: {problem}")
        else:
            flash(f"Imported {version} as a draft. Check it, then publish it.")
            return redirect(url_for("tools.version", version_id=version.id))
    return render_template("tools/import.html", form=form)
