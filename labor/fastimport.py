"""The fast path of `import_records labor.worker` for large files of new workers, on PostgreSQL.

A county's first import is its whole 台账: tens or hundreds of thousands of workers the system
has never seen, one line per job spell. The general import (`cooperation.importing`,
django-import-export) builds model instances and runs `full_clean` on every line; this path
checks the same rules with far less work per line and writes with COPY:

- every cell goes through the import's own widget (`labor.resources.WorkerResource`), but each
  *distinct* value of a column is cleaned once (a file has a few dozen towns, dates, wages and
  channels, not a hundred thousand) — the same parsing, lookups and Chinese messages;
- the per-line values (name, ID number, phone, employer) are checked by the model's own rules:
  required, length, `labor.idcard.validate`, the mobile pattern, the worker's town and village
  within the partnership's western county, a spell not starting in the future and not ending
  before it starts, wages not negative and within the column's digits;
- a worker on several lines must read the same on each, and a spell may appear only once;
- workers, spells and both history tables are written with COPY, the worker-years with one
  INSERT … SELECT (`cooperation.national.rebuild_worker_years_sql`, the same rules as
  `labor.services`, checked against it by tests), and the data version is bumped — all in one
  transaction: nothing is written unless everything is.

It declines (returns None) whenever the file is not such a file: any ID number already in the
database (updating workers is the general path's work), any line it finds wrong, a worker
repeated on lines without a spell, text PostgreSQL cannot hold. The general import then runs
from the start, reports every error with its line and column exactly as always, or imports the
file itself. So this path never accepts what the general one would refuse, and never reports
an error of its own."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from cooperation.freshness import bump_data_version
from cooperation.imports.cells import cell_text
from cooperation.imports.files import is_blank
from cooperation.imports.writers import reserve_ids
from cooperation.pgcopy import NULL, copy_rows
from cooperation.pgcopy import copy_text as _copy_text

from . import idcard
from .models import MOBILE_RE, Employment, Worker, normalise_phone
from .resources import EMPLOYMENT_FIELDS, WorkerResource

#: files below this many lines go through the general import (its per-line cost is small
#: there, and a second path would only be one more way to behave differently)
MIN_ROWS = 1000

# The columns of every Tracked record, then each model's own.
TRACKED_COLUMNS = ("id", "created_at", "created_by_id", "updated_at", "updated_by_id", "version")
WORKER_COLUMNS = (
    *TRACKED_COLUMNS,
    "partnership_id",
    "name",
    "id_number",
    "gender",
    "birth_date",
    "phone",
    "home_town_id",
    "home_village_id",
    "household",
    "note",
)
EMPLOYMENT_COLUMNS = (
    *TRACKED_COLUMNS,
    "worker_id",
    "employer",
    "job",
    "destination_id",
    "destination_text",
    "in_east",
    "start_date",
    "end_date",
    "monthly_wage",
    "channel",
    "job_fair_id",
)
HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")

# Name, ID number, phone, note, employer, job and place text are checked on every line; the
# other cells once per distinct value, and per partnership / town where their meaning
# depends on it:
CONTEXT = {  # field → the other fields its widget reads from the row
    "home_town": ("partnership",),
    "home_village": ("partnership", "home_town"),
    "job_fair": ("partnership",),
}


class Declined(Exception):
    """The file is not for the fast path; the general import will handle it."""


@dataclass
class FastResult:
    rows: int
    workers: int
    employments: int
    worker_years: int
    dry_run: bool

    @property
    def counts(self):
        return {"new": self.rows, "update": 0, "skip": 0, "invalid": 0, "error": 0}


def _check_columns(model, columns):
    """The COPY column lists must be the model's columns exactly (a new field fails tests)."""
    for m, cols in ((model, columns), (model.history.model, (*columns, *HISTORY_COLUMNS))):
        actual = {f.column for f in m._meta.concrete_fields if f.column != "history_id"}
        if set(cols) != actual:
            raise RuntimeError(
                f"{m.__name__}: fast import columns {sorted(set(cols) ^ actual)} out of date"
            )


def import_workers(dataset, *, user=None, dry_run=False, progress=None):
    """Import `dataset` (a worker file read by `cooperation.importing.read_file`) through the
    fast path; returns a FastResult, or None when the general import must handle the file."""
    if connection.vendor != "postgresql" or len(dataset) < MIN_ROWS:
        return None
    try:
        return _FastImport(dataset, user, progress).run(dry_run)
    except Declined:
        return None


class _FastImport:
    def __init__(self, dataset, user, progress):
        _check_columns(Worker, WORKER_COLUMNS)
        _check_columns(Employment, EMPLOYMENT_COLUMNS)
        self.dataset = dataset
        self.user = user if getattr(user, "is_authenticated", False) else None
        self.progress = progress or (lambda n: None)
        self.resource = WorkerResource(user=self.user, fast=True)
        self.fields = self.resource.fields
        self.today = timezone.localdate()

    # -- reading and checking --------------------------------------------------------------

    def run(self, dry_run):
        try:
            self.resource.normalise_headers(self.dataset)
        except ValidationError:
            raise Declined from None
        headers = self.dataset.headers
        self.index = {
            name: headers.index(f.column_name)
            for name, f in self.fields.items()
            if f.column_name in headers
        }
        self.spell_indexes = [self.index[n] for n in EMPLOYMENT_FIELDS if n in self.index]
        used = sorted(set(self.index.values()))
        if any(isinstance(row[i], str) and "\x00" in row[i] for row in self.dataset for i in used):
            raise Declined  # a NUL byte: the general path names its line and column
        if "job_fair" in self.index:
            self.resource.load_job_fairs(self.resource.column_values(self.dataset, "job_fair"))
        workers, spells = self.read()
        self.refuse_known(workers)
        if dry_run:
            return FastResult(len(self.dataset), len(workers), len(spells), 0, True)
        try:
            with transaction.atomic():
                years = self.write(workers, spells)
        except IntegrityError:
            # Another import registered one of these ID numbers meanwhile: the general path
            # reports which.
            raise Declined from None
        return FastResult(len(self.dataset), len(workers), len(spells), years, False)

    def cached(self, name, default=None):
        """A function cleaning a column's cell once per distinct (value, context): the field's
        own clean(), a blank result meaning `default`; a refusal declines the file."""
        f = self.fields[name]
        if name not in self.index:
            return lambda values: default
        i = self.index[name]
        context = [(self.fields[c].column_name, self.index.get(c)) for c in CONTEXT.get(name, ())]
        others = [j for _, j in context if j is not None]
        memo = {}

        def compute(values):
            row = {f.column_name: values[i]}
            for column, j in context:
                row[column] = values[j] if j is not None else None
            try:
                found = f.clean(row)
            except (ValueError, ValidationError, KeyError) as exc:
                return Declined(exc)
            return default if found is None or found == "" else found

        if not others:

            def clean(values):
                try:
                    found = memo[values[i]]
                except KeyError:
                    found = memo[values[i]] = compute(values)
                if found.__class__ is Declined:
                    raise found
                return found

        else:

            def clean(values):
                key = (values[i], *[values[j] for j in others])
                try:
                    found = memo[key]
                except KeyError:
                    found = memo[key] = compute(values)
                if found.__class__ is Declined:
                    raise found
                return found

        return clean

    def text(self, name, required=False):
        """A per-line text cell, as the TextWidget reads it, with the model field's length
        (ID numbers and phones are checked by their own rules after normalising)."""
        i = self.index.get(name)
        if i is None:
            if required:
                raise Declined(name)
            return lambda values: ""
        id_like = name in ("id_number", "phone")
        model = Employment if name in EMPLOYMENT_FIELDS else Worker
        max_length = None if id_like else model._meta.get_field(name).max_length
        limit = max_length if max_length is not None else float("inf")

        def clean(values):
            value = values[i]
            if value.__class__ is str and not value.startswith("'"):
                text = value  # read_file strips every text cell
            elif id_like and isinstance(value, float):
                raise Declined(name)  # an ID stored as a number by Excel
            else:
                text = cell_text(value)
            if (required and not text) or len(text) > limit or "\x00" in text:
                raise Declined(name)
            return text

        return clean

    def read(self):
        """Check every line; returns ({id number: worker tuple}, [spell tuples])."""
        partnership_of = self.cached("partnership")
        household_of = self.cached("household")
        town_of = self.cached("home_town")
        village_of = self.cached("home_village")
        name_of = self.text("name", required=True)
        id_of = self.text("id_number", required=True)
        phone_of = self.text("phone")
        note_of = self.text("note")
        employer_of = self.text("employer")
        job_of = self.text("job")
        destination_text_of = self.text("destination_text")
        destination_of = self.cached("destination")
        start_of = self.cached("start_date")
        end_of = self.cached("end_date")
        wage_of = self.cached("monthly_wage")
        channel_of = self.cached("channel", "")
        fair_of = self.cached("job_fair")
        place_ok = {}
        spell_indexes = self.spell_indexes
        validate_id = idcard.validate
        mobile = MOBILE_RE.match
        wage_field = Employment._meta.get_field("monthly_wage")
        max_wage = Decimal(10) ** (wage_field.max_digits - wage_field.decimal_places)

        workers = {}  # id number → (worker values, whether that line had no spell)
        spells = []
        seen_spells = set()
        for line, values in enumerate(self.dataset, 1):
            if line % 5000 == 0:
                self.progress(5000)
            partnership = partnership_of(values)
            household = household_of(values)
            if not household:
                raise Declined("household")
            town, village = town_of(values), village_of(values)
            town_code = town.code if town is not None else None
            village_code = village.code if village is not None else None
            place = (partnership.pk, town_code, village_code)
            town_code = place_ok.get(place)
            if town_code is None:
                town_code = place_ok[place] = _place(partnership, town, village)
            number = id_of(values)
            try:
                number = validate_id(number, today=self.today)
            except ValidationError:
                raise Declined("id_number") from None
            phone = phone_of(values)
            if phone:
                phone = normalise_phone(phone)
                if not mobile(phone):
                    raise Declined("phone")
            worker = (
                partnership,
                name_of(values),
                number,
                phone,
                town_code or None,
                village_code,
                household,
                note_of(values),
            )
            has_spell = any(not is_blank(values[i]) for i in spell_indexes)
            first = workers.get(number)
            if first is None:
                workers[number] = (worker, not has_spell)
            elif first[0] != worker or first[1] or not has_spell:
                raise Declined("repeated worker")
            if not has_spell:
                continue
            employer, start = employer_of(values), start_of(values)
            if not employer or start is None or start > self.today:
                raise Declined("spell")
            end, wage = end_of(values), wage_of(values)
            if end is not None and end < start:
                raise Declined("end_date")
            if wage is not None and (wage < 0 or wage >= max_wage):
                raise Declined("monthly_wage")
            channel = channel_of(values)
            if not channel:
                raise Declined("channel")
            key = (number, employer, start)
            if key in seen_spells:
                raise Declined("repeated spell")
            seen_spells.add(key)
            destination = destination_of(values)
            fair = fair_of(values)
            spells.append(
                (
                    number,
                    employer,
                    job_of(values),
                    destination.code if destination is not None else None,
                    destination_text_of(values),
                    start,
                    end,
                    wage,
                    channel,
                    fair.pk if fair is not None else None,
                )
            )
        self.progress(len(self.dataset) % 5000)
        return {number: w[0] for number, w in workers.items()}, spells

    def refuse_known(self, workers):
        """Updating workers is the general import's work: decline when any is known."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM labor_worker WHERE id_number = ANY(%s) LIMIT 1", [list(workers)]
            )
            if cursor.fetchone():
                raise Declined("known workers")

    # -- writing ---------------------------------------------------------------------------

    def write(self, workers, spells):
        from .services import _insert_rows, years_of

        now = timezone.now().isoformat()
        user = str(self.user.pk) if self.user is not None else NULL
        stamp = f"{now}\t{user}\t{now}\t{user}\t0"
        history = f"\t{now}\t{_copy_text(gettext('导入'))}\t+\t{user}\n"
        with connection.cursor() as cursor:
            worker_ids = reserve_ids(Worker, len(workers), connection)
            spell_ids = reserve_ids(Employment, len(spells), connection)
            pk_of, east_of = {}, {}
            rows, history_rows = [], []
            for pk, (number, w) in zip(worker_ids, workers.items(), strict=True):
                partnership, name, _, phone, town, village, household, note = w
                pk_of[number] = pk
                east_of[number] = partnership.east_region_id[:2]
                born = idcard.birth_date_of(number)
                line = "\t".join(
                    (
                        str(pk),
                        stamp,
                        str(partnership.pk),
                        _copy_text(name),
                        number,
                        idcard.gender_of(number),
                        born.isoformat(),
                        phone,
                        town or NULL,
                        village or NULL,
                        household,
                        _copy_text(note),
                    )
                )
                rows.append(line + "\n")
                history_rows.append(line + history)
            copy_rows(cursor, "labor_worker", WORKER_COLUMNS, "".join(rows))
            copy_rows(
                cursor,
                "labor_historicalworker",
                WORKER_COLUMNS + HISTORY_COLUMNS,
                "".join(history_rows),
            )

            rows, history_rows = [], []
            dates = _Dates()
            facts_of = {}  # id number → [(start, end, wage, in_east)] for the worker-years
            for pk, s in zip(spell_ids, spells, strict=True):
                number, employer, job, destination, destination_text = s[:5]
                start, end, wage, channel, fair = s[5:]
                in_east = destination is not None and destination.startswith(east_of[number])
                facts_of.setdefault(number, []).append((start, end, wage, in_east))
                line = "\t".join(
                    (
                        str(pk),
                        stamp,
                        str(pk_of[number]),
                        _copy_text(employer),
                        _copy_text(job),
                        destination or NULL,
                        _copy_text(destination_text),
                        "t" if in_east else "f",
                        dates[start],
                        dates[end],
                        str(wage) if wage is not None else NULL,
                        channel,
                        str(fair) if fair is not None else NULL,
                    )
                )
                rows.append(line + "\n")
                history_rows.append(line + history)
            copy_rows(cursor, "labor_employment", EMPLOYMENT_COLUMNS, "".join(rows))
            copy_rows(
                cursor,
                "labor_historicalemployment",
                EMPLOYMENT_COLUMNS + HISTORY_COLUMNS,
                "".join(history_rows),
            )
        # The new workers' WorkerYear rows by the labour service's own rule and writer.
        years = []
        for number, worker_spells in facts_of.items():
            worker_spells.sort(key=lambda s: s[0])  # by start date, as the service reads
            partnership, _, _, _, town, _, household, _ = workers[number]
            head = (pk_of[number], partnership.pk)
            for year, facts in years_of(worker_spells, self.today):
                years.append((*head, year, town, household, *facts))
        _insert_rows(years)
        bump_data_version(partnerships={w[0].pk for w in workers.values()})
        return len(years)


class _Dates(dict):
    """date → ISO text, each date converted once (None → NULL)."""

    def __missing__(self, value):
        text = self[value] = value.isoformat() if value is not None else NULL
        return text


def _place(partnership, town, village):
    """The worker's town code as `Worker.clean`/`save` settle it (the village's town when the
    town is blank), or Declined when the general import would refuse the pair."""
    west = partnership.west_region_id
    if village is not None:
        if town is not None and not village.code.startswith(town.code):
            raise Declined("home_village")
        town_code = village.code[:9]
    else:
        town_code = town.code if town is not None else ""
    if town_code and not town_code.startswith(west):
        raise Declined("home_town")
    return town_code
