"""`manage.py bench_network_data`: the generator is network/demo/bench_data.py (demo data are not
runtime code)."""

from network.demo.bench_data import Command  # noqa: F401
