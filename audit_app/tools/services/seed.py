"""The seeded audit tools that a new installation starts with: case files, and supervision records."""

from sqlalchemy import select

from ...extensions import db
from ...models import AuditTool, ToolVersion, VersionStatus
from ...models.base import utcnow
from .transfer import _fill


def seed_tool() -> ToolVersion:
    """The published case file audit tool from the seeds (idempotent)."""
    from ..demo import SEEDED_TOOL

    return _seed(SEEDED_TOOL)


def seed_supervision_tool() -> ToolVersion:
    """The published supervision audit tool (idempotent)."""
    from ..demo_supervision import SUPERVISION_TOOL

    return _seed(SUPERVISION_TOOL)


def _seed(tool_data: dict) -> ToolVersion:
    tool = db.session.scalar(select(AuditTool).where(AuditTool.name == tool_data["name"]))
    if tool is not None and tool.versions:
        published = [v for v in tool.versions if v.status == VersionStatus.PUBLISHED]
        return published[-1] if published else tool.versions[-1]
    data = {
        "domains": [
            {
                "key": key,
                "title": title,
                "description": description,
                "questions": [
                    {
                        "key": qk,
                        "text": text,
                        "response_type": rt,
                        "guidance": guidance,
                        "allow_not_applicable": na,
                        "evidence_required": ev,
                        "required": True,
                        "default_themes": themes,
                    }
                    for qk, text, rt, guidance, na, ev, themes in questions
                ],
            }
            for key, title, description, questions in tool_data["domains"]
        ]
    }
    subject = tool_data.get("subject", "case")
    tool = tool or AuditTool(name=tool_data["name"], description=tool_data["description"], subject=subject)
    version = ToolVersion(tool=tool, number=1, status=VersionStatus.DRAFT.value)
    db.session.add_all([tool, version])
    _fill(version, data["domains"])
    db.session.flush()
    version.status = VersionStatus.PUBLISHED.value
    version.published_at = utcnow()
    db.session.commit()
    return version
