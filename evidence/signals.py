"""Files follow their record: a record moved to another partnership takes its files with it
(so that areas keep holding), and a deleted record's files are deleted too — one by one, so
that each deletion is in their history and can be undone from 已删除记录 once the record
itself is restored. The stored files stay in the storage for that."""

from django.db.models.signals import post_delete, post_save

from . import registry
from .models import EvidenceFile, partnership_of


def _record_saved(sender, instance, created, **kwargs):
    if not created:
        partnership = partnership_of(instance)
        EvidenceFile.objects.of_record(instance).exclude(partnership_id=partnership).update(
            partnership_id=partnership
        )


def _record_deleted(sender, instance, **kwargs):
    for evidence in EvidenceFile.objects.of_record(instance):
        evidence.delete()


def connect_signals():
    for kind, model in registry.kinds():
        uid = f"evidence_{kind.label.lower()}"
        post_save.connect(_record_saved, sender=model, dispatch_uid=uid + "_save")
        post_delete.connect(_record_deleted, sender=model, dispatch_uid=uid + "_delete")
