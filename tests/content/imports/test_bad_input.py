"""Bad flows and bad records: the run goes on, the bad records are listed with a reason, and
nothing already imported is damaged."""

import io
import json
import zipfile

import pytest

from content.demo_imports import BIKES, COTTAGE, object_path, write_flow
from content.imports import fetch
from content.imports.models import ImportedRecord
from content.imports.services import run_import


def page_of(identity):
    return ImportedRecord.objects.get(identity=identity).page.specific


def zip_bytes(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"this is not a zip", "not a zip archive"),
        (zip_bytes({"readme.txt": "hello"}), "not a DATAtourisme flow"),
        (zip_bytes({"index.json": "{not json"}), "index.json is not valid JSON"),
        (zip_bytes({"index.json": '{"a": 1}'}), "not a list of records"),
        (zip_bytes({"objects/bomb.json": b"0" * (4 * 1024 * 1024)}), "zip bomb"),
    ],
)
def test_a_file_that_is_not_a_flow_fails_the_run_with_its_reason(
    source, tmp_path, settings, content, reason
):
    settings.LANGUAGE_CODE = "en"
    path = tmp_path / "bad.zip"
    path.write_bytes(content)

    run = run_import(actor=None, source=source, path=path)

    assert run.status == "failed"
    assert reason in run.message


def test_a_flow_too_large_once_inflated_is_refused(source, flow, settings):
    settings.TOURISM_IMPORT_MAX_UNCOMPRESSED = 10_000

    run = run_import(actor=None, source=source, path=flow())

    assert run.status == "failed"
    assert ImportedRecord.objects.count() == 0


def broken_record_cases(records):
    no_coordinates = json.loads(json.dumps(records[2]))
    del no_coordinates["isLocatedAt"][0]["schema:geo"]
    no_label = json.loads(json.dumps(records[2]))
    del no_label["rdfs:label"]
    bad_coordinates = json.loads(json.dumps(records[2]))
    bad_coordinates["isLocatedAt"][0]["schema:geo"]["schema:latitude"] = "quarante-huit"
    return {
        "no coordinates": (no_coordinates, "has no coordinates"),
        "no label": (no_label, "has no label"),
        "bad coordinates": (bad_coordinates, "not numbers"),
    }


@pytest.mark.parametrize("case", ["no coordinates", "no label", "bad coordinates"])
def test_a_bad_record_is_listed_and_the_others_are_imported(source, flow, records, case, settings):
    settings.LANGUAGE_CODE = "en"
    broken, reason = broken_record_cases(records)[case]

    run = run_import(actor=None, source=source, path=flow([records[0], records[1], broken]))

    assert (run.status, run.created, run.errors) == ("done", 2, 1)
    assert reason in run.failures.get().reason


def test_malformed_json_in_one_record_is_listed_and_the_page_already_imported_is_kept(
    source, flow, records, settings
):
    settings.LANGUAGE_CODE = "en"
    run_import(actor=None, source=source, path=flow())
    records[2]["lastUpdateDatatourisme"] = "2026-12-01T00:00:00Z"
    path = flow(records[:2] + records[3:])
    with zipfile.ZipFile(path, "a") as archive:
        index = json.loads(archive.read("index.json"))
    index.append({"label": "Gîte", "lastUpdateDatatourisme": "x", "file": object_path(records[2])})
    rewritten = flow([], extra_members={"index.json": json.dumps(index)})
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(rewritten, "a") as new:
        for name in old.namelist():
            if name.startswith("objects/"):
                new.writestr(name, old.read(name))
        new.writestr("objects/" + object_path(records[2]), '{"@id": "broken",')

    run = run_import(actor=None, source=source, path=rewritten)

    assert run.errors == 1
    assert "Malformed JSON" in run.failures.get().reason
    assert page_of(COTTAGE).title == "Gîte de Kerlann"
    assert page_of(COTTAGE).live


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.json", "/etc/passwd.json", "objects/../../x.json"]
)
def test_a_path_leaving_the_archive_is_refused(source, flow, records, name, settings):
    settings.LANGUAGE_CODE = "en"
    index = [{"label": "Evil", "lastUpdateDatatourisme": "x", "file": name}]
    path = flow([], extra_members={"index.json": json.dumps(index)})

    run = run_import(actor=None, source=source, path=path)

    assert (run.status, run.errors) == ("done", 1)
    assert "Unsafe path" in run.failures.get().reason or "missing" in run.failures.get().reason


def test_a_huge_record_is_refused(source, flow, records, settings):
    settings.LANGUAGE_CODE = "en"
    settings.TOURISM_IMPORT_MAX_RECORD = 50_000

    run = run_import(actor=None, source=source, path=flow())

    assert run.created == 3
    assert "too large" in run.failures.get().reason


@pytest.mark.parametrize(
    "path, reason",
    [
        ("/html", "is not what was expected (text/html)"),
        ("/missing", "answered 404"),
        ("/to-private", "points to a private address"),
        ("/huge", "is too large"),
    ],
)
def test_a_photo_that_cannot_be_had_is_listed_and_the_record_imported_without_it(
    source, flow, records, server, path, reason, settings
):
    settings.LANGUAGE_CODE = "en"
    locator = records[1]["hasMainRepresentation"][0]["ebucore:hasRelatedResource"][0]
    locator["ebucore:locator"] = [server + path]

    run = run_import(actor=None, source=source, path=flow())

    assert run.created == 4
    assert reason in run.failures.get().reason
    assert page_of(BIKES).source_image is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8392/photo.png",
        "http://localhost/photo.png",
        "http://10.1.2.3/photo.png",
        "http://[::1]/photo.png",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "ftp://example.org/flow.zip",
    ],
)
def test_no_request_leaves_for_a_private_address(url, settings):
    settings.TOURISM_IMPORT_ALLOWED_HOSTS = ["127.0.0.1:8391"]

    with pytest.raises(fetch.FetchError):
        fetch.fetch_bytes(url, max_bytes=1000)


def test_a_flow_is_downloaded_from_its_url(source, tmp_path, records):
    from .conftest import Handler

    write_flow(tmp_path / "flow.zip", records)
    Handler.files["flow.zip"] = (tmp_path / "flow.zip").read_bytes()

    run = run_import(actor=None, source=source)

    assert (run.status, run.created) == ("done", 4)


def test_a_flow_url_that_fails_fails_the_run(source, settings):
    settings.LANGUAGE_CODE = "en"
    source.url = source.url.replace("flow.zip", "nothing.zip")

    run = run_import(actor=None, source=source)

    assert run.status == "failed"
    assert "answered 404" in run.message
