"""The project's import rules (pyproject's `[tool.importlinter]`): a module imports only from
its own layer or lower ones (content_models < syndication < api < cms), and no modules import
each other in a loop, through imports inside functions either."""

from pathlib import Path

from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def test_no_module_imports_a_higher_layer_or_joins_an_import_loop(capsys):
    status = lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    assert status == EXIT_STATUS_SUCCESS, capsys.readouterr().out
