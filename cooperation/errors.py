"""Error views Django does not render well enough by itself.

Django's own handlers already render templates/400.html, 403.html and 404.html with the
request (so in the site layout, with the visitor's user and language). Two are left:

- `server_error` (handler500): Django's renders 500.html too, but if that fails the error
  page itself fails and the visitor gets whatever the web server makes of it. Ours falls
  back to a line of plain text.
- `csrf_failure` (CSRF_FAILURE_VIEW): a form sent without a valid CSRF token, which for a
  visitor means an expired form or cookies turned off.
"""

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext, gettext_noop

logger = logging.getLogger(__name__)

SERVER_ERROR_TEXT = gettext_noop("服务器出错。错误已经记录，请稍后再试，或联系系统管理员。")


def server_error(request, template_name="500.html"):
    """handler500: the minimal 500 page (no request, no context processors, no queries:
    whatever broke may be the database), or plain text when even that cannot be rendered."""
    try:
        return HttpResponseServerError(render_to_string(template_name))
    except Exception:  # the error page must not fail in its turn
        logger.exception("The 500 page could not be rendered; sent plain text instead.")
    try:
        text = gettext(SERVER_ERROR_TEXT)
    except Exception:  # translations may be what is broken
        text = SERVER_ERROR_TEXT
    return HttpResponseServerError(text, content_type="text/plain; charset=utf-8")


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form expired or the browser sent no cookie. The reason is
    Django's technical wording (already logged by the CSRF middleware), not shown."""
    return render(request, "403_csrf.html", status=403)
