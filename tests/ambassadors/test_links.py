"""Tracked links: /r/<code>, counted once per visitor and window without cookie, and the
Redis counters moved to the database without losing or doubling a click."""

from datetime import date

import pytest
from django.core.cache import caches
from django.utils import timezone

from ambassadors.links import services
from ambassadors.models import ClickFlush, LinkClickDay, PointEntry, TrackedLink
from ambassadors.services.links import link_for_page
from core.errors import NotAllowed, NotFound
from tests.ambassadors.factories import ambassador
from tests.content.factories_pages import home

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


@pytest.fixture
def link():
    return link_for_page(actor=ambassador(), page_id=home().pk)


def visit(client, link, agent=BROWSER, address="203.0.113.7"):
    return client.get(f"/r/{link.code}", HTTP_USER_AGENT=agent, REMOTE_ADDR=address)


def in_database(link) -> int:
    return sum(LinkClickDay.objects.filter(link=link).values_list("clicks", flat=True))


def clicks(link) -> int:
    """The link's counted clicks, once the counters kept in Redis (when the site has it) are
    flushed to the database, as the beat task does."""
    services.flush_clicks()
    return in_database(link)


def test_an_ambassador_gets_one_link_per_page(link):
    again = link_for_page(actor=link.owner, page_id=link.page_id)
    assert again.pk == link.pk and len(link.code) >= 8


def test_the_link_leads_to_the_page_with_utm_parameters(client, link):
    response = visit(client, link)
    assert response.status_code == 302
    assert response.url.startswith("/?utm_source=ambassador&utm_medium=share")
    assert f"utm_content={link.code}" in response.url


def test_a_click_sets_no_cookie(client, link):
    response = visit(client, link)
    assert not response.cookies


def test_a_visitor_is_counted_once_per_window(client, link):
    visit(client, link)
    visit(client, link)
    assert clicks(link) == 1
    visit(client, link, address="198.51.100.4")
    assert clicks(link) == 2


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Googlebot/2.1",
        "facebookexternalhit/1.1",
        "curl/8.0",
        "WhatsApp/2.23",
        "python-requests/2",
    ],
)
def test_bots_are_not_counted(client, link, agent):
    assert visit(client, link, agent=agent).status_code == 302
    assert clicks(link) == 0


@pytest.mark.parametrize("code", ["nope1234", "..%2F..%2Fadmin", "https:evil.example", "x" * 40])
def test_an_unknown_code_is_a_plain_404(client, code):
    response = client.get(f"/r/{code}", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 404 and "Location" not in response


def test_the_target_is_always_a_path_of_the_site(link):
    assert link.target.startswith("/") and not link.target.startswith("//")


def test_no_link_for_an_expired_licence():
    with pytest.raises(NotAllowed):
        link_for_page(actor=ambassador(expired=True), page_id=home().pk)


def test_no_link_for_a_missing_page():
    with pytest.raises(NotFound):
        link_for_page(actor=ambassador(), page_id=999_999)


def test_the_visitor_hash_rotates_every_day(rf):
    request = rf.get("/r/x", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.7")
    first = services.visitor_hash(request, date(2026, 12, 1))
    assert first == services.visitor_hash(request, date(2026, 12, 1))
    assert first != services.visitor_hash(request, date(2026, 12, 2))
    assert "203.0.113.7" not in first


def test_click_points_are_capped_per_link_and_day(link):
    from ambassadors.services.recognition import award_click_points

    today = timezone.localdate()
    LinkClickDay.objects.create(link=link, day=today, clicks=500)
    award_click_points({today})
    entry = PointEntry.objects.get(user=link.owner)
    assert entry.points == 10  # RecognitionSettings.click_points_per_link_per_day


def test_the_share_page_offers_plain_share_links(client, link):
    client.force_login(link.owner)
    html = client.get(f"/ambassadors/share/{link.page_id}/").text
    assert f"/r/{link.code}" in html
    for host in ("wa.me", "linkedin.com", "facebook.com", "x.com", "bsky.app", "mailto:"):
        assert host in html
    assert '<script src="http' not in html


# Redis: counters flushed by the beat task ----------------------------------------------------


@pytest.fixture
def redis_cache(settings):
    """The default cache on the suite's Redis (the test settings put it in a database of its
    own when REDIS_URL is set, as in CI)."""
    if "RedisCache" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("REDIS_URL is unset: the Redis counters run in CI (.ci/run) or with it set")
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_with_redis_a_click_writes_nothing_to_the_database(
    client, redis_cache, link, django_assert_num_queries
):
    services.resolve(link.code)  # the link is cached, as on a warm site
    with django_assert_num_queries(0):
        visit(client, link)
    assert in_database(link) == 0 and services.clicks_pending() == 1
    assert services.flush_clicks() == 1
    assert in_database(link) == 1 and services.clicks_pending() == 0


def test_a_flush_that_died_after_its_commit_is_not_counted_twice(
    client, redis_cache, link, monkeypatch
):
    visit(client, link)
    client_ = services.redis_client()
    real_delete = client_.delete
    monkeypatch.setattr(type(client_), "delete", lambda self, *keys: None)
    services.flush_clicks()  # committed, but the renamed hash survived
    monkeypatch.setattr(type(client_), "delete", lambda self, *keys: real_delete(*keys))
    assert services.flush_clicks() == 0
    assert in_database(link) == 1 and ClickFlush.objects.count() == 1


def test_a_flush_that_died_before_its_commit_is_picked_up_by_the_next(
    client, redis_cache, link, monkeypatch
):
    visit(client, link)
    monkeypatch.setattr(services, "add_clicks", lambda counts: (_ for _ in ()).throw(RuntimeError))
    with pytest.raises(RuntimeError):
        services.flush_clicks()
    monkeypatch.undo()
    assert services.flush_clicks() == 1
    assert in_database(link) == 1


def test_with_redis_down_the_click_goes_to_the_database(client, redis_cache, link, monkeypatch):
    import redis

    def broken(*args, **kwargs):
        raise redis.ConnectionError("down")

    monkeypatch.setattr(type(services.redis_client()), "eval", broken)
    visit(client, link)
    assert in_database(link) == 1
    assert TrackedLink.objects.get(pk=link.pk).clicks == 1
