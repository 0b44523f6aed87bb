"""`manage.py bench_content`: the generator is content/demo/bench_data.py (demo data are not
runtime code)."""

from content.demo.bench_data import Command  # noqa: F401
