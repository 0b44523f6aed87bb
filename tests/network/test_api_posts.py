"""The posts endpoints: reading, posting on one's profile, editing, deleting, comments and
reactions."""

import pytest

from network.models import Comment, Group, GroupMembership, Post, PostRevision, Reaction
from tests.factories import UserFactory
from tests.network.factories import CommentFactory, GroupFactory, PostFactory, add_member
from tests.network.test_api_helpers import API, assert_error, bearer

pytestmark = pytest.mark.django_db

Role = GroupMembership.Role


@pytest.fixture
def headers(user):
    return bearer(user)


def send(client, method, url, data=None, headers=None):
    return getattr(client, method)(
        url, data or {}, content_type="application/json", headers=headers or {}
    )


# Reading -------------------------------------------------------------------------------------


def test_a_public_post_with_its_comments_and_replies(client):
    post = PostFactory(group=GroupFactory())
    top = CommentFactory(post=post, body="<p>Top</p>")
    CommentFactory(post=post, parent=top, body="<p>Reply</p>")
    body = client.get(f"{API}/posts/{post.pk}").json()
    assert body["id"] == post.pk
    assert body["author"]["username"] == post.author.username
    assert [c["body"] for c in body["comments"]] == ["<p>Top</p>"]
    assert [r["body"] for r in body["comments"][0]["replies"]] == ["<p>Reply</p>"]


@pytest.mark.parametrize("visibility", [Group.Visibility.PRIVATE, Group.Visibility.SECRET])
def test_a_closed_groups_post_is_404_to_non_members(client, user, headers, visibility):
    group = GroupFactory(visibility=visibility)
    post = PostFactory(group=group)
    assert_error(client.get(f"{API}/posts/{post.pk}"), 404, "not_found")
    assert_error(client.get(f"{API}/posts/{post.pk}", headers=headers), 404, "not_found")
    add_member(group, user)
    assert client.get(f"{API}/posts/{post.pk}", headers=headers).status_code == 200


def test_a_held_post_is_404_to_others_but_shown_to_its_author(client, user, headers):
    post = PostFactory(author=user, status=Post.Status.HELD)
    assert_error(client.get(f"{API}/posts/{post.pk}"), 404, "not_found")
    assert client.get(f"{API}/posts/{post.pk}", headers=headers).json()["status"] == "held"


# Posting on one's profile ----------------------------------------------------------------------


def test_posting_on_ones_profile(client, user, headers):
    response = send(client, "post", f"{API}/posts", {"body": "Hello"}, headers)
    assert response.status_code == 201
    post = Post.objects.get()
    assert post.group is None and post.author == user
    assert response.json()["group"] is None


def test_posting_needs_a_member(client):
    assert_error(send(client, "post", f"{API}/posts", {"body": "Hello"}), 401, "unauthenticated")
    assert not Post.objects.exists()


# Editing and deleting ------------------------------------------------------------------------


def test_the_author_edits_a_post_and_the_previous_text_is_kept(client, user, headers):
    post = PostFactory(author=user, body="<p>First</p>", body_text="First")
    response = send(client, "patch", f"{API}/posts/{post.pk}", {"body": "Second"}, headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["body"] == "<p>Second</p>" and body["edited_at"] is not None
    assert PostRevision.objects.get(post=post).body == "<p>First</p>"


def test_editing_only_the_tags_keeps_the_text(client, user, headers):
    post = PostFactory(author=user, body="<p>Same</p>", body_text="Same")
    response = send(client, "patch", f"{API}/posts/{post.pk}", {"tags": ["news"]}, headers)
    assert response.json()["tags"] == ["news"]
    post.refresh_from_db()
    assert post.body == "<p>Same</p>" and post.edited_at is None
    assert not PostRevision.objects.exists()


def test_nobody_else_edits_a_post(client, headers):
    post = PostFactory(body="<p>Theirs</p>")
    response = send(client, "patch", f"{API}/posts/{post.pk}", {"body": "Mine"}, headers)
    assert_error(response, 403, "forbidden")
    post.refresh_from_db()
    assert post.body == "<p>Theirs</p>"


def test_the_author_deletes_a_post(client, user, headers):
    post = PostFactory(author=user)
    assert client.delete(f"{API}/posts/{post.pk}", headers=headers).status_code == 204
    assert not Post.objects.filter(pk=post.pk).exists()


def test_a_group_moderator_deletes_a_members_post(client, user, headers):
    group = GroupFactory()
    add_member(group, user, role=Role.MODERATOR)
    post = PostFactory(group=group)
    assert client.delete(f"{API}/posts/{post.pk}", headers=headers).status_code == 204
    assert not Post.objects.filter(pk=post.pk).exists()


def test_a_member_cannot_delete_someone_elses_post(client, headers):
    post = PostFactory(group=GroupFactory())
    assert_error(client.delete(f"{API}/posts/{post.pk}", headers=headers), 403, "forbidden")
    assert Post.objects.filter(pk=post.pk).exists()


def test_deleting_an_invisible_post_is_404(client, headers):
    post = PostFactory(group=GroupFactory(visibility=Group.Visibility.SECRET))
    assert_error(client.delete(f"{API}/posts/{post.pk}", headers=headers), 404, "not_found")
    assert Post.objects.filter(pk=post.pk).exists()


# Comments ------------------------------------------------------------------------------------


def test_commenting_and_replying(client, user, headers):
    post = PostFactory()
    response = send(client, "post", f"{API}/posts/{post.pk}/comments", {"body": "Bravo"}, headers)
    assert response.status_code == 201, response.content
    top = response.json()
    assert top["parent_id"] is None and top["author"]["username"] == user.username
    reply = send(
        client,
        "post",
        f"{API}/posts/{post.pk}/comments",
        {"body": "Merci", "parent": top["id"]},
        headers,
    ).json()
    assert reply["parent_id"] == top["id"]
    post.refresh_from_db()
    assert post.comment_count == 2


def test_replying_to_a_comment_of_another_post_is_400(client, headers):
    post = PostFactory()
    elsewhere = CommentFactory(post=PostFactory())
    response = send(
        client,
        "post",
        f"{API}/posts/{post.pk}/comments",
        {"body": "Hi", "parent": elsewhere.pk},
        headers,
    )
    assert_error(response, 400, "invalid")
    assert not Comment.objects.filter(post=post).exists()


def test_commenting_on_a_closed_groups_post_is_404_to_non_members(client, headers):
    post = PostFactory(group=GroupFactory(visibility=Group.Visibility.PRIVATE))
    response = send(client, "post", f"{API}/posts/{post.pk}/comments", {"body": "Hi"}, headers)
    assert_error(response, 404, "not_found")
    assert not Comment.objects.exists()


def test_commenting_in_a_public_group_one_is_not_in_is_403(client, headers):
    post = PostFactory(group=GroupFactory())
    response = send(client, "post", f"{API}/posts/{post.pk}/comments", {"body": "Hi"}, headers)
    assert_error(response, 403, "forbidden")


def test_deleting_ones_comment(client, user, headers):
    comment = CommentFactory(author=user)
    url = f"{API}/posts/{comment.post_id}/comments/{comment.pk}"
    assert client.delete(url, headers=headers).status_code == 204
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_deleting_a_comment_under_the_wrong_post_is_404(client, user, headers):
    comment = CommentFactory(author=user)
    other = PostFactory()
    url = f"{API}/posts/{other.pk}/comments/{comment.pk}"
    assert_error(client.delete(url, headers=headers), 404, "not_found")
    assert Comment.objects.filter(pk=comment.pk).exists()


# Reactions -----------------------------------------------------------------------------------


def test_reacting_twice_keeps_one_reaction(client, user, headers):
    post = PostFactory()
    url = f"{API}/posts/{post.pk}/reactions"
    send(client, "post", url, {"kind": "like"}, headers)
    response = send(client, "post", url, {"kind": "like"}, headers)
    assert response.status_code == 200
    assert response.json()["reaction_counts"]["like"] == 1
    assert response.json()["my_reactions"] == ["like"]
    assert Reaction.objects.filter(post=post, user=user).count() == 1


def test_taking_a_reaction_back(client, user, headers):
    post = PostFactory()
    send(client, "post", f"{API}/posts/{post.pk}/reactions", {"kind": "clap"}, headers)
    response = client.delete(f"{API}/posts/{post.pk}/reactions/clap", headers=headers)
    assert response.json() == {
        "reaction_counts": {"like": 0, "love": 0, "clap": 0, "idea": 0, "laugh": 0},
        "my_reactions": [],
    }
    assert not Reaction.objects.exists()


def test_an_unknown_reaction_is_400(client, headers):
    post = PostFactory()
    response = send(client, "post", f"{API}/posts/{post.pk}/reactions", {"kind": "angry"}, headers)
    assert_error(response, 400, "invalid")
    assert not Reaction.objects.exists()


def test_the_feed_shows_ones_own_reactions(client, user, headers):
    post = PostFactory(author=user)
    send(client, "post", f"{API}/posts/{post.pk}/reactions", {"kind": "love"}, headers)
    other = UserFactory()
    assert client.get(f"{API}/posts/{post.pk}", headers=headers).json()["my_reactions"] == ["love"]
    assert client.get(f"{API}/posts/{post.pk}", headers=bearer(other)).json()["my_reactions"] == []
