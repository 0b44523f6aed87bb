"""Editing and deleting posts: the author edits (an "edited" mark, previous versions kept for
moderators), the author or a moderator deletes; nobody else changes anything."""

import pytest
from django.contrib.auth.models import Group as AuthGroup

from core.errors import InvalidInput, NotAllowed, NotFound
from network import signals
from network.forms.posts import body_for_editing
from network.models import Group, GroupMembership, Post, PostImage, PostRevision
from network.permissions import AGENCY_MODERATORS_GROUP
from network.services.posts import create_post, delete_post, edit_post, format_body
from tests.factories import UserFactory
from tests.network.factories import CommentFactory, GroupFactory, PostFactory, add_member
from tests.network.test_posts import XSS_VECTORS, assert_harmless, image_upload


@pytest.fixture
def group(db):
    return GroupFactory(visibility=Group.Visibility.PRIVATE)


@pytest.fixture
def post(user, group):
    add_member(group, user)
    return create_post(actor=user, body="Première version", group=group, tags=["port"])


@pytest.fixture
def moderator(group):
    return add_member(group, role=GroupMembership.Role.MODERATOR).user


# The service ----------------------------------------------------------------------------------


def test_the_author_edits_and_the_previous_text_is_kept(user, post):
    created_at = post.created_at
    edit_post(actor=user, post=post, body="Deuxième version")
    post.refresh_from_db()
    assert post.body == "<p>Deuxième version</p>"
    assert post.body_text == "Deuxième version"
    assert post.edited_at is not None
    revision = post.revisions.get()
    assert revision.body == "<p>Première version</p>"
    assert revision.created_at == created_at


def test_each_edit_keeps_one_more_version(user, post):
    edit_post(actor=user, post=post, body="Deux")
    edit_post(actor=user, post=post, body="Trois")
    assert list(post.revisions.values_list("body", flat=True)) == [
        "<p>Deux</p>",
        "<p>Première version</p>",
    ]


def test_an_unchanged_text_adds_no_version(user, post):
    edit_post(actor=user, post=post, body="Première version")
    assert not post.revisions.exists()
    post.refresh_from_db()
    assert post.edited_at is None


def test_editing_can_change_tags(user, post):
    edit_post(actor=user, post=post, body="Première version", tags="mer, vélo")
    assert sorted(tag.name for tag in post.tags.all()) == ["mer", "vélo"]


@pytest.mark.parametrize("vector", XSS_VECTORS[:12])
def test_an_edit_is_sanitised(user, post, vector):
    edit_post(actor=user, post=post, body=f"x {vector}")
    post.refresh_from_db()
    assert_harmless(post.body)


def test_an_edit_over_10000_characters_changes_nothing(user, post):
    with pytest.raises(InvalidInput):
        edit_post(actor=user, post=post, body="a" * 10_001)
    post.refresh_from_db()
    assert post.body_text == "Première version"
    assert not post.revisions.exists()


def test_a_moderator_cannot_edit_someone_elses_post(post, moderator):
    with pytest.raises(NotAllowed):
        edit_post(actor=moderator, post=post, body="Réécrit")
    post.refresh_from_db()
    assert post.body_text == "Première version"


def test_an_outsider_cannot_even_see_the_post_to_edit(post):
    with pytest.raises(NotFound):
        edit_post(actor=UserFactory(), post=post, body="Réécrit")


def test_new_mentions_in_an_edit_are_sent(user, post, group, django_capture_on_commit_callbacks):
    hugo = add_member(group, UserFactory(username="hugo")).user
    received = []

    def receive(sender, **kwargs):
        received.append(kwargs["users"])

    signals.members_mentioned.connect(receive)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            edit_post(actor=user, post=post, body="Avec @hugo")
            edit_post(actor=user, post=post, body="Avec @hugo encore")
    finally:
        signals.members_mentioned.disconnect(receive)
    assert received == [[hugo]]


def test_the_author_deletes_with_images_and_comments(user, django_capture_on_commit_callbacks):
    post = create_post(actor=user, body="Photo", images=[image_upload()])
    CommentFactory(post=post)
    stored = post.images.get().image
    assert stored.storage.exists(stored.name)
    with django_capture_on_commit_callbacks(execute=True):
        delete_post(actor=user, post=post)
    assert not Post.objects.exists()
    assert not PostImage.objects.exists()
    assert not stored.storage.exists(stored.name)


def test_a_group_moderator_deletes_a_members_post(post, moderator):
    delete_post(actor=moderator, post=post)
    assert not Post.objects.exists()


def test_an_agency_moderator_deletes_a_profile_post(db):
    post = PostFactory()
    staff = UserFactory()
    staff.groups.add(AuthGroup.objects.get_or_create(name=AGENCY_MODERATORS_GROUP)[0])
    delete_post(actor=staff, post=post)
    assert not Post.objects.exists()


def test_a_member_cannot_delete_someone_elses_post(post, group):
    member = add_member(group).user
    with pytest.raises(NotAllowed):
        delete_post(actor=member, post=post)
    assert Post.objects.filter(pk=post.pk).exists()


# The text round trip of the edit form


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour",
        "Premier **gras** et *italique*\nligne deux",
        "Un\n\nDeux",
        "Liste :\n\n- un\n- deux\n\n1. a\n2. b",
        "Voir https://territoire.fr/agenda demain",
        "Les <tags> & les « guillemets »",
    ],
)
def test_the_edit_form_gives_back_what_was_typed(user, text):
    from core.sanitizer import clean_html

    html = clean_html(format_body(text))
    assert clean_html(format_body(body_for_editing(html))) == html


# The pages ------------------------------------------------------------------------------------


def test_mentions_come_back_as_typed_in_the_edit_form(user, post, group):
    add_member(group, UserFactory(username="hugo"))
    edit_post(actor=user, post=post, body="Merci @hugo !")
    post.refresh_from_db()
    assert 'href="/people/hugo/"' in post.body
    assert body_for_editing(post.body) == "Merci @hugo !"
    edit_post(actor=user, post=post, body=body_for_editing(post.body))
    assert post.revisions.count() == 1  # the round trip changed nothing


def test_the_edit_page_is_prefilled_with_the_typed_text(auth_client, post):
    content = auth_client.get(f"/posts/{post.pk}/edit/").content.decode()
    assert "Première version</textarea>" in content
    assert 'value="port"' in content


def test_editing_through_the_page_shows_the_edited_mark(auth_client, post):
    response = auth_client.post(f"/posts/{post.pk}/edit/", {"body": "Corrigé", "tags": "port"})
    assert response.status_code == 302
    content = auth_client.get(post.get_absolute_url()).content.decode()
    assert "Corrigé" in content
    assert "post-card__edited" in content


def test_a_bad_edit_answers_400_with_the_form(auth_client, post):
    response = auth_client.post(f"/posts/{post.pk}/edit/", {"body": "a" * 10_001})
    assert response.status_code == 400
    assert "trop long" in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_editing_someone_elses_post_is_403_and_changes_nothing(client, post, group, method):
    member = add_member(group).user
    client.force_login(member)
    response = getattr(client, method)(f"/posts/{post.pk}/edit/", {"body": "Piraté"})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.body_text == "Première version"
    assert not PostRevision.objects.exists()


def test_editing_a_post_one_cannot_see_is_404(client, post):
    client.force_login(UserFactory())
    assert client.post(f"/posts/{post.pk}/edit/", {"body": "Piraté"}).status_code == 404
    post.refresh_from_db()
    assert post.body_text == "Première version"


def test_moderators_see_previous_versions(client, user, post, moderator):
    edit_post(actor=user, post=post, body="Version corrigée")
    client.force_login(moderator)
    assert "Versions précédentes" in client.get(post.get_absolute_url()).content.decode()
    content = client.get(f"/posts/{post.pk}/history/").content.decode()
    assert "Première version" in content
    assert "Version corrigée" in content


def test_the_author_and_members_do_not_see_previous_versions(auth_client, client, post, group):
    edit_post(actor=post.author, post=post, body="Version corrigée")
    assert auth_client.get(f"/posts/{post.pk}/history/").status_code == 403
    assert "Previous versions" not in auth_client.get(post.get_absolute_url()).content.decode()
    client.force_login(add_member(group).user)
    assert client.get(f"/posts/{post.pk}/history/").status_code == 403
    client.force_login(UserFactory())
    assert client.get(f"/posts/{post.pk}/history/").status_code == 404


def test_the_author_deletes_through_the_page(auth_client, post, group):
    assert auth_client.get(f"/posts/{post.pk}/delete/").status_code == 200
    response = auth_client.post(f"/posts/{post.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == group.get_absolute_url()
    assert not Post.objects.exists()


def test_a_moderator_deletes_through_the_page(client, post, moderator):
    client.force_login(moderator)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Supprimer en tant que modérateur" in page
    assert client.post(f"/posts/{post.pk}/delete/").status_code == 302
    assert not Post.objects.exists()


def test_deleting_someone_elses_post_is_403_and_changes_nothing(client, post, group):
    client.force_login(add_member(group).user)
    assert client.post(f"/posts/{post.pk}/delete/").status_code == 403
    assert Post.objects.filter(pk=post.pk).exists()
