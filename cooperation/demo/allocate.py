"""Splitting a total into parts that add up to it exactly (integers, or money to the 0.01 万元)."""

from decimal import Decimal

CENT = Decimal("0.01")


def split_int(total, n, rng, minimum=0, spread=0.5):
    """`n` non-negative integers, each at least `minimum`, adding up to `total` exactly;
    random weights in [1 - spread, 1 + spread] (largest remainders get the leftovers)."""
    if n <= 0:
        if total:
            raise ValueError(f"cannot split {total} into no parts")
        return []
    free = total - minimum * n
    if free < 0:
        raise ValueError(f"cannot split {total} into {n} parts of at least {minimum}")
    weights = [rng.uniform(1 - spread, 1 + spread) for _ in range(n)]
    scale = free / sum(weights)
    raw = [w * scale for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(n), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: free - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


def split_weighted(total, weights):
    """Integers proportional to `weights`, adding up to `total` exactly."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def split_money(total, n, rng, minimum=Decimal("0"), spread=0.5):
    """`n` amounts in 万元 (to 0.01), adding up to `total` exactly."""
    cents = split_int(int(total / CENT), n, rng, int(minimum / CENT), spread)
    return [Decimal(c) * CENT for c in cents]


def split_within(total, caps, rng, low=0.4, high=1.0):
    """Amounts (to 0.01) adding up to `total`, each at most its cap (e.g. the certified part
    of each sale, at most the sale). Shares vary row to row between `low` and `high`."""
    cap_cents = [int(c / CENT) for c in caps]
    want = int(total / CENT)
    if want > sum(cap_cents):
        raise ValueError(f"{total} exceeds the caps' sum")
    weights = [c * rng.uniform(low, high) for c in cap_cents]
    parts = [min(c, p) for c, p in zip(cap_cents, split_weighted(want, weights), strict=True)]
    short = want - sum(parts)
    i = 0
    while short:  # hand the rest to rows with room, in turn
        room = cap_cents[i] - parts[i]
        take = min(room, short)
        parts[i] += take
        short -= take
        i = (i + 1) % len(parts)
    return [Decimal(p) * CENT for p in parts]
