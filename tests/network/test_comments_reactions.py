"""Comments with one level of replies, and reactions with their counts kept on the post."""

import threading

import pytest
from django.db import connection

from core.errors import InvalidInput, NotAllowed, NotFound, RateLimited
from network import signals
from network.models import Comment, Group, GroupMembership, Mention, Post, Reaction
from network.services.posts import (
    add_comment,
    delete_comment,
    react,
    toggle_reaction,
    unreact,
)
from tests.factories import UserFactory
from tests.network.factories import CommentFactory, GroupFactory, PostFactory, add_member
from tests.network.test_posts import XSS_VECTORS, assert_harmless


@pytest.fixture
def post(db):
    return PostFactory()


# Comments -------------------------------------------------------------------------------------


def test_a_comment_is_stored_sanitised_and_counted(user, post):
    comment = add_comment(actor=user, post=post, body="Bravo <b>vraiment</b>")
    assert comment.body == "<p>Bravo <b>vraiment</b></p>"
    post.refresh_from_db()
    assert post.comment_count == 1


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vectors_are_stored_harmless_in_a_comment(user, client, post, vector):
    comment = add_comment(actor=user, post=post, body=f"Oui {vector} non")
    assert_harmless(comment.body)
    client.force_login(user)
    page = client.get(post.get_absolute_url())
    assert_harmless(page.content.decode(), whole_page=True)


def test_a_comment_over_5000_characters_is_refused(user, post):
    with pytest.raises(InvalidInput):
        add_comment(actor=user, post=post, body="a" * 5001)
    assert not Comment.objects.exists()
    post.refresh_from_db()
    assert post.comment_count == 0


@pytest.mark.parametrize("body", ["", "  ", "<p></p>"])
def test_an_empty_comment_is_refused(user, post, body):
    with pytest.raises(InvalidInput):
        add_comment(actor=user, post=post, body=body)


def test_a_reply_attaches_to_its_comment(user, post):
    top = add_comment(actor=user, post=post, body="Question ?")
    reply = add_comment(actor=UserFactory(), post=post, body="Réponse", parent=top)
    assert reply.parent == top


def test_a_reply_to_a_reply_attaches_to_the_top_comment(user, post):
    top = add_comment(actor=user, post=post, body="Question ?")
    reply = add_comment(actor=user, post=post, body="Réponse", parent=top)
    deeper = add_comment(actor=user, post=post, body="Et encore", parent=reply)
    assert deeper.parent == top
    post.refresh_from_db()
    assert post.comment_count == 3


def test_a_reply_to_another_posts_comment_is_refused(user, post):
    elsewhere = CommentFactory()
    with pytest.raises(InvalidInput):
        add_comment(actor=user, post=post, body="Perdu", parent=elsewhere)


def test_comment_created_is_sent_after_commit(user, post, django_capture_on_commit_callbacks):
    received = []

    def receive(sender, **kwargs):
        received.append(kwargs)

    signals.comment_created.connect(receive)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            comment = add_comment(actor=user, post=post, body="Merci")
    finally:
        signals.comment_created.disconnect(receive)
    assert received[0]["comment"] == comment
    assert received[0]["actor"] == user


def test_mentions_in_a_comment_are_stored_for_readers_only(user):
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    add_member(group, user)
    hugo = add_member(group, UserFactory(username="hugo")).user
    UserFactory(username="camille")
    post = PostFactory(group=group)
    comment = add_comment(actor=user, post=post, body="@hugo et @camille, voyez")
    assert list(Mention.objects.values_list("user", "comment")) == [(hugo.pk, comment.pk)]


@pytest.mark.parametrize(
    ("visibility", "error"),
    [(Group.Visibility.PUBLIC, NotAllowed), (Group.Visibility.PRIVATE, NotFound)],
)
def test_only_members_comment_in_a_group(user, visibility, error):
    post = PostFactory(group=GroupFactory(visibility=visibility))
    with pytest.raises(error):
        add_comment(actor=user, post=post, body="Intrus")
    assert not Comment.objects.exists()


def test_a_secret_groups_post_cannot_be_commented_by_outsiders(user):
    post = PostFactory(group=GroupFactory(visibility=Group.Visibility.SECRET))
    with pytest.raises(NotFound):
        add_comment(actor=user, post=post, body="Intrus")


def test_a_held_post_cannot_be_commented(user):
    post = PostFactory(status=Post.Status.HELD, author=user)
    with pytest.raises(NotAllowed):
        add_comment(actor=user, post=post, body="Moi")


def test_commenting_is_rate_limited(user, post):
    for n in range(30):
        add_comment(actor=user, post=post, body=f"Commentaire {n}")
    with pytest.raises(RateLimited):
        add_comment(actor=user, post=post, body="De trop")


def test_deleting_a_comment_removes_its_replies_from_the_count(user, post):
    top = add_comment(actor=user, post=post, body="Question ?")
    add_comment(actor=UserFactory(), post=post, body="Réponse", parent=top)
    add_comment(actor=user, post=post, body="Autre")
    delete_comment(actor=user, comment=top)
    post.refresh_from_db()
    assert post.comment_count == 1
    assert Comment.objects.count() == 1


def test_a_group_moderator_deletes_a_comment(user):
    group = GroupFactory()
    add_member(group, user)
    moderator = add_member(group, role=GroupMembership.Role.MODERATOR).user
    post = PostFactory(group=group)
    comment = add_comment(actor=user, post=post, body="Hors sujet")
    delete_comment(actor=moderator, comment=comment)
    assert not Comment.objects.exists()


def test_someone_else_cannot_delete_a_comment(user, post):
    comment = add_comment(actor=user, post=post, body="À moi")
    with pytest.raises(NotAllowed):
        delete_comment(actor=UserFactory(), comment=comment)
    assert Comment.objects.exists()


# Comment pages


def test_the_post_page_shows_comments_and_replies_in_constant_queries(client, user, post):
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    client.get(post.get_absolute_url())  # warm the caches (site root paths, session)
    counts = []
    for _ in range(2):
        top = add_comment(actor=UserFactory(), post=post, body="Question ?")
        for _ in range(3):
            add_comment(actor=UserFactory(), post=post, body="Réponse", parent=top)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(post.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_commenting_and_replying_through_the_page(auth_client, user, post):
    response = auth_client.post(f"/posts/{post.pk}/comments/", {"body": "Super"})
    top = Comment.objects.get()
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{top.pk}"
    auth_client.post(f"/posts/{post.pk}/comments/", {"body": "Oui", "parent": top.pk})
    content = auth_client.get(post.get_absolute_url()).content.decode()
    assert "comment-list--replies" in content
    assert "Super" in content and "Oui" in content


def test_a_bad_comment_answers_400_and_keeps_the_text(auth_client, post):
    response = auth_client.post(f"/posts/{post.pk}/comments/", {"body": "a" * 5001})
    assert response.status_code == 400
    assert "trop long" in response.content.decode()  # French first: the unprefixed URL
    assert not Comment.objects.exists()


def test_commenting_in_a_group_one_is_not_in_is_403(auth_client):
    post = PostFactory(group=GroupFactory())
    assert auth_client.post(f"/posts/{post.pk}/comments/", {"body": "Intrus"}).status_code == 403
    assert not Comment.objects.exists()


def test_commenting_a_hidden_post_is_404(auth_client):
    post = PostFactory(group=GroupFactory(visibility=Group.Visibility.PRIVATE))
    assert auth_client.post(f"/posts/{post.pk}/comments/", {"body": "Intrus"}).status_code == 404
    assert not Comment.objects.exists()


def test_deleting_a_comment_through_the_page(auth_client, user, post):
    comment = add_comment(actor=user, post=post, body="Oups")
    assert auth_client.post(f"/comments/{comment.pk}/delete/").status_code == 302
    assert not Comment.objects.exists()


def test_deleting_someone_elses_comment_through_the_page_is_403(auth_client, post):
    comment = add_comment(actor=UserFactory(), post=post, body="À moi")
    assert auth_client.post(f"/comments/{comment.pk}/delete/").status_code == 403
    assert Comment.objects.exists()


# Reactions ------------------------------------------------------------------------------------


def test_reactions_are_counted_on_the_post(user, post):
    react(actor=user, post=post, kind="like")
    react(actor=UserFactory(), post=post, kind="like")
    react(actor=user, post=post, kind="clap")
    post.refresh_from_db()
    assert post.reaction_counts == {"like": 2, "clap": 1}


def test_reacting_twice_keeps_one(user, post):
    react(actor=user, post=post, kind="like")
    react(actor=user, post=post, kind="like")
    post.refresh_from_db()
    assert post.reaction_counts == {"like": 1}
    assert Reaction.objects.count() == 1


def test_a_reaction_is_taken_back(user, post):
    react(actor=user, post=post, kind="like")
    unreact(actor=user, post=post, kind="like")
    post.refresh_from_db()
    assert post.reaction_counts == {}
    assert not Reaction.objects.exists()


def test_toggle_gives_then_takes_back(user, post):
    assert toggle_reaction(actor=user, post=post, kind="love") is True
    assert toggle_reaction(actor=user, post=post, kind="love") is False
    post.refresh_from_db()
    assert post.reaction_counts == {}


def test_an_unknown_reaction_is_refused(user, post):
    with pytest.raises(InvalidInput):
        react(actor=user, post=post, kind="angry")


def test_non_members_cannot_react_in_a_group(user):
    post = PostFactory(group=GroupFactory())
    with pytest.raises(NotAllowed):
        react(actor=user, post=post, kind="like")
    assert not Reaction.objects.exists()


def test_reaction_added_is_sent_after_commit(user, post, django_capture_on_commit_callbacks):
    received = []

    def receive(sender, **kwargs):
        received.append(kwargs["reaction"])

    signals.reaction_added.connect(receive)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            reaction = react(actor=user, post=post, kind="idea")
    finally:
        signals.reaction_added.disconnect(receive)
    assert received == [reaction]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_concurrent_reactions_lose_no_update():
    """Twelve members react at the same time; the count stays exact (row lock + recount)."""
    post = PostFactory()
    users = [UserFactory() for _ in range(12)]
    barrier = threading.Barrier(len(users))
    errors = []

    def worker(member):
        from django.db import connections

        try:
            barrier.wait()
            react(actor=member, post=post, kind="like")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(member,)) for member in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    post.refresh_from_db()
    assert post.reaction_counts == {"like": 12}


def test_the_reaction_button_toggles_and_returns(auth_client, post):
    response = auth_client.post(f"/posts/{post.pk}/react/", {"kind": "clap", "next": "/feed/?x=1"})
    assert response.status_code == 302
    assert response["Location"] == f"/feed/?x=1#post-{post.pk}"
    post.refresh_from_db()
    assert post.reaction_counts == {"clap": 1}
    auth_client.post(f"/posts/{post.pk}/react/", {"kind": "clap"})
    post.refresh_from_db()
    assert post.reaction_counts == {}


def test_the_reaction_button_answers_json_to_scripts(auth_client, post):
    response = auth_client.post(
        f"/posts/{post.pk}/react/", {"kind": "like"}, headers={"Accept": "application/json"}
    )
    assert response.json() == {"kind": "like", "given": True, "counts": {"like": 1}}


def test_the_page_marks_the_viewers_own_reactions(auth_client, user, post):
    react(actor=user, post=post, kind="love")
    content = auth_client.get(post.get_absolute_url()).content.decode()
    assert "reaction--love reaction--mine" in content
    assert 'aria-pressed="true"' in content


def test_a_card_has_one_reaction_form_with_a_button_per_kind(auth_client, post):
    content = auth_client.get(f"/posts/{post.pk}/").content.decode()
    card = content.split(f'id="post-{post.pk}"', 1)[1].split("</article>", 1)[0]
    assert card.count("data-reaction-form") == 1
    assert card.count("csrfmiddlewaretoken") == 1
    assert card.count(f'action="/posts/{post.pk}/react/"') == 1
    for kind in Reaction.Kind.values:
        assert f'name="kind" value="{kind}"' in card


def test_anonymous_visitors_see_counts_without_forms(client, post):
    Reaction.objects.create(post=post, user=UserFactory(), kind="like")
    post.reaction_counts = {"like": 1}
    post.save(update_fields=["reaction_counts"])
    content = client.get(f"/posts/{post.pk}/").content.decode()
    assert "data-reaction-form" not in content
    assert "reaction--like" in content


def test_a_bad_reaction_kind_is_400(auth_client, post):
    assert auth_client.post(f"/posts/{post.pk}/react/", {"kind": "angry"}).status_code == 400
    assert not Reaction.objects.exists()


def test_reacting_to_a_hidden_post_is_404(auth_client):
    post = PostFactory(group=GroupFactory(visibility=Group.Visibility.SECRET))
    assert auth_client.post(f"/posts/{post.pk}/react/", {"kind": "like"}).status_code == 404
    assert not Reaction.objects.exists()
