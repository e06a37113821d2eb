"""Every change to a catalog row bumps the version stamp when it commits."""

from django.db.models.signals import post_delete, post_save

from .models import Catalog, Cause, ErrorCode, ErrorFamily, ExceptionMapping, HttpStatus
from .snapshot import bump_version_on_commit

CATALOG_MODELS = (Catalog, HttpStatus, ErrorFamily, ErrorCode, Cause, ExceptionMapping)


def catalog_changed(sender, using, **kwargs):
    # loaddata saves with raw=True and still sends this: fixtures bump too.
    bump_version_on_commit(using=using)


def connect():
    for model in CATALOG_MODELS:
        uid = f"errorcatalog-version-{model._meta.label_lower}"
        post_save.connect(catalog_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(catalog_changed, sender=model, dispatch_uid=uid + "-delete")
