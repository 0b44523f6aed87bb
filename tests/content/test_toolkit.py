"""The brand kit: counted downloads, and the licensed place-brand mark."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content import signals
from content.models import BrandLicence, ToolkitAsset
from content.services import toolkit as services
from core.errors import Conflict, DomainError, NotAllowed
from tests.content.factories_toolkit import (
    make_asset,
    make_document,
    make_image,
    make_licence,
    make_toolkit_page,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    return make_toolkit_page()


@pytest.fixture
def mark(page):
    return make_asset(page=page, licensed=True, kind=ToolkitAsset.Kind.LOGO)


@pytest.fixture
def staff():
    user = UserFactory(username="agence")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def download_url(asset):
    return reverse("content:toolkit_download", args=[asset.pk])


def request_url(asset):
    return reverse("content:toolkit_licence_request", args=[asset.pk])


def count_of(asset):
    return ToolkitAsset.objects.get(pk=asset.pk).download_count


# Downloads -------------------------------------------------------------------------------------


def test_a_download_serves_the_file_as_an_attachment(client, page):
    asset = make_asset(page=page, document=make_document(name="modele.txt", content=b"Bonjour"))

    response = client.get(download_url(asset))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="modele.txt"'
    assert b"".join(response.streaming_content) == b"Bonjour"


def test_each_download_adds_one_to_the_count(client, page):
    asset = make_asset(page=page)

    client.get(download_url(asset))
    client.get(download_url(asset))

    assert count_of(asset) == 2


def test_the_count_is_updated_in_the_database_not_from_a_stale_copy(page):
    """Two requests holding the same row both count: the increment is an F() UPDATE."""
    asset = make_asset(page=page)
    stale = ToolkitAsset.objects.get(pk=asset.pk)

    services.record_download(asset=asset)
    with CaptureQueriesContext(connection) as queries:
        services.record_download(asset=stale)

    assert count_of(asset) == 2
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert '"download_count" + 1' in updates[0].replace("%s", "1")


def test_an_asset_of_an_unpublished_page_is_not_found(client, page):
    asset = make_asset(page=page)
    page.unpublish()

    assert client.get(download_url(asset)).status_code == 404
    assert count_of(asset) == 0


def test_an_unknown_asset_is_not_found(client, page):
    assert client.get(reverse("content:toolkit_download", args=[999])).status_code == 404


# The licensed mark -----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_for_the_mark(client, mark):
    response = client.get(download_url(mark))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert count_of(mark) == 0


def test_a_member_without_a_licence_is_refused_with_a_way_to_request_one(auth_client, mark):
    response = auth_client.get(download_url(mark))

    assert response.status_code == 403
    assert request_url(mark) in response.text
    assert count_of(mark) == 0


def test_wagtail_document_url_of_the_mark_goes_through_the_licence_check(client, mark):
    document = mark.document
    response = client.get(reverse("wagtaildocs_serve", args=[document.pk, document.filename]))

    assert response.status_code == 302
    assert response["Location"] == download_url(mark)


def test_request_then_approval_opens_the_download(
    auth_client, user, staff, mark, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(
            request_url(mark),
            {
                "organisation_name": "Café de la Cale",
                "intended_use": "Sur nos sachets de café.",
                "accept_rules": "on",
                "rules_version": "1",
            },
        )
    assert response.status_code == 302
    licence = BrandLicence.objects.get(holder=user, asset=mark)
    assert licence.status == BrandLicence.Status.REQUESTED
    assert licence.accepted_rules_version == 1
    assert auth_client.get(download_url(mark)).status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_licence(actor=staff, licence=licence)

    response = auth_client.get(download_url(mark))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert count_of(mark) == 1


def test_approval_lasts_one_year_by_default(staff, user, mark):
    licence = make_licence(asset=mark, holder=user)

    services.approve_licence(actor=staff, licence=licence)

    licence.refresh_from_db()
    assert licence.valid_until == timezone.localdate() + timedelta(days=365)
    assert licence.decided_by == staff
    assert licence.decided_at is not None


def test_an_expired_licence_no_longer_opens_the_download(auth_client, user, mark):
    make_licence(
        asset=mark,
        holder=user,
        status=BrandLicence.Status.APPROVED,
        valid_until=timezone.localdate() - timedelta(days=1),
    )

    assert auth_client.get(download_url(mark)).status_code == 403


def test_new_rules_must_be_accepted_before_downloading_again(auth_client, user, page, mark):
    licence = make_licence(asset=mark, holder=user, status=BrandLicence.Status.APPROVED)
    assert auth_client.get(download_url(mark)).status_code == 200
    page.usage_rules_version = 2
    page.save()

    response = auth_client.get(download_url(mark))
    assert response.status_code == 403
    accept_url = reverse("content:toolkit_accept_rules", args=[licence.pk])
    assert accept_url in response.text

    auth_client.post(accept_url, {"rules_version": "2"})  # box not ticked
    assert auth_client.get(download_url(mark)).status_code == 403

    auth_client.post(accept_url, {"rules_version": "2", "accept_rules": "on"})
    licence.refresh_from_db()
    assert licence.accepted_rules_version == 2
    assert auth_client.get(download_url(mark)).status_code == 200


def test_a_second_open_request_is_a_conflict(auth_client, user, mark):
    form = {"intended_use": "Affiches", "accept_rules": "on", "rules_version": "1"}
    auth_client.post(request_url(mark), form)

    response = auth_client.post(request_url(mark), form)

    assert response.status_code == 409
    assert "pas encore statué" in response.text  # French first: the unprefixed URL
    assert BrandLicence.objects.filter(holder=user, asset=mark).count() == 1
    with pytest.raises(Conflict):
        services.request_licence(
            user=user,
            asset=mark,
            organisation_name="",
            intended_use="Encore",
            accepted_rules_version=1,
        )


def test_a_request_needs_the_rules_accepted(auth_client, user, mark):
    response = auth_client.post(
        request_url(mark), {"intended_use": "Affiches", "rules_version": "1"}
    )

    assert response.status_code == 400
    assert not BrandLicence.objects.exists()


def test_a_request_under_an_outdated_rules_version_is_refused(user, page, mark):
    page.usage_rules_version = 3
    page.save()

    with pytest.raises(DomainError):
        services.request_licence(
            user=user,
            asset=mark,
            organisation_name="",
            intended_use="Affiches",
            accepted_rules_version=2,
        )
    assert not BrandLicence.objects.exists()


def test_a_member_may_ask_again_after_a_decline(user, staff, mark):
    licence = make_licence(asset=mark, holder=user)
    services.decline_licence(
        actor=staff, licence=licence, reason="Usage commercial hors territoire"
    )

    again = services.request_licence(
        user=user,
        asset=mark,
        organisation_name="",
        intended_use="Affiches de la fête du port",
        accepted_rules_version=1,
    )

    assert again.status == BrandLicence.Status.REQUESTED


def test_the_request_form_shows_the_rules_to_accept(auth_client, mark):
    response = auth_client.get(request_url(mark))

    assert response.status_code == 200
    assert "Use the mark as it is" in response.text
    assert 'name="accept_rules"' in response.text


def test_the_request_form_needs_a_login(client, mark):
    response = client.get(request_url(mark))

    assert response.status_code == 302


def test_a_free_asset_has_no_licence_form(auth_client, page):
    asset = make_asset(page=page)

    assert auth_client.get(request_url(asset)).status_code == 404


# Decisions -------------------------------------------------------------------------------------


def test_a_member_who_is_not_staff_cannot_approve(user, mark):
    licence = make_licence(asset=mark, holder=UserFactory())

    with pytest.raises(NotAllowed):
        services.approve_licence(actor=user, licence=licence)

    licence.refresh_from_db()
    assert licence.status == BrandLicence.Status.REQUESTED
    assert licence.valid_until is None


def test_an_editor_without_publish_rights_cannot_decide_in_the_admin(client, mark):
    editor = UserFactory(username="editor")
    editor.groups.add(Group.objects.get(name="Editors"))
    licence = make_licence(asset=mark, holder=UserFactory())
    client.force_login(editor)

    response = client.post(
        reverse("brand_licences:edit", args=[licence.pk]),
        {"action": "approve", "valid_until": "2099-01-01"},
    )

    assert response.status_code in (302, 403, 404)
    licence.refresh_from_db()
    assert licence.status == BrandLicence.Status.REQUESTED


def test_whoever_may_publish_the_toolkit_page_may_decide(user, page, mark):
    publisher = UserFactory(is_superuser=True)
    licence = make_licence(asset=mark, holder=user)

    services.approve_licence(actor=publisher, licence=licence)

    assert BrandLicence.objects.get(pk=licence.pk).status == BrandLicence.Status.APPROVED


def test_declining_needs_a_reason(staff, user, mark):
    licence = make_licence(asset=mark, holder=user)

    with pytest.raises(DomainError):
        services.decline_licence(actor=staff, licence=licence, reason="  ")

    assert BrandLicence.objects.get(pk=licence.pk).status == BrandLicence.Status.REQUESTED


def test_a_decided_request_cannot_be_decided_again(staff, user, mark):
    licence = make_licence(asset=mark, holder=user)
    services.approve_licence(actor=staff, licence=licence)

    with pytest.raises(Conflict):
        services.decline_licence(actor=staff, licence=licence, reason="Trop tard")


def test_approval_with_a_past_end_date_is_refused(staff, user, mark):
    licence = make_licence(asset=mark, holder=user)

    with pytest.raises(DomainError):
        services.approve_licence(
            actor=staff, licence=licence, valid_until=timezone.localdate() - timedelta(days=1)
        )


def test_a_revoked_licence_closes_the_download(auth_client, staff, user, mark):
    licence = make_licence(asset=mark, holder=user, status=BrandLicence.Status.APPROVED)

    services.revoke_licence(actor=staff, licence=licence, reason="Usage non conforme")

    assert auth_client.get(download_url(mark)).status_code == 403


def test_the_requester_gets_the_decision_by_email_in_their_language(
    staff, mark, django_capture_on_commit_callbacks
):
    holder = UserFactory(preferred_language="en")
    licence = make_licence(asset=mark, holder=holder)

    with django_capture_on_commit_callbacks(execute=True):
        services.decline_licence(actor=staff, licence=licence, reason="Out of the territory")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [holder.email]
    assert "declined" in message.subject
    assert "Out of the territory" in message.body


def test_approval_email_gives_the_end_date(staff, user, mark, django_capture_on_commit_callbacks):
    licence = make_licence(asset=mark, holder=user)
    until = timezone.localdate() + timedelta(days=100)

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_licence(actor=staff, licence=licence, valid_until=until)

    assert len(mail.outbox) == 1
    assert str(until.year) in mail.outbox[0].body


def test_requests_and_decisions_are_signalled(
    user, staff, mark, django_capture_on_commit_callbacks
):
    received = []

    def listener(signal, **kwargs):
        received.append((signal, kwargs["licence"].pk))

    signals.licence_requested.connect(listener)
    signals.licence_decided.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            licence = services.request_licence(
                user=user,
                asset=mark,
                organisation_name="",
                intended_use="Affiches",
                accepted_rules_version=1,
            )
        with django_capture_on_commit_callbacks(execute=True):
            services.approve_licence(actor=staff, licence=licence)
    finally:
        signals.licence_requested.disconnect(listener)
        signals.licence_decided.disconnect(listener)

    assert received == [
        (signals.licence_requested, licence.pk),
        (signals.licence_decided, licence.pk),
    ]


# Admin -----------------------------------------------------------------------------------------


def test_staff_approve_from_the_admin(
    client, staff, user, mark, django_capture_on_commit_callbacks
):
    licence = make_licence(asset=mark, holder=user)
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("brand_licences:edit", args=[licence.pk]),
            {"action": "approve", "valid_until": "2099-06-30"},
        )

    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.status == BrandLicence.Status.APPROVED
    assert licence.valid_until.isoformat() == "2099-06-30"
    assert len(mail.outbox) == 1


def test_the_admin_decline_form_keeps_the_request_without_a_reason(client, staff, user, mark):
    licence = make_licence(asset=mark, holder=user)
    client.force_login(staff)

    response = client.post(
        reverse("brand_licences:edit", args=[licence.pk]), {"action": "decline", "reason": ""}
    )

    assert response.status_code == 400
    assert BrandLicence.objects.get(pk=licence.pk).status == BrandLicence.Status.REQUESTED


def _admin_list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_admin_list_shows_holders_and_end_dates_in_constant_queries(client, staff, mark):
    client.force_login(staff)
    url = reverse("brand_licences:index")
    until = timezone.localdate() + timedelta(days=200)

    def add_licences(count):
        for _ in range(count):
            make_licence(
                asset=mark,
                holder=UserFactory(display_name="Titulaire Kerbrat"),
                status=BrandLicence.Status.APPROVED,
                valid_until=until,
            )

    add_licences(5)
    client.get(url)  # warm the per-process caches (content types, site)
    five, response = _admin_list_queries(client, url)
    assert "Titulaire Kerbrat" in response.text
    assert str(until.year) in response.text

    add_licences(45)
    fifty, response = _admin_list_queries(client, url)
    assert response.text.count("Titulaire Kerbrat") >= 50
    assert fifty == five


def test_the_admin_list_writes_the_end_date_as_a_day_to_come(client, staff, mark):
    make_licence(
        asset=mark,
        holder=UserFactory(display_name="Titulaire"),
        status=BrandLicence.Status.APPROVED,
        valid_until=date(2027, 3, 31),
    )
    client.force_login(staff)

    response = client.get(reverse("brand_licences:index"), HTTP_ACCEPT_LANGUAGE="fr")

    cells = re.findall(r"<td[^>]*>(.*?)</td>", response.text, flags=re.S)
    texts = [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in cells]
    assert "31 mars 2027" in texts


def test_the_admin_list_filters_by_status(client, staff, mark):
    make_licence(asset=mark, holder=UserFactory(display_name="En attente"))
    make_licence(
        asset=mark, holder=UserFactory(display_name="Accordée"), status=BrandLicence.Status.APPROVED
    )
    client.force_login(staff)

    response = client.get(reverse("brand_licences:index"), {"status": "approved"})

    assert "Accordée" in response.text
    assert "En attente" not in response.text


def test_members_do_not_reach_the_admin_list(auth_client):
    response = auth_client.get(reverse("brand_licences:index"))

    assert response.status_code in (302, 403)


# The page --------------------------------------------------------------------------------------


def _page_queries(client, url):
    cache.clear()  # renditions are cached too: count what a cold cache costs
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_toolkit_page_groups_assets_and_shows_the_rules(client, page, mark):
    make_asset(page=page, title="Photo du port", kind=ToolkitAsset.Kind.PHOTO)

    response = client.get(page.url)

    assert response.status_code == 200
    assert 'id="kit-logo"' in response.text
    assert 'id="kit-photo"' in response.text
    assert "Photo du port" in response.text
    assert "Use the mark as it is" in response.text
    assert download_url(mark) not in response.text  # the mark: a login link instead


def test_the_toolkit_page_renders_in_constant_queries(auth_client, user, page):
    def add_assets(count, start):
        for index in range(start, start + count):
            asset = make_asset(
                page=page,
                title=f"Ressource {index}",
                licensed=index % 2 == 0,
                kind=ToolkitAsset.Kind.values[index % 4],
                preview=make_image(f"preview {index}"),
            )
            if index % 4 == 0:
                make_licence(asset=asset, holder=user, status=BrandLicence.Status.APPROVED)

    add_assets(5, 0)
    auth_client.get(page.url)  # renditions are made on the first view
    five, response = _page_queries(auth_client, page.url)
    assert "Ressource 4" in response.text

    add_assets(45, 5)
    auth_client.get(page.url)
    fifty, response = _page_queries(auth_client, page.url)
    assert "Ressource 49" in response.text
    assert fifty == five


def test_staff_see_the_download_counts(client, staff, page):
    asset = make_asset(page=page)
    ToolkitAsset.objects.filter(pk=asset.pk).update(download_count=7)

    assert "7 downloads" not in client.get("/en/kit/").text
    client.force_login(staff)
    assert "7 downloads" in client.get("/en/kit/").text


def test_a_preview_with_an_unsaved_asset_renders(rf, staff, page):
    page.assets.add(
        ToolkitAsset(title="Nouvelle affiche", kind="template", document=make_document())
    )
    request = rf.get("/")
    request.user = staff

    response = page.make_preview_request(request)

    assert response.status_code == 200
    assert "Nouvelle affiche" in response.content.decode()
