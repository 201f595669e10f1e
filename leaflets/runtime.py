"""The process environment a build runs in: one reading of it, validated.

Three things outside the project can change what a build does, and each is
settled here, once:

``SOURCE_DATE_EPOCH``
    the reproducible-builds timestamp.  It is validated in one place
    (:func:`source_date_epoch`) and the validated value is written back to
    the environment, because ReportLab reads the variable itself (and would
    crash on ``abc`` or give a different date for `` 12``).
ReportLab's start-up hooks
    ``import reportlab`` executes ``~/.reportlab_mods`` and reads
    ``~/.reportlab_settings`` (also ``reportlab_mods``/``reportlab_settings``
    anywhere on ``sys.path``): code from outside the project, on every build.
    :func:`guard_reportlab` puts empty modules under those names before
    ReportLab is first imported, so its own ``import`` finds them and never
    looks further, and drops ``RL_*`` variables that would override its
    settings.
The garbage collector
    a build allocates many small, long-lived objects (modules, models,
    fonts); :func:`relax_gc` raises the young-generation threshold at
    start-up and :func:`tune_gc` freezes what exists before rendering.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
import types

# 9999-12-31T23:59:59Z: the last second every date formatter (and ZIP, PDF) can write.
MAX_EPOCH = 253402300799
REPORTLAB_HOOKS = ("reportlab_mods", "reportlab_settings", "reportlab.local_rl_mods", "reportlab.local_rl_settings")


class EnvironmentProblem(ValueError):
    """A variable in the environment has a value we cannot use."""


def source_date_epoch(environ=None) -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC datetime, or None when unset or empty.

    Only ASCII decimal digits are accepted (the reproducible-builds
    specification: "an integer ... number of seconds since the epoch"); a
    value that is not one, or that lies after year 9999, raises
    :class:`EnvironmentProblem` with a sentence saying what was expected.

    >>> source_date_epoch({"SOURCE_DATE_EPOCH": "1767225600"}).isoformat()
    '2026-01-01T00:00:00+00:00'
    >>> source_date_epoch({}) is None
    True
    >>> source_date_epoch({"SOURCE_DATE_EPOCH": "1e9"})
    Traceback (most recent call last):
    ...
    leaflets.runtime.EnvironmentProblem: SOURCE_DATE_EPOCH='1e9' is not a whole number of seconds since 1970-01-01 (0 to 253402300799)
    """
    environ = os.environ if environ is None else environ
    raw = environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        return None
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12 or int(text) > MAX_EPOCH:
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise EnvironmentProblem(f"SOURCE_DATE_EPOCH={shown!r} is not a whole number of seconds since "
                                 f"1970-01-01 (0 to {MAX_EPOCH})")
    return dt.datetime.fromtimestamp(int(text), dt.timezone.utc)


def settle_source_date(environ=None) -> dt.datetime | None:
    """Validate ``SOURCE_DATE_EPOCH`` and hand ReportLab exactly the same value.

    The variable is rewritten in its canonical form (``" 0012"`` becomes
    ``"12"``) or removed when empty, so that ReportLab's own reading
    (``int(os.environ['SOURCE_DATE_EPOCH'])``) agrees with ours.
    """
    environ = os.environ if environ is None else environ
    when = source_date_epoch(environ)
    if when is None:
        environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
    return when


def guard_reportlab() -> None:
    """Make ``import reportlab`` run no code from outside the installed packages.

    Safe to call many times; does nothing once ReportLab is imported (then
    it is too late, and the hooks have already run or not).
    """
    if "reportlab" in sys.modules:
        return
    for name in REPORTLAB_HOOKS:
        if name not in sys.modules:
            module = types.ModuleType(name, "placeholder: leaflets never runs ReportLab's start-up hooks")
            module.__all__ = []
            sys.modules[name] = module
    for key in [k for k in os.environ if k.startswith("RL_")]:
        del os.environ[key]


GC_THRESHOLDS = (50_000, 20, 20)


def relax_gc() -> None:
    """Collect the young generation every 50 000 allocations instead of 700.

    Called first thing by the command line, before the heavy imports: a
    build's garbage is mostly acyclic and freed by reference counting, and
    most of what it allocates (modules, models, fonts) lives to the end.
    Measured on a serial cold build: collections 917 -> 9, the collector's
    share of CPU 9 % -> 2 % (``tools/benchmark.py`` reports the share).
    """
    gc.set_threshold(*GC_THRESHOLDS)


def tune_gc() -> None:
    """Before rendering (and forking workers): freeze everything alive now, so
    collections never traverse it again and forked workers do not touch (and
    copy) those pages; keep the relaxed thresholds."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
