"""`leaflets serve` as a command: its options are checked before anything starts."""

from __future__ import annotations

from tests.conftest import run_cli


def test_bad_options_are_usage_errors():
    for args, message in ((["serve", "--port", "http"], "expected a port number"),
                          (["serve", "--workers", "0"], "expected a whole number"),
                          (["serve", "--backend", "redis"], "--backend redis needs --redis-url"),
                          (["serve", "--worker"], "--worker runs RQ workers"),
                          (["serve", "--brand", "acme"], "--brand acme: no such file (expected a _brand.yml"),
                          (["serve", "--access-token-file", "/nonexistent/token"], "cannot read it")):
        result = run_cli(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)


def test_help_describes_the_web_app():
    result = run_cli("serve", "--help")
    assert result.returncode == 0
    assert "127.0.0.1" in result.stdout and "--access-token-file" in result.stdout
