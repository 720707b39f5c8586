"""已删除记录: deleted records, found in their history, and restored in one step.

A record is deleted when its last historical row has `history_type` "-" and its id is no
longer in the live table. Deleting a record also deletes, through CASCADE foreign keys, the
records that belong to it (a worker's employments): those are found as the historical "-"
rows of the same user within `SAME_DELETION` of the parent's, pointing at the parent. The
list shows the deletions a user started (the dependants only as a count), and `restore`
re-creates a record with its dependants, then rebuilds what is derived from them and not
kept in history (a worker's `WorkerYear` rows)."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_permission_codename, get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model

from confirmation import closing
from labor.models import Employment, Worker
from labor.privacy import can_view_personal_data, display_value, personal_fields
from labor.services import deferred_worker_year_rebuild, worker_years_changed

from . import areas
from .middleware import acting_user
from .roles import APPS

logger = logging.getLogger(__name__)

HISTORY_PERMISSION = "cooperation.view_history"
PER_PAGE = 50
# Django deletes a record and what cascades from it in one transaction, children first:
# their historical rows are written within milliseconds. A few seconds leave room for a
# slow database without taking in a separate deletion made later by the same user.
SAME_DELETION = timedelta(seconds=5)


class RestoreRefused(Exception):
    """The record cannot be restored; the message says why, for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def history_of(model):
    """The class-level history manager of a model, or None if the model keeps no history."""
    try:
        return get_history_manager_for_model(model)
    except NotHistoricalModelError:
        return None


def historized_models():
    """The models of the project's apps that keep history, in a fixed order."""
    return [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if history_of(model) is not None
    ]


def cascade_children(model):
    """[(child model, its foreign key to `model`)] for the historized models deleted along
    with a `model` record (CASCADE)."""
    return [
        (rel.related_model, rel.field)
        for rel in model._meta.related_objects
        if not rel.many_to_many
        and rel.on_delete is models.CASCADE
        and history_of(rel.related_model) is not None
    ]


def cascade_parents(model):
    """The foreign keys of `model` through which deleting a historized record deletes it."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.many_to_one
        and field.remote_field.on_delete is models.CASCADE
        and history_of(field.related_model) is not None
    ]


def deleted(model):
    """The historical "-" rows of the model's records that are gone: the id is not in the
    live table and nothing was recorded for it after the deletion (a restore and a second
    deletion leave only the second one here)."""
    history = history_of(model)
    pk = model._meta.pk.attname
    return (
        history.filter(history_type="-")
        .exclude(Exists(model._meta.base_manager.filter(pk=OuterRef(pk))))
        .exclude(
            Exists(history.filter(**{pk: OuterRef(pk)}, history_id__gt=OuterRef("history_id")))
        )
    )


def _user_key(user_id):
    # Deletions from the shell have no user: NULL compared as 0, so that they match each other.
    return Coalesce(user_id, Value(0), output_field=models.BigIntegerField())


def deleted_together(queryset, user_id, date):
    """The rows of `queryset` deleted by the same user within SAME_DELETION of `date`.
    `user_id` and `date` are values, or OuterRef()s to the parent's historical row."""
    if isinstance(date, OuterRef):
        start = models.ExpressionWrapper(
            date - Value(SAME_DELETION), output_field=models.DateTimeField()
        )
        end = models.ExpressionWrapper(
            date + Value(SAME_DELETION), output_field=models.DateTimeField()
        )
    else:
        start, end = date - SAME_DELETION, date + SAME_DELETION
    return queryset.alias(deletion_user_key=_user_key("history_user_id")).filter(
        deletion_user_key=_user_key(user_id if isinstance(user_id, OuterRef) else Value(user_id)),
        history_date__gte=start,
        history_date__lte=end,
    )


def _started_here(model):
    """The model's deletions that were not caused by the deletion of a parent record."""
    rows = deleted(model)
    for field in cascade_parents(model):
        parent = field.related_model
        parent_deletions = history_of(parent).filter(
            history_type="-", **{parent._meta.pk.attname: OuterRef(field.attname)}
        )
        rows = rows.exclude(
            Exists(
                deleted_together(
                    parent_deletions, OuterRef("history_user_id"), OuterRef("history_date")
                )
            )
        )
    return rows


def _dependant_count(model):
    """An expression: how many records were deleted with the outer historical row of `model`
    (direct dependants; none of the project's dependants has dependants of its own)."""
    total = Value(0)
    for child, field in cascade_children(model):
        rows = (
            deleted_together(
                deleted(child).filter(**{field.attname: OuterRef(model._meta.pk.attname)}),
                OuterRef("history_user_id"),
                OuterRef("history_date"),
            )
            .order_by()
            .values(field.attname)
            .annotate(n=Count("history_id"))
            .values("n")
        )
        total = total + Coalesce(Subquery(rows), Value(0))
    return total


def may_restore(user, model):
    """Restoring needs the history permission and the model's change permission; labour
    records show personal data, so they also need `labor.view_personal_data`."""
    opts = model._meta
    return (
        user.has_perm(HISTORY_PERMISSION)
        and user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}")
        and (opts.app_label != "labor" or can_view_personal_data(user))
    )


def record_label(user, instance):
    """The record's name as this user may see it: a worker's name masked without the
    personal-data permission, otherwise the record's own name."""
    if "name" in personal_fields(instance):
        return display_value(user, instance, "name")
    try:
        return str(instance)
    except ObjectDoesNotExist:  # its name needs a related record deleted since
        return f"{instance._meta.verbose_name} #{instance.pk}"


@dataclass
class Deletion:
    """One line of the list."""

    record: object  # the historical "-" row
    model: type
    label: str
    dependants: int

    @property
    def kind(self):
        return self.model._meta.verbose_name

    @property
    def app_label(self):
        return self.model._meta.app_label

    @property
    def model_name(self):
        return self.model._meta.model_name


def deletions_page(user, number):
    """The page `number` of the deletions this user may restore, newest first.

    One query counts the deletions and one picks the page's rows (a UNION over the models);
    then one query per kind of record on the page reads its rows, the deleting users and the
    related records their names need. So a page costs the same whatever its rows."""
    models_ = [m for m in historized_models() if may_restore(user, m)]
    selects = [
        areas.scope(_started_here(model), user)
        .annotate(deletion_kind=Value(index))
        .order_by()
        .values_list("deletion_kind", "history_id", "history_date")
        for index, model in enumerate(models_)
    ]
    if selects:
        rows = selects[0].union(*selects[1:], all=True).order_by("-history_date", "-history_id")
    else:
        rows = []
    page = Paginator(rows, PER_PAGE).get_page(number)

    ids = {}
    for kind, history_id, _date in page.object_list:
        ids.setdefault(kind, []).append(history_id)
    found = {}
    for kind, history_ids in ids.items():
        model = models_[kind]
        for record in _page_rows(model, history_ids):
            found[kind, record.history_id] = Deletion(
                record=record,
                model=model,
                label=_label_from_history(user, record),
                dependants=record.deletion_dependants,
            )
    page.object_list = [found[kind, history_id] for kind, history_id, _date in page.object_list]
    return page


def _page_rows(model, history_ids):
    user_model = get_user_model()
    related = [
        field.name
        for field in model._meta.concrete_fields
        if field.many_to_one and field.related_model is not user_model
    ]
    return (
        history_of(model)
        .filter(history_id__in=history_ids)
        .select_related("history_user", *related)
        .annotate(deletion_dependants=_dependant_count(model))
    )


def _label_from_history(user, record):
    """record_label of the deleted record, its related records taken from the historical row
    (read with it) rather than queried one by one."""
    instance = record.instance
    for field in instance._meta.concrete_fields:
        if field.many_to_one and field.related_model is not get_user_model():
            related = getattr(record, field.name, None)
            if related is not None:
                setattr(instance, field.name, related)
    return record_label(user, instance)


def find_deletion(app_label, model_name, history_id, user):
    """The historical "-" row (history_id) of a model of the project's apps, or None — also
    when the record was outside the user's areas."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    if app_label not in APPS or history_of(model) is None:
        return None
    rows = history_of(model).filter(history_type="-", history_id=history_id)
    return areas.scope(rows, user).first()


def dependants_of(record):
    """The historical "-" rows of the records deleted together with `record`'s record."""
    model = record.instance_type
    pk = getattr(record, model._meta.pk.attname)
    found = []
    for child, field in cascade_children(model):
        rows = deleted(child).filter(**{field.attname: pk})
        found += deleted_together(rows, record.history_user_id, record.history_date).order_by(
            "history_id"
        )
    return found


def restore(record, user):
    """Re-create the record of the historical "-" row `record` as it was when deleted, with
    the records deleted together with it, in one transaction; then rebuild the derived rows
    they had. Returns the restored instances (the record first).

    Raises RestoreRefused (already restored, a record it belongs to is gone, it would clash
    with a record entered since) or PermissionDenied (a restored kind the user may not
    change); either way nothing is restored."""
    restored = []
    with transaction.atomic(), acting_user(user), deferred_worker_year_rebuild():
        # Two reviewers pressing 恢复 at once: the second waits here, then finds it restored.
        history = history_of(record.instance_type)
        list(history.select_for_update().filter(history_id=record.history_id).values("pk"))
        _restore_one(record, user, restored)
        _rebuild_derived(restored)
    logger.info(
        "restored %s id=%s (history_id=%s) with %d dependants by user id=%s",
        record.instance_type._meta.label_lower,
        restored[0].pk,
        record.history_id,
        len(restored) - 1,
        user.pk,
    )
    return restored


def _restore_one(record, user, restored):
    model = record.instance_type
    if not may_restore(user, model):
        raise PermissionDenied
    instance = record.instance
    label = record_label(user, instance)
    if record.history_type != "-":
        raise RestoreRefused(gettext("“%(record)s”不是删除记录。") % {"record": label})
    if not deleted(model).filter(history_id=record.history_id).exists():
        raise RestoreRefused(gettext("“%(record)s”已恢复。") % {"record": label})
    _check_related(instance, label)
    closed = closing.refusal(instance)
    if closed:  # a record of a year both sides have confirmed
        raise RestoreRefused(closing.message(closed))
    try:
        instance.validate_unique()
        instance.validate_constraints()
    except ValidationError as error:
        raise RestoreRefused(
            gettext("无法恢复“%(record)s”：%(reason)s")
            % {"record": label, "reason": " ".join(error.messages)}
        ) from None
    instance.save(force_insert=True)
    _note_restore(instance, record, user)
    restored.append(instance)
    for child_record in dependants_of(record):
        _restore_one(child_record, user, restored)


def _check_related(instance, label):
    """Every record this one points at must still exist. A SET_NULL link to a record deleted
    since is cleared (as the deletion would have done had this record lived); any other
    missing one refuses the restore, naming it."""
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if not field.many_to_one or value is None:
            continue
        target = field.related_model._meta.base_manager.filter(
            **{field.target_field.attname: value}
        )
        if target.exists():
            continue
        if field.remote_field.on_delete is models.SET_NULL:
            setattr(instance, field.attname, None)
            continue
        raise RestoreRefused(
            gettext(
                "无法恢复“%(record)s”：它所属的%(field)s（#%(pk)s）已不存在。"
                "请先恢复该%(field)s，再恢复此记录。"
            )
            % {"record": label, "field": field.verbose_name, "pk": value}
        )


def _note_restore(instance, record, user):
    """The restore's own history row says who restored it and why; the creation time is the
    record's original one (auto_now_add set it to now)."""
    model = type(instance)
    created = {
        field.attname: getattr(record, field.attname)
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now_add", False)
    }
    if created:
        model._meta.base_manager.filter(pk=instance.pk).update(**created)
        for name, value in created.items():
            setattr(instance, name, value)
    entry = get_history_manager_for_model(instance).order_by("-history_id").first()
    entry.history_user = user
    entry.history_change_reason = gettext("从删除中恢复")
    for name, value in created.items():
        setattr(entry, name, value)
    entry.save()


def _rebuild_derived(restored):
    """Derived rows are not kept in history: the deletion removed them (a worker's
    WorkerYear rows, CASCADE) and they are rebuilt by the service that maintains them.
    Inside `deferred_worker_year_rebuild` this notes the workers; they are rebuilt once,
    at the end of the block."""
    workers = {obj.pk for obj in restored if isinstance(obj, Worker)}
    workers |= {obj.worker_id for obj in restored if isinstance(obj, Employment)}
    worker_years_changed(workers)
