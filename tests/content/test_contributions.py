"""Contributions from outside the agency: story proposals, update suggestions and the staff
queue that decides on them."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction, WorkflowState

from content.models import DestinationPage, PageUpdateSuggestion, StoryPage
from content.services import contributions as services
from content.signals import story_proposed, suggestion_decided, suggestion_submitted
from core.errors import Conflict, DomainError, NotAllowed, NotFound, RateLimited
from core.sanitizer import clean_html, clean_text
from tests.content import factories_contrib as f

pytestmark = pytest.mark.django_db

XSS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">click</a>',
    '<p onclick="alert(1)">hi</p>',
    '<svg onload="alert(1)"></svg>',
]


def image_upload(name="photo.jpg"):
    image = get_test_image_file(filename=name)
    return SimpleUploadedFile(name, image.file.getvalue(), content_type="image/png")


def disguised_upload(name="photo.jpg"):
    return SimpleUploadedFile(name, b"this is only text pretending", content_type="image/jpeg")


@pytest.fixture
def camille():
    return f.contributor("camille", display_name="Camille Rivière", preferred_language="fr")


@pytest.fixture
def agence():
    return f.moderator("agence")


@pytest.fixture
def story_index():
    return f.story_index()


@pytest.fixture
def destination():
    return f.destination()


@pytest.fixture
def received():
    """Signals sent during the test, as (signal name, kwargs)."""
    calls = []
    handlers = {}
    for name, signal in [
        ("story_proposed", story_proposed),
        ("suggestion_submitted", suggestion_submitted),
        ("suggestion_decided", suggestion_decided),
    ]:

        def handler(sender, _name=name, **kwargs):
            calls.append((_name, kwargs))

        handlers[name] = handler
        signal.connect(handler, weak=False)
    yield calls
    for name, signal in [
        ("story_proposed", story_proposed),
        ("suggestion_submitted", suggestion_submitted),
        ("suggestion_decided", suggestion_decided),
    ]:
        signal.disconnect(handlers[name])


# The sanitiser ---------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", XSS)
def test_clean_html_strips_scripts_handlers_and_javascript_links(payload):
    cleaned = clean_html(payload)
    for forbidden in ["<script", "onerror", "onclick", "onload", "javascript:", "<img", "<svg"]:
        assert forbidden not in cleaned


def test_clean_html_keeps_simple_formatting_and_marks_links_ugc():
    cleaned = clean_html('<p><strong>Fort</strong> <a href="https://example.org">site</a></p>')
    assert cleaned == (
        '<p><strong>Fort</strong> <a href="https://example.org" '
        'rel="nofollow ugc noopener">site</a></p>'
    )


@pytest.mark.parametrize("payload", [*XSS, "&lt;script&gt;alert(1)&lt;/script&gt;"])
def test_clean_text_leaves_no_tag_at_all(payload):
    assert "<" not in clean_text(payload)


# Proposing a story -----------------------------------------------------------------------------


def test_a_proposal_is_a_draft_in_the_contributions_workflow(
    camille, story_index, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = services.propose_story(
            author=camille,
            title="Les goémoniers de Morvellec",
            text="Premier paragraphe.\n\nSecond paragraphe.",
            tags=["mer", "métiers"],
        )

    page = StoryPage.objects.get(pk=page.pk)
    assert not page.live
    assert page.first_published_at is None
    assert page.has_unpublished_changes
    assert page.owner == camille and page.author == camille
    assert page.get_parent().pk == story_index.pk
    assert page.latest_revision.user == camille
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Contributions"
    assert story_index.get_workflow().name == "Contributions"
    assert state.current_task_state.task.specific.groups.filter(name="Moderators").exists()
    draft = page.get_latest_revision_as_object()
    assert [block.block_type for block in draft.body] == ["paragraph"]
    assert draft.body[0].value.source == "<p>Premier paragraphe.</p><p>Second paragraphe.</p>"
    assert sorted(draft.tags.names()) == ["mer", "métiers"]
    assert received == [
        ("story_proposed", {"signal": story_proposed, "page": page, "author": camille})
    ]


def test_a_proposal_appears_in_the_moderators_review_panel(camille, agence, story_index, client):
    page = services.propose_story(author=camille, title="Au phare", text="Un récit.")
    client.force_login(agence)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "Au phare" in response.text
    assert page.title in response.text


def test_a_proposal_is_sanitised(camille, story_index):
    text = "".join(XSS) + "<p>Le <strong>vrai</strong> texte</p>"
    page = services.propose_story(author=camille, title="<b>Titre</b> propre", text=text)
    draft = page.get_latest_revision_as_object()
    source = draft.body[0].value.source
    for forbidden in ["<script", "onerror", "onclick", "onload", "javascript:", "<img", "<svg"]:
        assert forbidden not in source
    assert "<strong>vrai</strong>" in source
    assert draft.title == "Titre propre"


def test_proposal_images_become_wagtail_images(camille, story_index):
    page = services.propose_story(
        author=camille,
        title="En images",
        text="Trois photos.",
        images=[image_upload("a.png"), image_upload("b.png")],
    )
    draft = page.get_latest_revision_as_object()
    assert draft.hero_image is not None
    assert draft.hero_image.width > 0 and draft.hero_image.file_size > 0
    assert [block.block_type for block in draft.body] == ["paragraph", "image"]
    assert get_image_model().objects.filter(uploaded_by_user=camille).count() == 2


def test_the_proposal_page_creates_a_draft_and_lists_it(camille, story_index, client):
    client.force_login(camille)
    response = client.post(
        reverse("content:propose_story"),
        {"title": "Un été à Morvellec", "text": "Bonjour", "tags": "mer, été", "images": []},
    )
    assert response.status_code == 302
    assert response.url == reverse("content:story_proposals")
    page = StoryPage.objects.get(title="Un été à Morvellec")
    assert not page.live
    listing = client.get(response.url)
    assert "Un été à Morvellec" in listing.text


def test_a_non_contributor_may_not_propose_a_story(auth_client, user, story_index):
    assert auth_client.get(reverse("content:propose_story")).status_code == 403
    response = auth_client.post(reverse("content:propose_story"), {"title": "T", "text": "x"})
    assert response.status_code == 403
    assert not StoryPage.objects.exists()
    with pytest.raises(NotAllowed):
        services.propose_story(author=user, title="T", text="x")


def test_an_anonymous_visitor_is_sent_to_log_in(client, story_index):
    response = client.get(reverse("content:propose_story"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_a_disguised_image_is_refused_and_nothing_is_created(camille, story_index, client):
    client.force_login(camille)
    response = client.post(
        reverse("content:propose_story"),
        {"title": "Piège", "text": "Texte", "images": [disguised_upload("plage.jpg")]},
    )
    assert response.status_code == 200
    assert "plage.jpg" in response.text
    assert "Ce fichier n&#x27;est pas une image valide." in response.text
    assert not StoryPage.objects.exists()
    assert not get_image_model().objects.exists()


def test_more_than_three_images_are_refused(camille, story_index, client):
    client.force_login(camille)
    response = client.post(
        reverse("content:propose_story"),
        {"title": "Trop", "text": "Texte", "images": [image_upload(f"{n}.png") for n in range(4)]},
    )
    assert response.status_code == 200
    assert not StoryPage.objects.exists()


def test_the_service_refuses_a_disguised_image_too(camille, story_index):
    with pytest.raises(DomainError):
        services.propose_story(author=camille, title="T", text="x", images=[disguised_upload()])
    assert not StoryPage.objects.exists()


# Suggesting an update --------------------------------------------------------------------------


def test_a_contributor_suggests_an_update(
    camille, destination, client, received, django_capture_on_commit_callbacks
):
    client.force_login(camille)
    url = reverse("content:suggest_update", args=[destination.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "what_is_wrong": "Le parking est <b>payant</b> depuis mai.",
                "proposed_text": "Parking payant <script>alert(1)</script>d'avril à septembre.",
                "photo": image_upload("parking.png"),
            },
        )
    assert response.status_code == 302
    suggestion = PageUpdateSuggestion.objects.get()
    assert suggestion.status == PageUpdateSuggestion.Status.PENDING
    assert suggestion.author == camille and suggestion.page_id == destination.pk
    assert suggestion.what_is_wrong == "Le parking est payant depuis mai."
    assert "<" not in suggestion.proposed_text
    assert suggestion.photo is not None
    assert received == [
        ("suggestion_submitted", {"signal": suggestion_submitted, "suggestion": suggestion})
    ]
    mine = client.get(reverse("content:my_suggestions"))
    assert "Pointe du Raz" in mine.text


def test_a_disguised_photo_is_refused(camille, destination, client):
    client.force_login(camille)
    response = client.post(
        reverse("content:suggest_update", args=[destination.pk]),
        {"what_is_wrong": "Photo", "photo": disguised_upload()},
    )
    assert response.status_code == 200
    assert "field--error" in response.text
    assert not PageUpdateSuggestion.objects.exists()


def test_a_suggestion_on_an_unpublished_page_is_not_found(camille, client):
    draft = f.destination(title="Brouillon", live=False)
    client.force_login(camille)
    url = reverse("content:suggest_update", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"what_is_wrong": "x"}).status_code == 404
    with pytest.raises(NotFound):
        services.submit_suggestion(author=camille, page=draft, what_is_wrong="x")
    assert not PageUpdateSuggestion.objects.exists()


@pytest.mark.parametrize(
    "restriction",
    [
        {"restriction_type": PageViewRestriction.PASSWORD, "password": "secret"},
        {"restriction_type": PageViewRestriction.GROUPS},
    ],
)
def test_a_suggestion_on_a_restricted_page_is_not_found(camille, destination, client, restriction):
    view_restriction = PageViewRestriction.objects.create(page=destination, **restriction)
    if restriction["restriction_type"] == PageViewRestriction.GROUPS:
        view_restriction.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(camille)
    url = reverse("content:suggest_update", args=[destination.pk])
    assert client.post(url, {"what_is_wrong": "x"}).status_code == 404
    assert not PageUpdateSuggestion.objects.exists()


def test_a_suggestion_on_an_unknown_page_is_not_found(camille, client):
    client.force_login(camille)
    assert client.get(reverse("content:suggest_update", args=[999999])).status_code == 404


def test_any_signed_in_member_may_suggest_and_it_waits_for_staff(auth_client, user, destination):
    """Not only contributors: a business member suggests too, and the page is unchanged
    until staff accept it."""
    url = reverse("content:suggest_update", args=[destination.pk])
    assert auth_client.get(url).status_code == 200

    response = auth_client.post(url, {"what_is_wrong": "Le port a un nouveau ponton."})

    assert response.status_code == 302
    suggestion = PageUpdateSuggestion.objects.get()
    assert (suggestion.author, suggestion.status) == (user, PageUpdateSuggestion.Status.PENDING)
    assert suggestion in services.pending_suggestions()
    assert DestinationPage.objects.get(pk=destination.pk).intro == destination.intro


def test_a_suspended_member_may_not_suggest(client, destination):
    suspended = f.person("suspendu", suspended_until=timezone.now() + timedelta(days=1))
    client.force_login(suspended)
    url = reverse("content:suggest_update", args=[destination.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"what_is_wrong": "x"}).status_code == 403
    with pytest.raises(NotAllowed):
        services.submit_suggestion(author=suspended, page=destination, what_is_wrong="x")
    assert not PageUpdateSuggestion.objects.exists()


def test_suggestions_are_capped_per_hour(user, destination):
    for number in range(services.SUGGESTIONS_PER_HOUR):
        services.submit_suggestion(author=user, page=destination, what_is_wrong=f"Point {number}")

    with pytest.raises(RateLimited):
        services.submit_suggestion(author=user, page=destination, what_is_wrong="Encore")
    assert PageUpdateSuggestion.objects.count() == services.SUGGESTIONS_PER_HOUR


def test_page_actions_show_the_button_to_every_signed_in_member(camille, user, destination, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    def render(who):
        request = rf.get(destination.url)
        request.user = who
        return render_to_string(
            "content/includes/page_actions.html", {"page": destination, "request": request}
        )

    assert reverse("content:suggest_update", args=[destination.pk]) in render(camille)
    assert reverse("content:suggest_update", args=[destination.pk]) in render(user)
    anonymous = render(AnonymousUser())
    assert "suggest-update" not in anonymous
    assert "/accounts/login/?next=" in anonymous


# Deciding --------------------------------------------------------------------------------------


@pytest.fixture
def suggestion(camille, destination):
    return services.submit_suggestion(
        author=camille,
        page=destination,
        what_is_wrong="Le parking est payant.",
        proposed_text="Parking payant d'avril à septembre.",
    )


def test_accepting_publishes_a_new_revision_and_notifies(
    agence, camille, suggestion, destination, received, django_capture_on_commit_callbacks
):
    DestinationPage.objects.filter(pk=destination.pk).update(last_reviewed_at="2020-01-01")
    revisions_before = destination.revisions.count()
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_suggestion(
            actor=agence, suggestion=suggestion, text="Parking payant d'avril à octobre."
        )

    page = DestinationPage.objects.get(pk=destination.pk)
    assert page.intro == "Parking payant d'avril à octobre."
    assert page.last_reviewed_at == f.today()
    assert page.live and not page.has_unpublished_changes
    assert page.revisions.count() == revisions_before + 1
    assert page.live_revision.user == agence
    suggestion.refresh_from_db()
    assert suggestion.status == PageUpdateSuggestion.Status.ACCEPTED
    assert suggestion.decided_by == agence and suggestion.decided_at is not None
    assert [name for name, _ in received] == ["suggestion_decided"]
    assert received[0][1]["suggestion"] == suggestion
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [camille.email]
    assert "Pointe du Raz" in mail.outbox[0].subject


def test_the_decision_mail_speaks_the_contributors_language(
    agence, camille, suggestion, django_capture_on_commit_callbacks
):
    camille.preferred_language = "en"
    camille.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_suggestion(actor=agence, suggestion=suggestion, reason="Already fixed.")
    assert mail.outbox[0].subject == "Your suggestion for “Pointe du Raz” was declined"
    assert "Already fixed." in mail.outbox[0].body


def test_declining_requires_a_reason(agence, suggestion):
    with pytest.raises(DomainError):
        services.decline_suggestion(actor=agence, suggestion=suggestion, reason="  <b></b> ")
    suggestion.refresh_from_db()
    assert suggestion.status == PageUpdateSuggestion.Status.PENDING


def test_declining_keeps_the_page_and_shows_the_reason_to_the_contributor(
    agence, camille, suggestion, destination, client, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_suggestion(
            actor=agence, suggestion=suggestion, reason="Le parking reste gratuit en hiver."
        )
    assert DestinationPage.objects.get(pk=destination.pk).intro == destination.intro
    assert [name for name, _ in received] == ["suggestion_decided"]
    assert len(mail.outbox) == 1
    client.force_login(camille)
    page = client.get(reverse("content:my_suggestions")).text
    assert "Le parking reste gratuit en hiver." in page


def test_a_second_decision_is_a_conflict(agence, suggestion):
    services.decline_suggestion(actor=agence, suggestion=suggestion, reason="Non.")
    with pytest.raises(Conflict):
        services.accept_suggestion(actor=agence, suggestion=suggestion, text="Autre texte")
    with pytest.raises(Conflict):
        services.decline_suggestion(actor=agence, suggestion=suggestion, reason="Encore")


def test_a_second_decision_in_the_admin_answers_409(agence, suggestion, destination, client):
    services.decline_suggestion(actor=agence, suggestion=suggestion, reason="Non.")
    client.force_login(agence)
    response = client.post(
        reverse("content_suggestions:decide", args=[suggestion.pk]),
        {"action": "accept", "text": "Autre texte"},
    )
    assert response.status_code == 409
    assert DestinationPage.objects.get(pk=destination.pk).intro == destination.intro


@pytest.mark.parametrize("who", ["contributor", "editor"])
def test_staff_who_cannot_publish_may_not_decide(who, camille, suggestion, destination, client):
    actor = camille if who == "contributor" else f.person("editeur", "Editors")
    with pytest.raises(NotAllowed):
        services.accept_suggestion(actor=actor, suggestion=suggestion, text="Piraté")
    with pytest.raises(NotAllowed):
        services.decline_suggestion(actor=actor, suggestion=suggestion, reason="Non")
    client.force_login(actor)
    client.post(
        reverse("content_suggestions:decide", args=[suggestion.pk]),
        {"action": "accept", "text": "Piraté"},
    )
    suggestion.refresh_from_db()
    assert suggestion.status == PageUpdateSuggestion.Status.PENDING
    page = DestinationPage.objects.get(pk=destination.pk)
    assert page.intro == destination.intro
    assert page.revisions.count() == destination.revisions.count()


def test_the_admin_accepts_with_the_moderated_text(agence, suggestion, destination, client):
    client.force_login(agence)
    url = reverse("content_suggestions:decide", args=[suggestion.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "Parking payant d&#x27;avril à septembre." in form.text
    response = client.post(url, {"action": "accept", "text": "Texte revu par l'agence."})
    assert response.status_code == 302
    assert DestinationPage.objects.get(pk=destination.pk).intro == "Texte revu par l'agence."


def test_the_admin_decline_form_requires_a_reason(agence, suggestion, client):
    client.force_login(agence)
    response = client.post(
        reverse("content_suggestions:decide", args=[suggestion.pk]), {"action": "decline"}
    )
    assert response.status_code == 400
    suggestion.refresh_from_db()
    assert suggestion.status == PageUpdateSuggestion.Status.PENDING


def queue_queries(client, count, camille, destination):
    PageUpdateSuggestion.objects.bulk_create(
        PageUpdateSuggestion(page=destination, author=camille, what_is_wrong=f"n°{n}")
        for n in range(count)
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("content_suggestions:index"))
    assert response.status_code == 200
    assert response.text.count('data-testid="suggestion-queue"') == 1
    PageUpdateSuggestion.objects.all().delete()
    return len(queries)


def test_the_queue_costs_the_same_for_5_and_50_suggestions(agence, camille, destination, client):
    client.force_login(agence)
    client.get(reverse("content_suggestions:index"))  # warm per-process caches
    assert queue_queries(client, 5, camille, destination) == queue_queries(
        client, 50, camille, destination
    )


def test_the_pending_selector_reads_any_number_in_one_query(
    camille, destination, django_assert_num_queries
):
    PageUpdateSuggestion.objects.bulk_create(
        PageUpdateSuggestion(page=destination, author=camille, what_is_wrong=f"n°{n}")
        for n in range(30)
    )
    # Expect 1 query: suggestions joined with their page, author and photo.
    with django_assert_num_queries(1):
        rows = [
            (s.page.title, s.author.get_display_name(), s.photo)
            for s in services.pending_suggestions()
        ]
    assert len(rows) == 30


def test_the_queue_is_for_moderators_only(camille, client):
    client.force_login(camille)
    response = client.get(reverse("content_suggestions:index"))
    assert response.status_code in (302, 403)


def test_the_admin_menu_lists_suggestions_for_moderators(agence, client):
    client.force_login(agence)
    assert reverse("content_suggestions:index") in client.get(reverse("wagtailadmin_home")).text


def test_the_suggestion_form_rejects_oversized_photos(camille, destination, client, settings):
    big = SimpleUploadedFile("big.png", b"\0" * (5 * 1024 * 1024 + 1), content_type="image/png")
    client.force_login(camille)
    response = client.post(
        reverse("content:suggest_update", args=[destination.pk]),
        {"what_is_wrong": "x", "photo": big},
    )
    assert response.status_code == 200
    assert "5" in response.text
    assert not PageUpdateSuggestion.objects.exists()


def test_a_moderator_approving_the_workflow_publishes_the_story(camille, agence, story_index):
    page = services.propose_story(author=camille, title="Le pardon de la mer", text="Récit.")
    state = WorkflowState.objects.for_instance(page).get()
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, agence, "approve")
    page = StoryPage.objects.get(pk=page.pk)
    assert page.live
    assert page.author == camille and page.owner == camille


def test_accepting_on_a_page_unpublished_since_is_a_conflict(agence, suggestion, destination):
    destination.unpublish()
    with pytest.raises(Conflict):
        services.accept_suggestion(actor=agence, suggestion=suggestion, text="Nouveau")
    suggestion.refresh_from_db()
    assert suggestion.status == PageUpdateSuggestion.Status.PENDING
    assert not DestinationPage.objects.get(pk=destination.pk).live


def test_a_registered_check_makes_more_people_contributors(user, monkeypatch):
    from content import permissions

    assert not permissions.can_contribute(user)
    monkeypatch.setattr(permissions, "_contributor_checks", [lambda who: who.pk == user.pk])
    user._content_can_contribute = None
    assert permissions.can_contribute(user)


def page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_my_suggestions_cost_the_same_for_5_and_50(camille, destination, client):
    client.force_login(camille)
    url = reverse("content:my_suggestions")
    counts = []
    for count in (5, 50):
        PageUpdateSuggestion.objects.all().delete()
        PageUpdateSuggestion.objects.bulk_create(
            PageUpdateSuggestion(page=destination, author=camille, what_is_wrong=f"n°{n}")
            for n in range(count)
        )
        page_queries(client, url)  # warm per-process caches
        counts.append(page_queries(client, url))
    assert counts[0] == counts[1]


def test_my_story_proposals_cost_the_same_for_2_and_6(camille, story_index, client):
    client.force_login(camille)
    url = reverse("content:story_proposals")
    counts = []
    for batch in (2, 4):
        for n in range(batch):
            services.propose_story(author=camille, title=f"Récit {batch}-{n}", text="Texte")
        page_queries(client, url)  # warm per-process caches
        counts.append(page_queries(client, url))
    assert StoryPage.objects.count() == 6
    assert counts[0] == counts[1]
