"""The agency's dashboard in the Wagtail admin: its figures, its SVG charts, its CSV exports,
who may open it, and a query count that does not grow with the programme."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ambassadors.links.services import make_link
from ambassadors.models import (
    Application,
    Licence,
    LinkClickDay,
    Participation,
    Submission,
)
from ambassadors.models.missions import TracerStage
from ambassadors.services import missions
from content.models import Area
from tests.ambassadors.factories import ambassador, charter, mission, staff
from tests.content import factories_contrib as f
from tests.content.factories_pages import home
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/admin/ambassadors/dashboard/"


def table(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def agency(client):
    client.force_login(f.moderator("agence"))
    return client


def roles():
    """The programme's five roles, plus an editor who may open the admin but does not run
    the programme. Staff of the programme open the admin through the Moderators group."""
    expired = ambassador(UserFactory(username="d-expired"), expired=True)
    return {
        "anonymous": None,
        "member": UserFactory(username="d-member"),
        "ambassador": ambassador(UserFactory(username="d-amb")),
        "expired": expired,
        "staff": f.moderator("d-staff"),
        "editor": f.person("d-editor", "Editors"),
    }


@pytest.mark.parametrize("path", [URL, URL + "areas.csv"])
def test_only_programme_staff_open_the_dashboard(path):
    statuses = {}
    for role, user in roles().items():
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(path)
        if response.status_code == 302:
            # Wagtail's admin answers a refusal by going back to its home page, with a message.
            statuses[role] = "login" if "login" in response["Location"] else response["Location"]
        else:
            statuses[role] = response.status_code
    assert statuses == {
        "anonymous": "login",
        "member": "login",
        "ambassador": "login",
        "expired": "login",
        "staff": 200,
        "editor": "/admin/",
    }


def test_a_staff_member_without_admin_access_is_kept_out():
    client = Client()
    client.force_login(staff())
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_menu_shows_the_dashboard_to_programme_staff_only(client):
    client.force_login(f.person("d-editor", "Editors"))
    assert URL not in client.get("/admin/").text
    client.force_login(f.moderator("d-staff"))
    assert URL in client.get("/admin/").text


def test_the_figures(agency):
    today = timezone.localdate()
    kerlann = Area.objects.create(name="Kerlann", slug="kerlann", kind=Area.Kind.COMMUNE)
    valid = ambassador()
    soon = ambassador()
    Licence.objects.filter(holder=soon).update(expires_on=today + timedelta(days=10))
    gone = ambassador(expired=True)
    for user in (valid, soon, gone):
        user.ambassador_profile.areas.add(kerlann)
    ambassador()  # no area
    charter(1)
    Application.objects.create(
        applicant=UserFactory(display_name="Zoé Candidate"), motivation="x" * 30, charter_version=1
    )
    page = home()
    share = mission(title="Partagez l'accueil", stage=TracerStage.REPUTATION, page=page)
    missions.take_mission(actor=valid, mission=share)
    proof = missions.submit_proof(actor=valid, mission=share, text="Fait")
    missions.review_submission(actor=staff(), submission=proof, decision="approve")
    missions.take_mission(actor=soon, mission=share)
    missions.submit_proof(actor=soon, mission=share, text="Fait aussi")
    LinkClickDay.objects.create(link=make_link(owner=valid, page=page), day=today, clicks=7)

    response = agency.get(URL)
    assert response.status_code == 200
    html = response.text
    assert "Zoé Candidate" in html and "Partagez l&#x27;accueil" in html
    areas = table(agency.get(URL + "areas.csv"))
    assert len(areas[0]) == 5  # the area, then four statuses (headers in the admin's language)
    assert ["Kerlann", "2", "1", "1", "0"] in areas
    assert [row[1:] for row in areas[1:] if row[0] != "Kerlann"] == [["1", "0", "0", "0"]]
    ongoing = table(agency.get(URL + "missions.csv"))
    row = next(r for r in ongoing if r[0] == "Partagez l'accueil")
    assert row[2:5] == ["2", "—", "1"]  # taken, no cap, one proof to review
    month = today.replace(day=1).strftime("%Y-%m")
    stages = [str(label) for label in TracerStage.labels]
    clicks = table(agency.get(URL + "stage-clicks.csv"))
    assert clicks[0][1:] == stages
    this_month = next(r for r in clicks if r[0] == month)
    assert this_month[1 + TracerStage.values.index(TracerStage.REPUTATION)] == "7"
    approved = next(r for r in table(agency.get(URL + "stage-missions.csv")) if r[0] == month)
    assert approved[1 + TracerStage.values.index(TracerStage.REPUTATION)] == "1"
    assert len(clicks) == 13  # a header and twelve months
    expiring = table(agency.get(URL + "licences.csv"))
    assert [soon.get_display_name(), (today + timedelta(days=10)).isoformat()] in [
        row[:2] for row in expiring
    ]


def test_clicks_on_a_page_no_mission_shares_count_under_engagement(agency):
    page = home()
    user = ambassador()
    LinkClickDay.objects.create(
        link=make_link(owner=user, page=page), day=timezone.localdate(), clicks=3
    )
    month = timezone.localdate().replace(day=1).strftime("%Y-%m")
    row = next(r for r in table(agency.get(URL + "stage-clicks.csv")) if r[0] == month)
    assert row[1 + TracerStage.values.index(TracerStage.ENGAGEMENT)] == "3"


def test_the_charts_are_accessible_svg_with_a_table_beside_them(agency):
    html = agency.get(URL).text
    assert html.count('role="img"') == 3
    for chart in ("chart-areas", "chart-clicks", "chart-missions"):
        assert f'<title id="{chart}-title">' in html and f'<desc id="{chart}-desc">' in html
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
    assert '<script src="http' not in html and "cdn" not in html.lower()
    assert html.count('<table class="listing">') >= 2  # the per-stage tables, never empty


def test_a_csv_cell_is_never_a_formula(agency):
    charter(1)
    Application.objects.create(
        applicant=UserFactory(display_name='=HYPERLINK("http://x")'),
        motivation="x" * 30,
        charter_version=1,
    )
    rows = table(agency.get(URL + "applications.csv"))
    assert rows[1][0].startswith("'=")


def test_an_unknown_export_is_a_404(agency):
    assert agency.get(URL + "nothing.csv").status_code == 404


def _grow(n, start=0):
    """n ambassadors in n areas with n applications, missions, proofs and clicks."""
    page = home()
    reviewer = staff()
    for i in range(start, start + n):
        area = Area.objects.create(name=f"Area {i}", slug=f"area-{i}", kind=Area.Kind.COMMUNE)
        user = ambassador()
        user.ambassador_profile.areas.add(area)
        Application.objects.create(applicant=UserFactory(), motivation="x" * 30, charter_version=1)
        task = mission(title=f"Mission {i}", stage=TracerStage.values[i % 6], page=page)
        missions.take_mission(actor=user, mission=task)
        proof = missions.submit_proof(actor=user, mission=task, text="Fait")
        if i % 2:
            missions.review_submission(actor=reviewer, submission=proof, decision="approve")
        LinkClickDay.objects.create(
            link=make_link(owner=user, page=page),
            day=timezone.localdate() - timedelta(days=40 * (i % 3)),
            clicks=i + 1,
        )
        Licence.objects.filter(holder=user).update(
            expires_on=timezone.localdate() + timedelta(days=5 + i)
        )


def test_the_dashboard_costs_the_same_queries_for_1_or_20(agency):
    charter(1)
    agency.get(URL)  # the admin's per-process and per-session reads, once
    counts = []
    for n, start in ((1, 0), (19, 1)):
        _grow(n, start)
        with CaptureQueriesContext(connection) as queries:
            assert agency.get(URL).status_code == 200
        counts.append(len(queries))
    assert Participation.objects.count() == 20 and Submission.objects.count() == 20
    assert counts[0] == counts[1], counts
    # The dashboard's own: one query per table (six) and the greeters' count.
    assert counts[0] <= 7 + 12, counts


@pytest.mark.parametrize(
    "slug", ["areas", "applications", "licences", "missions", "stage-clicks", "stage-missions"]
)
def test_each_export_is_one_query(agency, slug, django_assert_max_num_queries):
    charter(1)
    _grow(3)
    agency.get(URL + f"{slug}.csv")
    with CaptureQueriesContext(connection) as queries:
        response = agency.get(URL + f"{slug}.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    ours = [
        q
        for q in queries.captured_queries
        if "ambassadors_" in q["sql"] or "wagtailcore_page" in q["sql"]
    ]
    assert len(ours) <= 2, [q["sql"][:120] for q in ours]
