"""The places the tests name, each defined once: the codes of official regions (which
tests/conftest.py loads) and the names of the two partnerships.

The default partnership P (the `partnership` fixture) is 武进区—汉滨区; the second one Q
(`other_partnership`) is 新北区—汉阴县. The four counties lie in 常州市 (3204, 江苏 32) and
安康市 (6109, 陕西 61).

They live here rather than in tests/conftest.py because the factories need them and
tests/conftest.py needs the factories."""

# The partnerships' names, as records and spreadsheets write them
P_NAME = "武进区—汉滨区"
Q_NAME = "新北区—汉阴县"

# Counties
WUJIN = "320412"  # 武进区, P's eastern county
HANBIN = "610902"  # 汉滨区, P's western county
XINBEI = "320411"  # 新北区, Q's eastern county
HANYIN = "610921"  # 汉阴县, Q's western county

# Towns and villages of 汉滨区
LAOCHENG = "610902001"  # 老城街道
XINCHENG = "610902002"  # 新城街道
DAHE = "610902115"  # 大河镇
XIANHE = "610902120"  # 县河镇
XIDAJIE = "610902001003"  # 西大街社区居委会, in 老城街道
BEIMEN = "610902002001"  # 北门社区居委会, in 新城街道

# Towns of 汉阴县
HANYIN_CHENGGUAN = "610921100"  # 城关镇
