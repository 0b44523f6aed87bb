"""The imports admin: staff add a source (URL or uploaded zip), run it, read its runs and
failed records, and resolve conflicts; nobody else reaches any of it."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from content.demo_imports import BIKES
from content.imports.models import ImportConflict, ImportedRecord, ImportRun, ImportSource
from content.imports.services import run_import
from tests.factories import UserFactory


@pytest.fixture
def staff(db):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def admin_urls(source, run, conflict):
    return [
        ("get", reverse("tourism_imports:index")),
        ("get", reverse("tourism_imports:add")),
        ("get", reverse("tourism_imports:edit", args=[source.pk])),
        ("get", reverse("tourism_imports:runs", args=[source.pk])),
        ("get", reverse("tourism_imports:run_detail", args=[run.pk])),
        ("get", reverse("tourism_imports:conflicts")),
        ("post", reverse("tourism_imports:run", args=[source.pk])),
        ("post", reverse("tourism_imports:resolve", args=[conflict.pk])),
    ]


@pytest.fixture
def conflict(source, flow, records):
    run_import(actor=None, source=source, path=flow())
    record = ImportedRecord.objects.get(identity=BIKES)
    return ImportConflict.objects.create(
        record=record, field="phone", page_value="1", source_value="2"
    )


@pytest.mark.parametrize("who", ["member", "editor_without_moderation"])
def test_people_who_do_not_manage_imports_reach_no_import_screen(client, source, conflict, who):
    user = UserFactory(is_staff=who != "member")
    if who == "editor_without_moderation":
        user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    run = ImportRun.objects.first()

    for method, url in admin_urls(source, run, conflict):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 403, 404), url
        assert (
            response.status_code != 302
            or response["Location"] == "/admin/"
            or "login" in response["Location"]
        )

    assert ImportRun.objects.count() == 1
    assert ImportConflict.objects.get().resolved_at is None


def test_staff_see_every_import_screen(staff_client, source, conflict):
    run = ImportRun.objects.first()

    for _method, url in admin_urls(source, run, conflict)[:6]:
        assert staff_client.get(url).status_code == 200, url


def test_staff_add_a_source_from_an_uploaded_zip_and_run_it(
    staff_client, sections, server, flow, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("flow.zip", flow().read_bytes(), "application/zip")

    response = staff_client.post(
        reverse("tourism_imports:add"),
        {
            "name": "Office de Morvellec",
            "kind": "datatourisme",
            "url": "",
            "upload": upload,
            "places_parent": sections["places"].pk,
            "events_parent": sections["events"].pk,
            "publish": "on",
            "daily": "on",
            "full_flow": "on",
        },
    )
    source = ImportSource.objects.get()
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("tourism_imports:run", args=[source.pk]))

    run = source.runs.get()
    assert (run.status, run.created) == ("done", 4)
    page = staff_client.get(reverse("tourism_imports:runs", args=[source.pk])).content.decode()
    assert reverse("tourism_imports:run_detail", args=[run.pk]) in page


def test_a_source_needs_a_url_or_a_zip(staff_client, sections, settings):
    settings.LANGUAGE_CODE = "en"

    response = staff_client.post(
        reverse("tourism_imports:add"),
        {"name": "Empty", "kind": "datatourisme", "places_parent": sections["places"].pk},
    )

    assert response.status_code == 200
    assert not ImportSource.objects.exists()


def test_places_must_go_under_a_destination_index(staff_client, sections):
    response = staff_client.post(
        reverse("tourism_imports:add"),
        {
            "name": "Wrong",
            "kind": "datatourisme",
            "url": "http://127.0.0.1:8391/files/flow.zip",
            "places_parent": sections["events"].pk,
        },
    )

    assert response.status_code == 200
    assert not ImportSource.objects.exists()


def test_staff_take_the_source_value_of_a_conflict(staff_client, conflict):
    staff_client.post(reverse("tourism_imports:resolve", args=[conflict.pk]), {"choice": "source"})

    conflict.refresh_from_db()
    assert conflict.resolution == "source"
    assert conflict.record.page.specific.phone == "2"


def test_the_run_screen_lists_failed_records_with_their_reason(staff_client, source, flow, records):
    del records[2]["rdfs:label"]
    run = run_import(actor=None, source=source, path=flow())

    page = staff_client.get(reverse("tourism_imports:run_detail", args=[run.pk])).content.decode()

    assert "15/3b8e0d4c-6f9a-3b2c-9d7e-5f3a2b1c0d33" in page


def test_the_command_imports_a_flow_and_prints_a_summary(sections, flow, capsys):
    from django.core.management import call_command

    call_command("import_tourism_data", str(flow()), "--no-images", "--publish")

    out = capsys.readouterr().out
    assert "4 created" in out
    assert ImportedRecord.objects.count() == 4


def test_the_daily_task_runs_each_daily_source(source, flow, server, records, tmp_path):
    from content.demo_imports import write_flow
    from content.tasks import run_daily_imports_task

    from .conftest import Handler

    write_flow(tmp_path / "flow.zip", records)
    Handler.files["flow.zip"] = (tmp_path / "flow.zip").read_bytes()

    assert run_daily_imports_task.delay().get() == 1
    assert source.runs.get().created == 4
