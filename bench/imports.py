"""Open tourism data import benchmark (issue 20): a whole DATAtourisme flow, imported twice.

Run it with `.venv/bin/python bench/imports.py --flow PATH/TO/flow.zip` (or `--from-git DIR`
to pack the flow from a clone of the public repository AlexChanson/Datatourisme_CED, whose
data/ folder is a 2020 flow of 2,550 objects; see docs/imports.md). It:

1. uses its own SQLite file, bench/results/imports.sqlite3, made afresh, unless DATABASE_URL
   is set (then that database is used, and said so);
2. measures the baseline in the same process: creating and publishing bare destination pages
   with Wagtail's own calls (add_child, save_revision, publish), which any page the import
   creates pays too;
3. imports the flow (photos left out: no request leaves the machine), then imports it again
   unchanged, counting page revisions before and after the second run;
4. samples the process's resident memory (RSS, from /proc) during both runs;
5. prints records per second for both runs (the first also per second of the process's own
   CPU time, which a shared machine's load disturbs less), the ratio of the first to the
   baseline, the revisions created by the second run and the peak RSS, against the goals
   (first run >= 50 records/s, second >= 1,000 records/s with no revision, peak RSS < 300
   MiB), and writes bench/results/imports.json.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == HERE:
    sys.path[0] = ROOT

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402  # nosec B404 - git archive of a local clone
import tempfile  # noqa: E402
import time  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

RESULTS = Path(HERE) / "results"
DB_FILE = RESULTS / "imports.sqlite3"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
MiB = 1024 * 1024


def rss() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * PAGE_SIZE


def pack_flow(git_dir: str, target: Path) -> Path:
    """The data/ folder of a clone (or bare git directory) of Datatourisme_CED as a flow zip:
    index.json, context.jsonld and objects/ at its root, as the platform delivers them."""
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(  # noqa: S603
            ["git", f"--git-dir={git_dir}", "archive", "HEAD", "data/index.json", "data/objects"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "x", "-C", folder], input=archive, check=True)  # noqa: S603, S607
        data = Path(folder) / "data"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as flow:
            for path in sorted(data.rglob("*")):
                if path.is_file():
                    flow.write(path, path.relative_to(data).as_posix())
    return target


def first_records(flow: Path, limit: int, target: Path) -> Path:
    """The flow at `flow` cut to the first `limit` records of its index."""
    with zipfile.ZipFile(flow) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as cut:
        index = json.loads(source.read("index.json"))[:limit]
        cut.writestr("index.json", json.dumps(index))
        for item in index:
            cut.writestr("objects/" + item["file"], source.read("objects/" + item["file"]))
    return target


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flow", help="a DATAtourisme flow zip")
    parser.add_argument("--from-git", help="a git directory of AlexChanson/Datatourisme_CED")
    parser.add_argument("--baseline-pages", type=int, default=100)
    parser.add_argument(
        "--limit",
        type=int,
        help="import only the flow's first N records (a loaded machine cannot do 2,550 in "
        "the time at hand); the figures are per record either way",
    )
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    if args.flow:
        flow = Path(args.flow)
    elif args.from_git:
        flow = pack_flow(args.from_git, RESULTS / "datatourisme_ced_flow.zip")
    else:
        parser.error("give --flow or --from-git")
    if args.limit:
        flow = first_records(flow, args.limit, RESULTS / f"flow_first_{args.limit}.zip")

    if "DATABASE_URL" in os.environ:
        print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]} (from DATABASE_URL)")
    else:
        DB_FILE.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from wagtail.models import Revision

    call_command("migrate", verbosity=0)
    from content.imports.models import ImportedRecord, ImportSource
    from content.imports.services import run_import
    from content.models import DestinationIndexPage, DestinationPage, EventIndexPage, HomePage

    home = HomePage.objects.get(depth=2)

    def section(model, slug):
        page = model.objects.child_of(home).first()
        if page is None:
            page = home.add_child(instance=model(title=slug.title(), slug=slug))
            page.save_revision().publish()
        return page

    places = section(DestinationIndexPage, "destinations")
    events = section(EventIndexPage, "events")

    # Baseline: bare pages through Wagtail's own calls.
    started, cpu_started = time.perf_counter(), time.process_time()
    for n in range(args.baseline_pages):
        page = places.add_child(
            instance=DestinationPage(title=f"Baseline {n}", slug=f"baseline-{n}")
        )
        page.save_revision(clean=False).publish()
    baseline_rate = args.baseline_pages / (time.perf_counter() - started)
    baseline_cpu_rate = args.baseline_pages / (time.process_time() - cpu_started)

    ImportSource.objects.filter(name="bench").delete()
    source = ImportSource.objects.create(
        name="bench",
        places_parent=places,
        events_parent=events,
        publish=True,
        import_images=False,
        daily=False,
    )
    peak = {"rss": rss()}

    def sample(progress):
        peak["rss"] = max(peak["rss"], rss())

    start_rss = rss()
    started, cpu_started = time.perf_counter(), time.process_time()
    first = run_import(actor=None, source=source, path=flow, progress=sample)
    first_seconds = time.perf_counter() - started
    first_cpu = time.process_time() - cpu_started
    revisions = Revision.objects.count()
    started = time.perf_counter()
    second = run_import(actor=None, source=source, path=flow, progress=sample)
    second_seconds = time.perf_counter() - started
    new_revisions = Revision.objects.count() - revisions
    peak["rss"] = max(peak["rss"], rss())
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    figures = {
        "flow": str(flow),
        "records": first.seen,
        "baseline_pages_per_s": round(baseline_rate, 1),
        "baseline_pages_per_cpu_s": round(baseline_cpu_rate, 1),
        "first": {
            "seconds": round(first_seconds, 1),
            "records_per_s": round(first.seen / first_seconds, 1),
            "cpu_seconds": round(first_cpu, 1),
            "records_per_cpu_s": round(first.seen / first_cpu, 1),
            "created": first.created,
            "errors": first.errors,
        },
        "second": {
            "seconds": round(second_seconds, 2),
            "records_per_s": round(second.seen / second_seconds, 1),
            "unchanged": second.unchanged,
            "revisions_created": new_revisions,
        },
        "rss_start_mib": round(start_rss / MiB, 1),
        "rss_peak_sampled_mib": round(peak["rss"] / MiB, 1),
        "rss_peak_process_mib": round(max_rss / MiB, 1),
        "pages": ImportedRecord.objects.filter(source=source).count(),
        "load_average": os.getloadavg(),
    }
    first_rate = figures["first"]["records_per_s"]
    second_rate = figures["second"]["records_per_s"]
    print(f"flow: {flow} ({first.seen} records)")
    print(f"baseline (bare page created + published): {baseline_rate:.1f} pages/s")
    print(
        f"first import:  {first_rate:8.1f} records/s ({first_seconds:.1f} s, "
        f"{first_rate / baseline_rate:.2f}x the baseline; {first.created} created, "
        f"{first.errors} errors)   goal >= 50"
    )
    print(
        f"  per CPU second (the process's own time, less sensitive to a shared machine's "
        f"load): {first.seen / first_cpu:.1f} records/s against {baseline_cpu_rate:.1f} "
        f"baseline pages/s ({first.seen / first_cpu / baseline_cpu_rate:.2f}x)"
    )
    print(
        f"second import: {second_rate:8.1f} records/s ({second_seconds:.2f} s, "
        f"{second_rate / baseline_rate:.0f}x the baseline; {second.unchanged} unchanged, "
        f"{new_revisions} revisions)   goal >= 1000, 0 revisions"
    )
    print(
        f"memory: peak RSS {max_rss / MiB:.0f} MiB (sampled during the runs "
        f"{peak['rss'] / MiB:.0f} MiB; {start_rss / MiB:.0f} MiB before)   goal < 300 MiB"
    )
    print(f"load average: {os.getloadavg()[0]:.1f}")
    (RESULTS / "imports.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
