"""The error catalogue is complete: every ``CGnnn`` the code uses is one ``Messages`` entry, defined
once, whose text starts with its own code, and no code is used for another error's message."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from claimgraph.errors import Messages

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "claimgraph"
CATALOGUE = PACKAGE / "errors.py"
CODE = re.compile(r"CG\d{3}")
SOURCES = sorted([*PACKAGE.rglob("*.py"), *(PACKAGE / "web" / "static").rglob("*.*")])


def catalogue_names() -> list[str]:
    """The names assigned in ``class Messages``, in order, repeats included (a repeat silently
    replaces the first at run time, so it is read from the source)."""
    tree = ast.parse(CATALOGUE.read_text("utf-8"))
    [messages] = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Messages"]
    return [target.id for node in messages.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)]


def test_errors_every_code_used_is_in_the_catalogue():
    known = set(catalogue_names())
    missing = {str(path.relative_to(PACKAGE)): sorted(set(CODE.findall(path.read_text("utf-8"))) - known)
               for path in SOURCES}
    assert not {path: codes for path, codes in missing.items() if codes}, "add them to Messages in errors.py"


def test_errors_catalogue_defines_each_code_once_with_its_own_code():
    names = catalogue_names()
    assert len(names) == len(set(names)), sorted({name for name in names if names.count(name) > 1})
    for name in names:
        assert CODE.fullmatch(name), name
        assert getattr(Messages, name).startswith(f"[{name}] "), name


def test_errors_no_coded_message_outside_the_catalogue():
    inline = {str(path.relative_to(PACKAGE)): re.findall(r"\[CG\d{3}\]", path.read_text("utf-8"))
              for path in SOURCES if path != CATALOGUE}
    assert not {path: codes for path, codes in inline.items() if codes}, "use Messages.CGnnn for these messages"


def test_errors_each_code_goes_with_its_own_message():
    """A call that names a code and a catalogue message (``InputError("CG104", Messages.CG104...)``,
    ``Failure(code=..., message=Messages...)``) names the same one."""
    mismatched = []
    for path in PACKAGE.rglob("*.py"):
        for call in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(call, ast.Call):
                continue
            parts = [*call.args, *(keyword.value for keyword in call.keywords)]
            codes = {node.value for node in parts if isinstance(node, ast.Constant)
                     and isinstance(node.value, str) and CODE.fullmatch(node.value)}
            messages = {node.attr for part in parts for node in ast.walk(part) if isinstance(node, ast.Attribute)
                        and isinstance(node.value, ast.Name) and node.value.id == "Messages"}
            if codes and messages and codes != messages:
                mismatched.append(f"{path.relative_to(PACKAGE)}:{call.lineno} {sorted(codes)} {sorted(messages)}")
    assert not mismatched
