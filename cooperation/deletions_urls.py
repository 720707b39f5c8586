"""已删除记录: the page listing deletions and the restore button (cooperation/deletions.py).

Include it in the root URLs:  path("", include("cooperation.deletions_urls")),

Only signed-in users with `cooperation.view_history` see the page (reviewers, superusers);
each row and each restore also needs the change permission of the record's model."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST, require_safe

from . import deletions

app_name = "deletions"


def _require_history_permission(user):
    if not user.has_perm(deletions.HISTORY_PERMISSION):
        raise PermissionDenied


@require_safe
@login_required
def deletion_list(request):
    _require_history_permission(request.user)
    page = deletions.deletions_page(request.user, request.GET.get("page"))
    return render(
        request,
        "cooperation/deletions.html",
        {"title": gettext("已删除记录"), "page": page, "deletions": page.object_list},
    )


@require_POST
@login_required
def restore(request, app_label, model_name, history_id):
    _require_history_permission(request.user)
    record = deletions.find_deletion(app_label, model_name, history_id, request.user)
    if record is None:
        raise Http404
    if not deletions.may_restore(request.user, record.instance_type):
        raise PermissionDenied
    try:
        restored = deletions.restore(record, request.user)
    except deletions.RestoreRefused as refused:
        messages.error(request, refused.message)
    else:
        label = deletions.record_label(request.user, restored[0])
        others = len(restored) - 1
        if others:
            text = ngettext(
                "已恢复“%(record)s”及随之删除的 %(count)s 条记录。",
                "已恢复“%(record)s”及随之删除的 %(count)s 条记录。",
                others,
            ) % {"record": label, "count": others}
        else:
            text = gettext("已恢复“%(record)s”。") % {"record": label}
        messages.success(request, text)
    return redirect("deletions:list")


urlpatterns = [
    path("deletions/", deletion_list, name="list"),
    path(
        "deletions/<slug:app_label>/<slug:model_name>/<int:history_id>/restore/",
        restore,
        name="restore",
    ),
]
