"""The English site: hub pages in English under /en/ (Wagtail locales and translations), the
language switch going to a page's translation, help texts, workflow names and dates in the
reader's language."""

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.template import Context, Template
from django.utils import translation
from wagtail.models import Locale, Workflow

from network.forms.groups import GroupForm
from network.forms.posts import PostForm
from network.models import Post
from network.selectors.feed import home_feed
from tests.content import factories_pages as f
from tests.content.factories_translations import translate
from tests.factories import UserFactory
from tests.network.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lighthouse():
    index = f.destination_index(title="Destinations")
    return f.destination(index, "Phare du Men Ruz", slug="phare-du-men-ruz", intro="Un phare.")


@pytest.fixture
def english_lighthouse(lighthouse):
    return translate(
        lighthouse, title="Men Ruz lighthouse", slug="men-ruz-lighthouse", intro="A lighthouse."
    )


def switch(client, language, next_url):
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    return response["Location"]


def test_the_locales_are_french_by_default_and_english():
    assert Locale.get_default().language_code == "fr"
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"fr", "en"}


def test_a_translated_page_is_served_in_english_under_en(client, english_lighthouse):
    response = client.get("/en/destinations/men-ruz-lighthouse/")

    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Men Ruz lighthouse" in response.text and "A lighthouse." in response.text
    assert "Phare du Men Ruz" not in response.text
    assert "Phare du Men Ruz" in client.get("/destinations/phare-du-men-ruz/").text


def test_a_page_names_its_translation_as_its_alternate(client, english_lighthouse):
    html = client.get("/destinations/phare-du-men-ruz/").text

    assert (
        '<link rel="alternate" hreflang="en" href="http://localhost/en/destinations/'
        'men-ruz-lighthouse/">' in html
    )
    assert '<meta property="og:locale:alternate" content="en_GB">' in html


def test_the_cached_alternates_follow_a_translation_published_then_unpublished(client, lighthouse):
    assert 'hreflang="en"' not in client.get("/destinations/phare-du-men-ruz/").text

    english = translate(lighthouse, title="Men Ruz lighthouse", slug="men-ruz-lighthouse")
    assert 'hreflang="en"' in client.get("/destinations/phare-du-men-ruz/").text

    english.unpublish()
    assert 'hreflang="en"' not in client.get("/destinations/phare-du-men-ruz/").text


def test_an_untranslated_page_names_no_other_language(client, lighthouse):
    html = client.get("/destinations/phare-du-men-ruz/").text

    assert 'hreflang="en"' not in html
    assert "og:locale:alternate" not in html


@pytest.mark.parametrize(
    ("language", "next_url", "expected"),
    [
        ("en", "/destinations/phare-du-men-ruz/", "/en/destinations/men-ruz-lighthouse/"),
        ("fr", "/en/destinations/men-ruz-lighthouse/", "/destinations/phare-du-men-ruz/"),
        ("en", "/destinations/", "/en/destinations/"),
        ("fr", "/en/", "/"),
    ],
)
def test_the_language_switch_lands_on_the_page_translation(
    client, english_lighthouse, language, next_url, expected
):
    assert switch(client, language, next_url) == expected


def test_the_language_switch_goes_home_when_the_page_has_no_translation(client, english_lighthouse):
    index = english_lighthouse.get_parent().get_translation(Locale.get_default())
    f.destination(index, "Plage", slug="plage")

    assert switch(client, "en", "/destinations/plage/") == "/en/"


def test_the_language_switch_keeps_the_path_of_a_page_that_is_not_a_hub_page(
    client, english_lighthouse
):
    assert switch(client, "en", "/groups/") == "/en/groups/"


def test_the_language_switch_ignores_a_next_url_on_another_host(client, english_lighthouse):
    assert switch(client, "en", "https://example.org/destinations/") == "/en/"


def test_each_language_lists_its_own_pages(client, english_lighthouse):
    index = english_lighthouse.get_parent().get_translation(Locale.get_default())
    f.destination(index, "Plage de Kerlann", slug="plage")

    english = client.get("/en/destinations/").text
    french = client.get("/destinations/").text

    assert "Men Ruz lighthouse" in english
    assert "Phare du Men Ruz" not in english and "Plage de Kerlann" not in english
    assert "Phare du Men Ruz" in french and "Men Ruz lighthouse" not in french


def test_the_english_home_shows_english_stories(client):
    stories = f.story_index()
    story = f.story(stories, "Une journée sur l'île", date=datetime(2026, 12, 1).date())
    f.story(stories, "Récit non traduit")
    translate(story, title="A day on the island", slug="a-day-on-the-island")

    english = client.get("/en/").text

    assert "A day on the island" in english
    assert "Une journée sur l'île" not in english and "Récit non traduit" not in english


# Help texts, workflow names and dates -------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "field", "english", "french"),
    [
        (
            PostForm,
            "images",
            "Up to 4 images (JPEG, PNG, WebP), 5 MB each.",
            "Jusqu'à 4 images (JPEG, PNG, WebP), 5 Mo chacune.",
        ),
        (
            GroupForm,
            "tags",
            "Separated by commas, 10 at most.",
            "Séparés par des virgules, 10 au maximum.",
        ),
    ],
)
def test_form_help_texts_are_in_the_reader_language(form, field, english, french):
    with translation.override("en"):
        assert str(form.base_fields[field].help_text) == english
    with translation.override("fr"):
        assert str(form.base_fields[field].help_text) == french


def test_the_english_group_form_has_no_french_help_text(auth_client):
    html = auth_client.get("/en/groups/new/").text

    assert "Separated by commas, 10 at most." in html
    assert "Séparés par des virgules" not in html


@pytest.mark.parametrize(
    ("stored", "english", "french"),
    [
        ("Moderators approval", "Moderators approval", "Validation par les modérateurs"),
        ("Contributions", "Contributions", "Contributions"),
    ],
)
def test_workflow_names_from_migrations_are_shown_in_the_admin_language(stored, english, french):
    with translation.override("fr"):
        assert Workflow.objects.get(name=stored).name == french
    with translation.override("en"):
        assert Workflow.objects.get(name=stored).name == english


def test_a_workflow_saved_from_the_french_admin_keeps_its_name_in_every_language():
    with translation.override("fr"):
        workflow = Workflow.objects.get(name="Moderators approval")
        workflow.save()

    assert Workflow.objects.filter(name="Moderators approval").exists()


def test_a_name_staff_typed_is_left_as_it_is():
    Workflow.objects.create(name="Relecture éditoriale")

    with translation.override("en"):
        assert Workflow.objects.get(name="Relecture éditoriale").name == "Relecture éditoriale"


@pytest.mark.parametrize(
    ("language", "date", "date_time"),
    [
        ("fr", "6 décembre 2026", "6 décembre 2026, 14:30"),
        ("en", "6 December 2026", "6 December 2026, 14:30"),
    ],
)
def test_every_date_format_has_one_style_per_language(language, date, date_time):
    moment = datetime(2026, 12, 6, 14, 30)
    template = Template(
        '{{ d|date }}|{{ d|date:"DATE_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}|'
        '{{ d|date:"DATETIME_FORMAT" }}|{{ d|date:"SHORT_DATETIME_FORMAT" }}'
    )
    with translation.override(language):
        rendered = template.render(Context({"d": moment})).split("|")
    assert rendered == [date, date, date, date_time, date_time]


def test_no_template_writes_a_date_in_a_style_of_its_own():
    """Day, month and year come from DATE_FORMAT or DATETIME_FORMAT (the locale's formats);
    a template may still show a part of a date (a weekday, a calendar tile's day)."""
    own_style = re.compile(r"\|date:[\"'](j [MFbN]|[dj][./-][mn])[^\"']*Y")
    offenders = [
        f"{path}: {match.group(0)}"
        for root in [settings.BASE_DIR / "content", settings.BASE_DIR / "network"]
        for path in Path(root).rglob("*.html")
        for match in own_style.finditer(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("", "6 décembre 2026, 14:30"), ("/en", "6 December 2026, 14:30")],
)
def test_a_post_and_a_story_write_their_dates_in_the_same_style(
    client, auth_client, user, prefix, expected
):
    moment = datetime(2026, 12, 6, 14, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))
    post = PostFactory(author=user)
    Post.objects.filter(pk=post.pk).update(created_at=moment)
    story = f.story(f.story_index(), "Récit", slug="recit", date=moment.date())
    if prefix:
        translate(story)

    post_html = auth_client.get(f"{prefix}/posts/{post.pk}/").text
    story_html = client.get(f"{prefix}/stories/recit/").text

    assert expected in post_html
    assert expected.split(",")[0] in story_html


# Who translates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "allowed"), [("Editors", True), ("Moderators", True), (None, False)]
)
def test_agency_staff_may_translate_a_page_and_members_may_not(client, lighthouse, group, allowed):
    person = UserFactory()
    if group:
        person.groups.add(Group.objects.get(name=group))
    client.force_login(person)

    response = client.get(f"/admin/translation/submit/page/{lighthouse.pk}/")

    assert (response.status_code == 200) is allowed
    if allowed:
        assert 'value="en"' in response.text or "English" in response.text


def test_the_feed_shows_hub_stories_in_the_reader_language(user):
    story = f.story(f.story_index(), "Une journée sur l'île")
    english = translate(story, title="A day on the island", slug="a-day-on-the-island")

    with translation.override("fr"):
        french_entries = [entry.pk for entry in home_feed(user).entries]
    with translation.override("en"):
        english_entries = [entry.pk for entry in home_feed(user).entries]

    assert french_entries == [story.pk]
    assert english_entries == [english.pk]
