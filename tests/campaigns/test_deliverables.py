"""Slice 3: deliverables and the French mention rule, the moderation queue's decisions, the
value ledger and the contract above the threshold, and the published URL fetched once."""

import http.server
import threading
from decimal import Decimal

import pytest
from django.core import mail  # noqa: F401 - e-mails of notifications stay in the outbox

from ambassadors.campaigns import urlcheck
from ambassadors.campaigns.models import ComplianceRules, Contract, Deliverable, DeliverableEvent
from ambassadors.campaigns.services import casting, deliverables, ledger
from core.errors import Conflict, InvalidInput, NotAllowed
from network.models import Case, Decision
from tests.campaigns.factories import brief, creator, staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return staff()


@pytest.fixture
def lea():
    return creator(
        legal_name="Léa Martin EI", address="3 rue du Port, Brest", tax_residence="France"
    )


def _accepted(agent, lea, **fields):
    campaign = brief(agent, **fields)
    casting.invite(actor=agent, campaign=campaign, creators=[lea])
    casting.accept(actor=lea, campaign=campaign)
    return campaign


def test_a_gifted_draft_without_the_mention_is_refused_with_the_reason(agent, lea):
    campaign = _accepted(agent, lea)
    with pytest.raises(InvalidInput, match="Publicité") as refused:
        deliverables.submit(
            actor=lea, campaign=campaign, text="Quelle belle plage !", platform="instagram"
        )
    assert "2023-451" in str(refused.value.message)
    assert not Deliverable.objects.exists()
    done = deliverables.submit(
        actor=lea,
        campaign=campaign,
        text="Collaboration commerciale · Quelle plage !",
        platform="instagram",
    )
    assert done.status == "waiting"
    assert Case.objects.filter(kind="campaign_deliverable", target_id=done.pk).exists()


def test_a_volunteer_needs_no_advertising_mention(agent, lea):
    campaign = _accepted(agent, lea, relationship="volunteer", in_kind=[])
    assert (
        deliverables.submit(
            actor=lea, campaign=campaign, text="J'aime Morvellec", platform="blog"
        ).status
        == "waiting"
    )


def test_retouched_and_virtual_images_need_their_mentions(agent, lea):
    campaign = _accepted(agent, lea)
    with pytest.raises(InvalidInput, match="Images retouchées"):
        deliverables.submit(
            actor=lea,
            campaign=campaign,
            text="Publicité · plage",
            platform="instagram",
            declares_retouched=True,
        )
    with pytest.raises(InvalidInput, match="Images virtuelles"):
        deliverables.submit(
            actor=lea,
            campaign=campaign,
            text="Publicité · plage",
            platform="instagram",
            declares_virtual=True,
        )
    assert deliverables.submit(
        actor=lea,
        campaign=campaign,
        text="Publicité · Images retouchées · plage",
        platform="instagram",
        declares_retouched=True,
    )


def test_an_equivalent_mention_staff_accept_is_enough(agent, lea):
    rules = ComplianceRules.load()
    rules.accepted_equivalents = "Partenariat avec l'office"
    rules.save()
    campaign = _accepted(agent, lea)
    assert deliverables.submit(
        actor=lea, campaign=campaign, text="Partenariat avec l'office · plage", platform="instagram"
    )


def test_the_briefs_own_mentions_are_required(agent, lea):
    campaign = _accepted(agent, lea, required_mentions="#Morvellec")
    with pytest.raises(InvalidInput, match="#Morvellec"):
        deliverables.submit(
            actor=lea, campaign=campaign, text="Publicité · plage", platform="instagram"
        )


def test_only_accepted_creators_submit(agent, lea):
    campaign = brief(agent)
    casting.invite(actor=agent, campaign=campaign, creators=[lea])
    with pytest.raises(NotAllowed):
        deliverables.submit(actor=lea, campaign=campaign, text="Publicité", platform="instagram")
    with pytest.raises(NotAllowed):
        deliverables.submit(
            actor=creator(), campaign=campaign, text="Publicité", platform="instagram"
        )


def test_review_steps_are_logged_decisions_of_the_queue(agent, lea):
    campaign = _accepted(agent, lea)
    draft = deliverables.submit(
        actor=lea, campaign=campaign, text="Publicité · v1", platform="instagram"
    )
    with pytest.raises(NotAllowed):
        deliverables.review(actor=lea, deliverable=draft, decision="approve")
    with pytest.raises(NotAllowed):
        deliverables.review(actor=UserFactory(), deliverable=draft, decision="approve")
    with pytest.raises(InvalidInput):
        deliverables.review(actor=agent, deliverable=draft, decision="request_changes")
    draft = deliverables.review(
        actor=agent, deliverable=draft, decision="request_changes", comment="Montrez le phare"
    )
    assert draft.status == "changes" and draft.review_comment == "Montrez le phare"
    draft = deliverables.submit(
        actor=lea,
        campaign=campaign,
        text="Publicité · v2 phare",
        platform="instagram",
        deliverable=draft,
    )
    assert draft.revision == 2
    draft = deliverables.review(actor=agent, deliverable=draft, decision="approve")
    assert draft.status == "approved"
    assert list(
        Decision.objects.filter(case__kind="campaign_deliverable")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["request_changes", "approve"]
    assert [e.action for e in DeliverableEvent.objects.filter(deliverable=draft)] == [
        "submitted",
        "request_changes",
        "submitted",
        "approve",
    ]


def test_the_ledger_adds_up_per_creator_advertiser_year_and_objective(agent, lea):
    _accepted(
        agent,
        lea,
        relationship="paid",
        cash_amount="300",
        in_kind=[{"label": "Nuit", "value": "150"}],
        stage="reputation",
    )
    _accepted(
        agent,
        lea,
        relationship="gifted",
        in_kind=[{"label": "Dîner", "value": "80"}],
        stage="convertir",
    )
    rows = ledger.ledger_totals(lea.campaign_ledger.all())
    assert {(r[3], r[6]) for r in rows} == {
        ("reputation", Decimal("450.00")),
        ("convertir", Decimal("80.00")),
    }
    assert not Contract.objects.exists()


def test_above_the_threshold_no_approval_until_the_contract_is_signed(agent, lea):
    campaign = _accepted(
        agent,
        lea,
        relationship="paid",
        cash_amount="900",
        in_kind=[{"label": "Week-end", "value": "150"}],
    )
    contract = Contract.objects.get(creator=lea)
    for clause in (
        "Léa Martin EI",
        "France",
        "900,00",
        "Week-end",
        "droit français",
        campaign.title,
    ):
        assert clause in contract.body
    draft = deliverables.submit(
        actor=lea, campaign=campaign, text="Publicité · phare", platform="instagram"
    )
    with pytest.raises(Conflict, match="contrat"):
        deliverables.review(actor=agent, deliverable=draft, decision="approve")
    assert Case.objects.get(target_id=draft.pk, kind="campaign_deliverable").status == "open"
    with pytest.raises(NotAllowed):
        ledger.mark_signed(actor=lea, contract=contract)
    ledger.mark_signed(actor=agent, contract=contract)
    assert deliverables.review(actor=agent, deliverable=draft, decision="approve").status == (
        "approved"
    )


def test_more_value_after_signing_needs_a_new_signature(agent, lea):
    first = _accepted(agent, lea, relationship="paid", cash_amount="1200", in_kind=[])
    ledger.mark_signed(actor=agent, contract=Contract.objects.get())
    _accepted(agent, lea, relationship="paid", cash_amount="200", in_kind=[])
    contract = Contract.objects.get()
    assert contract.status == "draft" and contract.total == Decimal("1400.00")
    draft = deliverables.submit(actor=lea, campaign=first, text="Publicité", platform="tiktok")
    with pytest.raises(Conflict):
        deliverables.review(actor=agent, deliverable=draft, decision="approve")


def test_the_threshold_is_a_setting(agent, lea):
    rules = ComplianceRules.load()
    rules.contract_threshold = Decimal("100")
    rules.save()
    _accepted(agent, lea, in_kind=[{"label": "Dîner", "value": "120"}])
    assert Contract.objects.filter(creator=lea).exists()


# The published address, fetched once ---------------------------------------------------------


class _Page(http.server.BaseHTTPRequestHandler):
    hits = 0
    body = b"<html><body><p>Publicit&eacute; &middot; Morvellec</p></body></html>"

    def do_GET(self):  # noqa: N802 - the standard library's name
        type(self).hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def page_server():
    _Page.hits = 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _published(agent, lea, port, django_capture_on_commit_callbacks):
    campaign = _accepted(agent, lea)
    draft = deliverables.submit(
        actor=lea, campaign=campaign, text="Publicité · phare", platform="blog"
    )
    deliverables.review(actor=agent, deliverable=draft, decision="approve")
    with django_capture_on_commit_callbacks(execute=True):
        return deliverables.publish(
            actor=lea, deliverable=draft, url=f"http://blog.creator-test.com:{port}/post/1"
        )


def test_the_published_url_is_fetched_once_and_the_mention_found(
    agent, lea, page_server, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CAMPAIGN_URL_CHECK_HOSTS = ["creator-test.com"]
    # The test server is on loopback: this test points the allowed name at it and lets
    # loopback through; the next test shows that without this a private address is refused.
    monkeypatch.setattr(urlcheck, "resolve", lambda host, port: ["127.0.0.1"])
    monkeypatch.setattr(urlcheck, "address_allowed", lambda address: address == "127.0.0.1")
    deliverable = _published(
        agent, lea, page_server.server_port, django_capture_on_commit_callbacks
    )
    deliverable.refresh_from_db()
    assert deliverable.status == "published"
    assert deliverable.url_check == "ok"
    assert _Page.hits == 1
    from ambassadors.campaigns.tasks import check_published_url

    assert check_published_url(deliverable.pk) == "skipped"
    assert _Page.hits == 1


def test_a_published_url_without_the_mention_is_flagged(
    agent, lea, page_server, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CAMPAIGN_URL_CHECK_HOSTS = ["creator-test.com"]
    monkeypatch.setattr(urlcheck, "resolve", lambda host, port: ["127.0.0.1"])
    monkeypatch.setattr(urlcheck, "address_allowed", lambda address: address == "127.0.0.1")
    monkeypatch.setattr(_Page, "body", b"<p>Morvellec</p>")
    deliverable = _published(
        agent, lea, page_server.server_port, django_capture_on_commit_callbacks
    )
    deliverable.refresh_from_db()
    assert deliverable.url_check == "no_mention"


def test_the_fetch_never_reaches_a_private_address(
    agent, lea, page_server, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CAMPAIGN_URL_CHECK_HOSTS = ["creator-test.com"]
    monkeypatch.setattr(urlcheck, "resolve", lambda host, port: ["127.0.0.1"])
    deliverable = _published(
        agent, lea, page_server.server_port, django_capture_on_commit_callbacks
    )
    deliverable.refresh_from_db()
    assert deliverable.url_check == "refused"
    assert _Page.hits == 0


def test_hosts_off_the_allow_list_are_not_fetched(settings):
    settings.CAMPAIGN_URL_CHECK_HOSTS = ["instagram.com"]
    assert urlcheck.check("https://evil.example.com/p", ["Publicité"]).status == "refused"
    assert urlcheck.check("http://10.0.0.1/p", ["Publicité"]).status == "refused"
    assert urlcheck.host_allowed("www.instagram.com")
    assert not urlcheck.host_allowed("instagram.com.evil.example")


def test_the_composer_refuses_then_puts_the_mention_back(client, agent, lea):
    campaign = _accepted(agent, lea)
    client.force_login(lea)
    page = client.get(f"/campaigns/{campaign.pk}/contents/new/").content.decode()
    assert "Publicité · " in page
    response = client.post(
        f"/campaigns/{campaign.pk}/contents/new/",
        {"platform": "instagram", "text": "Sans mention"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="refused"' in content and "2023-451" in content
    assert "Publicité · Sans mention" in content
    response = client.post(
        f"/campaigns/{campaign.pk}/contents/new/",
        {"platform": "instagram", "text": "Publicité · Sans mention"},
    )
    assert response.status_code == 302
    client.force_login(agent)
    deliverable = Deliverable.objects.get()
    response = client.post(f"/campaigns/contents/{deliverable.pk}/review/", {"decision": "approve"})
    assert response.status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.status == "approved"


def test_the_threshold_counts_per_advertiser(agent, lea):
    from tests.network.factories import OrganisationFactory

    partner = OrganisationFactory()
    _accepted(agent, lea, relationship="paid", cash_amount="600", in_kind=[], advertiser=partner)
    _accepted(agent, lea, relationship="paid", cash_amount="600", in_kind=[])
    assert not Contract.objects.exists()  # 600 from the partner, 600 from the agency
    _accepted(agent, lea, relationship="paid", cash_amount="500", in_kind=[], advertiser=partner)
    contract = Contract.objects.get()
    assert contract.advertiser_id == partner.pk and contract.total == Decimal("1100.00")
    assert partner.name in contract.body


def test_the_one_moderation_queue_lists_and_decides_campaign_contents(client, agent, lea):
    campaign = _accepted(agent, lea)
    draft = deliverables.submit(
        actor=lea, campaign=campaign, text="Publicité · phare", platform="instagram"
    )
    case = Case.objects.get(kind="campaign_deliverable", target_id=draft.pk)
    client.force_login(agent)
    queue = client.get("/moderation/").content.decode()
    assert "Publicité · phare" in queue
    page = client.get(f"/moderation/cases/{case.pk}/")
    assert page.status_code == 200
    assert "Demander des modifications" in page.content.decode()
