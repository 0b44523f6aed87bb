"""The shipped deployment files (deploy/), rendered for a test: the same files with this
machine's paths and ports, and without TLS where a test has no certificate."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
NGINX_SITE = DEPLOY / "nginx" / "territory.conf"
UNITS = DEPLOY / "systemd"
VENV_BIN = Path(sys.executable).parent


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(path).exists()),
        None,
    )


def render_nginx_site(
    *,
    listen_ports: list[int] | None = None,
    gunicorn: int = 8000,
    daphnes: tuple[int, int] = (8001, 8002),
    media_root: Path | None = None,
    acme_root: Path | None = None,
    certificate: tuple[Path, Path] | None = None,
) -> str:
    """The site file with this test's values. With `listen_ports`, every server listens on
    plain HTTP on 127.0.0.1, on those ports in the file's order (the port-80 block, the site,
    the media domain), and the lines marked "tls" are left out; otherwise TLS stays, with
    `certificate` (fullchain, key) in place of Let's Encrypt's files."""
    text = NGINX_SITE.read_text()
    ports = {"8000": gunicorn, "8001": daphnes[0], "8002": daphnes[1]}
    text = re.sub(r"127\.0\.0\.1:(800[012]);", lambda m: f"127.0.0.1:{ports[m[1]]};", text)
    if media_root:
        text = text.replace("/srv/territory/media", str(media_root))
    if acme_root:
        text = text.replace("/var/www/letsencrypt", str(acme_root))
    if certificate:
        fullchain, key = certificate
        text = re.sub(r"/etc/letsencrypt/live/[^/]+/fullchain\.pem", str(fullchain), text)
        text = re.sub(r"/etc/letsencrypt/live/[^/]+/privkey\.pem", str(key), text)
    if listen_ports is not None:
        listen = iter(listen_ports)
        lines = []
        for line in text.splitlines():
            if line.rstrip().endswith("# tls"):
                continue
            if re.match(r"\s*listen \[::\]:", line):
                continue
            if re.match(r"\s*listen (80|443)\b", line):
                line = f"    listen 127.0.0.1:{next(listen)};"
            lines.append(line)
        text = "\n".join(lines) + "\n"
    return text


def nginx_main_conf(folder: Path, site: Path, *, daemon: bool = False) -> Path:
    """An nginx.conf that keeps everything (pid, logs, temporary files) in `folder` and
    includes the site file, as Debian's /etc/nginx/nginx.conf includes sites-enabled/."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / name).mkdir(exist_ok=True)
    conf = folder / "nginx.conf"
    # As root, nginx's workers would run as "nobody", who cannot read a test's private folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(
        f"""{user}daemon {"on" if daemon else "off"};
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
worker_processes 1;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    log_format upstream '$remote_addr "$request" $status upstream=$upstream_addr';
    access_log {folder}/access.log upstream;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {site};
}}
"""
    )
    return conf


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    fullchain, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=territory.example", "-keyout", str(key), "-out", str(fullchain)),
        ],
        check=True,
        capture_output=True,
    )
    return fullchain, key


def render_units(folder: Path, *, daphne_ports=(8001, 8002)) -> list[Path]:
    """The unit files with this checkout and this virtualenv in place of /srv/territory's,
    and the Daphne template instantiated once per port, as systemd would."""
    rendered = []
    for unit in sorted(UNITS.iterdir()):
        text = unit.read_text()
        text = text.replace("/srv/territory/venv/bin", str(VENV_BIN))
        text = text.replace("/srv/territory/app", str(ROOT))
        if unit.name.endswith("@.service"):
            for port in daphne_ports:
                path = folder / unit.name.replace("@.", f"@{port}.")
                path.write_text(text)
                rendered.append(path)
        else:
            path = folder / unit.name
            path.write_text(text)
            rendered.append(path)
    return rendered
