"""Public pages: they read only what ``published()`` lets through."""

from django.views.generic import DetailView, ListView

from .models import City


class PublishedPartnerMixin:
    """Every public view of partner cities starts from the published partners."""

    def get_queryset(self):
        return City.objects.partners_of_home().order_by("name")


class PartnerListView(PublishedPartnerMixin, ListView):
    template_name = "partnerships/city_list.html"
    context_object_name = "cities"
    paginate_by = 24


class PartnerDetailView(PublishedPartnerMixin, DetailView):
    template_name = "partnerships/city_detail.html"
    context_object_name = "city"
