import os

from django.core.wsgi import get_wsgi_application

# A server started without an explicit choice runs the production settings,
# which refuse to start without their secrets.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()
