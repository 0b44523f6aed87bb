"""The staff's press pages: lists with filters whose queries do not grow with the rows,
the release's preview then figures, the import's report, the contact's export and erasure."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ambassadors.press.models import PressContact, PressRecipient, PressRelease
from ambassadors.press.services import releases
from tests.content.factories_pages import area

from .factories import contact, published_story, segment, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return staff()


@pytest.fixture
def staff_client(client, agent):
    client.force_login(agent)
    return client


def test_the_contact_list_filters_by_segment_status_language_area_and_search(staff_client):
    travel, regional = segment("Presse voyage"), segment("Presse régionale")
    kerlann = area("Kerlann")
    contact(segments=[travel], name="Anne Voyage", languages=("en",), area=kerlann)
    contact(segments=[regional], name="Bruno Régional", beats="huîtres")
    contact(segments=[regional], name="Chloé Partie", status=PressContact.Status.UNSUBSCRIBED)

    def names(**query):
        response = staff_client.get("/press/contacts/", query)
        assert response.status_code == 200
        return [c.name for c in response.context["page"].object_list]

    assert names() == ["Anne Voyage", "Bruno Régional", "Chloé Partie"]
    assert names(segment=travel.pk) == ["Anne Voyage"]
    assert names(status="unsubscribed") == ["Chloé Partie"]
    assert names(language="en") == ["Anne Voyage"]
    assert names(area=kerlann.pk) == ["Anne Voyage"]
    assert names(q="huîtres") == ["Bruno Régional"]
    assert names(segment="x; drop", area="nope") == [
        "Anne Voyage",
        "Bruno Régional",
        "Chloé Partie",
    ]


@pytest.mark.parametrize("count", [1, 20])
def test_the_contact_list_costs_the_same_for_1_or_20(
    staff_client, django_assert_num_queries, count
):
    regional = segment()
    for _n in range(count):
        contact(segments=[regional, segment("Blogs")], area=area(f"Zone {_n}"))
    staff_client.get("/press/contacts/")  # the session and roles are cached, as on a warm site
    # Expect 6 queries: the user, the count, the contacts with their area, their segments, the
    # segments of the filter with their counts, the areas of the filter (the session, the roles
    # and the licence window are cached).
    with django_assert_num_queries(6):
        response = staff_client.get("/press/contacts/")
    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("count", [1, 10])
def test_the_release_list_costs_the_same_for_1_or_10(
    staff_client, agent, django_assert_num_queries, count
):
    regional = segment()
    contact(segments=[regional])
    story = published_story()
    for n in range(count):
        releases.save_release(
            actor=agent, story=story, segment=regional, subject=f"S{n}", pitch="<p>x</p>"
        )
    staff_client.get("/press/")
    # Expect 3 queries: the user, the count, the releases with their figures (the session,
    # the roles and the licence window are cached).
    with django_assert_num_queries(3):
        response = staff_client.get("/press/")
    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("count", [1, 20])
def test_a_sent_release_s_page_costs_the_same_for_1_or_20_recipients(
    staff_client, agent, django_assert_num_queries, count, django_capture_on_commit_callbacks
):
    regional = segment()
    for _n in range(count):
        contact(segments=[regional])
    draft = releases.save_release(
        actor=agent, story=published_story(), segment=regional, subject="S", pitch="<p>x</p>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        releases.send_release(actor=agent, release=draft)
    url = f"/press/releases/{draft.pk}/"
    staff_client.get(url)
    # Expect 3 queries: the user, the release with its figures, the recipients with their
    # contacts (the session, the roles and the licence window are cached).
    with django_assert_num_queries(3):
        response = staff_client.get(url)
    assert len(response.context["recipients"]) == count


def test_staff_write_a_release_preview_it_and_send_it(
    staff_client, django_capture_on_commit_callbacks
):
    regional = segment()
    contact(segments=[regional], name="Anaïs Corre")
    story = published_story("Le festival des Embruns")
    response = staff_client.post(
        "/press/releases/new/",
        {
            "story": story.pk,
            "segment": regional.pk,
            "subject": "Les Embruns",
            "pitch": "<p>Bonjour <em>à tous</em></p><img src=x onerror=alert(1)>",
        },
    )
    release = PressRelease.objects.get()
    assert response.status_code == 302 and response.url == f"/press/releases/{release.pk}/"
    page = staff_client.get(response.url).content.decode()
    assert "Bonjour Anaïs Corre" in page and "<em>à tous</em>" in page
    assert "onerror" not in page and "Le festival des Embruns" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/press/releases/{release.pk}/send/")
    assert response.status_code == 302 and len(mail.outbox) == 1
    page = staff_client.get(f"/press/releases/{release.pk}/").content.decode()
    assert "Anaïs Corre" in page and 'data-testid="sent-count">1<' in page


def test_staff_see_who_opened_and_when(staff_client, agent, django_capture_on_commit_callbacks):
    regional = segment()
    contact(segments=[regional], name="Anne Ouverte")
    contact(segments=[regional], name="Bruno Fermé")
    draft = releases.save_release(
        actor=agent, story=published_story(), segment=regional, subject="S", pitch="<p>x</p>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        releases.send_release(actor=agent, release=draft)
    PressRecipient.objects.filter(name="Anne Ouverte").update(opened_at=timezone.now())
    response = staff_client.get(f"/press/releases/{draft.pk}/")
    assert [r.name for r in response.context["recipients"]] == ["Anne Ouverte", "Bruno Fermé"]
    assert response.context["release"].opened_count == 1
    assert response.content.decode().count('data-testid="opened"') == 1


def test_a_bad_release_form_says_why(staff_client):
    response = staff_client.post("/press/releases/new/", {"subject": "S\nBcc: x", "pitch": ""})
    assert response.status_code == 200 and not PressRelease.objects.exists()
    assert response.context["form"].errors.keys() >= {"story", "segment", "pitch"}


def test_the_import_page_reports_each_refused_line(staff_client):
    upload = SimpleUploadedFile(
        "c.csv", b"email,name\nok@media.example,Ok\nmauvais,Mauvais\n", content_type="text/csv"
    )
    response = staff_client.post("/press/contacts/import/", {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 contact" in page and "mauvais" in page and "Ligne" in page
    assert PressContact.objects.count() == 1


def test_an_unreadable_import_is_a_form_error(staff_client):
    upload = SimpleUploadedFile("c.csv", b"nom\nAnne\n", content_type="text/csv")
    response = staff_client.post("/press/contacts/import/", {"file": upload})
    assert response.status_code == 400 and response.context["form"].errors["file"]


def test_staff_edit_a_contact_and_a_taken_address_is_a_field_error(staff_client):
    contact(email="pris@media.example")
    person = contact(email="anne@media.example")
    data = {
        "name": "Anne",
        "email": "PRIS@media.example",
        "consent_basis": "consent",
        "consent_date": "2026-01-02",
        "status": "active",
        "languages": ["fr", "en"],
    }
    response = staff_client.post(f"/press/contacts/{person.pk}/", data)
    assert response.status_code == 200, response.status_code
    assert "email" in response.context["form"].errors, response.context["form"].errors
    data["email"] = "anne.new@media.example"
    response = staff_client.post(f"/press/contacts/{person.pk}/", data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == "anne.new@media.example" and person.language_codes == ["fr", "en"]


def test_staff_export_then_erase_a_contact(staff_client):
    person = contact(email="anne@media.example")
    response = staff_client.get(f"/press/contacts/{person.pk}/export/")
    assert response["Content-Disposition"].startswith("attachment")
    assert response.json()["email"] == "anne@media.example"
    response = staff_client.post(f"/press/contacts/{person.pk}/erase/")
    assert response.status_code == 302 and not PressContact.objects.exists()
