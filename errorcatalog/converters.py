"""Strict path converters: odd segments never reach the database."""

from django.urls import register_converter


class CatalogSlugConverter:
    regex = r"[-a-zA-Z0-9_]{1,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class ErrorCodeConverter(CatalogSlugConverter):
    regex = r"[A-Za-z0-9._-]{1,100}"


class HttpStatusConverter(CatalogSlugConverter):
    regex = r"[1-5][0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


# Registered once, here: both URLconfs import this module, and Django 6
# refuses to register a converter name twice.
register_converter(CatalogSlugConverter, "catalog_slug")
register_converter(ErrorCodeConverter, "error_code")
register_converter(HttpStatusConverter, "http_status")
