"""Where the apps downstream of the network plug in (DESIGN.md, "Dependencies point one way").

An app that tells members something, holds personal data or has items to moderate registers
them here from its AppConfig.ready(); the network then treats them as its own: notifications
go through the same preferences, e-mails, digests and live push; the member's export and the
erasure of an account cover every section; the one moderation queue lists every kind.

The network registers its own kinds and sections through the same functions, so there is one
path for everyone."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from network.services.moderation import Kind as ModerationKind
from network.services.moderation import register as register_moderation_kind

__all__ = [
    "ModerationKind",
    "NotificationKindSpec",
    "PersonalDataSection",
    "default_channel",
    "notification_kind_label",
    "notification_kind",
    "notification_kinds",
    "personal_data_sections",
    "register_moderation_kind",
    "register_notification_kind",
    "register_personal_data_section",
]


# Notification kinds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationKindSpec:
    """A kind of notification. `sentence` (and `sentence_many`, an ngettext with "count") are
    filled with "actor", "count" and the notification's string data; `describe(values, data)`
    replaces them when the sentence depends on the data. `can_receive(user, target)` says
    whether a member may be told about the target (default: yes)."""

    key: str
    label: Any
    default_channel: str = "site"
    sentence: Any = None
    sentence_many: Any = None
    describe: Callable[[dict, dict], str] | None = None
    can_receive: Callable[[Any, Any], bool] | None = None


_notification_kinds: dict[str, NotificationKindSpec] = {}


def register_notification_kind(spec: NotificationKindSpec) -> NotificationKindSpec:
    if len(spec.key) > 24:  # the width of Notification.kind
        raise ValueError(f"Notification kind {spec.key!r} is longer than 24 characters")
    # TextChoices members hash by name, so keys are kept as plain strings.
    spec = replace(spec, key=str(spec.key))
    known = _notification_kinds.get(spec.key)
    if known is not None and known != spec:
        raise ValueError(f"Notification kind {spec.key!r} is already registered")
    _notification_kinds[spec.key] = spec
    return spec


def notification_kind(key: str) -> NotificationKindSpec | None:
    return _notification_kinds.get(str(key))


def notification_kinds() -> list[NotificationKindSpec]:
    """Every kind, in the order they were registered (the preferences page's order)."""
    return list(_notification_kinds.values())


def default_channel(key: str) -> str:
    spec = _notification_kinds.get(str(key))
    return spec.default_channel if spec is not None else "site"


def notification_kind_label(key: str) -> str:
    """A kind's label, whichever app registered it (its key if none did)."""
    spec = _notification_kinds.get(str(key))
    return spec.label if spec is not None else str(key)


# Personal-data sections ------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalDataSection:
    """What one app holds about a member. `export(user)` returns JSON-ready data, written as
    the section's own entry of the member's export; `erase(user)` removes or anonymises it and
    runs inside the account deletion's transaction (so a refusal anywhere changes nothing)."""

    key: str
    export: Callable[[Any], Any]
    erase: Callable[[Any], None] | None = None


_personal_data_sections: dict[str, PersonalDataSection] = {}


def register_personal_data_section(section: PersonalDataSection) -> PersonalDataSection:
    known = _personal_data_sections.get(section.key)
    if known is not None and known != section:
        raise ValueError(f"Personal-data section {section.key!r} is already registered")
    _personal_data_sections[section.key] = section
    return section


def personal_data_sections() -> list[PersonalDataSection]:
    return list(_personal_data_sections.values())
