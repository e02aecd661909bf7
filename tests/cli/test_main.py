import subprocess
import sys

import pytest

import burro
from burro.cli.main import main


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "burro", *args], capture_output=True, text=True)


def test_help_lists_commands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "config" in out
    assert "--version" in out


@pytest.mark.parametrize("script", ["burro", "donkey"])
def test_console_scripts_are_installed(script):
    import shutil
    path = shutil.which(script) or str(__import__("pathlib").Path(sys.executable).parent / script)
    result = subprocess.run([path, "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "config" in result.stdout
    assert f"usage: {script}" in result.stdout


def test_version(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"burro {burro.__version__}"


def test_every_command_has_help():
    from burro.cli.main import build_parser
    parser = build_parser()
    actions = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    for name, sub in actions[0].choices.items():
        assert sub.format_help(), name
        result = run_cli(name, "--help")
        assert result.returncode == 0, (name, result.stderr)


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "usage:" in capsys.readouterr().out


def test_user_error_is_one_line_exit_2(tmp_path):
    result = run_cli("config", "show", "--car", str(tmp_path / "nope"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [f"burro: error: car folder not found ({tmp_path / 'nope'}) — "
                     "pass the folder that holds config.py"]
    assert "Traceback" not in result.stderr


def test_debug_shows_traceback(tmp_path):
    result = run_cli("--debug", "config", "show", "--car", str(tmp_path / "nope"))
    assert result.returncode != 0
    assert "Traceback" in result.stderr
    assert "BurroError" in result.stderr


def test_verbose_and_quiet_accepted_after_command(tmp_path):
    assert run_cli("config", "check", "-v", "--car", str(tmp_path)).returncode == 0
    result = run_cli("config", "check", "-q", "--car", str(tmp_path))
    assert result.returncode == 0


def test_import_prints_nothing():
    result = subprocess.run([sys.executable, "-c", "import burro, burro.cli.main, burro.config"],
                            capture_output=True, text=True)
    assert result.stdout == "" and result.stderr == ""


def test_internal_error_is_one_line(monkeypatch, capsys):
    import burro.cli.cmd_config as cmd

    def broken(args):
        raise RuntimeError("boom")

    monkeypatch.setattr(cmd, "check_config", broken)
    assert main(["config", "check"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "internal error: RuntimeError: boom" in err[0]
