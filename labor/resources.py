"""Spreadsheet import/export of workers with their employments, job fairs, training courses
and community factories.

The worker 台账 has one line per job spell: the worker's columns, then the spell's. A worker
with two spells has two lines (his columns must agree); a worker without a spell has one
line with the spell's columns empty. Workers are matched on their ID number, spells on
(ID number, 就业单位, 就业开始日期). Personal columns (name, ID number, phone, note) are
exported only to users with `labor.view_personal_data`, and only such users may import
workers (the preview shows the records)."""

import re
from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cooperation.imports.cells import cell_text, normalise_text, parse_date
from cooperation.imports.files import is_blank
from cooperation.imports.resources import (
    UPDATE_BATCH_ROWS,
    TrackedResource,
    chunked,
    updated_fields,
)
from cooperation.imports.widgets import (
    IdTextWidget,
    LookupWidget,
    PersonNameWidget,
    RegionWidget,
    model_field,
)
from projects.models import Project
from projects.resources import PLACE, WesternPlaceResource, town_field, village_field

from . import idcard
from .models import CommunityFactory, Employment, JobFair, TrainingCourse, Worker, WorkerYear
from .services import rebuild_worker_years

# "6.10902E+17", "6.10902199001021E+17": an ID number Excel turned into a number and wrote
# in scientific notation (a CSV saved from such a sheet).
SCIENTIFIC = re.compile(r"\d(?:\.\d+)?[eE]\+?\d+")


class IdNumberWidget(IdTextWidget):
    """An ID number is text. One that reaches the file as a number — a numeric XLSX cell, or
    scientific notation — has lost its last digits to Excel's 15 significant digits (they
    read 000), and its check digit may pass by chance: refused, whatever it reads."""

    def clean(self, value, row=None, **kwargs):
        text = value.strip() if isinstance(value, str) else value
        if (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(text, str) and SCIENTIFIC.fullmatch(text)
        ):
            self.stored_as_number(text)
        return idcard.normalise(super().clean(value, row, **kwargs))


WORKER_FIELDS = (
    "partnership",
    "name",
    "id_number",
    "phone",
    "home_town",
    "home_village",
    "household",
    "note",
)
EMPLOYMENT_FIELDS = (
    "employer",
    "job",
    "destination",
    "destination_text",
    "start_date",
    "end_date",
    "monthly_wage",
    "channel",
    "job_fair",
)


def employment_field(name, widget=None):
    return model_field(Employment, name, widget, attribute=f"employment__{name}")


class WorkerResource(TrackedResource):
    name = model_field(Worker, "name", PersonNameWidget())
    id_number = model_field(Worker, "id_number", IdNumberWidget())
    phone = model_field(Worker, "phone", IdTextWidget())
    home_town = town_field(Worker, "home_town")
    home_village = village_field(Worker, "home_village", town="home_town")
    employer = employment_field("employer")
    job = employment_field("job")
    destination = employment_field("destination", RegionWidget(scope=None, what="地区"))
    destination_text = employment_field("destination_text")
    start_date = employment_field("start_date")
    end_date = employment_field("end_date")
    monthly_wage = employment_field("monthly_wage")
    channel = employment_field("channel")
    job_fair = employment_field("job_fair", LookupWidget("job_fair_named"))

    natural_key = ("id_number",)
    required_columns = ("partnership", "name", "household")
    column_synonyms = {
        "name": ("务工人员姓名", "劳动力姓名"),
        "id_number": ("身份证号", "身份证", "公民身份号码", "身份证件号码"),
        "phone": ("联系电话", "电话", "手机", "手机号", "联系方式"),
        "home_town": ("所在镇", "所在镇（街道）", "户籍镇", "乡镇", "镇（街道）"),
        "home_village": ("所在村", "所在村（社区）", "户籍村", "村（社区）", "行政村"),
        "monthly_wage": ("月收入（元）", "月收入", "月工资", "月均工资（元）"),
        "employer": ("务工单位", "就业企业", "用工单位"),
        "destination": ("务工地", "务工地点", "就业地点"),
        "start_date": ("务工开始时间", "就业时间", "开始日期"),
    }
    personal_data = True
    personal_fields = ("name", "id_number", "phone", "note")

    class Meta:
        model = Worker
        fields = (*WORKER_FIELDS, *EMPLOYMENT_FIELDS)
        chunk_size = 2000

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.spells = {}  # (id number, employer, start date) → Employment
        self.spell_snapshots = {}
        # For the whole file, small: hashes of the key → its first line (and of his columns)
        self.spell_rows = {}  # (ID number, employer, start date) → first file line
        self.worker_rows = {}  # ID number → (first file line, hash of his columns)
        self.chunk_workers = {}  # ID number → his columns, for the chunk being read
        self.new_spells, self.changed_spells = [], []
        self.queued_spells = set()  # id() of spells waiting for their bulk write
        self.touched_workers = []
        self.ids_by_pk = None

    # -- reading -------------------------------------------------------------------------------

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("partnership__east_region", "home_town", "home_village")
        )

    def iter_queryset(self, queryset):
        """One exported line per spell (a worker without spells: one line)."""
        spells = Employment.objects.select_related("destination", "job_fair").order_by(
            "start_date", "id"
        )
        queryset = queryset.select_related(
            "partnership__east_region", "partnership__west_region", "home_town", "home_village"
        ).prefetch_related(Prefetch("employments", queryset=spells))
        for worker in super().iter_queryset(queryset):
            for spell in list(worker.employments.all()) or [None]:
                worker.employment = spell
                yield worker

    def load_existing(self, dataset):
        super().load_existing(dataset)
        ids = [key[0] for key in self.existing]
        fairs = self.column_values(dataset, "job_fair")
        self.load_job_fairs(fairs)
        for chunk in chunked(ids, 2000):
            for spell in Employment.objects.filter(worker__id_number__in=chunk).select_related(
                "destination", "job_fair"
            ):
                worker = self.existing[(spell.worker_id and self.id_of_worker(spell.worker_id),)]
                spell.worker = worker
                key = (worker.id_number, spell.employer, spell.start_date)
                self.spells[key] = spell
                self.spell_snapshots[id(spell)] = self.spell_snapshot(spell)
                self.remember_years(spell)

    def id_of_worker(self, pk):
        if self.ids_by_pk is None:
            self.ids_by_pk = {w.pk: key[0] for key, w in self.existing.items()}
        return self.ids_by_pk[pk]

    def worker_key(self, instance):
        """What the lines of one worker share: his ID number, as a hash (a file's every
        worker is remembered until its end; see `run_import`)."""
        return hash(idcard.normalise(instance.id_number))

    def forget_chunk(self):
        super().forget_chunk()
        self.chunk_workers.clear()
        self.ids_by_pk = None
        self.spells.clear()
        self.spell_snapshots.clear()
        self.touched_workers.clear()

    def filled_models(self):
        return [*super().filled_models(), Employment, Employment.history.model, WorkerYear]

    def load_job_fairs(self, texts):
        self.fairs = defaultdict(list)
        names = {re.sub(r"^\d{4}-\d{2}-\d{2}\s*", "", t) for t in texts}
        if names:
            for fair in JobFair.objects.filter(name__in=names):
                self.fairs[(fair.partnership_id, fair.name)].append(fair)

    def job_fair_named(self, text, row):
        """A job fair as exported ("2021-05-01 春风行动招聘会"), or by name when unambiguous."""
        partnership = self.row_partnership(row)
        match = re.match(r"^(\d{4}-\d{2}-\d{2})\s*(.+)$", text)
        name, date = (match.group(2), parse_date(match.group(1))) if match else (text, None)
        candidates = self.fairs.get((getattr(partnership, "pk", None), name), [])
        if date is not None:
            candidates = [f for f in candidates if f.date == date]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise ValueError(gettext("招聘会“%(v)s”尚未登记，请先登记招聘会") % {"v": text})
        raise ValueError(
            gettext("有%(n)d场名为“%(v)s”的招聘会，请写明日期（如“2021-05-01 %(v)s”）")
            % {"n": len(candidates), "v": name}
        )

    # -- a row: the worker, and his spell if the row has one ----------------------------------

    def row_has_spell(self, row):
        return any(not is_blank(row.get(self.fields[n].column_name)) for n in EMPLOYMENT_FIELDS)

    def spell_key(self, worker, row):
        try:
            employer = cell_text(row.get(self.fields["employer"].column_name))
            start = parse_date(row.get(self.fields["start_date"].column_name))
        except ValueError:
            return None
        return (idcard.normalise(worker.id_number), employer, start)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self.row_state = None

    def after_init_instance(self, instance, new, row, **kwargs):
        if not self.row_has_spell(row):
            instance.employment = Employment()  # a sink for the (empty) spell columns
            instance.employment.in_row = False
            return
        try:
            id_number = self.fields["id_number"].clean(row)
        except ValueError:
            id_number = ""
        instance.id_number = instance.id_number or id_number
        key = self.spell_key(instance, row)
        spell = self.spells.get(key) if key and key[1] and key[2] else None
        if spell is None:
            spell = Employment(worker=instance)
        spell.in_row = True
        instance.employment = spell

    def spell_snapshot(self, spell):
        return tuple(getattr(spell, f.attname) for f in Employment._meta.concrete_fields)

    def snapshot(self, instance):
        """The worker's own columns (his spells are compared on their own)."""
        return tuple(self.fields[n].get_value(instance) for n in WORKER_FIELDS)

    def worker_changed(self, instance):
        if instance.pk is None or id(instance) in self.pending:
            return True
        return self.snapshots.get(id(instance)) != self.snapshot(instance)

    def spell_changed(self, spell):
        if not spell.in_row:
            return False
        if spell.pk is None:
            return True
        return self.spell_snapshots.get(id(spell)) != self.spell_snapshot(spell)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        line = self.line(self.row_number)
        seen = self.worker_rows.setdefault(
            self.worker_key(instance), (line, hash(self.snapshot(instance)))
        )
        if seen[0] != line:
            return False  # a later line of the worker: compared with the first one
        return not self.worker_changed(instance) and not self.spell_changed(instance.employment)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        # Gender and birth date are derived from the ID number (checked on its own).
        exclude = ["gender", "birth_date"] + [
            k for k in self.clean_exclude(errors) if not k.startswith("employment__")
        ]
        for name, found in self.full_clean_errors(instance, exclude).items():
            errors.setdefault(name, found)
        spell = instance.employment
        if spell.in_row:
            spell.worker = instance
            exclude = ["worker", "in_east"] + [
                k.removeprefix("employment__").removesuffix("_id")
                for k in errors
                if k.startswith("employment__")
            ]
            spell_errors = self.full_clean_errors(spell, exclude=exclude)
            for k, v in spell_errors.items():
                errors.setdefault(f"employment__{k}" if k != NON_FIELD_ERRORS else k, v)
        # A later line of a worker is compared with his first line of the file (which an
        # earlier chunk may have written already), then with the register.
        if not errors:
            errors.update(self.repeat_errors(instance))
        if not errors:
            errors.update(self.identity_errors(instance))
        if not errors and spell.in_row:
            errors.update(self.closed_year_errors(spell, prefix="employment__"))
        if errors:
            raise ValidationError(self.errors_by_column(errors))

    def identity_errors(self, instance):
        """A line whose ID number is a known worker's but whose name is another is another
        person, or a typo in the ID number: never a silent overwrite of that worker's name,
        home and phone. The clerk corrects the ID number, or renames the worker in the
        admin first."""
        stored = self.snapshots.get(id(instance)) if instance.pk is not None else None
        if stored is None:
            return {}
        before = stored[WORKER_FIELDS.index("name")]
        if normalise_text(before or "") == normalise_text(instance.name or ""):
            return {}
        return {
            "id_number": [
                gettext(
                    "此身份证号码已登记为“%(before)s”，与本行姓名“%(name)s”不符。若身份证号码"
                    "录入有误，请更正；若确为同一人改名，请先在管理后台修改其姓名，再导入"
                )
                % {"before": before, "name": instance.name}
            ]
        }

    def repeat_errors(self, instance):
        """A worker on several lines must read the same on each; a spell only once."""
        errors = {}
        values = self.snapshot(instance)
        line, key = self.line(self.row_number), self.worker_key(instance)
        first, fingerprint = self.worker_rows.setdefault(key, (line, hash(values)))
        if first == line:
            # Remember the worker as validated (phone normalised …), not as typed.
            self.worker_rows[key] = (first, hash(values))
            self.chunk_workers[key] = values
        elif fingerprint != hash(values):
            first_values = self.chunk_workers.get(key)
            if first_values is None:  # his first line was in an earlier chunk of the file
                errors[NON_FIELD_ERRORS] = [
                    gettext(
                        "与第%(line)d行同一身份证号码的人员信息（姓名、户籍、手机号码等）不一致"
                    )
                    % {"line": first}
                ]
                first_values = values
            for name, a, b in zip(WORKER_FIELDS, first_values, values, strict=True):
                if a != b:
                    errors[name] = [
                        gettext("与第%(line)d行同一身份证号码的“%(col)s”不一致")
                        % {"line": first, "col": self.fields[name].column_name}
                    ]
        spell = instance.employment
        if spell.in_row:
            key = hash((instance.id_number, spell.employer, spell.start_date))
            first = self.spell_rows.setdefault(key, line)
            if first != line:
                errors[NON_FIELD_ERRORS] = [
                    gettext(
                        "与第%(line)d行是同一段就业（身份证号码、就业单位、就业开始日期相同），请删除重复行"
                    )
                    % {"line": first}
                ]
        return errors

    # -- writing -------------------------------------------------------------------------------

    def prepare(self, instance):
        instance.id_number = idcard.normalise(instance.id_number)
        if len(instance.id_number) == 18:
            instance.birth_date = idcard.birth_date_of(instance.id_number)
            instance.gender = idcard.gender_of(instance.id_number)
        if instance.home_village_id and not instance.home_town_id:
            instance.home_town_id = instance.home_village_id[:9]

    def save_instance(self, instance, is_create, row, **kwargs):
        worker_new = instance.pk is None and id(instance) not in self.pending
        worker_changed = self.worker_changed(instance)
        if worker_changed:
            super().save_instance(instance, is_create, row, **kwargs)
            self.existing.setdefault((instance.id_number,), instance)
        spell = instance.employment
        queued = id(spell) in self.queued_spells
        spell_new = spell.in_row and spell.pk is None and not queued
        if spell.in_row and not queued and self.spell_changed(spell):
            self.queued_spells.add(id(spell))
            spell.worker = instance
            spell.in_east = spell.derive_in_east()
            self.stamp(spell, spell.pk is None)
            (self.new_spells if spell.pk is None else self.changed_spells).append(spell)
            self.spells[(instance.id_number, spell.employer, spell.start_date)] = spell
            worker_changed = True
        # The row is new when it adds a worker or a spell, changed when it changes one.
        self.row_state = (
            "new" if (worker_new or spell_new) else ("update" if worker_changed else "skip")
        )
        if self.row_state != "skip":  # his worker-years are rebuilt at the end
            self.touched_workers.append(instance)

    def after_import_row(self, row, row_result, **kwargs):
        if self.row_state and row_result.import_type in ("new", "update", "skip"):
            row_result.import_type = self.row_state

    def bulk_create(self, *args, **kwargs):
        super().bulk_create(*args, **kwargs)
        self.write_spells()

    def bulk_update(self, *args, **kwargs):
        super().bulk_update(*args, **kwargs)
        self.write_spells()

    def after_bulk_write(self, instances, created):
        for worker in instances:
            self.snapshots[id(worker)] = self.snapshot(worker)

    def write_spells(self):
        """Spells once their workers have primary keys, with their history."""
        ready = [s for s in self.new_spells if s.worker.pk is not None]
        self.new_spells = [s for s in self.new_spells if s.worker.pk is None]
        for spell in ready:
            spell.worker_id = spell.worker.pk
        history = self.history_kwargs()
        if ready:
            bulk_create_with_history(ready, Employment, batch_size=self._meta.batch_size, **history)
        if self.changed_spells:
            bulk_update_with_history(
                self.changed_spells,
                Employment,
                updated_fields(Employment),
                batch_size=UPDATE_BATCH_ROWS,
                **history,
            )
        for spell in ready + self.changed_spells:
            self.spell_snapshots[id(spell)] = self.spell_snapshot(spell)
            self.remember_years(spell)
            self.queued_spells.discard(id(spell))
        self.changed_spells = []

    def after_import(self, dataset, result, **kwargs):
        self.write_spells()
        if self.dry_run or result.has_errors() or result.has_validation_errors():
            return
        # The derived per-year rows of every worker this import created or changed, by the
        # labour service, in this transaction.
        rebuild_worker_years({w.pk for w in self.touched_workers if w.pk is not None})


class JobFairResource(TrackedResource):
    town = town_field(JobFair)

    natural_key = ("partnership", "name", "date")

    class Meta:
        model = JobFair
        fields = (
            "partnership",
            "name",
            "date",
            "place",
            "town",
            "organiser",
            "employers",
            "jobs_offered",
            "intentions",
            "hired",
            "stable",
        )


class TrainingCourseResource(TrackedResource):
    town = town_field(TrainingCourse)

    natural_key = ("partnership", "name", "start_date")
    required_columns = ("kind",)

    class Meta:
        model = TrainingCourse
        fields = (
            "partnership",
            "name",
            "kind",
            "start_date",
            "end_date",
            "organiser",
            "town",
            "trainees",
            "certified",
            "employed_after",
        )


class CommunityFactoryResource(WesternPlaceResource):
    project = model_field(CommunityFactory, "project", LookupWidget("project_named"))

    natural_key = ("partnership", "name")

    class Meta:
        model = CommunityFactory
        fields = (
            "partnership",
            "name",
            "industry",
            *PLACE,
            "opened_on",
            "closed_on",
            "jobs",
            "poverty_exited_jobs",
            "project",
        )

    def get_queryset(self):
        return super().get_queryset().select_related("project")

    def load_existing(self, dataset):
        super().load_existing(dataset)
        self.projects = defaultdict(list)
        texts = self.column_values(dataset, "project")
        names = {re.sub(r"^\d{4}\s*", "", t) for t in texts} | texts
        for project in Project.objects.filter(name__in=names):
            self.projects[(project.partnership_id, project.name)].append(project)

    def project_named(self, text, row):
        """扶持项目 as exported ("2021 茶园建设"), or by name when the partnership has one such."""
        partnership = self.row_partnership(row)
        pk = getattr(partnership, "pk", None)
        match = re.match(r"^(\d{4})\s*(.+)$", text)
        candidates = self.projects.get((pk, text), [])
        if match and not candidates:
            year, name = int(match.group(1)), match.group(2)
            candidates = [p for p in self.projects.get((pk, name), []) if p.fund_year == year]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise ValueError(gettext("扶持项目“%(v)s”尚未登记") % {"v": text})
        raise ValueError(
            gettext("有%(n)d个名为“%(v)s”的项目，请写明资金年度（如“%(y)s %(v)s”）")
            % {"n": len(candidates), "v": text, "y": candidates[0].fund_year}
        )
