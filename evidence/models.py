"""Evidence files (佐证材料): contracts, vouchers, photos, attendance sheets and documents
attached to a record (evidence/registry.py lists the kinds of record)."""

from pathlib import PurePath

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cooperation.freshness import partnerships_of
from cooperation.models import PartnershipRecord, partnership_key

from . import registry, sniffing
from .storage import evidence_storage, stored_name


class EvidenceQuerySet(models.QuerySet):
    def of_model(self, model):
        """The files of records of `model`. The content type is joined rather than looked
        up, so that a query over files never needs another one first."""
        opts = model._meta.concrete_model._meta
        return self.filter(
            content_type__app_label=opts.app_label, content_type__model=opts.model_name
        )

    def of_record(self, record):
        return self.of_model(type(record)).filter(object_id=record.pk)


class EvidenceFile(PartnershipRecord):
    """One file attached to one record. Its partnership is the record's (kept here so that
    areas and per-partnership counts need no join through the generic relation)."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", _("合同")
        VOUCHER = "voucher", _("发票/拨付凭证")
        PHOTO = "photo", _("照片")
        SIGN_IN = "sign_in", _("签到表")
        DOCUMENT = "document", _("文件")
        OTHER = "other", _("其他")

    # Set from the record on every save: never chosen in a form.
    partnership = partnership_key(related_name="+", editable=False)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("记录类别"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    record = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("材料类别"), max_length=10, choices=Kind.choices)
    file = models.FileField(
        _("文件"), upload_to=stored_name, storage=evidence_storage, max_length=255
    )
    original_name = models.CharField(_("原文件名"), max_length=255, editable=False)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0, editable=False)
    mime_type = models.CharField(_("文件类型"), max_length=100, editable=False)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("one record", "佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["content_type", "object_id", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="evidence_record"),
            models.Index(fields=["partnership", "content_type"], name="evidence_p_kind"),
        ]

    def __str__(self):
        return self.title

    @property
    def file_type(self):
        """The accepted type this file was detected as (None before detection)."""
        return next((t for t in sniffing.ACCEPTED if t.mime == self.mime_type), None)

    @property
    def personal(self):
        """Whether the file shows people: a record kind marked personal, or an attendance
        sheet (names, phones) whatever its record."""
        kind = registry.kind_of(self.content_type.model_class())
        return self.kind == self.Kind.SIGN_IN or bool(kind and kind.personal)

    @property
    def download_name(self):
        """The clerk's file name, with the detected type's extension when it had none."""
        name = self.original_name or self.title
        if self.file_type and PurePath(name).suffix.lower() not in self.file_type.extensions:
            name += self.file_type.extension
        return name

    def take(self, upload):
        """Keep `upload` as this file after checking its content (sniffing.check raises
        ValidationError for a refused file)."""
        found = sniffing.check(upload)
        self.mime_type = found.mime
        self.original_name = PurePath(upload.name).name[:255]
        self.size = upload.size
        self.file = upload

    def record_exists(self):
        model = self.content_type.model_class()
        return model is not None and model._base_manager.filter(pk=self.object_id).exists()

    def validate_constraints(self, exclude=None):
        """Also refuses a file whose record is gone (restoring it from 已删除记录 before its
        record is restored would leave it attached to nothing)."""
        super().validate_constraints(exclude=exclude)
        if self.content_type_id and self.object_id and not self.record_exists():
            raise ValidationError(
                gettext("它所属的%(kind)s（#%(pk)s）已不存在，请先恢复该记录。")
                % {"kind": self.content_type.model_class()._meta.verbose_name, "pk": self.object_id}
            )

    def save(self, *args, **kwargs):
        record = self.record
        if record is not None:
            self.partnership_id = partnership_of(record)
        super().save(*args, **kwargs)


def partnership_of(record):
    """The id of the partnership a record belongs to: its own, or its parent's (a
    disbursement's project's)."""
    return next(iter(partnerships_of([record])), None)


def has_evidence(model):
    """A condition over records of `model`: it has at least one file."""
    return Exists(EvidenceFile.objects.of_model(model).filter(object_id=OuterRef("pk")))


def evidence_count(model):
    """An expression over records of `model`: how many files each has (a subquery in the
    same SELECT, so a list of records costs no query per row)."""
    files = (
        EvidenceFile.objects.of_model(model)
        .filter(object_id=OuterRef("pk"))
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(files), Value(0))
