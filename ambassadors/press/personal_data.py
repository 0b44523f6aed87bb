"""A member who is also a press contact (linked by staff): their contact record is part of
their export, and erasing their account erases it."""

from .models import PressContact
from .services.contacts import contact_data, forget_contact


def export_personal_data(user) -> list:
    return [
        contact_data(contact)
        for contact in PressContact.objects.filter(user=user).select_related("area")
    ]


def erase_personal_data(user) -> None:
    for contact in PressContact.objects.filter(user=user):
        forget_contact(contact)


def register() -> None:
    from network.registries import PersonalDataSection, register_personal_data_section

    register_personal_data_section(
        PersonalDataSection(
            key="press_contact", export=export_personal_data, erase=erase_personal_data
        )
    )
