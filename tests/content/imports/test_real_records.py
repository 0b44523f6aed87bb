"""The importer on real public records, when a copy of their repositories is on this
machine (they are not part of this repository: see docs/imports.md). Skipped otherwise."""

import json
import subprocess  # nosec B404 - git show of a local clone
import zipfile
from pathlib import Path

import pytest

from content.imports.models import ImportedRecord
from content.imports.services import run_import

MIRRORS = Path("/work/.mirror")
CED = MIRRORS / "AlexChanson+Datatourisme_CED" / "repo"
FARONTIR = MIRRORS / "Farontir+datatourisme" / "repo"
APIDAE = MIRRORS / "hotentic+apidae-engine-rails" / "repo"
CED_RECORDS = [
    "6/65/15-653b4a7d-37bb-3f09-8a95-29eb7219332c.json",  # an event
    "b/ba/15-ba3e9bd9-ad2e-3ce2-ad6f-d5ce85784122.json",  # a bike rental, French and English
    "4/42/15-42575467-1359-3b99-973c-4cfd138406d4.json",  # a cottage without photo
]
MANY_PERIODS = "data/49-00037bcf-28e4-3322-b72f-377587204703.json"


def git_show(git_dir: Path, path: str) -> bytes:
    return subprocess.run(  # noqa: S603
        ["git", f"--git-dir={git_dir}", "show", f"HEAD:{path}"],  # noqa: S607
        check=True,
        capture_output=True,
    ).stdout


@pytest.fixture
def real_flow(tmp_path):
    if not (CED.exists() and FARONTIR.exists()):
        pytest.skip("no local copy of the public DATAtourisme repositories")
    members, index = {}, []
    for name in CED_RECORDS:
        data = git_show(CED, f"data/objects/{name}")
        record = json.loads(data)
        members[f"objects/{name}"] = data
        index.append(
            {"label": "", "lastUpdateDatatourisme": record["lastUpdateDatatourisme"], "file": name}
        )
    data = git_show(FARONTIR, MANY_PERIODS)
    record = json.loads(data)
    name = "0/00/49-00037bcf-28e4-3322-b72f-377587204703.json"
    members[f"objects/{name}"] = data
    index.append(
        {"label": "", "lastUpdateDatatourisme": record["lastUpdateDatatourisme"], "file": name}
    )
    path = tmp_path / "real.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.json", json.dumps(index))
        for member, content in members.items():
            archive.writestr(member, content)
    return path


def test_real_records_import_with_every_period(source, real_flow):
    source.import_images = False
    source.save()

    run = run_import(actor=None, source=source, path=real_flow)

    assert (run.created, run.errors) == (4, 0)
    event = ImportedRecord.objects.get(identity="49/00037bcf-28e4-3322-b72f-377587204703")
    dates = event.page.specific.dates
    assert len(dates) == 537
    assert dates == sorted(dates)
    bikes = ImportedRecord.objects.get(identity="15/ba3e9bd9-ad2e-3ce2-ad6f-d5ce85784122")
    assert bikes.page.specific.title == "Les Vélos Verts - Tours"
    assert bikes.producer == "Tours Val de Loire Tourisme"
    assert run_import(actor=None, source=source, path=real_flow).unchanged == 4


def test_a_real_apidae_export_imports(source, tmp_path):
    if not APIDAE.exists():
        pytest.skip("no local copy of hotentic/apidae-engine-rails")
    path = tmp_path / "apidae.zip"
    path.write_bytes(git_show(APIDAE, "test/data/json_export.zip"))
    source.kind = "apidae"
    source.import_images = False
    source.save()

    run = run_import(actor=None, source=source, path=path)

    assert run.status == "done"
    assert run.created + run.errors == run.seen
    assert run.created >= 1
