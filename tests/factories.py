"""factory-boy factories for every model. Objects are committed, as the app would commit them."""
import factory
from factory.alchemy import SQLAlchemyModelFactory

from audit_app.extensions import db
from audit_app.models import Case, CaseType, Locality, Service, Team, Theme, User
from audit_app.permissions import Role

PASSWORD = "correct-horse-battery"


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class LocalityFactory(BaseFactory):
    class Meta:
        model = Locality

    name = factory.Sequence(lambda n: f"Locality {n}")


class ServiceFactory(BaseFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service {n}")


class TeamFactory(BaseFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    locality = factory.SubFactory(LocalityFactory)
    service = factory.SubFactory(ServiceFactory)


class CaseFactory(BaseFactory):
    class Meta:
        model = Case

    case_reference = factory.Sequence(lambda n: f"CMS{100000 + n}")
    case_type = CaseType.CIN.value
    team = factory.SubFactory(TeamFactory)
    locality = factory.SelfAttribute("team.locality")
    allocated_worker_ref = factory.Sequence(lambda n: f"SW{1000 + n}")


class ThemeFactory(BaseFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Theme {n}")


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    is_enabled = True
    password_hash = factory.LazyFunction(lambda: _password_hash())

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        user.roles = extracted or [Role.AUDITOR]
        if create:
            db.session.commit()


_HASH_CACHE: dict[str, str] = {}


def _password_hash() -> str:
    # Hashing is deliberately slow; one hash serves every test user.
    if PASSWORD not in _HASH_CACHE:
        from werkzeug.security import generate_password_hash

        _HASH_CACHE[PASSWORD] = generate_password_hash(PASSWORD)
    return _HASH_CACHE[PASSWORD]


def user_with(*roles: Role, **kwargs) -> User:
    return UserFactory(roles=list(roles), **kwargs)
