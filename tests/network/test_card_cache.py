"""The feed's cards come from a fragment cache (network/templatetags/post_cards.py): a card is
rendered once and served again to every viewer who would see the same HTML, and a change of
anything it shows (an edit, a tag, a reaction, a comment, a moderation hide, the language,
the viewer) shows at once. The CSRF token and the page's address are the request's own."""

import re

import pytest
from django.test import Client

from network.models import Group, Post, Reaction
from network.services import moderation
from network.services.posts import add_comment, edit_post, react
from network.templatetags import post_cards
from tests.content import factories_pages as pages
from tests.factories import UserFactory
from tests.network.factories import GroupFactory, PostFactory, add_member


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def card(client, post, url="/feed/"):
    """The HTML of `post`'s card on the page at `url` ("" when it is not there)."""
    response = client.get(url)
    assert response.status_code == 200
    found = re.search(
        rf'<article class="post-card" id="post-{post.pk}".*?</article>',
        response.content.decode(),
        re.S,
    )
    return found.group(0) if found else ""


@pytest.fixture
def renders(monkeypatch):
    """Counts the cards rendered (the cache's misses)."""
    made = []
    original = post_cards._render

    def counting(entry, who, request):
        made.append(entry.pk)
        return original(entry, who, request)

    monkeypatch.setattr(post_cards, "_render", counting)
    return made


@pytest.fixture
def group(user):
    group = GroupFactory(visibility=Group.Visibility.PUBLIC)
    add_member(group, user)
    return group


@pytest.fixture
def author(group):
    author = UserFactory()
    add_member(group, author)
    return author


@pytest.fixture
def post(group, author):
    return PostFactory(author=author, group=group, body="<p>Texte d’origine</p>")


def test_cards_are_rendered_once_and_shared_by_viewers_who_see_the_same(user, group, post, renders):
    other = UserFactory()
    add_member(group, other)
    first = card(signed_in(user), post)
    assert "Texte d’origine" in first
    assert renders == [post.pk]
    assert card(signed_in(user), post)
    assert card(signed_in(other), post)
    assert renders == [post.pk]  # the two later pages: cache reads only


def test_a_feed_page_reads_its_cards_in_one_cache_request(user, group, author, monkeypatch):
    for _ in range(4):
        PostFactory(author=author, group=group)
    pages.story(pages.story_index(), "Marché de Noël")
    client = signed_in(user)
    client.get("/feed/")
    asked = []
    original = post_cards.get_many_by_content

    def get_many(keys, *args, **kwargs):
        asked.append(len(keys))
        return original(keys, *args, **kwargs)

    monkeypatch.setattr(post_cards, "get_many_by_content", get_many)
    content = client.get("/feed/").content.decode()
    assert "Marché de Noël" in content
    assert asked == [5]  # four posts and the story, in one request


def test_an_edit_shows_at_once(user, author, post):
    client = signed_in(user)
    assert "Texte d’origine" in card(client, post)
    edit_post(actor=author, post=post, body="Texte corrigé")
    shown = card(client, post)
    assert "Texte corrigé" in shown
    assert "Texte d’origine" not in shown
    assert "post-card__edited" in shown


def test_new_tags_show_even_when_the_text_is_the_same(user, author, post):
    client = signed_in(user)
    assert "#vendanges" not in card(client, post)
    edit_post(actor=author, post=post, body="Texte d’origine", tags=["vendanges"])
    assert "#vendanges" in card(client, post)


def test_a_new_reaction_and_a_new_comment_change_the_counts(user, group, post):
    client = signed_in(user)
    before = card(client, post)
    assert "1 commentaire" not in before
    other = UserFactory()
    add_member(group, other)
    react(actor=other, post=post, kind=Reaction.Kind.LIKE)
    add_comment(actor=other, post=post, body="Bien vu")
    shown = card(client, post)
    assert re.search(r'value="like"[^>]*>.*?data-count>1</span>', shown, re.S)
    assert "1 commentaire" in shown
    assert "reaction--mine" not in shown  # the other member's reaction, not the viewer's


def test_a_viewers_own_reaction_is_theirs_alone(user, group, post):
    other = UserFactory()
    add_member(group, other)
    react(actor=user, post=post, kind=Reaction.Kind.LIKE)
    mine = card(signed_in(user), post)
    theirs = card(signed_in(other), post)
    assert 'reaction--like reaction--mine" aria-pressed="true"' in mine
    assert "reaction--mine" not in theirs
    assert 'aria-pressed="true"' not in theirs
    assert "data-count>1</span>" in theirs  # the same count for both


@pytest.mark.parametrize("author_first", [True, False], ids=["author first", "reader first"])
def test_only_the_author_sees_edit_and_delete(user, author, post, author_first):
    edit_url = f"/posts/{post.pk}/edit/"
    clients = [signed_in(author), signed_in(user)]
    cards = [card(client, post) for client in (clients if author_first else clients[::-1])]
    author_card, reader_card = cards if author_first else cards[::-1]
    assert edit_url in author_card
    assert edit_url not in reader_card
    assert "Texte d’origine" in reader_card


def test_a_post_hidden_by_reports_leaves_the_feed_and_shows_its_status_to_its_author(
    user, author, post
):
    reader, writer = signed_in(user), signed_in(author)
    assert "Texte d’origine" in card(reader, post)
    assert "post-card__status" not in card(writer, post)
    for _ in range(moderation.HIDE_AFTER_REPORTS):
        moderation.report(actor=UserFactory(), target=post, reason="spam", explanation="Pub")
    assert Post.objects.get(pk=post.pk).status == Post.Status.HIDDEN
    assert card(reader, post) == ""
    hidden = card(writer, post)
    assert "post-card__status" in hidden
    assert "Masquée" in hidden


def test_the_language_of_the_page_is_the_language_of_its_cards(user, post):
    client = signed_in(user)
    french = card(client, post)
    assert "0 commentaire" in french
    assert "Partager" in french
    english = card(client, post, url="/en/feed/")
    assert "0 comments" in english
    assert ">Share<" in english
    assert f'href="/en/posts/{post.pk}/"' in english
    assert "Partager" in card(client, post)  # and back


def test_the_csrf_token_in_a_card_is_the_viewers_own(user, group, author, post):
    card(signed_in(author), post)  # the author fills the cache first
    reader = signed_in(user, enforce_csrf_checks=True)
    shown = card(reader, post)
    assert post_cards.CSRF_MARK not in shown
    assert post_cards.NEXT_MARK not in shown
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', shown).group(1)
    response = reader.post(
        f"/posts/{post.pk}/react/",
        {"csrfmiddlewaretoken": token, "kind": "like", "next": "/feed/"},
    )
    assert response.status_code == 302
    assert Reaction.objects.filter(post=post, user=user, kind="like").exists()
    stranger = signed_in(UserFactory(), enforce_csrf_checks=True)
    stranger.get("/feed/")  # a session and CSRF cookie of their own
    # The token is masked per request but tied to the reader's secret: nobody else's.
    refused = stranger.post(f"/posts/{post.pk}/react/", {"csrfmiddlewaretoken": token})
    assert refused.status_code == 403


def test_the_form_returns_to_the_page_it_is_on(user, group, post):
    client = signed_in(user)
    assert 'name="next" value="/feed/"' in card(client, post)
    on_group = card(client, post, url=f"/groups/{group.slug}/?x=1&y=2")
    assert f'name="next" value="/groups/{group.slug}/?x=1&amp;y=2"' in on_group


def test_a_post_that_contains_a_placeholder_keeps_its_text(user, author, group):
    post = PostFactory(
        author=author,
        group=group,
        body=f"<p>{post_cards.CSRF_MARK} {post_cards.NEXT_MARK}</p>",
    )
    shown = card(signed_in(user), post)
    assert f"<p>{post_cards.CSRF_MARK} {post_cards.NEXT_MARK}</p>" in shown
    assert 'name="csrfmiddlewaretoken" value="' in shown
    assert 'name="next" value="/feed/"' in shown


def test_a_visitor_and_a_member_get_their_own_card_on_a_group_page(client, user, group, post):
    url = f"/groups/{group.slug}/"
    anonymous = card(client, post, url=url)
    assert "Texte d’origine" in anonymous
    assert "<form" not in anonymous
    member = card(signed_in(user), post, url=url)
    assert "<form" in member
    assert "<form" not in card(client, post, url=url)


def test_the_profile_page_shows_an_edit_too(user, author):
    profile_post = PostFactory(author=author, body="<p>Sur mon profil</p>")
    client = signed_in(user)
    url = f"/people/{author.username}/"
    assert "Sur mon profil" in card(client, profile_post, url=url)
    edit_post(actor=author, post=profile_post, body="Profil corrigé")
    assert "Profil corrigé" in card(client, profile_post, url=url)


def test_a_republished_story_shows_its_new_title(user, django_capture_on_commit_callbacks):
    story = pages.story(pages.story_index(), "Avant")
    client = signed_in(user)
    assert "Avant" in client.get("/feed/").content.decode()
    story.title = "Après"
    # The feed's newest hub entries are cached until a publication commits.
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    content = client.get("/feed/").content.decode()
    assert "Après" in content
    assert ">Avant<" not in content
