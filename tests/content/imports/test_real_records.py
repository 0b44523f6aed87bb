"""The importer on real public records: a few objects of DATAtourisme flows (Licence Ouverte /
Etalab 2.0) and a real Apidae export. They are not part of this repository (see
docs/imports.md, "Real records"): the tests read them from a sample folder laid beside the
repository, `shared/imports-sample/<owner>+<repository>/<path>` (CI gets a copy of `shared/`
beside its clone), or else from local git snapshots of their public repositories under
/work/.mirror. Skipped, saying which file is missing, when neither has them."""

import json
import subprocess  # nosec B404 - git show of a local clone
import zipfile
from pathlib import Path

import pytest

from content.imports.models import ImportedRecord
from content.imports.services import run_import

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = [ROOT.parent / "shared" / "imports-sample", Path("/work/shared/imports-sample")]
MIRRORS = Path("/work/.mirror")
CED = "AlexChanson+Datatourisme_CED"
FARONTIR = "Farontir+datatourisme"
APIDAE = "hotentic+apidae-engine-rails"
CED_RECORDS = [
    "6/65/15-653b4a7d-37bb-3f09-8a95-29eb7219332c.json",  # an event
    "b/ba/15-ba3e9bd9-ad2e-3ce2-ad6f-d5ce85784122.json",  # a bike rental, French and English
    "4/42/15-42575467-1359-3b99-973c-4cfd138406d4.json",  # a cottage without photo
]
MANY_PERIODS = "data/49-00037bcf-28e4-3322-b72f-377587204703.json"


def real_file(repository: str, path: str) -> bytes:
    """The file at `path` in the public `repository` (owner+name), from the sample folder or
    a local snapshot; skips the test when neither has it."""
    for folder in SAMPLES:
        if (folder / repository / path).is_file():
            return (folder / repository / path).read_bytes()
    git_dir = MIRRORS / repository / "repo"
    if git_dir.is_dir():
        shown = subprocess.run(  # noqa: S603
            ["git", f"--git-dir={git_dir}", "show", f"HEAD:{path}"],  # noqa: S607
            capture_output=True,
        )
        if shown.returncode == 0:
            return shown.stdout
    pytest.skip(
        f"{repository.replace('+', '/')}:{path} is not on this machine: the real records are "
        "not in this repository; lay them under shared/imports-sample/ (docs/imports.md)"
    )


@pytest.fixture
def real_flow(tmp_path):
    members, index = {}, []
    for name in CED_RECORDS:
        data = real_file(CED, f"data/objects/{name}")
        record = json.loads(data)
        members[f"objects/{name}"] = data
        index.append(
            {"label": "", "lastUpdateDatatourisme": record["lastUpdateDatatourisme"], "file": name}
        )
    data = real_file(FARONTIR, MANY_PERIODS)
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
    path = tmp_path / "apidae.zip"
    path.write_bytes(real_file(APIDAE, "test/data/json_export.zip"))
    source.kind = "apidae"
    source.import_images = False
    source.save()

    run = run_import(actor=None, source=source, path=path)

    assert run.status == "done"
    assert run.created + run.errors == run.seen
    assert run.created >= 1
