"""All models, imported here so Alembic and the app see one metadata."""
from .org import Locality, Service, Team  # noqa: F401
from .users import LoginAttempt, User, UserRole  # noqa: F401
from .cases import Case, CaseType  # noqa: F401
from .themes import Theme  # noqa: F401
from .changelog import ChangeLog  # noqa: F401
