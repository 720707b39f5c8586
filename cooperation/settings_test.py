"""Settings for the test suite: the production settings with test-only conveniences."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")

from .settings import *  # noqa: E402,F403

# Hashed static storage needs collectstatic; templates in tests use plain storage.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Evidence files of tests go to a directory of their own, never to var/ (tests/evidence
    # give each test its own tmp_path on top of this).
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="evidence-tests-")},
    },
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Serve static files from the finders (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
# The export limit's slots in memory: its tests hold an export open in a second thread,
# which a database cache would lock out of the test's transaction. The database cache
# itself is tested in tests/security/test_export_limit.py.
CACHES = {**CACHES, "exports": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
