"""Which storage keeps evidence files is chosen by the environment (no network here: only
the chosen backend's settings are checked)."""

import environ

from cooperation.settings import BASE_DIR, evidence_storage

S3 = (
    "EVIDENCE_S3_BUCKET",
    "EVIDENCE_S3_ENDPOINT_URL",
    "EVIDENCE_S3_REGION",
    "EVIDENCE_S3_ACCESS_KEY_ID",
    "EVIDENCE_S3_SECRET_ACCESS_KEY",
    "EVIDENCE_S3_PREFIX",
    "EVIDENCE_ROOT",
)


def clean_env(monkeypatch, **values):
    for name in S3:
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return environ.Env()


def test_the_file_system_under_var_evidence_by_default(monkeypatch):
    chosen = evidence_storage(clean_env(monkeypatch))
    assert chosen == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(BASE_DIR / "var" / "evidence")},
    }


def test_evidence_root_moves_it(monkeypatch, tmp_path):
    chosen = evidence_storage(clean_env(monkeypatch, EVIDENCE_ROOT=str(tmp_path)))
    assert chosen["OPTIONS"]["location"] == str(tmp_path)


def test_a_bucket_selects_s3_with_private_objects(monkeypatch):
    chosen = evidence_storage(
        clean_env(
            monkeypatch,
            EVIDENCE_S3_BUCKET="hanbin-evidence",
            EVIDENCE_S3_ENDPOINT_URL="https://oss-cn-hangzhou.aliyuncs.com",
            EVIDENCE_S3_ACCESS_KEY_ID="key",
            EVIDENCE_S3_SECRET_ACCESS_KEY="secret",
        )
    )
    assert chosen["BACKEND"] == "storages.backends.s3.S3Storage"
    options = chosen["OPTIONS"]
    assert options["bucket_name"] == "hanbin-evidence"
    assert options["endpoint_url"] == "https://oss-cn-hangzhou.aliyuncs.com"
    assert (options["access_key"], options["secret_key"]) == ("key", "secret")
    assert (options["default_acl"], options["querystring_auth"], options["file_overwrite"]) == (
        "private",
        True,
        False,
    )
    assert options["location"] == "evidence"
    assert options["region_name"] is None


def test_tests_never_write_to_var(settings):
    location = settings.STORAGES["evidence"]["OPTIONS"]["location"]
    assert not location.startswith(str(BASE_DIR / "var"))
