"""Audit tools: build versions, publish (immutable from then on), retire, copy into a new draft,
export to JSON and import from it, and the seeded tool.
"""

from .seed import (  # noqa: F401
    seed_supervision_tool,
    seed_tool,
)
from .transfer import (  # noqa: F401
    DOMAIN_FIELDS,
    EXPORT_FORMAT,
    MAX_PROBLEMS,
    QUESTION_FIELDS,
    TOOL_FIELDS,
    TYPE_WORDS,
    ImportProblem,
    export_json,
    export_version,
    import_json,
    new_draft,
)
from .versions import (  # noqa: F401
    VERSION_RECORD_LABELS,
    VersionLocked,
    _published_versions_are_immutable,
    create_tool,
    delete_domain,
    delete_question,
    draft_of,
    list_tools,
    publish,
    published_versions,
    retire,
    save_domain,
    save_question,
    slug,
    theme_names,
    version_history,
)
