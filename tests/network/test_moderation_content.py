"""The content hub's items wait in the one moderation queue: a story proposal, a page-update
suggestion and a brand-licence request each open a case when submitted; staff decide them
there (the content hub's own service does the work) or in their admin screen, which closes
the case."""

import pytest
from django.contrib.contenttypes.models import ContentType

from content.models import BrandLicence, PageUpdateSuggestion
from content.services import contributions, toolkit
from network.models import Case
from network.selectors import moderation as queue
from network.services import moderation
from tests.content import factories_contrib as f
from tests.content.factories_toolkit import make_asset, make_licence, make_toolkit_page

pytestmark = pytest.mark.django_db

STATEMENT = {"facts": "Vérifié sur place.", "ground": "Le parking est bien payant l'été."}


@pytest.fixture
def camille():
    return f.contributor("camille", display_name="Camille Rivière")


@pytest.fixture
def agence():
    return f.moderator("agence")


def open_case_of(item) -> Case | None:
    return Case.objects.filter(
        target_type=ContentType.objects.get_for_model(item),
        target_id=item.pk,
        status=Case.Status.OPEN,
    ).first()


@pytest.fixture
def suggestion(camille, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return contributions.submit_suggestion(
            author=camille,
            page=f.destination(),
            what_is_wrong="Le parking est payant.",
            proposed_text="Parking payant d'avril à septembre.",
        )


def test_a_suggestion_waits_in_the_queue(suggestion, agence):
    case = open_case_of(suggestion)
    assert case.kind == "suggestion"
    assert case in list(queue.queue(agence, status=Case.Status.OPEN))
    assert "Le parking est payant." in case.preview


def test_declining_in_the_queue_declines_the_suggestion(suggestion, agence):
    case = open_case_of(suggestion)
    moderation.decide(actor=agence, case=case, action="decline", **STATEMENT)
    suggestion.refresh_from_db()
    assert suggestion.status == PageUpdateSuggestion.Status.DECLINED
    assert suggestion.decline_reason == STATEMENT["ground"]
    assert open_case_of(suggestion) is None


def test_accepting_in_the_queue_publishes_the_proposed_text(suggestion, agence):
    moderation.decide(actor=agence, case=open_case_of(suggestion), action="accept", **STATEMENT)
    suggestion.refresh_from_db()
    assert suggestion.status == PageUpdateSuggestion.Status.ACCEPTED
    assert suggestion.page.specific.intro == "Parking payant d'avril à septembre."


def test_deciding_in_the_admin_screen_closes_the_case(
    suggestion, agence, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contributions.decline_suggestion(actor=agence, suggestion=suggestion, reason="Déjà fait.")
    assert open_case_of(suggestion) is None


def test_a_member_cannot_decide_a_content_case(suggestion, camille):
    with pytest.raises(moderation.NotAllowed):
        moderation.decide(
            actor=camille, case=open_case_of(suggestion), action="accept", **STATEMENT
        )
    suggestion.refresh_from_db()
    assert suggestion.status == PageUpdateSuggestion.Status.PENDING


def test_a_licence_request_is_approved_from_the_queue(
    camille, agence, django_capture_on_commit_callbacks
):
    asset = make_asset(page=make_toolkit_page(), licensed=True)
    with django_capture_on_commit_callbacks(execute=True):
        licence = toolkit.request_licence(
            user=camille,
            asset=asset,
            organisation_name="Café Kerbrat",
            intended_use="Sur nos sachets de café.",
            accepted_rules_version=asset.page.usage_rules_version,
        )
    case = open_case_of(licence)
    assert case.kind == "licence_request"
    moderation.decide(actor=agence, case=case, action="accept", **STATEMENT)
    licence.refresh_from_db()
    assert licence.status == BrandLicence.Status.APPROVED


def test_a_story_proposal_is_approved_from_the_queue(
    camille, agence, django_capture_on_commit_callbacks
):
    f.story_index()
    with django_capture_on_commit_callbacks(execute=True):
        page = contributions.propose_story(author=camille, title="Au phare", text="Un récit.")
    case = open_case_of(page)
    assert case.kind == "story_proposal"
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(actor=agence, case=case, action="accept", **STATEMENT)
    page.refresh_from_db()
    assert page.live
    assert open_case_of(page) is None


def test_an_already_decided_licence_is_a_conflict(camille, agence):
    asset = make_asset(page=make_toolkit_page(), licensed=True)
    licence = make_licence(asset=asset, holder=camille, status=BrandLicence.Status.APPROVED)
    case = moderation.file_for_review(licence)
    with pytest.raises(moderation.Conflict):
        moderation.decide(actor=agence, case=case, action="decline", **STATEMENT)
    assert open_case_of(licence) is not None  # nothing half-written


def test_the_queue_and_the_case_page_show_a_suggestion_with_its_actions(suggestion, agence, client):
    client.force_login(agence)
    case = open_case_of(suggestion)
    listing = client.get("/en/moderation/")
    assert listing.status_code == 200
    assert "Page-update suggestion" in listing.content.decode()
    page = client.get(f"/en/moderation/cases/{case.pk}/")
    assert page.status_code == 200
    assert "Accept" in page.content.decode() and "Decline" in page.content.decode()


def test_rules_stored_by_a_racing_reader_do_not_outlive_the_change(
    django_capture_on_commit_callbacks,
):
    """A post read the rules just before a blocked word was saved and stores them just
    after the save cleared them: the commit leaves that entry behind."""
    from network.caches import MODERATION_RULES
    from network.models import BlockedWord

    assert moderation.blocked_word_in("une arnaque") is None
    with django_capture_on_commit_callbacks(execute=True):
        stale = moderation._rules()
        BlockedWord.objects.create(pattern="arnaque")  # its receiver forgets the rules
        MODERATION_RULES.set(stale)
    assert moderation.blocked_word_in("une arnaque") == "arnaque"
