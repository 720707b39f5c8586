"""The three roles and what each may do. The groups are created by a migration; their
permissions are (re)assigned after every migrate, so models added later are covered."""

DATA_ENTRY = "录入员"
REVIEWER = "审核员"
OFFICIAL = "领导"

APPS = ("cooperation", "projects", "labor", "evidence")
# Apps whose permissions a role may hold without their models being edited in the admin
# (the year's confirmation: confirmation/); their migrations also resync the roles.
EXTRA_APPS = ("confirmation",)
# Seeing workers' names, ID numbers and phones in full (pages, admin, imports, exports).
PERSONAL_DATA = "labor.view_personal_data"
HISTORY = "cooperation.view_history"
# Confirming a partnership's year for one's side, and reopening it (confirmation/).
CONFIRM_YEAR = "confirmation.confirm_year"
# A clerk removes a wrongly uploaded evidence file (佐证材料); a reviewer can restore it
# from 已删除记录. Records themselves are deleted by superusers only.
DELETE_EVIDENCE = "evidence.delete_evidencefile"

# Custom permissions beyond add/change/delete/view, by role.
EXTRA = {
    DATA_ENTRY: [PERSONAL_DATA, DELETE_EVIDENCE],
    REVIEWER: [PERSONAL_DATA, HISTORY, CONFIRM_YEAR],
    OFFICIAL: [],
}
ACTIONS = {
    DATA_ENTRY: ("add", "change", "view"),
    REVIEWER: ("change", "view"),
    OFFICIAL: ("view",),
}


READ_ONLY_MODELS = {"region", "workeryear", "exportaudit", "dataversion"}


def can_view_personal_data(user):
    return bool(user and user.is_active and user.has_perm(PERSONAL_DATA))


def sync_role_permissions(sender=None, **kwargs):
    """Give each role its permissions on every model of the project's apps (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    if sender is not None and getattr(sender, "name", None) not in APPS + EXTRA_APPS:
        return
    for role, actions in ACTIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        perms = Permission.objects.filter(content_type__app_label__in=APPS).select_related(
            "content_type"
        )
        wanted = [
            p
            for p in perms
            if p.codename.split("_", 1)[0] in actions
            and not p.codename.startswith(("view_personal", "view_history"))
            and not p.content_type.model.startswith("historical")
            # Reference data, loaded from the official code list and read-only for every role;
            # derived rows and the export audit are written by the system, never by hand.
            and not (
                p.content_type.model in READ_ONLY_MODELS and not p.codename.startswith("view_")
            )
        ]
        for extra in EXTRA[role]:
            app_label, codename = extra.split(".")
            wanted += list(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
