from django.contrib import admin

from . import models

for model in (
    models.Source,
    models.Sector,
    models.City,
    models.Person,
    models.Agreement,
    models.Visit,
    models.Institution,
    models.FocusArea,
    models.Collaboration,
    models.Activity,
):
    admin.site.register(model)
