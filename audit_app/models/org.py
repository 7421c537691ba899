from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Audited


class Locality(Audited, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)

    def __str__(self) -> str:
        return self.name


class Service(Audited, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)

    def __str__(self) -> str:
        return self.name


class Team(Audited, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("locality.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)

    locality: Mapped[Locality] = relationship()
    service: Mapped[Service] = relationship()

    def __str__(self) -> str:
        return self.name
