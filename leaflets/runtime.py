"""The process a build runs in: what outside the project could change it, settled once.

Two things outside the project could change what a build does:

``SOURCE_DATE_EPOCH``
    the reproducible-builds timestamp.  It is validated in one place
    (:func:`source_date_epoch`); the command line reads it and hands the
    date to the renderers explicitly (``BuildOptions.created``), and
    ReportLab's own reading of the variable is never used (see
    :func:`leaflets.render.rlshim.dated`).
ReportLab's start-up hooks and ``RL_*`` variables
    ``import reportlab`` executes ``~/.reportlab_mods`` and reads
    ``~/.reportlab_settings`` (also ``reportlab_mods``/``reportlab_settings``
    anywhere on ``sys.path``): code from outside the project, on every build;
    and every ``RL_<setting>`` variable overrides a ReportLab setting.
    :func:`guard_reportlab` (run when :mod:`leaflets` is imported) puts empty
    modules under the hooks' names before ReportLab is first imported, so its
    own ``import`` finds them and never looks further, and arranges that
    ReportLab's settings are its defaults once ``reportlab.rl_config`` has
    read them, whatever ``RL_*`` says.  The environment itself is left
    alone: leaflets may run inside someone else's process (a web server),
    whose environment is not ours to change.

The garbage collector's settings are not here: they are the command line's
(:mod:`leaflets.process`), since a library user's collector is theirs.
"""

from __future__ import annotations

import datetime as dt
import importlib.abc
import importlib.util
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
    """Validate ``SOURCE_DATE_EPOCH`` and leave it in the one form every reader agrees on.

    The command line calls it on its own environment, once: the variable is
    rewritten in its canonical form (``" 0012"`` becomes ``"12"``) or removed
    when empty, so that any library of the process or its workers that reads
    it itself (``int(os.environ['SOURCE_DATE_EPOCH'])``, as ReportLab does
    outside :func:`leaflets.render.rlshim.dated`) agrees with the date the
    build passes explicitly.  The engine never calls it.
    """
    environ = os.environ if environ is None else environ
    when = source_date_epoch(environ)
    if when is None:
        environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
    return when


def guard_reportlab() -> None:
    """Make ``import reportlab`` run no code from outside the installed packages and read
    no ``RL_*`` variable, without changing the environment.

    Safe to call many times; does nothing once ReportLab is imported (then it
    is too late: the hooks have already run or not, and the settings are
    someone else's).
    """
    if "reportlab" in sys.modules:
        return
    for name in REPORTLAB_HOOKS:
        if name not in sys.modules:
            module = types.ModuleType(name, "placeholder: leaflets never runs ReportLab's start-up hooks")
            module.__all__ = []
            sys.modules[name] = module
    if not any(isinstance(finder, _DefaultSettings) for finder in sys.meta_path):
        sys.meta_path.insert(0, _DefaultSettings())


RL_CONFIG = "reportlab.rl_config"


class _DefaultSettings(importlib.abc.MetaPathFinder):
    """Finds ``reportlab.rl_config`` as the other finders would, and has its loader give
    every setting its default right after the module has read them (before any other
    ReportLab module copies one): :func:`reportlab_defaults`."""

    def __init__(self):
        self._finding = False

    def find_spec(self, name, path=None, target=None):
        if name != RL_CONFIG or self._finding:
            return None
        self._finding = True  # importlib.util.find_spec asks every finder again, this one included
        try:
            spec = importlib.util.find_spec(name)
        finally:
            self._finding = False
        if spec is None or spec.loader is None:
            return None
        spec.loader = _ThenDefaults(spec.loader)
        return spec


class _ThenDefaults(importlib.abc.Loader):
    """A loader that runs ``loader``, then :func:`reportlab_defaults` on the module."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        reportlab_defaults(module)

    def __getattr__(self, name):  # get_source, get_filename...: the real loader's
        return getattr(self.loader, name)


def reportlab_defaults(rl_config, environ=None) -> list[str]:
    """Give every ReportLab setting that an ``RL_<setting>`` variable overrode its own default
    again; returns the names of the variables ignored.

    ReportLab computes its settings in ``rl_config._startUp``, each through
    ``_setOpt(name, default, conversion)``, which prefers the variable; the
    settings are computed again here with an ``_setOpt`` that does not look.
    These are ReportLab internals (5.x, and 4.x before it): if they change,
    this is an error naming the variables rather than a setting silently
    taken from the environment.
    """
    environ = os.environ if environ is None else environ
    saved = getattr(rl_config, "_SAVED", None)
    overridden = sorted(f"RL_{name}" for name in (saved or {}) if f"RL_{name}" in environ)
    if not overridden:
        return []
    original, start_up = getattr(rl_config, "_setOpt", None), getattr(rl_config, "_startUp", None)
    if original is None or start_up is None:
        raise RuntimeError(f"leaflets cannot keep {', '.join(overridden)} from changing ReportLab's settings "
                           f"with this ReportLab version; unset them to build")
    checks = getattr(rl_config, "_rlChecks", {})

    def from_default(name, value, conv=None, chk=None):
        if conv:
            value = conv(value)
        check = checks.get(name)
        if check:
            check(name, value)
        setattr(rl_config, name, value)

    rl_config._setOpt = from_default
    try:
        start_up()
    finally:
        rl_config._setOpt = original
    return overridden
