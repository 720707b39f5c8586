"""Production mode: the settings read from the environment pass `check --deploy` with no
warning, and each HTTPS switch does what the README says."""

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

README = ROOT / "README.md"


def readme_exports():
    """The variables that the README's "Deploying" block exports, exactly as written there
    (an operator copies that block: it must pass the deploy check as it stands)."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Deploying") :]
    start = section.index("```sh") + len("```sh")
    block = section[start : section.index("```", start)]
    found = {}
    for line in block.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line.startswith("export "):
            continue
        for assignment in shlex.split(line[len("export ") :]):
            name, _sep, value = assignment.partition("=")
            found[name] = value
    return found


# What the README's "Deploying" section tells an operator to set; its SECRET_KEY is a
# placeholder, replaced here by one of the right length.
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cooperation.settings",
    **readme_exports(),
    "SECRET_KEY": "k3Yq9-production-like-secret-Vx7mZ2pL8wR4tN6bH1cJ5sD0fG3aE9uQ",
}


def test_the_readme_block_sets_every_https_switch():
    exported = readme_exports()
    for name in (
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
    ):
        assert name in exported, name


def _run(args, **env):
    # Only the variables given: nothing of the developer's shell (or of .env, which fills
    # only what is unset) may make the production check pass by accident.
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(*names, **env):
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: repr(getattr(settings, n, None)) for n in {list(names)!r}}}))"
    )
    result = _run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_production_settings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_the_https_switches_are_off():
    plain = {k: v for k, v in PRODUCTION.items() if not k.startswith(("SECURE_", "SESSION_C"))}
    plain.pop("CSRF_COOKIE_SECURE")
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **plain)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr + result.stdout


def test_debug_off_without_a_secret_key_refuses_to_start():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    env["SECRET_KEY"] = ""
    result = _run(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_read_from_the_environment():
    values = _settings(
        "DEBUG",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "STORAGES",
        "DATABASES",
        "ALLOWED_HOSTS",
        **PRODUCTION,
    )
    assert values["DEBUG"] == "False"
    assert values["SECURE_PROXY_SSL_HEADER"] == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert values["SECURE_HSTS_SECONDS"] == "31536000"
    assert values["SESSION_COOKIE_SECURE"] == values["CSRF_COOKIE_SECURE"] == "True"
    assert values["SECURE_SSL_REDIRECT"] == "True"
    assert "whitenoise.storage.CompressedManifestStaticFilesStorage" in values["STORAGES"]
    assert "'ENGINE': 'django.db.backends.postgresql'" in values["DATABASES"]
    assert "'CONN_MAX_AGE': 60" in values["DATABASES"]
    assert values["ALLOWED_HOSTS"] == "['xiezuo.example.gov.cn']"


def test_without_the_proxy_switch_no_forwarded_header_is_trusted():
    env = {k: v for k, v in PRODUCTION.items() if k != "USE_X_FORWARDED_PROTO"}
    values = _settings("SECURE_PROXY_SSL_HEADER", "DATABASES", CONN_MAX_AGE="0", **env)
    assert values["SECURE_PROXY_SSL_HEADER"] == "None"
    assert "'CONN_MAX_AGE': 0" in values["DATABASES"]


@pytest.mark.django_db
def test_behind_the_proxy_https_requests_are_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/accounts/login/").status_code == 301  # plain http: to https
    response = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
