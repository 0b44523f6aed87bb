"""e-PR (issue 19): press contacts kept by agency staff, press releases (hub stories) sent to
a segment by e-mail, each recipient with a tracked link of the ambassador programme's link
machinery (source "press"), and who opened it.

Plugged in from ambassadors.apps (`register()`): the personal-data section of a contact
linked to a member, and the click listener that marks a recipient's first open."""


def register() -> None:
    from ..links.services import add_click_listener
    from . import tasks  # noqa: F401 - the worker learns the task (autodiscovery finds tasks.py only)
    from .personal_data import register as register_personal_data
    from .services.sending import mark_opened

    register_personal_data()
    add_click_listener(mark_opened)
