"""Settings for the foreign-affairs records system, read from the environment.

Every value has a development default that is safe to run on a laptop; production
sets ``DJANGO_DEBUG=0`` and supplies its own secrets (see README.md).
"""

import datetime
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off.")


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number.") from None


def env_float(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number.") from None


DEBUG = env_bool("DJANGO_DEBUG", True)


def development_secret_key():
    """A random key kept in a git-ignored file, so development sessions survive."""
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def check_production_secret(key):
    """Refuse to run in production on a key an attacker could guess."""
    if not key:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0 (production)."
        )
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is too weak: use at least 50 random characters, e.g. "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not DEBUG:
    check_production_secret(SECRET_KEY)
elif not SECRET_KEY:
    SECRET_KEY = development_secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Before the admin, so its translated fields are registered when the admin is.
    "modeltranslation",
    # Django's admin, with the office's own site as its default site.
    "partnerships.apps.PartnershipsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_countries",
    "django_filters",
    # Before import_export, so our safer "import" and "export" commands win.
    "partnerships",
    "import_export",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First to see a request, last to touch its response: compresses public pages.
    "foreignaffairs.requests.PublicGZipMiddleware",
    "foreignaffairs.requests.StripNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Once the user is known (for their caps), before any view reads the body
    # (CSRF reads it only when the view is called).
    "foreignaffairs.requests.BodyLimitMiddleware",
    "partnerships.accounts.sessions.SessionIdleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "partnerships.accounts.two_factor.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, loading the user's two-factor group with the user.
    "partnerships.accounts.two_factor.TwoFactorAwareBackend",
]

ROOT_URLCONF = "foreignaffairs.urls"
CSRF_FAILURE_VIEW = "foreignaffairs.errors.csrf_failure"

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
            ],
        },
    },
]

WSGI_APPLICATION = "foreignaffairs.wsgi.application"

# SQLite in the project folder needs no server; DATABASE_URL=postgres://... selects
# PostgreSQL through psycopg 3.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Staff sessions end after this long without a request (8 hours by default),
# renewed at most every SESSION_REFRESH_SECONDS (partnerships.accounts.sessions).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_SECONDS", 8 * 60 * 60)
# At most half the idle time, or an active session could run out between renewals.
SESSION_REFRESH_SECONDS = min(
    env_int("DJANGO_SESSION_REFRESH_SECONDS", 5 * 60), SESSION_COOKIE_AGE // 2
)

# Security headers. HTTPS-only settings follow DEBUG: on in production, off on a
# developer's http://127.0.0.1. Each can be overridden from the environment.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only our own scripts, styles and images; no
# inline script or style, no framing, no plugins. data: images are the QR code of
# the two-factor set-up and the admin's icons.
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
    }
}

# How many proxies of ours stand in front of the site (0: clients connect directly).
# Only then are X-Forwarded-* headers believed, and only the entries they added.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXIES", 0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Login protection (django-axes): failures are counted per user name and address,
# so an attacker is locked out without locking out colleagues behind the same proxy.
# After signing in, and instead of an unsafe ``next`` (another site's address),
# the admin's index: the site has no /accounts/profile/.
LOGIN_REDIRECT_URL = "admin:index"
LOGIN_URL = "admin:login"

AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 30)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Wider limits over the same cool-off time: failures from one address across
# all user names (password spraying), and for one user name across all
# addresses (partnerships/accounts/login_protection.py).
LOGIN_FAILURES_PER_ADDRESS = env_int("DJANGO_LOGIN_FAILURES_PER_ADDRESS", 20)
LOGIN_FAILURES_PER_USER = env_int("DJANGO_LOGIN_FAILURES_PER_USER", 20)
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "partnerships.accounts.login_protection.client_ip"
AXES_LOCKOUT_CALLABLE = "partnerships.accounts.login_protection.lockout_response"
AXES_VERBOSE = False
# The lockout's status (django-axes' default), which our lockout page answers with too.
AXES_HTTP_RESPONSE_CODE = 429

# Two-factor sign-in is optional for staff; set this to require it of all of them
# (an Administrator can also require it of some, through the group "Two-factor
# required").
PARTNERSHIPS_REQUIRE_TWO_FACTOR = env_bool("PARTNERSHIPS_REQUIRE_TWO_FACTOR", False)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Partnership records")

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Records' own texts (django-modeltranslation): one column per language, named
# <field>_en, <field>_zh_hans, <field>_ru. A text missing in the reader's language
# falls back to English, then to any language the record has (and the page says so).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "zh-hans", "ru")}
# Slugs are made from the English name, whatever the clerk's language.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"
_LANGUAGE_LABELS = {"en": "English", "zh-hans": "Chinese", "ru": "Russian"}


def _localized_verbose_name(verbose_name, language):
    """A per-language field's label, in the reader's language: "title (Chinese)"."""
    from django.utils.translation import gettext

    return f"{verbose_name} ({gettext(_LANGUAGE_LABELS.get(language, language))})"


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = _localized_verbose_name
# Our own input formats per language (ISO dates only): see foreignaffairs/formats/.
FORMAT_MODULE_PATH = ["foreignaffairs.formats"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "partnerships@localhost"
)

# A partnership with no visit for this many years has "gone quiet"; anniversaries
# that are a multiple of the step count as round ones.
PARTNERSHIPS_QUIET_AFTER_YEARS = env_int("PARTNERSHIPS_QUIET_AFTER_YEARS", 3)
PARTNERSHIPS_ROUND_ANNIVERSARY_STEP = env_int("PARTNERSHIPS_ROUND_ANNIVERSARY_STEP", 5)

# The office's name in each language, on the period report's cover, in the
# footer of every printed sheet and on every public page. Administrators edit it
# in the admin's site settings; these fill in what those leave empty (no settings
# saved, or a language without a name). Read only through partnerships.office.
PARTNERSHIPS_OFFICE_NAME = {
    "en": os.environ.get(
        "PARTNERSHIPS_OFFICE_NAME_EN",
        "Foreign Affairs Office of Chongqing Municipal People's Government",
    ),
    "zh-hans": os.environ.get(
        "PARTNERSHIPS_OFFICE_NAME_ZH_HANS", "重庆市人民政府外事办公室"
    ),
    "ru": os.environ.get(
        "PARTNERSHIPS_OFFICE_NAME_RU",
        "Канцелярия по иностранным делам Народного правительства города Чунцин",
    ),
}

# Requests from the public (the contact form, partnerships/public/contact.py):
# their personal data is erased this many months after they arrive (`manage.py
# purge_requests`; the privacy notice states it), and one address (a client's,
# or an e-mail address) may send at most PARTNERSHIPS_REQUESTS_PER_HOUR an hour.
PARTNERSHIPS_REQUEST_RETENTION_MONTHS = env_int(
    "PARTNERSHIPS_REQUEST_RETENTION_MONTHS", 24
)
PARTNERSHIPS_REQUESTS_PER_HOUR = env_int("PARTNERSHIPS_REQUESTS_PER_HOUR", 5)

# A partner city's office confirms a record through a signed link
# (partnerships/confirmations.py): the link works for this many days. Links in
# e-mails sent outside a request (no address to read) start with
# PARTNERSHIPS_SITE_URL, the site's public address.
PARTNERSHIPS_CONFIRMATION_DAYS = env_int("PARTNERSHIPS_CONFIRMATION_DAYS", 30)
PARTNERSHIPS_SITE_URL = os.environ.get(
    "PARTNERSHIPS_SITE_URL", "http://localhost:8000"
).rstrip("/")

# LibreOffice, which turns the period report into a PDF: the program's path, or
# empty to look for "soffice" on the PATH. Without it the report is XLSX only.
# The conversion is stopped after PARTNERSHIPS_PDF_TIMEOUT_SECONDS.
PARTNERSHIPS_SOFFICE = os.environ.get("PARTNERSHIPS_SOFFICE", "")
PARTNERSHIPS_PDF_TIMEOUT_SECONDS = env_int("PARTNERSHIPS_PDF_TIMEOUT_SECONDS", 120)

# Spreadsheets (django-import-export): import and export each need their own
# permission (partnerships.import_visit, partnerships.export_visit ...); uploads
# larger than PARTNERSHIPS_IMPORT_MAX_BYTES are refused.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
PARTNERSHIPS_IMPORT_MAX_BYTES = env_int(
    "PARTNERSHIPS_IMPORT_MAX_BYTES", 10 * 1024 * 1024
)
# What an XLSX upload may unpack to before it is refused as a zip bomb. 0 follows the
# upload limit: 20 times PARTNERSHIPS_IMPORT_MAX_BYTES, and never under 50 MB.
PARTNERSHIPS_IMPORT_MAX_UNPACKED_BYTES = env_int(
    "PARTNERSHIPS_IMPORT_MAX_UNPACKED_BYTES", 0
)
# An admin import longer than this is sent to the command line (manage.py import).
PARTNERSHIPS_IMPORT_MAX_WEB_ROWS = env_int("PARTNERSHIPS_IMPORT_MAX_WEB_ROWS", 20000)
# The admin's import preview shows this many rows' values (and every error).
PARTNERSHIPS_IMPORT_PREVIEW_ROWS = env_int("PARTNERSHIPS_IMPORT_PREVIEW_ROWS", 100)
# The cache holds whole public pages (partnerships/public/cache.py), shared by every app
# server through Redis when REDIS_URL is set; local memory (one process) otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "foreignaffairs"),
            # A cache that does not answer is given up on quickly: pages are then
            # built uncached (partnerships/public/cache.py).
            "OPTIONS": {
                "socket_connect_timeout": env_float("DJANGO_CACHE_TIMEOUT", 0.25),
                "socket_timeout": env_float("DJANGO_CACHE_TIMEOUT", 0.25),
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
if not REDIS_URL:
    # Local memory is one worker's own: the pages' generation number goes where
    # every worker of this machine sees it, so a change renews all their pages.
    CACHES["page-generation"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get(
            "DJANGO_PAGE_GENERATION_DIR",
            str(Path(tempfile.gettempdir()) / f"foreignaffairs-{os.getuid()}"),
        ),
    }
# Left by a process that could not renew the cached pages while the cache was
# down, so that every process renews them once it is back (one machine shares
# this file; app servers on several machines need a path they all share).
PARTNERSHIPS_PAGE_RENEWAL_MARKER = os.environ.get(
    "DJANGO_PAGE_RENEWAL_MARKER",
    str(Path(tempfile.gettempdir()) / f"foreignaffairs-{os.getuid()}-renew-pages"),
)
# How long a cached public page may live at most (0: no page cache). Any change to
# a record makes every cached page out of date at once, whatever this says.
PARTNERSHIPS_PAGE_CACHE_SECONDS = env_int("PARTNERSHIPS_PAGE_CACHE_SECONDS", 600)
# An import's preview and its confirmation may reach different app servers: with
# Redis the uploaded file waits in the shared cache between the two (for a day at
# most), not on one server's disk. Without it, django-import-export's temporary folder.
if REDIS_URL:
    IMPORT_EXPORT_TMP_STORAGE_CLASS = (
        "partnerships.spreadsheets.previews.SharedTmpStorage"
    )
# Kosovo has no ISO 3166 code yet; XK is the user-assigned code in common use.
COUNTRIES_OVERRIDE = {"XK": _("Kosovo")}

# Uploads: a photo or a signed document larger than this is refused.
PARTNERSHIPS_PHOTO_MAX_BYTES = env_int("PARTNERSHIPS_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
PARTNERSHIPS_DOCUMENT_MAX_BYTES = env_int(
    "PARTNERSHIPS_DOCUMENT_MAX_BYTES", 25 * 1024 * 1024
)

# A replaced photo or document stays on disk while a history row or a pending
# draft points to it; one nothing points to is removed by
# `manage.py remove_orphan_files` once older than this many days.
PARTNERSHIPS_ORPHAN_FILE_DAYS = env_int("PARTNERSHIPS_ORPHAN_FILE_DAYS", 30)

# The largest request body each kind of address takes, refused with 413 before it
# is read (foreignaffairs/requests.py): public pages and the sign-in a few
# kilobytes; the admin's forms more; uploads the largest file a form accepts,
# and a margin for the form around it.
REQUEST_MAX_PUBLIC_BYTES = env_int("DJANGO_REQUEST_MAX_PUBLIC_BYTES", 16 * 1024)
# The contact form alone takes more: a message of 5,000 Chinese characters is
# 15 KB in UTF-8, and 45 KB once a browser has percent-encoded it.
REQUEST_MAX_CONTACT_BYTES = env_int("DJANGO_REQUEST_MAX_CONTACT_BYTES", 64 * 1024)
# A partner's answer to a confirmation request: a comment and corrections of up
# to ten texts, each up to 5,000 characters.
REQUEST_MAX_CONFIRM_BYTES = env_int("DJANGO_REQUEST_MAX_CONFIRM_BYTES", 256 * 1024)
REQUEST_MAX_STAFF_BYTES = env_int("DJANGO_REQUEST_MAX_STAFF_BYTES", 2 * 1024 * 1024)
REQUEST_MAX_UPLOAD_BYTES = env_int(
    "DJANGO_REQUEST_MAX_UPLOAD_BYTES",
    max(
        PARTNERSHIPS_IMPORT_MAX_BYTES,
        PARTNERSHIPS_PHOTO_MAX_BYTES,
        PARTNERSHIPS_DOCUMENT_MAX_BYTES,
    )
    + 1024 * 1024,
)
# What Django itself reads of a form without files (its own cap, below ours).
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_STAFF_BYTES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No log line names a secret link (foreignaffairs/access_log.py): every
    # handler filters, Django's own loggers included (their default handlers,
    # which would print "Gone: /confirm/<token>/" and the development server's
    # request lines as they are, are replaced here).
    "filters": {"secrets": {"()": "foreignaffairs.access_log.RedactSecrets"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": [], "level": "WARNING", "propagate": True},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
