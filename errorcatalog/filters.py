"""FilterSets of the catalog REST API (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import ErrorCode, ErrorFamily, Lifecycle

# Django's message quotes the rejected value: a 100 kB query would come back
# in the body. Naming the choices (in the schema too) is enough.
NOT_A_CHOICE = {"invalid_choice": _("Not one of the available choices.")}


class ErrorCodeFilter(django_filters.FilterSet):
    """Filters for ``/catalogs/<slug>/codes/``; invalid values answer 400."""

    family = django_filters.CharFilter(
        field_name="family__key", max_length=ErrorFamily._meta.get_field("key").max_length, help_text="Family key."
    )
    status = django_filters.NumberFilter(field_name="status__code", help_text="Exact HTTP status.")
    status_min = django_filters.NumberFilter(field_name="status__code", lookup_expr="gte", help_text="Lowest HTTP status.")
    status_max = django_filters.NumberFilter(field_name="status__code", lookup_expr="lte", help_text="Highest HTTP status.")
    lifecycle = django_filters.ChoiceFilter(choices=Lifecycle.choices, error_messages=NOT_A_CHOICE)
    # Strict: a value other than true/false is a 400, not silently ignored.
    retryable = django_filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false")], coerce=lambda value: value == "true",
        error_messages=NOT_A_CHOICE,
    )
    search = django_filters.CharFilter(
        method="filter_search", max_length=200, help_text="Words in the code, title, description or causes."
    )
    ordering = django_filters.OrderingFilter(
        fields=(("code", "code"), ("numeric_code", "numeric_code"), ("status__code", "status"),
                ("title", "title"), ("updated", "updated")),
        error_messages=NOT_A_CHOICE,
    )

    class Meta:
        model = ErrorCode
        fields = ["family", "status", "status_min", "status_max", "lifecycle", "retryable", "search"]

    def filter_search(self, queryset, name, value):
        matches = (
            Q(code__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value)
            | Q(causes__text__icontains=value) | Q(causes__remedy__icontains=value)
        )
        # Through causes a code can match twice: filter by id to stay distinct.
        return queryset.filter(pk__in=ErrorCode.objects.filter(matches).values("pk"))
