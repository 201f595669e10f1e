"""The process environment: lazy imports, ReportLab's home hooks, SOURCE_DATE_EPOCH."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from leaflets.runtime import EnvironmentProblem, settle_source_date, source_date_epoch
from tests.conftest import ROOT, run_cli

PROBE = """
import json, runpy, sys
sys.argv = ["generate.py"] + ARGS
try:
    runpy.run_path("generate.py", run_name="__main__")
except SystemExit:
    pass
print(json.dumps(sorted(set(sys.modules) & {"reportlab", "pptx", "fontTools", "uharfbuzz"})))
"""


def imported_by(*args, cwd=ROOT, env=None):
    result = subprocess.run([sys.executable, "-c", PROBE.replace("ARGS", repr(list(args)))],
                            cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [("--help",), ("build", "--help"), ("locales", "status")])
def test_commands_that_render_nothing_import_no_renderer(args):
    assert imported_by(*args) == []


def test_a_no_op_rebuild_imports_no_renderer_and_a_build_does(tmp_path):
    out = str(tmp_path / "out")
    args = ("build", "--locale", "en", "--format", "pdf", "--paper", "a4", "--out", out)
    assert "reportlab" in imported_by(*args)  # the probe can see an import
    assert imported_by(*args) == []


HOOK = "open({marker!r}, 'w').write('ran')\n"


def test_reportlab_home_hooks_never_run(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    for name in (".reportlab_mods", ".reportlab_settings"):
        (home / name).write_text(HOOK.format(marker=str(tmp_path / f"{name}-ran")), encoding="utf-8")
    env = {"HOME": str(home), "RL_invariant": "0"}
    # the hooks are live: plain ReportLab runs them
    subprocess.run([sys.executable, "-c", "import reportlab.rl_config"], env={**os.environ, **env}, check=True)
    assert (tmp_path / ".reportlab_mods-ran").exists() and (tmp_path / ".reportlab_settings-ran").exists()
    for name in (".reportlab_mods", ".reportlab_settings"):
        (tmp_path / f"{name}-ran").unlink()
    result = run_cli("build", "--locale", "en", "--format", "pdf", "--paper", "a4", "--out", str(tmp_path / "out"),
                     env=env)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / ".reportlab_mods-ran").exists()
    assert not (tmp_path / ".reportlab_settings-ran").exists()


SETTINGS_PROBE = """
import os, sys
if sys.argv[1] == "leaflets":
    import leaflets  # noqa: F401
from reportlab import rl_config
print(repr(sorted((name, repr(value)) for name, value in rl_config.currentSettings().items())))
print(sorted(name for name in os.environ if name.startswith("RL_")))
"""
RL_VARIABLES = {"RL_invariant": "1", "RL_pdfComments": "1", "RL_ttfAsciiReadable": "0",
                "RL_unShapedFontGlob": "Noto*", "RL_TTFSearchPath": "/nowhere", "RL_defaultPageSize": "letter"}


def reportlab_settings(first: str, env: dict) -> tuple[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RL_")}
    result = subprocess.run([sys.executable, "-c", SETTINGS_PROBE, first], cwd=ROOT, capture_output=True, text=True,
                            env={**clean, **env}, timeout=120, check=True)
    settings, variables = result.stdout.strip().splitlines()
    return settings, variables


def test_rl_variables_change_no_setting_and_stay_in_the_environment():
    """RL_* variables override ReportLab's settings when it starts; under leaflets it starts with
    its own defaults, and the environment, which may be a host program's, is left as it was."""
    defaults, _ = reportlab_settings("reportlab", {})
    overridden, _ = reportlab_settings("reportlab", RL_VARIABLES)
    assert overridden != defaults  # the variables do change plain ReportLab
    settings, variables = reportlab_settings("leaflets", RL_VARIABLES)
    assert settings == defaults
    assert variables == repr(sorted(RL_VARIABLES))


def test_importing_leaflets_and_its_renderers_changes_no_environment_variable():
    probe = ("import os; before = dict(os.environ); import leaflets, leaflets.render.pdf, leaflets.render.pptx; "
             "print(dict(os.environ) == before)")
    env = {**os.environ, **RL_VARIABLES, "SOURCE_DATE_EPOCH": " 0012"}
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, env=env,
                            timeout=120, check=True)
    assert result.stdout.strip() == "True"


@pytest.mark.parametrize("value", ["abc", "1e9", "-1", "1.5", "0x10", "253402300800", "99999999999999999999",
                                   "\u0661\u0662\u0663", "12 34", "\u00b9"])
def test_unusable_source_date_epoch_is_a_usage_error(value, tmp_path):
    result = run_cli("build", "--locale", "en", "--out", str(tmp_path / "out"), env={"SOURCE_DATE_EPOCH": value})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "SOURCE_DATE_EPOCH=" in result.stderr and "is not a whole number of seconds" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value, canonical", [(" 1767225600 ", "1767225600"), ("0", "0"), ("007", "7"),
                                              ("253402300799", "253402300799")])
def test_source_date_epoch_is_settled_once_for_reportlab_too(value, canonical):
    environ = {"SOURCE_DATE_EPOCH": value}
    when = settle_source_date(environ)
    assert environ["SOURCE_DATE_EPOCH"] == canonical
    assert int(when.timestamp()) == int(canonical)


def test_empty_source_date_epoch_is_unset():
    environ = {"SOURCE_DATE_EPOCH": ""}
    assert settle_source_date(environ) is None and "SOURCE_DATE_EPOCH" not in environ
    with pytest.raises(EnvironmentProblem):
        source_date_epoch({"SOURCE_DATE_EPOCH": "now"})


def test_epoch_zero_dates_the_pdf_and_the_deck_alike(tmp_path):
    result = run_cli("build", "--locale", "en", "--paper", "a4", "--out", str(tmp_path), env={"SOURCE_DATE_EPOCH": "0"})
    assert result.returncode == 0, result.stderr
    pdf = (tmp_path / "en" / "atopic-dermatitis-handout-a4.pdf").read_bytes()
    assert b"/CreationDate (D:19700101000000" in pdf
    with zipfile.ZipFile(tmp_path / "en" / "atopic-dermatitis-slides.pptx") as deck:
        core = deck.read("docProps/core.xml").decode()
        assert "1970-01-01T00:00:00Z" in core
        assert {info.date_time for info in deck.infolist()} == {(1980, 1, 1, 0, 0, 0)}  # ZIP's first date


def test_a_build_touches_no_network(tmp_path, monkeypatch):
    import socket

    from leaflets import cli

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access: {args!r}")

    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    code = cli.main(["build", "--locale", "ar", "--out", str(tmp_path), "--jobs", "1", "--quiet"])
    assert code == 0
    assert len(list(tmp_path.rglob("*.p*"))) == 3
