"""FilterSets of the catalog REST API (django-filter)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import BaseCSVField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field

from .models import ErrorCode, ErrorFamily, Lifecycle
from .text import NO_NUL

# Django's message quotes the rejected value: a 100 kB query would come back
# in the body. Naming the choices (in the schema too) is enough.
NOT_A_CHOICE = {"invalid_choice": _("Not one of the available choices.")}


class HttpStatusField(forms.IntegerField):
    """An HTTP status, 100-599, as a plain integer.

    Never a decimal: django-filter's ``NumberFilter`` parses ``-1e1000000``
    into an integer of a million digits (seconds of CPU, then a killed worker).
    """

    def __init__(self, **kwargs):
        super().__init__(min_value=100, max_value=599, **kwargs)

    def to_python(self, value):
        # A status has three digits: anything longer is refused before any parsing.
        if isinstance(value, str) and len(value.strip()) > 3:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "integer", "minimum": 100, "maximum": 599})
class HttpStatusFilter(django_filters.NumberFilter):
    field_class = HttpStatusField


class OrderingTermsField(BaseCSVField):
    """Comma-separated ordering terms; those past the fifth are ignored.

    Each term is checked against the choices: twenty thousand repeats of
    ``code`` would take a second to validate, so only the first few are.
    """

    MAX_TERMS = 5

    def clean(self, value):
        return super().clean(value[: self.MAX_TERMS] if value else value)


class BoundedOrderingFilter(django_filters.OrderingFilter):
    base_field_class = OrderingTermsField


def documented(schema, filter_):
    """``filter_`` with the OpenAPI schema of the values it accepts (the
    bounds the server enforces, so a schema-valid request is never a 400)."""
    return extend_schema_field(schema)(filter_)


FAMILY_KEY_MAX_LENGTH = ErrorFamily._meta.get_field("key").max_length
SEARCH_MAX_LENGTH = 200
ORDERING_FIELDS = (
    ("code", "code"),
    ("numeric_code", "numeric_code"),
    ("status__code", "status"),
    ("title", "title"),
    ("updated", "updated"),
)


class ErrorCodeFilter(django_filters.FilterSet):
    """Filters for ``/catalogs/<slug>/codes/``; invalid values answer 400."""

    family = documented(
        {"type": "string", "maxLength": FAMILY_KEY_MAX_LENGTH, "pattern": NO_NUL},
        django_filters.CharFilter(field_name="family__key", max_length=FAMILY_KEY_MAX_LENGTH, help_text="Family key."),
    )
    status = HttpStatusFilter(field_name="status__code", help_text="Exact HTTP status (100-599).")
    status_min = HttpStatusFilter(
        field_name="status__code", lookup_expr="gte", help_text="Lowest HTTP status (100-599)."
    )
    status_max = HttpStatusFilter(
        field_name="status__code", lookup_expr="lte", help_text="Highest HTTP status (100-599)."
    )
    lifecycle = django_filters.ChoiceFilter(choices=Lifecycle.choices, error_messages=NOT_A_CHOICE)
    # Strict: a value other than true/false is a 400, not silently ignored.
    retryable = documented(
        {"type": "boolean"},
        django_filters.TypedChoiceFilter(
            choices=[("true", "true"), ("false", "false")],
            coerce=lambda value: value == "true",
            error_messages=NOT_A_CHOICE,
        ),
    )
    search = documented(
        {"type": "string", "maxLength": SEARCH_MAX_LENGTH, "pattern": NO_NUL},
        django_filters.CharFilter(
            method="filter_search",
            max_length=SEARCH_MAX_LENGTH,
            help_text="Words (or quoted phrases) that must all appear in the code, title, description, causes or remedies.",
        ),
    )
    # drf-spectacular documents it as an array of these (comma-separated).
    ordering = documented(
        {"type": "string", "enum": [prefix + name for _f, name in ORDERING_FIELDS for prefix in ("", "-")]},
        BoundedOrderingFilter(
            fields=ORDERING_FIELDS,
            error_messages=NOT_A_CHOICE,
            help_text="Sort terms, comma-separated; those past the fifth are ignored.",
        ),
    )

    class Meta:
        model = ErrorCode
        fields = ["family", "status", "status_min", "status_max", "lifecycle", "retryable", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, with nothing to do for a request naming no filter.

    A FilterSet builds a form class and copies every filter on each request
    (most of a page's cost beyond its rows); when no query parameter names a
    filter, the queryset it would return is the one it was given.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and request.query_params.keys().isdisjoint(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)
