import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import VARIABLES, env_int

ROOT = Path(__file__).resolve().parents[2]
PROXY_COUNT_ALIASES = [
    name for name, variable in VARIABLES.items() if variable.deprecated_for == "RELAIS_PROXY_COUNT"
]

PRODUCTION_ENVIRONMENT = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECURE": "1",
    "DJANGO_SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-key-0123456789",
    "DJANGO_ALLOWED_HOSTS": "relais.example.org",
}


def test_production_settings_pass_the_deployment_checks_without_a_warning():
    environment = {**os.environ, **PRODUCTION_ENVIRONMENT}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    script_sources = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert script_sources.split() == ["script-src", "'self'"]
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# Environment variables ------------------------------------------------------------------------


def _readme_variables() -> set[str]:
    """The variables named in the first column of README.md's configuration table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
    return names


def _settings_in_subprocess(environment: dict[str, str], show: str = "''"):
    """Load the settings in a fresh interpreter with only these Relais variables set."""
    clean = {key: value for key, value in os.environ.items() if key not in VARIABLES}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", **environment})
    code = f"import django; django.setup(); from django.conf import settings; print({show})"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_readme_table_lists_exactly_the_variables_the_settings_read():
    read = set(VARIABLES)
    documented = _readme_variables()
    assert read - documented == set(), "read by config/settings.py but not in README.md"
    assert documented - read == set(), "in README.md but not read by config/settings.py"


def test_settings_read_the_environment_only_through_the_typed_readers():
    source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert "os" not in names
    assert not {"environ", "getenv"} & attributes
    # A read under a condition would escape the README check above: every read happens.
    called = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("env_")
    }
    assert called <= set(VARIABLES)


def test_a_variable_cannot_be_read_a_second_time():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_CONN_MAX_AGE is read twice"):
        env_int("DATABASE_CONN_MAX_AGE", 0)


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("DATABASE_CONN_MAX_AGE", "abc", "a whole number"),
        ("RELAIS_CONTACT_EXPIRY_DAYS", "7,5", "a number"),
        ("RELAIS_CONTACT_RATE_PER_IP", "0", "at least 1"),
        ("DJANGO_DEBUG", "peut-être", "on/off"),
        ("RELAIS_API_ANON_RATE", "beaucoup", "120/minute"),
        ("RELAIS_GEOCODER", "google", "'nominatim'"),
        ("LOG_LEVEL", "verbose", "'INFO'"),
        ("DATABASE_URL", "relais.sqlite3", "a database URL"),
        ("RELAIS_NUM_PROXIES", "one", "a whole number"),
    ],
)
def test_a_malformed_value_stops_the_start_with_a_message_naming_the_variable(
    variable, value, expected
):
    result = _settings_in_subprocess({variable: value})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert f"{variable}={value!r}" in last_line
    assert expected in last_line
    assert "ValueError" not in result.stderr


def test_the_settings_start_with_every_variable_unset():
    show = "settings.REST_FRAMEWORK['NUM_PROXIES'], settings.AXES_IPWARE_PROXY_COUNT, " + (
        "settings.SECURE_PROXY_SSL_HEADER, settings.EMAIL_PORT"
    )
    result = _settings_in_subprocess({}, show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "None", "None", "25"]


@pytest.mark.parametrize("variable", ["RELAIS_PROXY_COUNT", *PROXY_COUNT_ALIASES])
def test_one_proxy_count_sets_api_limits_login_throttling_and_tls_detection(variable):
    show = "settings.REST_FRAMEWORK['NUM_PROXIES'], settings.AXES_IPWARE_PROXY_COUNT, " + (
        "settings.SECURE_PROXY_SSL_HEADER"
    )
    result = _settings_in_subprocess({variable: "1"}, show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1 1 ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_deprecated_proxy_counts_that_disagree_stop_the_start():
    result = _settings_in_subprocess({"RELAIS_PROXY_COUNT": "1", "AXES_IPWARE_PROXY_COUNT": "2"})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "RELAIS_PROXY_COUNT=1, AXES_IPWARE_PROXY_COUNT=2 disagree" in last_line


def test_the_deprecated_behind_proxy_switch_still_trusts_the_forwarded_protocol():
    show = "settings.SECURE_PROXY_SSL_HEADER, settings.REST_FRAMEWORK['NUM_PROXIES']"
    result = _settings_in_subprocess({"DJANGO_BEHIND_PROXY": "1"}, show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https') 0"


def test_manage_py_names_the_malformed_variable_too():
    # manage.py imports the settings a second time to report a first failure.
    clean = {key: value for key, value in os.environ.items() if key not in VARIABLES}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "DATABASE_CONN_MAX_AGE": "abc"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "DATABASE_CONN_MAX_AGE='abc' is malformed: expected a whole number" in last_line
