"""Press contacts: saved by staff, imported from CSV with a report of each refused line,
unsubscribed by their signed link without logging in, exported and erased on request."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ambassadors.press.models import PressContact, PressRecipient, PressSegment
from ambassadors.press.services import contacts
from core.errors import Conflict, InvalidInput, NotAllowed, TooLarge
from tests.content.factories_pages import area
from tests.factories import UserFactory

from .factories import contact, segment, staff

pytestmark = pytest.mark.django_db


def csv_file(text, name="contacts.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def imported(text, **kwargs):
    return contacts.import_contacts(actor=staff(), upload=csv_file(text, **kwargs))


def test_a_contact_s_address_is_unique_whatever_its_case():
    contact(email="anne@media.example")
    with pytest.raises(Conflict):
        contacts.save_contact(actor=staff(), data={"name": "Anne", "email": "Anne@Media.example"})


def test_only_staff_keep_contacts():
    with pytest.raises(NotAllowed):
        contacts.save_contact(actor=UserFactory(), data={"name": "A", "email": "a@b.example"})
    assert not PressContact.objects.exists()


def test_an_import_adds_valid_rows_with_their_segments_and_languages():
    area("Kerlann")
    segment("Presse voyage")
    report = imported(
        "email,name,outlet,role,beats,languages,area,segments,consent_basis,consent_date\n"
        "Anne@Media.example,Anne Le Goff,Ouest,Journaliste,voile|mer,fr|en,Kerlann,"
        "Presse voyage|Blogs,consentement,31/01/2026\n"
        "yann@radio.example,Yann Morvan,,,,,,,,\n"
    )
    assert report.created == 2 and report.errors == [] and report.new_segments == ["Blogs"]
    anne = PressContact.objects.get(email="anne@media.example")
    assert anne.language_codes == ["fr", "en"] and anne.beats == "voile, mer"
    assert anne.area.name == "Kerlann" and anne.consent_basis == "consent"
    assert anne.consent_date.isoformat() == "2026-01-31"
    assert sorted(anne.segments.values_list("name", flat=True)) == ["Blogs", "Presse voyage"]
    yann = PressContact.objects.get(email="yann@radio.example")
    assert yann.consent_basis == "legitimate_interest" and not yann.segments.exists()


def test_a_french_excel_file_with_semicolons_and_windows_1252_is_read():
    report = imported(
        "Courriel;Nom;Média\nelodie@media.example;Élodie Prié;Télé\n", encoding="cp1252"
    )
    assert report.created == 1
    assert PressContact.objects.get().name == "Élodie Prié"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("pas-une-adresse,Anne", "n’est pas une adresse e-mail valide"),
        ("a@media.example,", "Le nom manque"),
        ("a@media.example,Anne,xx", "Code de langue inconnu : xx"),
        ("a@media.example,Anne,,Nulle-Part", "Zone inconnue"),
        ("a@media.example,Anne,,,peut-être", "Base légale inconnue"),
        ("a@media.example,Anne,,,,2099-01-01", "dans le futur"),
        ("a@media.example,Anne,,,,hier", "Écrivez la date"),
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_reason(row, reason):
    report = imported(
        f"email,name,languages,area,consent_basis,consent_date\nok@media.example,Ok\n{row}\n"
    )
    assert report.created == 1
    assert [(e.line, reason in e.message) for e in report.errors] == [(3, True)]


def test_duplicates_in_the_file_and_of_kept_contacts_are_reported():
    contact(email="kept@media.example")
    report = imported(
        "email,name\nnew@media.example,New\nNEW@media.example,Again\nkept@media.example,Kept\n"
    )
    assert report.created == 1
    assert [(e.line, e.email, e.message) for e in report.errors] == [
        (3, "new@media.example", "Doublon de la ligne 2."),
        (4, "kept@media.example", "Déjà dans vos contacts presse."),
    ]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", InvalidInput),
        ("nom,média\nAnne,Ouest\n", InvalidInput),
        ("\x89PNG\r\n\x1a\n", InvalidInput),
    ],
)
def test_a_file_that_is_not_a_contact_list_is_refused(text, error):
    with pytest.raises(error):
        imported(text)
    assert not PressContact.objects.exists()


def test_a_file_that_is_not_text_is_refused():
    upload = SimpleUploadedFile(
        "x.csv", b"\xff\xfe\x00\x81\x8d\x8f\x90\x9d", content_type="text/csv"
    )
    with pytest.raises(InvalidInput):
        contacts.import_contacts(actor=staff(), upload=upload)


def test_a_too_large_file_is_refused(settings):
    upload = csv_file("email,name\n" + "x" * (contacts.MAX_IMPORT_BYTES + 1))
    with pytest.raises(TooLarge):
        contacts.import_contacts(actor=staff(), upload=upload)


def test_only_staff_import():
    with pytest.raises(NotAllowed):
        contacts.import_contacts(
            actor=UserFactory(), upload=csv_file("email,name\na@b.example,A\n")
        )
    assert not PressContact.objects.exists() and not PressSegment.objects.exists()


def test_the_unsubscribe_link_works_without_logging_in(client):
    person = contact()
    url = f"/press/unsubscribe/{contacts.unsubscribe_token(person)}/"
    page = client.get(url)
    assert page.status_code == 200 and person.email in page.content.decode()
    person.refresh_from_db()
    assert person.status == PressContact.Status.ACTIVE  # a mail scanner's GET changes nothing
    assert client.post(url).status_code == 200
    person.refresh_from_db()
    assert person.status == PressContact.Status.UNSUBSCRIBED and person.status_changed_at


def test_the_mail_client_s_one_click_unsubscribe_needs_no_csrf_token():
    from django.test import Client

    person = contact()
    url = f"/press/unsubscribe/{contacts.unsubscribe_token(person)}/"
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.status == PressContact.Status.UNSUBSCRIBED


@pytest.mark.parametrize("token", ["forged", "MQ:1abcdef:xyz"])
def test_a_forged_unsubscribe_link_changes_nothing(client, token):
    person = contact()
    assert client.post(f"/press/unsubscribe/{token}/").status_code == 400
    person.refresh_from_db()
    assert person.status == PressContact.Status.ACTIVE


def test_the_export_holds_what_the_agency_keeps():
    person = contact(segments=[segment("Presse voyage")], beats="voile, mer")
    data = contacts.export_contact(actor=staff(), contact=person)
    assert data["email"] == person.email and data["segments"] == ["Presse voyage"]
    assert data["beats"] == ["voile", "mer"] and data["releases_received"] == []
    json.dumps(data)


def test_erasing_a_contact_keeps_the_figures_without_the_person(django_capture_on_commit_callbacks):
    from ambassadors.press.services import releases

    from .factories import published_story

    agent, regional = staff(), segment()
    person = contact(segments=[regional], email="forget@media.example")
    draft = releases.save_release(
        actor=agent, story=published_story(), segment=regional, subject="S", pitch="<p>x</p>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        releases.send_release(actor=agent, release=draft)
    contacts.erase_contact(actor=agent, contact=person)
    assert not PressContact.objects.exists()
    receipt = PressRecipient.objects.get()
    assert (receipt.email, receipt.name, receipt.status) == ("", "", "sent")


def test_a_member_linked_to_a_contact_finds_it_in_their_export_and_erasure():
    from network.registries import personal_data_sections

    member = UserFactory()
    contact(user=member, email="member@media.example")
    section = next(s for s in personal_data_sections() if s.key == "press_contact")
    assert section.export(member)[0]["email"] == "member@media.example"
    section.erase(member)
    assert not PressContact.objects.exists()
