"""Shared by the tests: seeding a flushed database, reading a streamed body."""

from django.core.management import call_command

from errorcatalog.http_statuses import HTTP_STATUSES
from errorcatalog.models import HttpStatus

from .conftest import SEED_FIXTURES


def load_seeds():
    """Put the seed catalogs in a database a transactional test flushed."""
    if not HttpStatus.objects.exists():
        HttpStatus.objects.bulk_create(HttpStatus(code=c, reason=r, description=d) for c, r, d in HTTP_STATUSES)
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)


def body(response):
    """A test client response's body, streamed (the catalog export) or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
