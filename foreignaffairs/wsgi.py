"""The WSGI entry point that production servers load.

A server that loads the site this way runs it with DEBUG off unless DJANGO_DEBUG
says otherwise: a forgotten variable must not serve debug pages to the public.
(``manage.py runserver`` reads the settings first, so development keeps its
default.)
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foreignaffairs.settings")

application = get_wsgi_application()
