"""Settings for the cooperation tracker, read from the environment (django-environ).

Development defaults are used only when DEBUG is on; with DEBUG off (the default) a
SECRET_KEY must be given and the HTTPS switches below should be set.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form gets the site's page saying what to do (reload, allow cookies).
CSRF_FAILURE_VIEW = "cooperation.errors.csrf_failure"

INSTALLED_APPS = [
    "cooperation.apps.CooperationAdminConfig",  # django.contrib.admin on the project's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "cooperation",
    "projects",
    "labor",
    "evidence",
    "confirmation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Query strings no page can use (NUL bytes, impossible admin dates, runaway searches): 400.
    "cooperation.input_guard.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "cooperation.middleware.CurrentUserMiddleware",
    # Sets the known-device cookie after a login (cooperation/login_throttle.py).
    "cooperation.login_throttle.KnownDeviceMiddleware",
    # Axes must come last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cooperation.urls"
WSGI_APPLICATION = "cooperation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cooperation.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections in production; 0 (close after each request) when debugging.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://cooperation"),
    # Slots of the export limit (cooperation/lists/export_limit.py): shared by every process and
    # app server through a table of the database (made by `migrate`), or a shared Redis.
    "exports": env.cache("EXPORT_CACHE_URL", default="dbcache://export_slots"),
    # How far a background import has come: written by the worker process while its
    # transaction is open, read by the clerk's page. Files in var/ on one server; a shared
    # Redis (PROGRESS_CACHE_URL, or CACHE_URL) for several.
    "progress": env.cache(
        "PROGRESS_CACHE_URL",
        default=env.str("CACHE_URL", default=f"filecache://{BASE_DIR / 'var' / 'progress'}"),
    ),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# zh-hans's own DATE_INPUT_FORMATS never match "2021年4月5日"; ours do (see cooperation/formats).
FORMAT_MODULE_PATH = ["cooperation.formats"]
# Money is shown through the |wan filter instead: a thousand separator would also print "2,021".
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# The admin lives at a configurable path, so it is not where scanners look for it.
ADMIN_URL = (env.str("ADMIN_URL", default="admin/").strip("/") or "admin") + "/"

# Sessions expire after a working day, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# HTTPS switches, on in production behind TLS (see README "Deploying").
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: everything from this site only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login throttling (django-axes, decided by cooperation/login_throttle.py; README "Security"):
# 5 wrong passwords for one account from one address lock that pair; 20 from one address
# over any accounts lock the address; 30 for one account from everywhere lock it for every
# browser it never signed in from. A success clears only its own account at its own address.
AXES_HANDLER = "cooperation.login_throttle.LoginThrottle"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=30)
LOGIN_DEVICE_DAYS = env.int("LOGIN_DEVICE_DAYS", default=180)
# Behind a reverse proxy every request comes from the proxy's address, and one clerk's
# typos would lock the whole office out: with PROXY_COUNT trusted proxies in front, the
# client is the address the outermost of them saw (X-Forwarded-For, counted from the end;
# a client cannot forge the entries our own proxies append).
PROXY_COUNT = env.int("PROXY_COUNT", default=0)


def client_ip_address(request):
    if PROXY_COUNT:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= PROXY_COUNT:
            return hops[-PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")


AXES_CLIENT_IP_CALLABLE = client_ip_address
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# A success clears the failures of the lockout pair only: its own username at its address.
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# A worker is stably employed in a year when employed at least this many months in it
# (a month counts as 30 days; see labor/models.py).
STABLE_EMPLOYMENT_MONTHS = env.int("STABLE_EMPLOYMENT_MONTHS", default=3)

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True

# Concurrent exports (cooperation/lists/export_limit.py); beyond them 429. 0 turns a limit off.
EXPORT_MAX_CONCURRENT = env.int("EXPORT_MAX_CONCURRENT", default=2)  # in all, below --workers
EXPORT_MAX_PER_CLIENT = env.int("EXPORT_MAX_PER_CLIENT", default=2)  # per user / anonymous address
EXPORT_SLOT_SECONDS = env.int("EXPORT_SLOT_SECONDS", default=600)  # a slot's expiry = --timeout

# Background tasks (Django's task framework, the django-tasks backport): large imports run
# in a worker process, started by `make run`, or `manage.py db_worker` (README "Background
# imports"). By default the queue is a table of the database: no other service. With
# TASK_QUEUE_URL=redis://… the queue is RQ on that Redis, for several app servers; its
# workers run `manage.py rqworker default`.
TASK_QUEUE_URL = env.str("TASK_QUEUE_URL", default="")
if TASK_QUEUE_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    INSTALLED_APPS.append("django_rq")  # its `rqworker` command
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RQ_QUEUES = {"default": {"URL": TASK_QUEUE_URL or "redis://127.0.0.1:6379/0"}}
# `rqworker` runs each job through django-tasks' job class (else: "'Task' object is not
# callable", and the import stays queued).
RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
# An admin import of a file this large or larger runs in the background, with a page the
# clerk can leave and come back to; a smaller one is previewed at once.
IMPORT_BACKGROUND_BYTES = env.int("IMPORT_BACKGROUND_BYTES", default=1024 * 1024)
# A background job still queued or running this many hours after it began is said to have
# stalled on its page (its worker may have been stopped).
BACKGROUND_JOB_STALLED_HOURS = env.int("BACKGROUND_JOB_STALLED_HOURS", default=6)
# A signed-in user's XLSX export of this many rows or more is written in the background (CSV
# streams in seconds whatever its size).
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=50_000)
# Uploaded files (imports waiting to be confirmed) are kept here: outside the static root,
# and never served (no MEDIA_URL route). With several app servers, a shared directory.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "files")

# Evidence files (佐证材料, evidence/): at most this many bytes each (PDF, JPEG, PNG, DOCX,
# XLSX, checked from their content). The web server in front must accept a request this large.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)


def evidence_storage(env):
    """The storage of evidence files (STORAGES["evidence"]): the file system under
    EVIDENCE_ROOT (default var/evidence: outside the static root and MEDIA_ROOT, never served
    by the web server), or, with EVIDENCE_S3_BUCKET, an S3-compatible object store through
    django-storages (`pip install .[s3]`; README "Deploying"). Either way files reach a
    browser only through the download view, which checks area and permission."""
    bucket = env.str("EVIDENCE_S3_BUCKET", default="")
    if not bucket:
        root = env.path("EVIDENCE_ROOT", default=BASE_DIR / "var" / "evidence")
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env.str("EVIDENCE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("EVIDENCE_S3_REGION", default="") or None,
            "access_key": env.str("EVIDENCE_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("EVIDENCE_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("EVIDENCE_S3_PREFIX", default="evidence"),
            # Private objects; no URL of the store is ever given to a browser.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES["evidence"] = evidence_storage(env)

# Pages of public lists.
LIST_PAGE_SIZE = 50

# Logs never carry personal data: we log events and record ids, never field values.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django logs request bodies of failing requests at ERROR; keep it at the summary.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
