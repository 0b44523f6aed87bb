"""Slice 5: reports per brief and per TRACER stage, SVG charts drawn on the server, the CSV
export, the partners' private link, and a query count that does not grow with creators."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ambassadors.campaigns import reports
from ambassadors.campaigns.caches import forget_reports
from ambassadors.campaigns.services import briefs, casting, deliverables
from ambassadors.models import LinkClickDay, TrackedLink
from tests.campaigns.factories import brief, creator, staff
from tests.content.factories_pages import home

pytestmark = pytest.mark.django_db


def _campaign_with(agent, count, clicks_each=5):
    campaign = brief(
        agent,
        relationship="paid",
        cash_amount="100",
        in_kind=[{"label": "Dîner", "value": "20"}],
        pages=[home()],
    )
    people = [creator() for _ in range(count)]
    casting.invite(actor=agent, campaign=campaign, creators=people)
    for person in people:
        casting.accept(actor=person, campaign=campaign)
        draft = deliverables.submit(
            actor=person, campaign=campaign, text="Publicité · phare", platform="instagram"
        )
        deliverables.review(actor=agent, deliverable=draft, decision="approve")
        link = TrackedLink.objects.get(owner=person, source="campaign")
        LinkClickDay.objects.create(link=link, day=date(2026, 12, 1), clicks=clicks_each)
        TrackedLink.objects.filter(pk=link.pk).update(clicks=clicks_each)
    return campaign


def test_the_report_adds_up_creators_contents_clicks_reach_and_costs():
    agent = staff()
    campaign = _campaign_with(agent, 3)
    totals = reports.campaign_report(campaign)
    assert totals.creators == 3
    assert (totals.contents, totals.done, totals.on_time) == (3, 3, 3)
    assert totals.clicks == 15
    assert totals.reach == 3 * 25_000
    assert totals.total == Decimal("360.00")
    assert totals.cost_per_click == Decimal("24.00")
    assert totals.cost_per_content == Decimal("120.00")
    stages = {value: t for value, _label, t in reports.stage_report()}
    assert stages["reputation"].clicks == 15 and stages["reputation"].creators == 3
    assert stages["reputation"].total == Decimal("360.00")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_report_page_query_count_does_not_grow_with_creators():
    agent = staff()
    small = _campaign_with(agent, 2)
    large = _campaign_with(agent, 9)
    client = Client()
    client.force_login(agent)
    _queries(client, f"/campaigns/{small.pk}/report/")  # warm the settings and sessions
    for url in ("/campaigns/{}/report/", "/api/v1/campaigns/{}/report"):
        forget_reports()  # built, not read from the cache
        built_small = _queries(client, url.format(small.pk))
        forget_reports()
        assert built_small == _queries(client, url.format(large.pk))


def test_the_report_page_draws_svg_charts_without_script():
    agent = staff()
    campaign = _campaign_with(agent, 2)
    client = Client()
    client.force_login(agent)
    page = client.get(f"/campaigns/{campaign.pk}/report/").content.decode()
    assert page.count("<svg") >= 2
    assert 'role="img"' in page and "<title" in page
    assert 'id="fig-clicks">10<' in page
    assert "<script" not in page.split("<main", 1)[-1].split("</main>", 1)[0]


def test_the_csv_export_has_one_row_per_creator_and_totals():
    agent = staff()
    campaign = _campaign_with(agent, 2)
    client = Client()
    client.force_login(agent)
    response = client.get(f"/campaigns/{campaign.pk}/report.csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("creator,status")
    assert len(lines) == 1 + 2 + 3
    assert lines[3].startswith("TOTAL,,,2,2,2,10,")


def test_the_report_is_staff_only_and_shared_by_a_private_link():
    agent = staff()
    campaign = _campaign_with(agent, 1)
    client = Client()
    client.force_login(creator())
    assert client.get(f"/campaigns/{campaign.pk}/report/").status_code == 403
    token = briefs.share_report(actor=agent, campaign=campaign)
    visitor = Client()
    response = visitor.get(f"/campaigns/shared/{token}/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "report.csv" not in response.content.decode()
    assert visitor.get(f"/campaigns/shared/{token[:-2]}xx/").status_code == 404
    briefs.share_report(actor=agent, campaign=campaign, enable=False)
    assert visitor.get(f"/campaigns/shared/{token}/").status_code == 404


@pytest.mark.parametrize(
    "url", ["/campaigns/{}/report/", "/api/v1/campaigns/{}/report", "/campaigns/{}/report.csv"]
)
def test_a_deleted_brief_s_report_is_gone_though_it_was_cached(url):
    """A cached report reads no brief: the deletion forgets it."""
    agent = staff()
    campaign = _campaign_with(agent, 1)
    client = Client()
    client.force_login(agent)
    assert client.get(url.format(campaign.pk)).status_code == 200
    other = Client()
    other.force_login(staff())
    assert other.get(url.format(campaign.pk)).status_code == 200  # from the cache
    pk = campaign.pk
    campaign.delete()
    assert client.get(url.format(pk)).status_code == 404


def test_the_ledger_page_shows_totals_and_contracts():
    agent = staff()
    lea = creator()
    campaign = brief(agent, relationship="paid", cash_amount="1100", in_kind=[])
    casting.invite(actor=agent, campaign=campaign, creators=[lea])
    casting.accept(actor=lea, campaign=campaign)
    client = Client()
    client.force_login(lea)
    assert client.get("/campaigns/ledger/").status_code == 403
    client.force_login(agent)
    page = client.get("/campaigns/ledger/").content.decode()
    assert "1100,00" in page and "/campaigns/contracts/" in page


def test_the_private_link_is_written_with_the_scheme_asked():
    agent = staff()
    campaign = _campaign_with(agent, 1)
    briefs.share_report(actor=agent, campaign=campaign)
    client = Client()
    client.force_login(agent)
    url = f"/campaigns/{campaign.pk}/report/"
    assert 'id="share-url">http://testserver/' in client.get(url).content.decode()
    other = Client()
    other.force_login(staff())
    assert 'id="share-url">https://testserver/' in other.get(url, secure=True).content.decode()


def test_a_report_s_other_parameters_share_its_page(monkeypatch):
    from core import pages

    agent = staff()
    campaign = _campaign_with(agent, 1)
    token = briefs.share_report(actor=agent, campaign=campaign)
    renders = []
    render = pages.render_to_string
    monkeypatch.setattr(
        pages,
        "render_to_string",
        lambda name, *a, **k: renders.append(name) or render(name, *a, **k),
    )
    client = Client()
    client.force_login(agent)
    visitor = Client()
    for n in range(3):
        assert client.get(f"/campaigns/{campaign.pk}/report/?n={n}").status_code == 200
        assert visitor.get(f"/campaigns/shared/{token}/?utm_source=n{n}").status_code == 200
    assert len(renders) == 2  # the staff's page and the partners'
