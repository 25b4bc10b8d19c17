"""Settings shared by every environment. Each value comes from the environment
with a default that is safe for the embedded demo; production.py removes the
defaults that would be unsafe on a public server."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("PORTAL_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_tasks_db",
    # The scheduler of periodic tasks (manage.py crontask): reminders,
    # digests, recovery of stopped sends, pruning of finished task rows.
    "crontask",
    "chapters",
    "members",
    "meetings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside every middleware that sets Vary or cookies, inside those that
    # add security headers: its 304 copies the finished 200's ETag, Vary and
    # Cache-Control, and still gets the security headers (chapters/cache.py).
    "chapters.cache.ConditionalGetMiddleware",
    # Inside ConditionalGet (its 304 copies the compressed 200's Vary and
    # weak ETag), outside everything that writes the body: gzip for every
    # answer the public cache did not compress already.
    "chapters.cache.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chapters.context_processors.portal",
            ],
        },
    },
]

# Database: one URL for SQLite (the embedded demo) or PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "60")),
        # A connection broken by a database restart is replaced, not reused.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The server and the worker write to one file at once. A transaction
    # takes the write lock when it begins (IMMEDIATE), so one that reads and
    # then writes waits for the other writer instead of failing at once with
    # "database is locked"; it waits up to `timeout` seconds. WAL lets pages
    # read while the worker writes. Options in the URL win.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # SQLite creates its file on first use but not the folder it lives in.
    _sqlite_name = str(DATABASES["default"]["NAME"])
    if (
        _sqlite_name
        and _sqlite_name != ":memory:"
        and "mode=memory" not in _sqlite_name
    ):
        Path(_sqlite_name).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when configured (shared by several app servers), else local memory.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cld",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cld-portal",
        }
    }
# Each process keeps the public answers it served last in memory, in front of
# the cache above, within this many bytes (chapters/cache.py, LocalAnswers).
PUBLIC_LOCAL_CACHE_BYTES = env_int("PUBLIC_LOCAL_CACHE_BYTES", 32 * 1024 * 1024)

# Background work through Django's tasks API, stored in the database.
TASKS = {
    "default": {
        "BACKEND": env_str("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        # "imports" has its own worker, so e-mail never waits behind a file.
        "QUEUES": ["default", "imports"],
    }
}

# One scheduler at a time: with Redis, a second `manage.py crontask` waits on
# the lock instead of enqueueing every periodic task twice.
CRONTASK = {"REDIS_URL": REDIS_URL} if REDIS_URL else {}

# Invitation e-mails handed to the sending thread at a time: 2 records each
# message while the next is on the wire (faster); 1 records each before the
# next goes (a repeat after a killed worker is rarer). docs/invitations.md.
MEETINGS_SEND_AHEAD = int(env_str("MEETINGS_SEND_AHEAD", "2"))

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Languages: Arabic first (the source document's language), English and
# French equal. Adding one is this line, a catalogue and a migration for the
# content fields (docs/languages.md).
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English")), ("fr", _("French"))]
# The first path is ours (makemessages writes there); the second fills gaps in
# Django's and django-allauth's Arabic and outranks their own catalogues.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "overrides"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
# Content fields in every language of LANGUAGES (chapters/languages.py is
# the one home of what derives from it).
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": MODELTRANSLATION_LANGUAGES}

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("PORTAL_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# E-mail: an SMTP URL in production; in the demo, mail is kept in an outbox
# folder that staff can read at /<lang>/dev/outbox/.
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    # smtp://user:password@host:port, smtp+tls:// (STARTTLS) or smtps:// (TLS).
    _email = urlsplit(EMAIL_URL)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email.hostname or "localhost",
                "port": _email.port or 25,
                "username": unquote(_email.username or ""),
                "password": unquote(_email.password or ""),
                "use_tls": _email.scheme == "smtp+tls",
                "use_ssl": _email.scheme == "smtps",
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "config.outbox.OutboxEmailBackend"}}
OUTBOX_DIR = VAR_DIR / "outbox"
# Organisers' exports prepared by the worker: private files, outside MEDIA_ROOT
# and never served by the web server, shared by the app servers and the
# worker (docs/exports.md). Larger exports than EXPORTS_DIRECT_ROWS rows go
# to the worker; the files are pruned after EXPORTS_KEEP_DAYS days.
EXPORTS_ROOT = Path(
    env_str("PORTAL_EXPORTS_ROOT", str(VAR_DIR / "private" / "exports"))
)
EXPORTS_DIRECT_ROWS = env_int("EXPORTS_DIRECT_ROWS", 5000)
EXPORTS_KEEP_DAYS = env_int("EXPORTS_KEEP_DAYS", 7)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "CLD chapters <no-reply@cld-chapters.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Accounts (django-allauth): e-mail is the identity, verified before use.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "chapters:my_chapters"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env_str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",  # nosec B105 # a rate, not a password
    "signup": "20/m/ip",
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Content-Security-Policy (Django's own): only our origin; no inline script,
# style or event handler anywhere (tests/security/test_headers.py renders every
# page to prove it), so neither a nonce nor 'unsafe-inline' is needed.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF, "https://wa.me"],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}
ACCOUNT_ADAPTER = "config.account_adapter.AccountAdapter"
