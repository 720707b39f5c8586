"""`make run` serves the site on 127.0.0.1:8000, or on the port asked for with PORT=."""

import os
import shutil
import subprocess

import pytest
from django.conf import settings


@pytest.mark.skipif(not shutil.which("make"), reason="make missing")
@pytest.mark.parametrize(
    ("args", "address"), [([], "127.0.0.1:8000"), (["PORT=8001"], "127.0.0.1:8001")]
)
def test_make_run_serves_on_the_port_asked_for(args, address):
    # Run from `make test` too: no inherited make variables, no "Entering directory" lines.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PORT", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")
    }
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "--dry-run", "run", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    serve = [line for line in dry_run.splitlines() if "manage.py runserver" in line]
    assert serve and serve[-1].endswith(f"manage.py runserver {address}"), dry_run
