"""Docs that can be tested are tested: the README's size and figures, the generated CLI reference,
every command shown in a code block (and its options) exists, every link resolves, and the Python
API page's examples run."""
from __future__ import annotations

import doctest
import importlib.util
import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from claimgraph.cli import cli

from .conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
README_MAX_BYTES = 15_000
README_COMMANDS = ("ingest", "extract", "claims", "show", "batch", "serve")  # the ones the README shows


def _command_paths(command: click.Command, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix] if prefix else []
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            paths += _command_paths(command.commands[name], (*prefix, name))
    return paths


COMMAND_PATHS = _command_paths(cli)


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _code_blocks(text: str, languages: set[str]) -> list[str]:
    """The fenced code blocks of Markdown ``text`` in one of ``languages``."""
    blocks: list[str] = []
    current: list[str] | None = None
    language = ""
    for line in text.splitlines():
        if line.startswith("```"):
            if current is None:
                language, current = line[3:].strip(), []
            else:
                if language in languages:
                    blocks.append("\n".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def _without_code(text: str) -> str:
    return re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)


def _anchors(text: str) -> set[str]:
    """The anchors GitHub makes for the headings of Markdown ``text``."""
    found: set[str] = set()
    for line in _without_code(text).splitlines():
        heading = re.match(r"#{1,6}\s+(.*)", line)
        if not heading:
            continue
        slug = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower()).replace(" ", "-")
        anchor, n = slug, 0
        while anchor in found:
            n += 1
            anchor = f"{slug}-{n}"
        found.add(anchor)
    return found


def test_readme_is_short():
    size = len(README.read_text("utf-8").encode())
    assert size <= README_MAX_BYTES, (f"README.md is {size:,} bytes, over {README_MAX_BYTES:,}: "
                                      "move reference material to docs/")


def test_cli_docs_are_up_to_date():
    expected = _load_generator().render(cli)
    actual = (DOCS / "cli.md").read_text("utf-8") if (DOCS / "cli.md").exists() else ""
    assert actual == expected, "docs/cli.md is out of date: run `python scripts/gen_cli_docs.py`"


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_cli_every_command_documented_with_example(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output
    assert f"## `claimgraph {' '.join(path)}`" in (DOCS / "cli.md").read_text("utf-8")


@pytest.mark.parametrize("command", README_COMMANDS)
def test_readme_shows_the_main_commands(command):
    assert f"claimgraph {command}" in README.read_text("utf-8")


def _command_lines(text: str) -> list[str]:
    lines: list[str] = []
    for block in _code_blocks(text, {"sh", "bash", "console"}):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"(^|\s)#.*", "", line).strip()
            if re.search(r"(^|[\s|;&])claimgraph\s", line + " "):
                lines.append(line)
    return lines


def _check_command_line(line: str) -> list[str]:
    """Problems with the ``claimgraph`` invocations in one shell line: unknown commands or options."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    tokens = list(lexer)
    segments: list[list[str]] = [[]]
    for token in tokens:
        if token in ("|", "||", "&&", ";", "&"):
            segments.append([])
        else:
            segments[-1].append(token)
    problems: list[str] = []
    for segment in segments:
        while segment and re.match(r"^[A-Z_]+=", segment[0]):
            segment = segment[1:]
        if segment[:2] in (["python", "-m"], ["python3", "-m"]):
            segment = segment[2:]
        if not segment or segment[0] != "claimgraph":
            continue
        command: click.Command = cli
        rest = segment[1:]
        while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
            if rest[0] not in command.commands:
                problems.append(f"{line!r}: no command {rest[0]!r}")
                rest = []
                break
            command, rest = command.commands[rest[0]], rest[1:]
        names = {"--help", "-h"} | {name for param in command.params if isinstance(param, click.Option)
                                     for name in (*param.opts, *param.secondary_opts)}
        for token in rest:
            if re.match(r"^--?[A-Za-z]", token) and token.split("=")[0] not in names:
                problems.append(f"{line!r}: `{command.name}` has no option {token.split('=')[0]}")
    return problems


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: p.name)
def test_docs_commands_and_options_exist(page):
    problems = [problem for line in _command_lines(page.read_text("utf-8")) for problem in _check_command_line(line)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: p.name)
def test_docs_links_resolve(page):
    problems = []
    for target in re.findall(r"\]\(([^)\s]+)\)", _without_code(page.read_text("utf-8"))):
        if re.match(r"^[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            problems.append(f"{target}: no such file")
        elif anchor and anchor not in _anchors(resolved.read_text("utf-8")):
            problems.append(f"{target}: no heading with that anchor in {resolved.name}")
    assert not problems, f"{page.name}: " + "; ".join(problems)


def test_docs_index_links_every_page():
    index = (DOCS / "index.md").read_text("utf-8")
    missing = [page.name for page in PAGES if page.name != "index.md" and f"]({page.name}" not in index]
    assert not missing, f"docs/index.md does not link {missing}"


def test_readme_figures_each_link_to_evaluation():
    text = README.read_text("utf-8")
    table = text.split("## Measured", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| what")]
    assert len(rows) >= 8
    for row in rows:
        assert "](docs/evaluation.md#" in row, row


@pytest.mark.slow
def test_python_api_page_examples_run(monkeypatch):
    monkeypatch.chdir(ROOT)  # the examples read examples/ by relative path
    page = DOCS / "python-api.md"
    source = "\n\n".join(_code_blocks(page.read_text("utf-8"), {"pycon"}))
    test = doctest.DocTestParser().get_doctest(source, {}, "docs/python-api.md", str(page), 0)
    assert len(test.examples) >= 20
    output: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test, out=output.append)
    assert runner.failures == 0, "".join(output)


@pytest.mark.slow
def test_readme_python_example_runs(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    [example] = _code_blocks(README.read_text("utf-8"), {"python"})
    exec(compile(example, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "Foreign Minister Sergei Lavrov indirect that the United States blocks" in printed


def test_docs_pages_need_no_shared_data_to_read():
    """evaluation.md says that its commands need ../shared/eval, which users do not have."""
    text = (DOCS / "evaluation.md").read_text("utf-8")
    assert "../shared/eval" in text and "cannot rerun" in text


def test_generator_output_does_not_depend_on_terminal_width(monkeypatch):
    generator = _load_generator()
    monkeypatch.setenv("COLUMNS", "40")
    narrow = generator.render(cli)
    monkeypatch.setenv("COLUMNS", "250")
    assert generator.render(cli) == narrow
    assert Path(generator.__file__).name == "gen_cli_docs.py"
