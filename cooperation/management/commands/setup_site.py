from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "hanbin-wujin-demo"  # noqa: S105 - development only; refused when DEBUG is off


class Command(BaseCommand):
    help = (
        "First-run setup for development: migrate, load the official regions, load the demo data "
        "into an empty database and create the demo administrator. Safe to run again."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("setup_site is for development (DEBUG on); see README 'Deploying'.")
        call_command("migrate", verbosity=0)
        call_command("load_regions")
        from cooperation.models import Partnership

        if not Partnership.objects.exists():
            try:
                call_command("load_demo")
            except CommandError as exc:  # pragma: no cover - only before the demo command exists
                self.stderr.write(str(exc))
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        from cooperation.demo.offices import PASSWORD, create_demo_offices

        offices = "\n".join(
            f"    {username:<18} {area} · {role}" for username, area, role in create_demo_offices()
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"\n  站点 / site:   http://127.0.0.1:8000/\n"
                f"  报道中的2021年数字 / the report's year:  http://127.0.0.1:8000/?year=2021\n"
                f"  管理 / admin:  http://127.0.0.1:8000/{settings.ADMIN_URL}\n"
                f"  演示管理员 / demo administrator:  用户名 {DEMO_USERNAME}  密码 {DEMO_PASSWORD}\n"
                f"  各级办公室演示用户 / demo office users (密码 / password {PASSWORD}):\n"
                f"{offices}\n"
            )
        )
