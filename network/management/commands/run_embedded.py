"""`make run`'s server: Daphne, a Celery worker and Celery beat, stopped together.

Without Redis the three share kombu's file-system broker under STATE_DIR (no server to
start); with REDIS_URL they use Redis, as in production. Ctrl+C (or SIGTERM) stops all
three: each gets SIGTERM (Celery's warm shutdown finishes the task at hand), then SIGKILL if
it is still there after the grace period. If one of them dies, the others are stopped too,
so a half-running demo never goes unnoticed.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Serve the site with Daphne, and run a Celery worker and beat beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-workers",
            action="store_true",
            help="Daphne alone, tasks run inline (eager) as in the tests.",
        )

    def handle(self, *args, host, port, no_workers=False, **options):
        state_dir = Path(settings.STATE_DIR)
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
        bin_dir = Path(sys.executable).parent
        commands = {
            "web": [
                str(bin_dir / "daphne"),
                *("-b", host, "-p", str(port)),
                "config.asgi:application",
            ]
        }
        if not no_workers:
            env["EMBEDDED_WORKERS"] = "1"
            for folder in ("broker/queue", "broker/control"):
                (state_dir / folder).mkdir(parents=True, exist_ok=True)
            celery = [str(bin_dir / "celery"), "-A", "config"]
            commands["worker"] = [
                *celery,
                "worker",
                # One process, one task at a time: the demo's jobs are small, and SQLite
                # takes one writer at a time anyway.
                *("--pool", "solo", "--loglevel", "INFO"),
                *("--without-mingle", "--without-gossip", "--without-heartbeat"),
            ]
            commands["beat"] = [
                *celery,
                "beat",
                *("--loglevel", "INFO"),
                *("--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME),
            ]
        self.children: dict[str, subprocess.Popen] = {}
        stopping = False

        def stop(signum=None, frame=None):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGHUP, stop)  # the terminal closed
        for name, command in commands.items():
            # A session of its own: Ctrl+C reaches this process only, which then stops each
            # child once (a second SIGINT would make Celery skip its warm shutdown).
            self.children[name] = subprocess.Popen(  # noqa: S603 - fixed arguments
                command, env=env, start_new_session=True
            )
            self.stdout.write(f"Started {name} (pid {self.children[name].pid})")
        failed = None
        while not stopping and failed is None:
            for name, child in self.children.items():
                if child.poll() is not None:
                    failed = name
                    break
            time.sleep(0.2)
        if failed:
            self.stderr.write(
                f"{failed} stopped (exit code {self.children[failed].returncode}); "
                "stopping the others."
            )
        self.stop_children()
        if failed:
            sys.exit(1)

    def stop_children(self):
        for child in self.children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + GRACE_SECONDS
        for name, child in self.children.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{name} did not stop in {GRACE_SECONDS} s: killed.")
                child.kill()
                child.wait()
        self.stdout.write("Stopped.")
