"""Other apps plug into the network through network/registries.py: a kind of notification
they register is told, described and chosen like the network's own; a personal-data section
they register is in the member's export and erased with the account."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.errors import InvalidInput
from network.models import Notification
from network.registries import (
    NotificationKindSpec,
    PersonalDataSection,
    _notification_kinds,
    _personal_data_sections,
    register_notification_kind,
    register_personal_data_section,
)
from network.services import notifications, personal_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-Word-123"


@pytest.fixture
def chat_mention():
    spec = register_notification_kind(
        NotificationKindSpec(
            key="test_chat_mention",
            label=gettext_lazy("Mentions in chat"),
            default_channel="email",
            sentence=gettext_lazy("%(actor)s mentioned you in %(room)s"),
        )
    )
    yield spec
    del _notification_kinds[spec.key]


@pytest.fixture
def erased():
    erased = []
    section = register_personal_data_section(
        PersonalDataSection(
            key="test_section",
            export=lambda user: {"nickname": user.username.upper()},
            erase=erased.append,
        )
    )
    yield erased
    del _personal_data_sections[section.key]


def test_a_registered_kind_is_told_with_its_own_sentence(
    chat_mention, django_capture_on_commit_callbacks
):
    hugo, nina = UserFactory(display_name="Hugo"), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(
            kind="test_chat_mention",
            recipients=[nina],
            actor=hugo,
            target=nina,
            event_key="test_chat_mention:1",
            url="/chat/1/",
            data={"room": "Club des entrepreneurs"},
        )
    (notification,) = Notification.objects.filter(recipient=nina)
    assert notification.kind == "test_chat_mention"
    with translation.override("en"):
        assert (
            notifications.describe(notification.kind, actor_name="Hugo", data=notification.data)
            == "Hugo mentioned you in Club des entrepreneurs"
        )


def test_a_registered_kind_has_its_default_channel_and_can_be_chosen(chat_mention):
    nina = UserFactory()
    assert notifications.channels_for(nina)["test_chat_mention"] == "email"
    notifications.set_notification_preferences(
        actor=nina, user=nina, channels={"test_chat_mention": "site"}
    )
    assert notifications.channels_for(nina)["test_chat_mention"] == "site"


def test_an_unknown_kind_cannot_be_chosen():
    nina = UserFactory()
    with pytest.raises(InvalidInput):
        notifications.set_notification_preferences(
            actor=nina, user=nina, channels={"never_registered": "site"}
        )


def test_a_kind_key_is_registered_once():
    with pytest.raises(ValueError):
        register_notification_kind(NotificationKindSpec(key="mention", label="Other"))


def test_a_registered_section_is_exported_and_erased_with_the_account(erased):
    camille = UserFactory(username="camille", password=PASSWORD)
    data, _files = personal_data.collect_personal_data(camille)
    assert data["test_section"] == {"nickname": "CAMILLE"}
    assert "content_hub" in data  # content's own section, registered by the network

    personal_data.delete_account(
        actor=camille, user=camille, password=PASSWORD, posts=personal_data.POSTS_ANONYMISE
    )
    assert [user.pk for user in erased] == [camille.pk]
