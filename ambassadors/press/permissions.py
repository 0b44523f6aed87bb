"""Who may use e-PR: agency staff only (the programme's staff: staff accounts, superusers and
the Moderators group). Contacts are people who never signed up: no one else sees them."""

from ..permissions import is_programme_staff


def can_manage_press(user) -> bool:
    return is_programme_staff(user)
