"""``amethyst serve`` refuses bad options before starting anything."""

from __future__ import annotations

from typer.testing import CliRunner

from amethyst.cli.main import app


def test_unknown_engine_fails_fast_with_the_engines_available() -> None:
    result = CliRunner().invoke(app, ["serve", "--engine", "dall-e"])
    assert result.exit_code == 1
    assert "unknown engine 'dall-e'" in result.output
    assert "telea" in result.output


def test_missing_web_folder_fails_fast(tmp_path) -> None:
    result = CliRunner().invoke(app, ["serve", "--web-dir", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "is not a folder" in result.output


def test_plugin_that_cannot_be_imported_fails_fast() -> None:
    result = CliRunner().invoke(app, ["serve", "--plugin", "no.such.module"])
    assert result.exit_code == 1
    assert "no.such" in result.output
