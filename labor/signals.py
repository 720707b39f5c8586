"""Keep `WorkerYear` rows current: every save or delete of a worker or an employment
rebuilds that worker's rows in the same transaction (see labor/services.py).

`Worker.save` and `Employment.save` wrap the save in `transaction.atomic`, so post_save runs
inside it; Django sends post_delete inside the deletion's transaction. Bulk writes
(`bulk_create`, `QuerySet.update`) send no signals: their callers call
`labor.services.rebuild_worker_years` themselves."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Employment, Worker
from .services import worker_years_changed


@receiver(post_save, sender=Worker, dispatch_uid="labor_worker_saved")
def worker_saved(sender, instance, created, raw=False, **kwargs):
    # A new worker has no employments yet, hence no rows to build.
    if not raw and not created:
        worker_years_changed([instance.pk])


@receiver(post_save, sender=Employment, dispatch_uid="labor_employment_saved")
def employment_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    previous = getattr(instance, "_loaded_worker_id", None)
    worker_years_changed({instance.worker_id, previous})
    instance._loaded_worker_id = instance.worker_id


@receiver(post_delete, sender=Employment, dispatch_uid="labor_employment_deleted")
def employment_deleted(sender, instance, **kwargs):
    worker_years_changed([instance.worker_id])
