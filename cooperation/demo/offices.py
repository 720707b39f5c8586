"""Demo users: one per role (录入员, 审核员, 领导) and per level of office — a western and an
eastern county, a city, a province and the nation — so that `make run` shows what each
office sees (cooperation/areas.py). Development only: they share one password."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ..models import Region, UserArea
from ..roles import DATA_ENTRY, OFFICIAL, REVIEWER

PASSWORD = "office-demo-2021"  # noqa: S105 - development only (setup_site refuses DEBUG off)

# (username prefix, region code or None for the nation, side)
OFFICES = [
    ("hanbin", "610902", ""),  # 汉滨区
    ("wujin", "320412", ""),  # 武进区
    ("ankang", "6109", UserArea.Side.WEST),  # 安康市（西部）
    ("jiangsu", "32", UserArea.Side.EAST),  # 江苏省（东部）
    ("nation", None, ""),  # 全国
]
ROLES = [("clerk", DATA_ENTRY), ("reviewer", REVIEWER), ("official", OFFICIAL)]


def create_demo_offices():
    """Create the demo users once (existing ones are left as they are); returns
    [(username, area, role), …] of all of them."""
    User = get_user_model()
    made = []
    for prefix, code, side in OFFICES:
        region = Region.objects.get(code=code) if code else None
        for suffix, role in ROLES:
            user, created = User.objects.get_or_create(
                username=f"{prefix}-{suffix}", defaults={"is_staff": True}
            )
            if created:
                user.set_password(PASSWORD)
                user.save()
                user.groups.add(Group.objects.get(name=role))
                UserArea.objects.create(user=user, region=region, side=side)
            made.append(
                (user.username, UserArea.label(region.name if region else None, side), role)
            )
    return made
