"""A module that fails while importing, as a broken project module would."""

from django.core.exceptions import ImproperlyConfigured

raise ImproperlyConfigured("this module needs a setting that is missing")
