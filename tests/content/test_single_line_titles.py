"""Titles stay on one line, and no e-mail subject carries a line break (a header with one
makes Django refuse the message: moderators were never told of such a proposal)."""

import ast
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from content.models import StoryPage
from content.services import contributions as services
from core.errors import InvalidInput
from core.mail import subject_line
from tests.content import factories_contrib as f

pytestmark = pytest.mark.django_db

MULTI_LINE_TITLES = [
    "Titre\r\nDeuxième ligne",
    "Titre\nDeuxième ligne",
    "Titre\rDeuxième ligne",
    "Titre\u2028Deuxième ligne",
    "Titre\n",
]


@pytest.fixture
def camille():
    return f.contributor("camille", display_name="Camille Rivière", preferred_language="fr")


@pytest.mark.parametrize("title", MULTI_LINE_TITLES)
def test_the_service_refuses_a_title_on_several_lines(camille, title):
    f.story_index()
    with pytest.raises(InvalidInput):
        services.propose_story(author=camille, title=title, text="Un récit.")
    assert not StoryPage.objects.exists()


@pytest.mark.parametrize("title", MULTI_LINE_TITLES[:3])
def test_the_proposal_form_says_the_title_takes_one_line(camille, client, title):
    f.story_index()
    client.force_login(camille)
    response = client.post(reverse("content:propose_story"), {"title": title, "text": "Bonjour"})
    assert response.status_code == 200
    assert response.context["form"].has_error("title", "multiple_lines")
    assert not StoryPage.objects.exists()


def test_any_page_refuses_a_title_on_several_lines_whoever_saves_it():
    """The admin's forms and imports save pages through Page.full_clean()."""
    page = f.destination()
    page.title = "Pointe\r\ndu Raz"
    with pytest.raises(ValidationError) as error:
        page.save()
    assert "title" in error.value.message_dict


def test_moderators_are_told_of_a_proposal_by_e_mail(camille, django_capture_on_commit_callbacks):
    f.story_index()
    f.moderator("agence", email="agence@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.propose_story(author=camille, title="Au phare", text="Un récit.")
    subjects = [message.subject for message in mail.outbox]
    assert any("Au phare" in subject for subject in subjects)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Titre\r\nDeuxième ligne", "Titre Deuxième ligne"),
        ("  Un  sujet\t", "Un sujet"),
        ("Ligne\u2028séparée", "Ligne séparée"),
    ],
)
def test_subject_line_keeps_one_line(text, expected):
    assert subject_line(text) == expected


MAIL_CALLS = {"send_mail": 0, "EmailMessage": 0, "EmailMultiAlternatives": 0}
APPS = ["config", "content", "network", "ambassadors", "realtime"]


def mail_calls():
    root = Path(__file__).resolve().parents[2]
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                    if name in MAIL_CALLS:
                        yield path.relative_to(root), node


def subject_of(call: ast.Call):
    for keyword in call.keywords:
        if keyword.arg == "subject":
            return keyword.value
    return call.args[0] if call.args else None


def test_every_e_mail_subject_goes_through_subject_line():
    """A check on the source: each send_mail / EmailMessage / EmailMultiAlternatives call
    of the site's apps builds its subject with core.mail.subject_line()."""
    calls = list(mail_calls())
    assert calls, "no e-mail is sent anywhere?"
    offenders = []
    for path, call in calls:
        subject = subject_of(call)
        is_helper = (
            isinstance(subject, ast.Call)
            and getattr(subject.func, "id", getattr(subject.func, "attr", None)) == "subject_line"
        )
        if not is_helper:
            offenders.append(f"{path}:{call.lineno}")
    assert offenders == []
