"""A member's own data: the export zip (its content, its link for its owner only, its expiry)
and the deletion of the account (fields erased, sessions and tokens ended, counters kept)."""

import io
import json
import time
import zipfile
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.errors import Conflict, InvalidInput, NotFound
from network.models import (
    Comment,
    Follow,
    GroupEventRSVP,
    GroupMembership,
    PersonalAccessToken,
    Post,
    PostImage,
    Reaction,
    User,
)
from network.services import personal_data
from network.services.posts import add_comment, react
from network.services.tokens import create_token, user_for_token
from tests.factories import UserFactory
from tests.network.factories import GroupFactory, PostFactory, add_member
from tests.network.test_posts import image_upload

DATA_URL = "/en/accounts/data/"


@pytest.fixture
def camille(db, password):
    return UserFactory(username="camille", display_name="Camille Martin", password=password)


@pytest.fixture
def camille_client(camille):
    client = Client()
    client.force_login(camille)
    return client


def _zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _export_url(client, capture) -> str:
    """Ask for an export (its task runs once the request's transaction commits) and read
    its link on the page."""
    with capture(execute=True):
        assert client.post(reverse("network:personal_data_export")).status_code == 200
    (export,) = client.get(DATA_URL).context["exports"]
    return export["url"]


# Export ---------------------------------------------------------------------------------------


def test_the_export_zip_holds_the_members_posts_and_media(
    camille, camille_client, django_capture_on_commit_callbacks
):
    camille.avatar.save("me.png", image_upload("me.png", "PNG"))
    post = PostFactory(author=camille, body="<p>Ma balade au marché</p>", body_text="balade")
    image = PostImage(post=post, alt_text="Le marché")
    image.image.save("marche.jpg", image_upload())
    create_token(actor=camille, name="Intégration")
    response = camille_client.get(_export_url(camille_client, django_capture_on_commit_callbacks))

    assert response.status_code == 200
    archive = _zip_of(response)
    data = json.loads(archive.read("data.json"))
    assert [p["body"] for p in data["posts"]] == ["<p>Ma balade au marché</p>"]
    assert data["profile"]["username"] == "camille"
    assert data["access_tokens"][0]["name"] == "Intégration"
    assert "token_hash" not in json.dumps(data) and "trt_" not in json.dumps(data)
    names = archive.namelist()
    assert data["profile"]["avatar"] in names
    assert data["posts"][0]["images"][0]["file"] in names


def test_the_export_link_is_emailed_to_its_owner(
    camille, camille_client, django_capture_on_commit_callbacks
):
    _export_url(camille_client, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [camille.email]
    (link,) = [line for line in mail.outbox[0].body.split() if "/accounts/data/download/" in line]
    path = "/accounts/" + link.split("/accounts/", 1)[1]
    response = camille_client.get(path)
    assert response.status_code == 200
    assert "data.json" in _zip_of(response).namelist()


def test_another_member_gets_404_with_the_link(
    camille_client, user, auth_client, django_capture_on_commit_callbacks
):
    url = _export_url(camille_client, django_capture_on_commit_callbacks)

    assert auth_client.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to log in


def test_a_forged_link_is_404(camille, camille_client, django_capture_on_commit_callbacks):
    _export_url(camille_client, django_capture_on_commit_callbacks)
    forged = signing.TimestampSigner(salt="other").sign(f"{camille.pk}:whatever")

    response = camille_client.get(reverse("network:personal_data_download", args=[forged]))
    assert response.status_code == 404


def test_behind_nginx_the_download_is_handed_to_its_internal_location(
    camille, camille_client, settings, django_capture_on_commit_callbacks
):
    settings.EXPORTS_ACCEL_REDIRECT = "/protected-exports/"
    url = _export_url(camille_client, django_capture_on_commit_callbacks)
    (export,) = personal_data.exports_of(camille)

    response = camille_client.get(url)
    assert response.status_code == 200
    redirect = response["X-Accel-Redirect"]
    assert redirect.startswith(f"/protected-exports/{export['token']}/")
    assert (personal_data.exports_root() / redirect.removeprefix("/protected-exports/")).is_file()
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == b""


def test_an_expired_link_is_refused(
    camille, camille_client, monkeypatch, django_capture_on_commit_callbacks
):
    url = _export_url(camille_client, django_capture_on_commit_callbacks)
    later = time.time() + timedelta(days=8).total_seconds()
    monkeypatch.setattr(time, "time", lambda: later)

    assert camille_client.get(url).status_code == 410
    assert personal_data.exports_of(camille) == []


def test_an_old_file_is_refused_even_with_a_fresh_signature(camille, camille_client):
    path, token = personal_data.build_export(camille)
    old = path.with_name(f"territory-data-{camille.pk}-{int(time.time()) - 8 * 86400}.zip")
    path.rename(old)

    response = camille_client.get(personal_data.export_link(camille.pk, token))
    assert response.status_code == 410
    assert not old.exists()  # cleaned up


def test_exports_are_limited_to_three_a_day(camille_client):
    for _ in range(3):
        assert camille_client.post(reverse("network:personal_data_export")).status_code == 200
    assert camille_client.post(reverse("network:personal_data_export")).status_code == 429


def test_the_page_lists_the_export_and_the_delete_form(
    camille_client, django_capture_on_commit_callbacks
):
    _export_url(camille_client, django_capture_on_commit_callbacks)

    response = camille_client.get(DATA_URL)
    assert response.status_code == 200
    assert b'data-testid="export-link"' in response.content
    assert b"Delete my account" in response.content


def test_export_file_for_refuses_other_users(camille, user):
    _path, token = personal_data.build_export(camille)
    signed = personal_data.export_link(camille.pk, token).rstrip("/").rsplit("/", 1)[1]

    with pytest.raises(NotFound):
        personal_data.export_file_for(actor=user, signed=signed)
    assert personal_data.export_file_for(actor=camille, signed=signed).exists()


# Deletion -------------------------------------------------------------------------------------


@pytest.fixture
def busy_camille(camille):
    """Camille in a group, with a post, a comment and a reaction on someone else's post,
    a follow each way, a token and a TOTP authenticator."""
    group = GroupFactory()
    other = UserFactory()
    add_member(group, other, role=GroupMembership.Role.OWNER)
    add_member(group, camille)
    own_post = PostFactory(author=camille, group=group)
    others_post = PostFactory(author=other, group=group)
    add_comment(actor=camille, post=others_post, body="Bravo")
    add_comment(actor=other, post=others_post, body="Merci")
    react(actor=camille, post=others_post, kind="like")
    react(actor=other, post=others_post, kind="like")
    Follow.objects.create(follower=camille, user=other)
    Follow.objects.create(follower=other, user=camille)
    _token, raw_token = create_token(actor=camille, name="Script")
    Authenticator.objects.create(user=camille, type=Authenticator.Type.TOTP, data={})
    camille.interests.set(["vélo"])
    return {
        "group": group,
        "other": other,
        "own_post": own_post,
        "others_post": others_post,
        "raw_token": raw_token,
    }


def _delete(client, password, posts="anonymise"):
    return client.post(
        reverse("network:personal_data_delete"), {"password": password, "posts": posts}
    )


def test_deleting_the_account_erases_fields_and_ends_sessions_and_tokens(
    camille, camille_client, busy_camille, password
):
    response = _delete(camille_client, password)

    assert response.status_code == 302
    assert response["Location"] == reverse("network:personal_data_goodbye")
    camille.refresh_from_db()
    assert not camille.is_active
    assert not camille.has_usable_password()
    assert camille.username.startswith("former-")
    assert (camille.email, camille.display_name, camille.first_name, camille.bio) == ("",) * 4
    assert not camille.avatar
    assert list(camille.interests.all()) == []
    with translation.override("en"):
        assert camille.get_display_name() == "Former member"
    assert not EmailAddress.objects.filter(user=camille).exists()
    assert not Authenticator.objects.filter(user=camille).exists()
    assert not PersonalAccessToken.objects.filter(user=camille, revoked_at__isnull=True).exists()
    assert user_for_token(busy_camille["raw_token"]) is None
    assert not Follow.objects.filter(follower=camille).exists()
    assert not Follow.objects.filter(user=camille).exists()
    assert all(
        session.get_decoded().get("_auth_user_id") != str(camille.pk)
        for session in Session.objects.all()
    )
    assert camille_client.get(DATA_URL).status_code == 302  # logged out


def test_deleting_keeps_the_counters_right(camille, camille_client, busy_camille, password):
    group, others_post = busy_camille["group"], busy_camille["others_post"]

    _delete(camille_client, password, posts="remove")

    group.refresh_from_db()
    others_post.refresh_from_db()
    assert group.member_count == 1 == group.memberships.count()
    assert not GroupMembership.objects.filter(user=camille).exists()
    assert others_post.reaction_counts == {"like": 1}
    assert not Reaction.objects.filter(user=camille).exists()
    assert others_post.comment_count == 1 == others_post.comments.count()


def test_anonymised_posts_stay_under_former_member(camille, camille_client, busy_camille, password):
    _delete(camille_client, password, posts="anonymise")

    post = Post.objects.get(pk=busy_camille["own_post"].pk)
    assert post.author_id == camille.pk
    assert Comment.objects.filter(author=camille).count() == 1
    with translation.override("en"):
        assert post.author.get_display_name() == "Former member"
    busy_camille["others_post"].refresh_from_db()
    assert busy_camille["others_post"].comment_count == 2
    # Her name no longer leads to a profile that is gone, on a card or under a comment.
    camille.refresh_from_db()
    reader = Client()
    reader.force_login(UserFactory())
    profile = reverse("network:person", args=[camille.username])
    for shown in (post, busy_camille["others_post"]):
        page = reader.get(shown.get_absolute_url())
        assert page.status_code == 200
        assert "Former member" in page.content.decode() or "Ancien membre" in page.content.decode()
        assert profile not in page.content.decode()


def test_removed_posts_and_comments_are_gone(camille, camille_client, busy_camille, password):
    _delete(camille_client, password, posts="remove")

    assert not Post.objects.filter(author=camille).exists()
    assert not Comment.objects.filter(author=camille).exists()
    assert Post.objects.filter(pk=busy_camille["others_post"].pk).exists()


@pytest.mark.parametrize(
    ("typed", "posts"),
    [("wrong password", "anonymise"), ("", "remove"), ("territoire-demo", "burn")],
)
def test_bad_confirmation_is_refused_and_nothing_changes(
    camille, camille_client, busy_camille, typed, posts
):
    response = _delete(camille_client, typed, posts)

    assert response.status_code == 400
    camille.refresh_from_db()
    assert camille.is_active and camille.username == "camille"
    assert camille.email and camille.has_usable_password()
    assert GroupMembership.objects.filter(user=camille).exists()
    assert Reaction.objects.filter(user=camille).exists()
    assert user_for_token(busy_camille["raw_token"]) == camille
    assert camille_client.get(DATA_URL).status_code == 200


def test_the_last_owner_of_a_group_must_hand_it_over_first(camille, password):
    group = GroupFactory(name="Club vélo")
    add_member(group, camille, role=GroupMembership.Role.OWNER)
    add_member(group)

    with translation.override("en"), pytest.raises(Conflict, match="Club vélo"):
        personal_data.delete_account(
            actor=camille, user=camille, password=password, posts="anonymise"
        )
    camille.refresh_from_db()
    assert camille.is_active
    assert group.memberships.count() == 2


def test_a_second_owner_lets_the_owner_go(camille, password):
    group = GroupFactory()
    add_member(group, camille, role=GroupMembership.Role.OWNER)
    add_member(group, role=GroupMembership.Role.OWNER)

    personal_data.delete_account(actor=camille, user=camille, password=password, posts="remove")

    group.refresh_from_db()
    assert group.member_count == 1


def test_one_cannot_delete_someone_elses_account(camille, user, password):
    with pytest.raises(Exception, match="own account"), translation.override("en"):
        personal_data.delete_account(actor=user, user=camille, password=password, posts="remove")
    assert User.objects.get(pk=camille.pk).is_active


def test_a_wrong_password_raises_invalid_input(camille):
    with pytest.raises(InvalidInput):
        personal_data.delete_account(actor=camille, user=camille, password="x", posts="remove")


def test_the_goodbye_page_is_shown_after_deletion(camille_client, camille, password):
    response = camille_client.post(
        "/en/accounts/data/delete/", {"password": password, "posts": "anonymise"}, follow=True
    )
    assert b'data-testid="goodbye"' in response.content


def test_rsvps_of_a_deleted_member_are_removed(camille, password):
    from django.utils import timezone

    from network.models import GroupEvent

    group = GroupFactory()
    add_member(group, camille)
    event = GroupEvent.objects.create(
        group=group, title="Visite", starts_at=timezone.now() + timedelta(days=3)
    )
    GroupEventRSVP.objects.create(event=event, user=camille, status="going")

    personal_data.delete_account(actor=camille, user=camille, password=password, posts="remove")

    assert not GroupEventRSVP.objects.filter(user=camille).exists()


def test_the_daily_purge_removes_only_expired_exports(camille, user):
    from network.tasks import purge_expired_exports_task

    fresh, _token = personal_data.build_export(camille)
    stale, _token = personal_data.build_export(user)
    old = stale.with_name(f"territory-data-{user.pk}-{int(time.time()) - 8 * 86400}.zip")
    stale.rename(old)

    assert purge_expired_exports_task() == 1
    assert fresh.exists()
    assert not old.parent.exists()


def test_password_attempts_on_the_delete_form_are_limited(camille, camille_client, password):
    for _ in range(10):
        assert _delete(camille_client, "guess").status_code == 400
    assert _delete(camille_client, password).status_code == 429
    camille.refresh_from_db()
    assert camille.is_active


def _moderated(camille):
    """camille reported someone with her name and e-mail, and one of her posts was hidden."""
    from network.models import Case
    from network.services import moderation

    other = PostFactory()
    moderation.report(
        actor=camille,
        target=other,
        reason="illegal",
        explanation="Contrefaçon de notre logo",
        url=other.get_absolute_url(),
        name="Camille Rivière",
        email="camille@example.org",
        good_faith=True,
    )
    mine = PostFactory(author=camille, body_text="Mon texte à moi")
    moderation.report(actor=UserFactory(), target=mine, reason="spam", explanation="Pub")
    staff = UserFactory(is_staff=True)
    decision = moderation.decide(
        actor=staff,
        case=Case.objects.get(target_id=mine.pk),
        action="hide",
        facts="Publicité",
        ground="Règle 2",
    )
    moderation.contest(actor=camille, decision=decision, text="Ce n'était pas de la pub.")
    return Case.objects.get(target_id=mine.pk)


def test_the_export_holds_the_members_reports_decisions_and_complaints(camille):
    _moderated(camille)
    data, _files = personal_data.collect_personal_data(camille)
    moderation = data["moderation"]
    assert moderation["reports_made"][0]["explanation"] == "Contrefaçon de notre logo"
    assert moderation["decisions_about_you"][0]["measure"] == "hide"
    assert moderation["complaints"][0]["text"] == "Ce n'était pas de la pub."


def test_deleting_keeps_moderation_records_without_personal_details(camille, password):
    from network.models import Decision, Report

    case = _moderated(camille)
    personal_data.delete_account(actor=camille, user=camille, password=password, posts="remove")

    notice = Report.objects.get(reporter=camille)
    assert (notice.reporter_name, notice.reporter_email) == ("", "")
    assert notice.explanation  # the notice itself stays
    case.refresh_from_db()
    assert case.preview == ""  # the text she chose to remove
    assert Decision.objects.get(case=case).facts == "Publicité"


# Exports are private files -------------------------------------------------------------------


def test_an_export_is_written_outside_the_public_media_folder(camille, settings):
    path, token = personal_data.build_export(camille)

    assert path.parent == settings.EXPORTS_ROOT / token
    assert settings.MEDIA_ROOT.resolve() not in path.resolve().parents
    assert not list(settings.MEDIA_ROOT.glob(f"**/{path.name}"))


def test_with_an_internal_location_the_view_hands_the_sending_to_nginx(
    camille, camille_client, settings, django_capture_on_commit_callbacks
):
    settings.EXPORTS_ACCEL_REDIRECT = "/protected-exports/"
    url = _export_url(camille_client, django_capture_on_commit_callbacks)
    (path,) = settings.EXPORTS_ROOT.glob(f"*/territory-data-{camille.pk}-*.zip")

    response = camille_client.get(url)

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-exports/{path.parent.name}/{path.name}"
    assert response["Content-Disposition"] == f'attachment; filename="{path.name}"'
    assert response.content == b""


def test_with_an_internal_location_another_member_still_gets_404(
    camille_client, settings, django_capture_on_commit_callbacks, auth_client
):
    settings.EXPORTS_ACCEL_REDIRECT = "/protected-exports/"
    url = _export_url(camille_client, django_capture_on_commit_callbacks)

    response = auth_client.get(url)

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_the_system_check_refuses_exports_inside_the_media_folder(settings):
    from network.checks import check_exports_are_private

    settings.EXPORTS_ROOT = settings.MEDIA_ROOT / "exports"

    assert [error.id for error in check_exports_are_private(None)] == ["network.E001"]


def test_the_purge_removes_exports_left_in_the_media_folder(settings):
    legacy = settings.MEDIA_ROOT / "exports" / "oldtoken"
    legacy.mkdir(parents=True, exist_ok=True)
    (legacy / "territory-data-1-1700000000.zip").write_bytes(b"PK")

    personal_data.purge_expired_exports()

    assert not (settings.MEDIA_ROOT / "exports").exists()
