"""The shipped deployment files (deploy/) are valid for the tools that read them: the shell
and systemd read env.example, nginx the site file, systemd the units."""

import re
import shutil
import subprocess

import pytest

from tests.deploy_files import (
    DEPLOY,
    ROOT,
    nginx_binary,
    nginx_main_conf,
    render_nginx_site,
    render_units,
    self_signed_certificate,
)

ENV_EXAMPLE = DEPLOY / "env.example"
SETTINGS_READ = re.compile(
    r"""(?:os\.environ\.get|os\.environ\.setdefault|env_bool|env_list)\(\s*["']([A-Z0-9_]+)["']"""
)
requires_nginx = pytest.mark.skipif(
    not (nginx_binary() and shutil.which("openssl")),
    reason="nginx or openssl is not installed (.ci/run installs nginx)",
)


def names_in_env_example() -> set[str]:
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.MULTILINE))


def test_env_example_names_every_variable_the_settings_read():
    read = set()
    for module in (ROOT / "config" / "settings").glob("*.py"):
        read |= set(SETTINGS_READ.findall(module.read_text()))
    assert "SECRET_KEY" in read and "CELERY_BEAT_SCHEDULE_FILENAME" in read
    assert read - names_in_env_example() == set()


def test_env_example_is_valid_shell_with_its_quoted_sender():
    script = f'set -a; . "{ENV_EXAMPLE}"; set +a; printf %s "$DEFAULT_FROM_EMAIL"'
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout == "Morvellec <noreply@territory.example>"
    assert result.stderr == ""


@requires_nginx
def test_nginx_accepts_the_shipped_site_with_tls(tmp_path):
    site = tmp_path / "territory.conf"
    site.write_text(render_nginx_site(certificate=self_signed_certificate(tmp_path)))
    conf = nginx_main_conf(tmp_path, site)
    result = subprocess.run(
        [nginx_binary(), "-t", "-c", str(conf), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@requires_nginx
def test_the_plain_http_variant_the_stack_test_runs_is_valid_too(tmp_path):
    site = tmp_path / "territory.conf"
    site.write_text(render_nginx_site(listen_ports=[18080, 18081, 18082]))
    assert "ssl" not in re.sub(r"#.*", "", site.read_text())
    conf = nginx_main_conf(tmp_path, site)
    result = subprocess.run(
        [nginx_binary(), "-t", "-c", str(conf), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(
    not shutil.which("systemd-analyze"),
    reason="systemd-analyze is absent (no systemd on this machine): the units are not verified",
)
def test_systemd_verifies_the_units(tmp_path):
    units = render_units(tmp_path)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *map(str, units)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_every_service_runs_as_the_territory_user_and_restarts_on_failure():
    services = sorted((DEPLOY / "systemd").glob("*.service"))
    assert len(services) == 4
    for unit in services:
        text = unit.read_text()
        assert "User=territory\n" in text, unit.name
        assert "Restart=on-failure\n" in text, unit.name
        assert "EnvironmentFile=/etc/territory/env\n" in text, unit.name


def test_beat_keeps_its_schedule_in_its_state_directory():
    text = (DEPLOY / "systemd" / "territory-beat.service").read_text()
    assert "StateDirectory=territory\n" in text
    assert "--schedule /var/lib/territory/celerybeat-schedule" in text
