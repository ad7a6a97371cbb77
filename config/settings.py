"""Relais settings: one module, driven by environment variables (see README.md)."""

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

# Every variable is read here once, through a typed reader that names it when its value is
# malformed; README.md's configuration table lists them all (tests/config/test_settings.py).
from config.env import (
    env_bool,
    env_choice,
    env_database_url,
    env_float,
    env_int,
    env_list,
    env_log_level,
    env_rate,
    env_str,
    start_reading,
)

# After a failed first import (a malformed value), Django imports this module again to report
# the error: the second run must not count as a second read of every variable.
start_reading()

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
# DJANGO_SECURE=1 in production (behind TLS): secure cookies, HSTS, HTTPS redirects and hashed
# static files. Off by default so that a laptop and the test client can use plain http.
SECURE = env_bool("DJANGO_SECURE", False)
# The fallback key only ever serves a developer's laptop; production sets DJANGO_SECRET_KEY.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "relais-insecure-development-key-change-me")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Reverse proxies ------------------------------------------------------------------------------
# The client's address is REMOTE_ADDR or, behind RELAIS_PROXY_COUNT trusted proxies (1 behind
# nginx), that many hops from the right of X-Forwarded-For. One number serves API limits
# (REST_FRAMEWORK["NUM_PROXIES"]) and login throttling (AXES_IPWARE_PROXY_COUNT), and a trusted
# proxy's X-Forwarded-Proto says whether the request came over TLS. The variables that each of
# those read before are deprecated aliases; given together, they must agree.
RELAIS_PROXY_COUNT = env_int(
    "RELAIS_PROXY_COUNT",
    0,
    minimum=0,
    aliases=("RELAIS_NUM_PROXIES", "AXES_IPWARE_PROXY_COUNT"),
)
# Deprecated: the request header the public contact form takes the client's address from
# ("HTTP_X_REAL_IP"); only a header the proxy always overwrites is safe. It will give way to
# RELAIS_PROXY_COUNT when the contact form's limits read the client's address by the rule above.
RELAIS_CLIENT_IP_HEADER = env_str("RELAIS_CLIENT_IP_HEADER", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "maps",
    "network",
    "directory",
    # After network: its `db_worker` command (which recovers interrupted tasks) wins over theirs.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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

DATABASES = {
    "default": env_database_url(
        "DATABASE_URL",
        f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
        # A kept connection is checked before reuse, so a restarted database costs no error.
        conn_health_checks=True,
    )
}
# Read whatever the engine, so that every variable is checked even where it does not apply.
RELAIS_SQLITE_BUSY_TIMEOUT = env_float("RELAIS_SQLITE_BUSY_TIMEOUT", 10, minimum=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing at once with "database is locked": every
    # transaction takes the write lock when it begins (IMMEDIATE), so none has to upgrade a read
    # lock mid-way, which SQLite refuses without waiting. WAL lets pages be read while a request
    # is written. The wait stays well under gunicorn's 30 s timeout even with the retries of
    # network.services.busy, so a client always gets an answer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": RELAIS_SQLITE_BUSY_TIMEOUT,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
# A write that finds the database busy (SQLite's lock) is tried again this many times, as long
# as this many seconds have not passed since the first try; then the citizen gets a clear 503.
RELAIS_DATABASE_BUSY_RETRIES = env_int("RELAIS_DATABASE_BUSY_RETRIES", 3, minimum=0)
RELAIS_DATABASE_BUSY_BUDGET_SECONDS = env_float(
    "RELAIS_DATABASE_BUSY_BUDGET_SECONDS", 15, minimum=0
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory on a laptop; REDIS_URL gives several workers one shared cache (rate limits).
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Accounts ---------------------------------------------------------------------------------
# Members log in with their e-mail address (matched case-insensitively); axes comes first so a
# locked-out client is refused before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "network.auth.EmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "network:login"
LOGIN_REDIRECT_URL = "network:dashboard"
LOGOUT_REDIRECT_URL = "directory:search"
# Password reset links (Django's default is 3 days) and invitation links.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
RELAIS_INVITATION_TIMEOUT_DAYS = env_int("RELAIS_INVITATION_TIMEOUT_DAYS", 14, minimum=1)

# Login throttling: 5 failures for one e-mail from one address lock it out for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "network.members.views.lockout_response"
AXES_USERNAME_CALLABLE = "network.members.auth.axes_username"
# The client's address, as login throttling reads it (see "Reverse proxies" above). django-axes
# reads this only through django-ipware; without it, it takes REMOTE_ADDR.
AXES_IPWARE_PROXY_COUNT = RELAIS_PROXY_COUNT or None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
# French first; tests/config/test_translations.py keeps the other three complete.
LANGUAGES = [
    ("fr", _("Français")),
    ("en", _("English")),
    ("nl", _("Nederlands")),
    ("de", _("Deutsch")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Leaflet and its marker-cluster plugin come from their XStatic packages and are served by the
# site itself (never a CDN), under static/vendor/ (see maps/staticfiles.py).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "maps.staticfiles.XStaticFinder",
]
# Uploaded files (resource PDFs). In production nginx serves MEDIA_ROOT at MEDIA_URL.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("RELAIS_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# In production, hashed and compressed file names let browsers cache assets forever
# (needs `collectstatic`); a laptop and the tests serve them straight from the finders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if SECURE
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Relais <relais@example.org>")

REST_FRAMEWORK = {
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "directory.api.schema.RelaisAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "directory.api.pagination.RelaisPagination",
    "PAGE_SIZE": 20,
    # Members authenticate with a token (integrations) or with their member-space session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Throttle counters live in the default cache: shared by every worker once REDIS_URL is set.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "directory.api.throttling.MemberRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("RELAIS_API_ANON_RATE", "120/minute"),
        "user": env_rate("RELAIS_API_USER_RATE", "600/minute"),
        "token": "10/minute",
    },
    # The client's address, as API limits read it (see "Reverse proxies" above).
    "NUM_PROXIES": RELAIS_PROXY_COUNT,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Relais API",
    "DESCRIPTION": (
        "Annuaire public de la coordination wallonne des collectifs, associations et communes "
        "qui soutiennent les personnes migrantes en transit.\n\n"
        "Lecture anonyme (limitée en débit). Les membres mettent à jour la fiche de leur "
        "organisation avec un jeton (`Authorization: Token <jeton>`, obtenu par "
        "`POST /api/v1/auth/token/`) ou avec la session de l'espace membre. "
        "Export Open Referral HSDS 3.0 sous /api/v1/hsds/."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI and Redoc are served by the site itself (drf-spectacular-sidecar), no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge fetched from the public Swagger validator.
    "SWAGGER_UI_SETTINGS": {
        "deepLinking": True,
        "validatorUrl": None,
        "persistAuthorization": True,
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ActivityEnum": "network.listings.models.organizations.ActivitySlug",
        "NeedEnum": "network.listings.models.organizations.NeedSlug",
        "ProvinceEnum": "maps.models.Province",
        "OrganizationKindEnum": "network.listings.models.organizations.Organization.Kind",
        "OrganizationStatusEnum": "network.listings.models.organizations.Organization.Status",
        "AddressVisibilityEnum": "network.listings.models.organizations.Organization.AddressVisibility",
    },
}

# Geography -------------------------------------------------------------------------------
# RELAIS_GEOCODER: "" (offline gazetteer only), "nominatim", "photon" or "pelias".
RELAIS_GEOCODER = env_choice("RELAIS_GEOCODER", "", ("", "nominatim", "photon", "pelias"))
RELAIS_GEOCODER_DOMAIN = env_str("RELAIS_GEOCODER_DOMAIN", "")
RELAIS_GEOCODER_USER_AGENT = env_str("RELAIS_GEOCODER_USER_AGENT", "relais")
RELAIS_GEOCODER_TIMEOUT = env_float("RELAIS_GEOCODER_TIMEOUT", 5, minimum=0)
RELAIS_GEOCODER_MIN_DELAY = env_float("RELAIS_GEOCODER_MIN_DELAY", 1, minimum=0)
RELAIS_DEFAULT_RADIUS_KM = 20
RELAIS_MAX_RADIUS_KM = 100
RELAIS_TILE_URL = env_str("RELAIS_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
RELAIS_TILE_ATTRIBUTION = env_str(
    "RELAIS_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
RELAIS_PAGE_SIZE = 20
# Search answers (API and list page) are cached under the directory version, which every write
# moves; this bounds how long an entry lingers (and how late staleness is flagged). 0: no cache.
RELAIS_SEARCH_CACHE_SECONDS = env_int("RELAIS_SEARCH_CACHE_SECONDS", 300, minimum=0)
# Absolute links outside a request: e-mails (accept, decline, withdraw, invitations,
# reminders) and the HSDS export start with this.
RELAIS_SITE_URL = env_str("RELAIS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# CSV files larger than this are refused by the staff upload page (the command has no limit).
RELAIS_IMPORT_MAX_UPLOAD_BYTES = env_int(
    "RELAIS_IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1
)

# Members and moderation ---------------------------------------------------------------------
# A listing not confirmed for this many days gets a reminder to its members ...
RELAIS_VERIFICATION_REMINDER_DAYS = env_int("RELAIS_VERIFICATION_REMINDER_DAYS", 90, minimum=1)
# ... and, past this many, is flagged "informations à vérifier" and ranked after fresh ones.
RELAIS_STALE_AFTER_DAYS = env_int("RELAIS_STALE_AFTER_DAYS", 180, minimum=1)
# How often the worker's periodic task looks for listings due for a reminder (seconds).
RELAIS_VERIFICATION_REMINDER_INTERVAL_SECONDS = env_int(
    "RELAIS_VERIFICATION_REMINDER_INTERVAL_SECONDS", 24 * 3600, minimum=1
)
# Public forms (proposals, error reports): minimum fill time and submissions per IP per hour.
RELAIS_FORM_MIN_SECONDS = env_int("RELAIS_FORM_MIN_SECONDS", 3, minimum=0)
RELAIS_PUBLIC_FORM_LIMIT_PER_HOUR = env_int("RELAIS_PUBLIC_FORM_LIMIT_PER_HOUR", 10, minimum=1)

# Security ---------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
# Read even when off, so that a malformed value is caught before the day it is turned on.
HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_SECONDS = HSTS_SECONDS if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
# DJANGO_BEHIND_PROXY (deprecated) trusts the header without saying how many proxies there are.
if RELAIS_PROXY_COUNT or env_bool("DJANGO_BEHIND_PROXY", False):
    # The trusted proxy (nginx) terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy: no script from anywhere but the site itself, no inline script.
# Leaflet positions map panes with style attributes, hence 'unsafe-inline' for styles only.
_TILE_HOST = "/".join(RELAIS_TILE_URL.split("/")[:3]) if "://" in RELAIS_TILE_URL else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *([_TILE_HOST] if _TILE_HOST else [])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_log_level("LOG_LEVEL", "INFO")},
    # At DEBUG Django logs every SQL query with its values (citizens' data): never, whatever
    # LOG_LEVEL says. Logs carry ids only (docs/deploy.md, "Logs and privacy").
    # django-axes announces its version at every start of every command: once is noise enough.
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes.apps": {"level": "WARNING"}},
}

# Contact requests ----------------------------------------------------------------------------
RELAIS_CONTACT_REMINDER_DAYS = env_float("RELAIS_CONTACT_REMINDER_DAYS", 3, minimum=0)
RELAIS_CONTACT_EXPIRY_DAYS = env_float("RELAIS_CONTACT_EXPIRY_DAYS", 7, minimum=0)
# An accepted request closes as "in contact" after this many days, which starts the retention clock.
RELAIS_CONTACT_CLOSE_ACCEPTED_DAYS = env_float("RELAIS_CONTACT_CLOSE_ACCEPTED_DAYS", 30, minimum=0)
RELAIS_CONTACT_RETENTION_DAYS = env_float("RELAIS_CONTACT_RETENTION_DAYS", 180, minimum=0)
# Seconds between two passes of the periodic timers task (contact_timers --schedule).
RELAIS_CONTACT_TIMERS_INTERVAL_SECONDS = env_float(
    "RELAIS_CONTACT_TIMERS_INTERVAL_SECONDS", 300, minimum=1
)
RELAIS_CONTACT_ROUTING_RADIUS_KM = env_float("RELAIS_CONTACT_ROUTING_RADIUS_KM", 25, minimum=0)
RELAIS_CONTACT_MIN_FILL_SECONDS = env_float("RELAIS_CONTACT_MIN_FILL_SECONDS", 3, minimum=0)
RELAIS_CONTACT_FORM_MAX_AGE_SECONDS = env_int(
    "RELAIS_CONTACT_FORM_MAX_AGE_SECONDS", 24 * 3600, minimum=1
)
# Submissions allowed per window (seconds), per client IP and per e-mail address.
RELAIS_CONTACT_RATE_WINDOW_SECONDS = env_int("RELAIS_CONTACT_RATE_WINDOW_SECONDS", 3600, minimum=1)
RELAIS_CONTACT_RATE_PER_IP = env_int("RELAIS_CONTACT_RATE_PER_IP", 10, minimum=1)
RELAIS_CONTACT_RATE_PER_EMAIL = env_int("RELAIS_CONTACT_RATE_PER_EMAIL", 3, minimum=1)
# E-mail delivery retries: base * 2^(attempt-1) seconds, capped; it never gives up.
RELAIS_EMAIL_RETRY_BASE_SECONDS = env_float("RELAIS_EMAIL_RETRY_BASE_SECONDS", 30, minimum=0)
RELAIS_EMAIL_RETRY_MAX_SECONDS = env_float("RELAIS_EMAIL_RETRY_MAX_SECONDS", 3600, minimum=0)
# A task still marked running after this many seconds lost its worker (killed, machine down) and
# is queued again by the timers and at worker start. Every Relais task takes seconds at most.
RELAIS_TASK_RUNNING_TIMEOUT_SECONDS = env_float(
    "RELAIS_TASK_RUNNING_TIMEOUT_SECONDS", 600, minimum=1
)
