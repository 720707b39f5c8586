"""Where evidence files are kept: Django's storage named "evidence" (settings.STORAGES:
the file system under var/evidence by default, an S3-compatible store in production)."""

import uuid

from django.core.files.storage import storages
from django.utils import timezone


def evidence_storage():
    """The FileField's storage (a callable, so that migrations do not record the backend)."""
    return storages["evidence"]


def stored_name(instance, filename):
    """A file's name in the storage: year/month and a random name with the extension of its
    detected type. The clerk's own name is kept in `original_name`, never in a path."""
    today = timezone.localdate()
    extension = instance.file_type.extension if instance.file_type else ""
    return f"{today:%Y/%m}/{uuid.uuid4().hex}{extension}"
