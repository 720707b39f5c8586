"""Place names and codes → regions: the index an import looks places up in."""

from collections import defaultdict

from django.utils.translation import gettext

from cooperation.models import Region
from cooperation.querysets import short_region_name

from .cells import comparable


class RegionIndex:
    """All regions in memory (a few thousand rows), looked up by code or by name.

    A region is found by its name ("大河镇"), its everyday short name ("小河村" for
    "小河村委会"), or its name preceded by those of its parents ("汉滨区大河镇",
    "大河镇小河村", "江苏省常州市武进区"). Lookups are restricted to a region (the
    partnership's western county, a town) and a level, which settles most ambiguity."""

    def __init__(self):
        rows = Region.objects.order_by().values_list("code", "name", "level", "parent_id")
        self.memo = {}
        self.written = {}  # code → the form exports write
        self.by_code = {
            code: Region(code=code, name=name, level=level, parent_id=parent_id)
            for code, name, level, parent_id in rows
        }
        self.by_path = defaultdict(list)
        for region in self.by_code.values():
            names = {region.name, short_region_name(region.name)}
            self.by_path_add(names, region)
            prefix = ""
            for node in reversed(self.ancestors(region)):
                prefix = node.name + prefix
                self.by_path_add({prefix + n for n in names}, region)

    def by_path_add(self, names, region):
        for name in names:
            self.by_path[comparable(name)].append(region)

    def get(self, code):
        return self.by_code.get(code)

    @staticmethod
    def normalise_code(text):
        """'610902000000' (12-digit form of a county) → '610902'."""
        if len(text) == 12:
            for length in (2, 4, 6, 9):
                if text[length:] == "0" * (12 - length):
                    return text[:length]
        return text

    def find(self, value, *, level=None, within=None, what):
        """The region a cell names, or ValueError saying why not (in Chinese)."""
        memo_key = (value, level, within, str(what))
        found = self.memo.get(memo_key)
        if found is None:
            try:
                found = self._find(value, level=level, within=within, what=what)
            except ValueError as exc:
                found = exc
            self.memo[memo_key] = found
        if isinstance(found, ValueError):
            raise ValueError(str(found))
        return found

    def _find(self, value, *, level, within, what):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        raw = str(value).strip()
        text = comparable(raw)
        within_code = getattr(within, "code", within) or ""
        if text.isdecimal():
            region = self.by_code.get(self.normalise_code(text))
            if region is None:
                raise ValueError(gettext("区划代码 %(v)s 不存在") % {"v": raw})
            candidates = [region]
        else:
            candidates = self.by_path.get(text, [])
            if not candidates:
                raise ValueError(self._not_found(raw, within_code, what))
        if level is not None:
            candidates = [r for r in candidates if r.level == level]
        candidates = [r for r in candidates if r.code.startswith(within_code)]
        unique = {r.code: r for r in candidates}
        if not unique:
            raise ValueError(self._not_found(raw, within_code, what))
        if len(unique) > 1:
            regions = [unique[code] for code in sorted(unique)]
            raise ValueError(
                gettext(
                    "“%(v)s”有%(n)d处同名：%(places)s。请写上上级名称（如“%(example)s”）"
                    "或填写区划代码"
                )
                % {
                    "v": raw,
                    "n": len(regions),
                    "places": "、".join(self.full_name(r) for r in regions),
                    "example": self.unique_name(regions[0]),
                }
            )
        return next(iter(unique.values()))

    def ancestors(self, region):
        """The region's parents, the province first."""
        chain, node = [], self.by_code.get(region.parent_id)
        while node is not None:
            chain.insert(0, node)
            node = self.by_code.get(node.parent_id)
        return chain

    def full_name(self, region):
        """ "陕西省安康市汉滨区大河镇": the names from the province down."""
        return "".join(r.name for r in self.ancestors(region)) + region.name

    def unique_name(self, region):
        """The shortest written form that names this region and no other anywhere (an
        export writes it, so that the file imports back unchanged under any partnership):
        its everyday short name, its name, then each preceded by its parents' names
        ("汉滨区大河镇"); its code when even the full name is shared."""
        found = self.written.get(region.code)
        if found is None:
            found = self.written[region.code] = self._unique_name(region)
        return found

    def _unique_name(self, region):
        names = [short_region_name(region.name), region.name]
        chain = self.ancestors(region)
        prefixes = ["".join(r.name for r in chain[i:]) for i in range(len(chain), -1, -1)]
        for prefix in prefixes:
            for name in names:
                codes = {r.code for r in self.by_path.get(comparable(prefix + name), [])}
                if codes == {region.code}:
                    return prefix + name
        return region.code

    def _not_found(self, raw, within_code, what):
        within = self.by_code.get(within_code)
        if within is not None:
            return gettext("%(county)s没有名为“%(v)s”的%(what)s") % {
                "county": within.name,
                "v": raw,
                "what": what,
            }
        return gettext("找不到名为“%(v)s”的%(what)s") % {"v": raw, "what": what}
