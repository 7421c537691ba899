"""Values kept in the database together with the words people read for them."""

import enum


class LabelledEnum(enum.StrEnum):
    """Members are declared `MEMBER = "stored_value", "Label people read"`; `Kind.labels()` maps each to its label."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def labels(cls) -> dict["LabelledEnum", str]:
        return {member: member.label for member in cls}
