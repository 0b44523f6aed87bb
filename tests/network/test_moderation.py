"""Moderation (issue 6): reports gathered into cases, decisions with a statement of reasons,
complaints decided by another moderator, the queue pages and the API."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import Group as AuthGroup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from network.models import (
    Case,
    Complaint,
    Decision,
    GroupBan,
    GroupMembership,
    Notification,
    NotificationKind,
    PersonalAccessToken,
    Post,
    Report,
)
from network.services import moderation as services
from network.services.tokens import create_token
from tests.factories import UserFactory
from tests.network.factories import CommentFactory, GroupFactory, PostFactory, add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(username="agence", is_staff=True)


@pytest.fixture
def other_staff():
    user = UserFactory(username="second")
    user.groups.add(AuthGroup.objects.get_or_create(name="Moderators")[0])
    return user


@pytest.fixture
def nina():
    return UserFactory(username="nina")


@pytest.fixture
def post(nina):
    return PostFactory(author=nina, body="<p>Achetez ici</p>", body_text="Achetez ici")


def _report(actor, target, reason="spam", **kwargs):
    return services.report(actor=actor, target=target, reason=reason, explanation="Pub", **kwargs)


def _decide(actor, case, action="remove", **kwargs):
    return services.decide(
        actor=actor, case=case, action=action, facts="Publicité", ground="Règle 2", **kwargs
    )


# Reports -------------------------------------------------------------------------------------


def test_reports_on_one_item_gather_into_one_case(post):
    _report(UserFactory(), post)
    _report(UserFactory(), post, reason="harassment")
    assert Case.objects.count() == 1
    case = Case.objects.get()
    assert case.report_count == 2
    assert case.kind == "post"
    assert case.target_author == post.author
    assert "Achetez" in case.preview


def test_same_member_reporting_twice_adds_nothing(post):
    member = UserFactory()
    first = _report(member, post)
    second = _report(member, post, reason="other")
    assert first.pk == second.pk
    assert Report.objects.count() == 1
    assert Case.objects.get().report_count == 1


def test_anonymous_report_with_name_and_email(post):
    created = _report(AnonymousUser(), post, name="Léa", email="lea@example.org")
    assert created.reporter is None
    assert created.reporter_email == "lea@example.org"


def test_report_on_an_invisible_item_is_404(nina):
    group = GroupFactory(visibility="secret", join_policy="invite")
    add_member(group, nina)
    secret_post = PostFactory(author=nina, group=group)
    with pytest.raises(NotFound):
        _report(UserFactory(), secret_post)
    with pytest.raises(NotFound):
        _report(AnonymousUser(), nina)  # members are for signed-in members
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"reason": "rude"},
        {"reason": "spam", "explanation": "x" * 2001},
    ],
)
def test_bad_reason_or_long_explanation_is_400(post, kwargs):
    kwargs.setdefault("explanation", "Pub")
    with pytest.raises(InvalidInput):
        services.report(actor=UserFactory(), target=post, **kwargs)
    assert not Case.objects.exists()


def test_illegal_content_notice_needs_art16_fields(post):
    with pytest.raises(InvalidInput):
        _report(AnonymousUser(), post, reason="illegal", name="Léa", email="lea@example.org")
    notice = _report(
        AnonymousUser(),
        post,
        reason="illegal",
        name="Léa",
        email="lea@example.org",
        url="https://example.org/posts/1/",
        good_faith=True,
    )
    assert notice.good_faith


def test_three_distinct_members_hide_the_item_until_a_decision(post, staff):
    for _i in range(2):
        _report(UserFactory(), post)
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    _report(UserFactory(), post)
    post.refresh_from_db()
    assert post.status == Post.Status.HIDDEN
    case = Case.objects.get()
    assert case.auto_hidden
    _decide(staff, case, "dismiss")
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED


def test_comments_are_hidden_too(staff):
    comment = CommentFactory()
    for _i in range(3):
        _report(UserFactory(), comment)
    comment.refresh_from_db()
    assert comment.status == Post.Status.HIDDEN


# Decisions -----------------------------------------------------------------------------------


def test_remove_applies_and_notifies_author_and_reporters(
    post, staff, nina, django_capture_on_commit_callbacks
):
    reporter = UserFactory()
    _report(reporter, post)
    case = Case.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        decision = _decide(staff, case)
    post.refresh_from_db()
    case.refresh_from_db()
    assert post.status == Post.Status.HIDDEN
    assert case.status == Case.Status.DECIDED
    assert decision.affected == nina
    assert decision.redress  # how to contest, by default
    assert Notification.objects.filter(
        recipient=nina, kind=NotificationKind.MODERATION_DECISION
    ).exists()
    assert Notification.objects.filter(
        recipient=reporter, kind=NotificationKind.MODERATION_OUTCOME
    ).exists()
    with pytest.raises(Conflict):
        _decide(staff, case)


def test_suspend_ends_sessions_and_tokens(post, staff, nina, client):
    client.force_login(nina)
    token, _raw = create_token(actor=nina, name="t")
    _report(UserFactory(), post)
    until = timezone.now() + timedelta(days=7)
    _decide(staff, Case.objects.get(), "suspend", suspended_until=until)
    nina.refresh_from_db()
    assert nina.is_suspended
    assert PersonalAccessToken.objects.get(pk=token.pk).revoked_at is not None
    response = client.get(reverse("network:notifications"))
    assert response.status_code == 302  # signed out


def test_suspend_needs_an_end(post, staff):
    _report(UserFactory(), post)
    with pytest.raises(InvalidInput):
        _decide(staff, Case.objects.get(), "suspend")


def test_group_moderator_decides_only_their_group(nina):
    group, other = GroupFactory(), GroupFactory()
    moderator = UserFactory()
    add_member(group, moderator, role=GroupMembership.Role.MODERATOR)
    add_member(group, nina)
    add_member(other, nina)
    mine = PostFactory(author=nina, group=group)
    theirs = PostFactory(author=nina, group=other)
    _report(UserFactory(), mine)
    _report(UserFactory(), theirs)
    other_case = Case.objects.get(target_id=theirs.pk)
    with pytest.raises(NotAllowed):
        _decide(moderator, other_case)
    other_case.refresh_from_db()
    theirs.refresh_from_db()
    assert other_case.status == Case.Status.OPEN
    assert theirs.status == Post.Status.PUBLISHED
    until = timezone.now() + timedelta(days=1)
    with pytest.raises(NotAllowed):  # a whole account: agency moderators only
        _decide(moderator, Case.objects.get(target_id=mine.pk), "suspend", suspended_until=until)
    _decide(moderator, Case.objects.get(target_id=mine.pk), "ban_from_group")
    assert GroupBan.objects.filter(group=group, user=nina).exists()


def test_nobody_decides_a_case_about_themselves(staff, client):
    group = GroupFactory()
    moderator = add_member(group, role=GroupMembership.Role.MODERATOR).user
    own = PostFactory(author=moderator, group=group)
    for _ in range(3):
        _report(add_member(group).user, own)
    case = Case.objects.get(target_id=own.pk)
    with pytest.raises(NotAllowed):
        _decide(moderator, case, "dismiss")
    own.refresh_from_db()
    assert own.status == Post.Status.HIDDEN  # still hidden by the three-report rule
    client.force_login(moderator)
    queue = client.get(reverse("network:group_moderation", args=[group.slug]))
    assert queue.context["cases"] == [] or not list(queue.context["cases"])
    assert client.get(reverse("network:moderation_case", args=[case.pk])).status_code == 403
    _decide(staff, case, "dismiss")  # someone else can


def test_a_moderator_cannot_decide_their_own_complaint(staff):
    group = GroupFactory()
    first, second = (add_member(group, role=GroupMembership.Role.MODERATOR).user for _ in range(2))
    theirs = PostFactory(author=first, group=group)
    _report(UserFactory(), theirs)
    decision = _decide(second, Case.objects.get(target_id=theirs.pk), "hide")
    complaint = services.contest(actor=first, decision=decision, text="Je conteste")
    with pytest.raises(NotAllowed):  # the one who complains
        services.decide_complaint(actor=first, complaint=complaint, outcome="reversed")
    with pytest.raises(NotAllowed):  # the one who decided
        services.decide_complaint(actor=second, complaint=complaint, outcome="reversed")
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.OPEN
    services.decide_complaint(actor=staff, complaint=complaint, outcome="upheld")


def test_group_moderators_do_not_see_who_reported(client, staff):
    group = GroupFactory()
    moderator = add_member(group, role=GroupMembership.Role.MODERATOR).user
    post = PostFactory(group=group, author=add_member(group).user)
    reporter = add_member(group, UserFactory(username="temoin")).user
    _report(reporter, post)
    _report(AnonymousUser(), post, name="Léa Martin", email="lea@example.org")
    case = Case.objects.get()
    url = reverse("network:moderation_case", args=[case.pk])
    client.force_login(moderator)
    page = client.get(url).content.decode()
    assert "temoin" not in page and "Léa Martin" not in page and "lea@example.org" not in page
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert "Léa Martin" in page and "lea@example.org" in page


def test_decisions_on_items_found_by_the_site_are_marked_automated(post, staff):
    for _ in range(3):
        _report(UserFactory(), post)
    decision = _decide(staff, Case.objects.get(), "remove")
    assert decision.automated  # the three-report rule hid it first


def test_three_reports_on_a_member_hide_nothing(nina):
    for _ in range(3):
        _report(UserFactory(), nina)
    case = Case.objects.get()
    assert case.report_count == 3
    assert not case.auto_hidden


def test_a_blocked_word_edited_into_a_post_holds_it(staff, django_capture_on_commit_callbacks):
    from network.models import BlockedWord
    from network.services.posts import edit_post

    BlockedWord.objects.create(pattern="casino")
    author = UserFactory()
    post = PostFactory(author=author, body="<p>Bonjour</p>", body_text="Bonjour")
    edit_post(actor=author, post=post, body="Venez au casino")
    post.refresh_from_db()
    assert post.status == Post.Status.HELD
    case = Case.objects.get(target_id=post.pk)
    assert case.held_reason == "blocked_word"
    created = post.created_at
    with django_capture_on_commit_callbacks(execute=True):
        _decide(staff, case, "dismiss")
    post.refresh_from_db()
    assert (post.status, post.created_at) == (Post.Status.PUBLISHED, created)


def test_a_blocked_word_holds_a_comment_until_a_moderator_publishes_it(
    staff, django_capture_on_commit_callbacks
):
    from network.models import BlockedWord, Comment
    from network.services.posts import add_comment

    BlockedWord.objects.create(pattern="casino")
    post = PostFactory()
    commenter = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        comment = add_comment(actor=commenter, post=post, body="Le casino en ligne !")
    assert comment.status == Post.Status.HELD
    assert not Notification.objects.filter(recipient=post.author).exists()
    with django_capture_on_commit_callbacks(execute=True):
        _decide(staff, Case.objects.get(kind="comment"), "dismiss")
    assert Comment.objects.get(pk=comment.pk).status == Post.Status.PUBLISHED
    assert Notification.objects.filter(recipient=post.author).exists()  # the reply, now
    told = Notification.objects.get(recipient=commenter, kind="moderation_decision")
    with translation.override("en"):
        from network.services.notifications import describe

        assert "approved your comment" in describe(told.kind, actor_name="", data=told.data)


def test_member_cannot_decide(post):
    _report(UserFactory(), post)
    with pytest.raises(NotAllowed):
        _decide(UserFactory(), Case.objects.get())


# Complaints ----------------------------------------------------------------------------------


@pytest.fixture
def decision(post, staff):
    _report(UserFactory(), post)
    return _decide(staff, Case.objects.get())


def test_author_contests_once(decision, nina):
    services.contest(actor=nina, decision=decision, text="Ce n'était pas une pub")
    with pytest.raises(Conflict):
        services.contest(actor=nina, decision=decision, text="Encore")
    assert Complaint.objects.count() == 1


def test_someone_else_cannot_contest(decision):
    with pytest.raises(NotAllowed):
        services.contest(actor=UserFactory(), decision=decision, text="Non")
    assert not Complaint.objects.exists()


def test_contest_closes_after_six_months(decision, nina):
    Decision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - timedelta(days=200))
    decision.refresh_from_db()
    with pytest.raises(Conflict):
        services.contest(actor=nina, decision=decision, text="Trop tard")


def test_complaint_decided_by_another_moderator_and_reversed(decision, nina, staff, other_staff):
    complaint = services.contest(actor=nina, decision=decision, text="Erreur")
    with pytest.raises(NotAllowed):
        services.decide_complaint(actor=staff, complaint=complaint, outcome="reversed")
    services.decide_complaint(actor=other_staff, complaint=complaint, outcome="reversed")
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.REVERSED
    assert Post.objects.get(pk=decision.case.target_id).status == Post.Status.PUBLISHED
    with pytest.raises(Conflict):
        services.decide_complaint(actor=other_staff, complaint=complaint, outcome="upheld")


def test_reversed_suspension_is_lifted(post, staff, other_staff, nina):
    _report(UserFactory(), post)
    until = timezone.now() + timedelta(days=7)
    decision = _decide(staff, Case.objects.get(), "suspend", suspended_until=until)
    complaint = services.contest(actor=nina, decision=decision, text="Erreur")
    services.decide_complaint(actor=other_staff, complaint=complaint, outcome="reversed")
    nina.refresh_from_db()
    assert not nina.is_suspended


def test_registry_knows_the_builtin_kinds():
    assert {"post", "comment", "member", "organisation", "group"} <= set(services.KINDS)


# Pages ---------------------------------------------------------------------------------------


def test_visitor_reports_a_post_and_gets_an_acknowledgement(client, post):
    with translation.override("en"):
        url = reverse("network:report", args=["post", post.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"/community-rules/" in page.content
    response = client.post(
        url,
        {"reason": "spam", "explanation": "Pub", "name": "Léa", "email": "lea@example.org"},
    )
    assert response.status_code == 200
    assert b"Thank you for your report" in response.content
    assert Report.objects.get().reporter_email == "lea@example.org"


def test_report_form_refuses_illegal_without_the_notice_fields(client, post):
    url = reverse("network:report", args=["post", post.pk])
    response = client.post(url, {"reason": "illegal", "explanation": "Illégal"})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_queue_and_case_pages(client, post, staff, nina):
    _report(UserFactory(), post)
    client.force_login(nina)
    assert client.get(reverse("network:moderation_queue")).status_code == 403
    client.force_login(staff)
    page = client.get(reverse("network:moderation_queue"))
    assert page.status_code == 200
    assert b"Achetez ici" in page.content
    case = Case.objects.get()
    assert client.get(reverse("network:moderation_case", args=[case.pk])).status_code == 200
    response = client.post(
        reverse("network:moderation_case", args=[case.pk]),
        {"action": "remove", "facts": "Publicité", "ground": "Règle 2"},
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.action == "remove"
    client.force_login(nina)
    with translation.override("en"):
        page = client.get(reverse("network:moderation_decision", args=[decision.pk]))
    assert b"Statement of reasons" in page.content
    assert b"R\xc3\xa8gle 2" in page.content
    client.post(reverse("network:moderation_decision", args=[decision.pk]), {"text": "Pas une pub"})
    assert Complaint.objects.get().author == nina


def test_decision_page_is_404_for_someone_else(client, decision):
    client.force_login(UserFactory())
    url = reverse("network:moderation_decision", args=[decision.pk])
    assert client.get(url).status_code == 404


def _queue_queries(client, count):
    for _i in range(count):
        _report(UserFactory(), PostFactory())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("network:moderation_queue")).status_code == 200
    return len(queries)


def test_queue_queries_do_not_grow_with_cases(client, staff):
    client.force_login(staff)
    client.get(reverse("network:moderation_queue"))  # caches warmed (site, content types)
    five = _queue_queries(client, 5)
    fifty = _queue_queries(client, 45)
    assert Case.objects.count() == 50
    assert fifty == five
    # Twenty-five a page, oldest first: the second page holds the next twenty-five.
    first = client.get(reverse("network:moderation_queue"))
    second = client.get(reverse("network:moderation_queue") + "?page=2")
    assert len(first.context["cases"]) == len(second.context["cases"]) == 25
    assert not {c.pk for c in first.context["cases"]} & {c.pk for c in second.context["cases"]}
    assert 'rel="next"' in first.content.decode()


def test_group_queue_shows_only_its_group(client, nina):
    group, other = GroupFactory(), GroupFactory()
    moderator = UserFactory()
    add_member(group, moderator, role=GroupMembership.Role.MODERATOR)
    for g, text in ((group, "dansmongroupe"), (other, "ailleurs")):
        add_member(g, nina)
        _report(UserFactory(), PostFactory(author=nina, group=g, body_text=text))
    client.force_login(moderator)
    page = client.get(reverse("network:group_moderation", args=[group.slug]))
    assert b"dansmongroupe" in page.content
    assert b"ailleurs" not in page.content
    assert client.get(reverse("network:group_moderation", args=[other.slug])).status_code == 403
    other_case = Case.objects.get(group=other)
    response = client.post(
        reverse("network:moderation_case", args=[other_case.pk]),
        {"action": "remove", "facts": "x", "ground": "y"},
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


# API -----------------------------------------------------------------------------------------


def test_api_report_decide_and_contest(client, post, staff, nina):
    response = client.post(
        "/api/v1/reports",
        {"kind": "post", "id": post.pk, "reason": "spam", "explanation": "Pub"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    bad = client.post(
        "/api/v1/reports",
        {"kind": "post", "id": post.pk, "reason": "rude"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["code"]
    long = client.post(
        "/api/v1/reports",
        {"kind": "post", "id": post.pk, "reason": "spam", "explanation": "x" * 2001},
        content_type="application/json",
    )
    assert long.status_code == 400
    case_id = response.json()["case"]

    client.force_login(nina)
    assert client.get("/api/v1/moderation/cases").status_code == 403
    client.force_login(staff)
    cases = client.get("/api/v1/moderation/cases").json()
    assert [item["id"] for item in cases["items"]] == [case_id]
    assert cases["next"] is None
    decided = client.post(
        f"/api/v1/moderation/cases/{case_id}/decision",
        {"action": "hide", "facts": "Pub", "ground": "Règle 2"},
        content_type="application/json",
    )
    assert decided.status_code == 201, decided.content

    client.force_login(UserFactory())
    other = client.post(
        f"/api/v1/moderation/cases/{case_id}/complaint",
        {"text": "Non"},
        content_type="application/json",
    )
    assert other.status_code == 404
    client.force_login(nina)
    url = f"/api/v1/moderation/cases/{case_id}/complaint"
    complaint = client.post(url, {"text": "Erreur"}, content_type="application/json")
    assert complaint.status_code == 201, complaint.content
    again = client.post(url, {"text": "Encore"}, content_type="application/json")
    assert again.status_code == 409


def test_api_report_on_invisible_item_is_404(client, nina):
    group = GroupFactory(visibility="secret", join_policy="invite")
    add_member(group, nina)
    hidden = PostFactory(author=nina, group=group)
    response = client.post(
        "/api/v1/reports",
        {"kind": "post", "id": hidden.pk, "reason": "spam"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_blocked_words():
    from network.models import BlockedWord

    BlockedWord.objects.create(pattern="casino")
    BlockedWord.objects.create(pattern=r"gagn\w+ de l'argent", is_regex=True)
    assert services.blocked_word_in("Le CASINO en ligne") == "casino"
    assert services.blocked_word_in("Gagnez de l'argent vite")
    assert services.blocked_word_in("Bonjour") is None


def test_a_blocked_word_holds_the_post_for_a_moderator_who_can_publish_it(
    staff, django_capture_on_commit_callbacks
):
    from network.models import BlockedWord
    from network.services.posts import create_post

    BlockedWord.objects.create(pattern="casino en ligne")
    group = GroupFactory()
    author = add_member(group).user
    follower = add_member(group).user
    follower.group_memberships.filter(group=group).update(follows_closely=True)
    with django_capture_on_commit_callbacks(execute=True):
        post = create_post(actor=author, body="Le meilleur CASINO en ligne !", group=group)
    assert post.status == Post.Status.HELD
    assert not Notification.objects.exists()  # nobody hears of a held post
    case = Case.objects.get(target_id=post.pk, status=Case.Status.OPEN)
    assert case.auto_hidden

    services.decide(
        actor=staff,
        case=case,
        action="dismiss",
        facts="Le mot bloqué était une citation.",
        ground="Règles de la communauté, clause 2",
    )
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert case.held_reason == "blocked_word"


@pytest.fixture
def hold_first_posts():
    from network.models import ModerationSettings

    def hold(count):
        settings = ModerationSettings.load()
        settings.held_first_posts = count
        settings.save()

    return hold


def test_first_posts_of_a_new_member_are_held_when_staff_chose_so(
    hold_first_posts, staff, django_capture_on_commit_callbacks
):
    from network.services.posts import create_post

    group = GroupFactory()
    newcomer = add_member(group).user
    follower = add_member(group).user
    follower.group_memberships.filter(group=group).update(follows_closely=True)
    hold_first_posts(0)
    assert create_post(actor=newcomer, body="Avant le réglage", group=group).status == "published"

    hold_first_posts(2)  # one published already: only the next one waits
    with django_capture_on_commit_callbacks(execute=True):
        held = create_post(actor=newcomer, body="Bonjour @" + follower.username, group=group)
    assert held.status == Post.Status.HELD
    assert not Notification.objects.filter(recipient=follower).exists()
    case = Case.objects.get(target_id=held.pk, status=Case.Status.OPEN)
    assert (case.held_reason, case.auto_hidden, case.report_count) == ("first_posts", True, 0)
    # Staff and moderators are never held, whatever the setting.
    assert create_post(actor=staff, body="Bienvenue", group=None).status == "published"

    long_ago = held.created_at
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            actor=staff,
            case=case,
            action="dismiss",
            facts="Première publication conforme.",
            ground="Règles de la communauté",
        )
    held.refresh_from_db()
    assert held.status == Post.Status.PUBLISHED
    assert held.created_at > long_ago  # published as of the approval, at the top of feeds
    # The mention and the group's close followers are told now; the author hears of it.
    assert Notification.objects.filter(recipient=follower, kind="mention").exists()
    released = Notification.objects.get(recipient=newcomer, kind="moderation_decision")
    assert released.data["released"]
    assert released.url == case.target_url

    # Two posts published now: the setting no longer holds this member.
    assert create_post(actor=newcomer, body="Et encore", group=group).status == "published"


def test_a_held_first_post_that_is_removed_stays_out_of_sight(hold_first_posts, staff):
    from network.services.posts import create_post

    hold_first_posts(1)
    newcomer = UserFactory()
    held = create_post(actor=newcomer, body="Achetez mes montres")
    services.decide(actor=staff, case=Case.objects.get(), action="remove", facts="Pub", ground="2")
    held.refresh_from_db()
    assert held.status == Post.Status.HIDDEN
    # Still held: a removed post does not count as published.
    assert create_post(actor=newcomer, body="Deuxième essai").status == Post.Status.HELD


def test_the_composer_says_a_held_post_waits(hold_first_posts, client):
    hold_first_posts(1)
    newcomer = UserFactory()
    client.force_login(newcomer)
    with translation.override("en"):
        response = client.post(
            reverse("network:post_create"), {"body": "Bonjour à tous"}, follow=True
        )
    assert response.status_code == 200
    assert "waiting for a moderator" in response.content.decode()
    assert Post.objects.get(author=newcomer).status == Post.Status.HELD


def test_the_queue_and_case_page_say_why_a_post_was_held(hold_first_posts, staff, client):
    from network.services.posts import create_post

    hold_first_posts(1)
    held = create_post(actor=UserFactory(), body="Premier message")
    case = Case.objects.get(target_id=held.pk)
    client.force_login(staff)
    with translation.override("en"):
        queue = client.get(reverse("network:moderation_queue")).content.decode()
        page = client.get(reverse("network:moderation_case", args=[case.pk])).content.decode()
    assert "Held back: one of a new member&#x27;s first posts" in queue
    assert 'data-testid="held-reason"' in page
    assert "Publish it (nothing wrong with it)" in page
    assert "No report: the site held this item back by itself." in page


def test_the_case_page_links_the_item_in_the_pages_language(post, staff, client):
    _report(UserFactory(), post)
    case = Case.objects.get()
    client.force_login(staff)
    with translation.override("en"):
        page = client.get(reverse("network:moderation_case", args=[case.pk])).content.decode()
    assert f'href="/en{case.target_url}"' in page


def test_demo_moderation_data():
    from network.demo.moderation import seed_moderation

    people = {name: UserFactory(username=name) for name in ("nina", "hugo", "camille", "agence")}
    people["agence"].is_staff = True
    people["agence"].save()
    post = PostFactory(author=people["nina"])
    CommentFactory(post=post, author=people["nina"])
    seed_moderation(people)
    seed_moderation(people)
    open_case = Case.objects.get(status=Case.Status.OPEN, held_reason="")
    assert open_case.report_count == 2
    assert Decision.objects.get().facts
    held = Case.objects.get(status=Case.Status.OPEN, held_reason="blocked_word")
    assert held.target.author == people["camille"]
    assert held.target.status == Post.Status.HELD


def test_blocked_words_and_settings_apply_at_once_though_cached(hold_first_posts):
    from network.models import BlockedWord

    assert services.blocked_word_in("Le casino") is None  # now cached
    word = BlockedWord.objects.create(pattern="casino")
    assert services.blocked_word_in("Le casino") == "casino"
    word.delete()
    assert services.blocked_word_in("Le casino") is None
    newcomer = UserFactory()
    assert services.held_reason_for(newcomer, "Bonjour") == ""
    hold_first_posts(1)
    assert services.held_reason_for(newcomer, "Bonjour") == "first_posts"


def test_the_author_is_told_when_the_three_report_rule_hides_their_post(
    post, nina, django_capture_on_commit_callbacks
):
    from network.services.notifications import describe

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            _report(UserFactory(), post)
    told = Notification.objects.get(recipient=nina, kind="moderation_decision")
    assert told.url == Case.objects.get().target_url
    with translation.override("en"):
        sentence = describe(told.kind, actor_name="", data=told.data)
    assert "hidden until a moderator reviews it: 3 members reported it" in sentence


def test_another_app_registers_a_kind_with_its_own_action(staff, client):
    """What the content hub or the campaigns will do: a kind with an action of its own,
    decided from the same queue page, applied by the kind."""
    from django.utils.translation import gettext_lazy

    from network.models import Organisation
    from tests.network.factories import OrganisationFactory

    applied = []
    kind = services.Kind(
        name="test_listing",
        model=Organisation,
        label=gettext_lazy("Directory listing"),
        actions=("dismiss", "request_changes"),
        can_see=lambda user, item: True,
        author_of=lambda item: None,
        preview_of=lambda item: item.name,
        url_of=lambda item: item.get_absolute_url(),
        apply=lambda item, action, undo: applied.append((item.pk, action, undo)),
        action_labels={"request_changes": gettext_lazy("Ask for changes")},
    )
    saved = dict(services.KINDS)
    services.KINDS.pop("organisation")  # the registry matches a model's first kind
    services.register(kind)
    try:
        listing = OrganisationFactory()
        _report(UserFactory(), listing)
        case = Case.objects.get(kind="test_listing")
        client.force_login(staff)
        url = reverse("network:moderation_case", args=[case.pk])
        with translation.override("en"):
            page = client.get(url).content.decode()
            assert "Ask for changes" in page
            response = client.post(
                url, {"action": "request_changes", "facts": "Horaires faux", "ground": "Règle 4"}
            )
            assert response.status_code == 302
            statement = client.get(url).content.decode()
        assert applied == [(listing.pk, "request_changes", False)]
        assert "Ask for changes" in statement
        with pytest.raises(InvalidInput):  # an action the kind does not have
            _decide(
                staff,
                Case.objects.create(
                    target_type=case.target_type, target_id=listing.pk + 1000, kind="test_listing"
                ),
                "suspend",
            )
    finally:
        services.KINDS.clear()
        services.KINDS.update(saved)
