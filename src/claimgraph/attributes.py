"""spaCy's attribute ruler, compiled to array operations: the same rules, the same result, a tenth of
the parse's time given back.

The English pipelines' ``attribute_ruler`` maps each fine-grained tag to its part of speech and
morphology and applies a few word exceptions (179 rules in ``en_core_web_sm`` 3.8). spaCy runs them
through its token ``Matcher``, one token at a time; that costs about 10 % of the whole parse on the
news articles of ``bench/speed.py``. :func:`compile_ruler` reads the loaded ruler's own rules and
evaluates each one over the whole document at once (one numpy comparison per rule and token
position), with spaCy's semantics: every rule is matched against the document as the parser left it,
then the matches are applied in the order the rules were added, a later rule overriding an earlier
one. A ruler with a rule this module cannot evaluate exactly (a quantifier, another attribute or
operator) is not compiled: :func:`compile_ruler` returns ``None`` and the pipeline keeps spaCy's.
``tests/test_attributes.py`` checks that both give the same tags, parts of speech, morphology,
lemmas and dependencies token for token.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler
    from spacy.tokens import Doc

__all__ = ["COMPONENT", "CompiledRuler", "compile_ruler", "replace_component", "use_compiled_ruler"]

COMPONENT = "claimgraph_attribute_ruler"
_MATCHED = ("TAG", "LOWER", "DEP", "IS_SPACE")  # the token attributes the rules may test
_SET = ("POS", "MORPH", "LEMMA", "TAG", "DEP")  # and those they may set


@dataclass(frozen=True, slots=True)
class _Test:
    """One token test of a rule: ``column`` (an index into ``_MATCHED``) equal to, in, not in or
    matching ``value``."""

    column: int
    kind: str  # "eq", "in", "not_in", "regex"
    value: Any


@dataclass(frozen=True, slots=True)
class _Rule:
    tokens: tuple[tuple[_Test, ...], ...]  # the tests of each token of the pattern, in order
    index: int  # the token of a match the attributes go to (negative: from the end)
    attrs: tuple[tuple[int, int], ...]  # (index into _SET, value id), as spaCy normalised them


@dataclass(slots=True)
class CompiledRuler:
    """The rules of one ``AttributeRuler``, evaluated over whole documents (see the module docstring).

    Not frozen: ``regex_hits`` caches, per regular expression, which string ids it matches."""

    rules: tuple[_Rule, ...]
    strings: Any  # the vocabulary's StringStore
    regex_hits: dict[str, dict[int, bool]] = field(default_factory=dict)

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import IDS

        n = len(doc)
        if not n:
            return doc
        matched = doc.to_array([IDS[name] for name in _MATCHED])
        values = doc.to_array([IDS[name] for name in _SET])
        columns = [matched[:, k] for k in range(len(_MATCHED))]
        changed = np.zeros(len(_SET), bool)
        tested: dict[_Test, np.ndarray] = {}
        for rule in self.rules:
            width = len(rule.tokens)
            if width > n:
                continue
            starts = np.ones(n - width + 1, bool)
            for k, tests in enumerate(rule.tokens):
                for test in tests:
                    hit = tested.get(test)
                    if hit is None:
                        hit = tested[test] = self._evaluate(test, columns[test.column])
                    starts &= hit[k:k + n - width + 1]
            where = np.flatnonzero(starts)
            if not len(where):
                continue
            where = where + (rule.index if rule.index >= 0 else width + rule.index)
            for column, value in rule.attrs:
                values[where, column] = value
                changed[column] = True
        if changed.any():
            kept = [k for k in range(len(_SET)) if changed[k]]
            doc.from_array([IDS[_SET[k]] for k in kept], np.ascontiguousarray(values[:, kept], np.uint64))  # type: ignore[arg-type]
        return doc

    def _evaluate(self, test: _Test, column: np.ndarray) -> np.ndarray:
        if test.kind == "eq":
            return np.asarray(column == test.value)
        if test.kind in ("in", "not_in"):
            found = np.isin(column, np.fromiter(test.value, np.uint64))
            return found if test.kind == "in" else ~found
        hits = self.regex_hits.setdefault(test.value.pattern, {})
        unique, inverse = np.unique(column, return_inverse=True)
        matches = []
        for key in unique.tolist():
            hit = hits.get(key)
            if hit is None:
                hit = hits[key] = bool(test.value.search(self.strings[key] if key else ""))
            matches.append(hit)
        return np.asarray(matches, bool)[inverse.reshape(-1)]


def compile_ruler(ruler: AttributeRuler) -> CompiledRuler | None:
    """The rules of ``ruler`` compiled, or ``None`` when one of them cannot be evaluated exactly."""
    strings = ruler.vocab.strings
    set_ids = _ids(_SET)
    rules = []
    for number, (pattern, attrs, index) in enumerate(zip(_patterns(ruler), ruler.attrs, ruler.indices, strict=True)):
        if set(attrs) - set(set_ids):
            return None
        normalised = tuple((set_ids.index(attr), int(value)) for attr, value in attrs.items())
        for alternative in pattern:
            tokens = tuple(_tests(token, strings) for token in alternative)
            if any(test is None for test in tokens) or not tokens:
                return None
            rules.append((number, _Rule(tokens=tokens, index=index, attrs=normalised)))  # type: ignore[arg-type]
    return CompiledRuler(rules=tuple(rule for _, rule in rules), strings=strings)


def _patterns(ruler: AttributeRuler) -> list[list[list[dict[str, Any]]]]:
    return [ruler.matcher.get(str(number))[1] for number in range(len(ruler.attrs))]


def _ids(names: tuple[str, ...]) -> list[int]:
    from spacy.attrs import IDS

    return [IDS[name] for name in names]


def _tests(token: dict[str, Any], strings: Any) -> tuple[_Test, ...] | None:
    tests = []
    for name, value in token.items():
        if name not in _MATCHED:
            return None
        column = _MATCHED.index(name)
        if name == "IS_SPACE":
            if not isinstance(value, bool):
                return None
            tests.append(_Test(column, "eq", int(value)))
        elif isinstance(value, str):
            tests.append(_Test(column, "eq", strings.add(value)))
        elif isinstance(value, dict) and len(value) == 1:
            operator, operand = next(iter(value.items()))
            if operator in ("IN", "NOT_IN") and isinstance(operand, list) and all(isinstance(x, str) for x in operand):
                ids = frozenset(strings.add(x) for x in operand)
                tests.append(_Test(column, "in" if operator == "IN" else "not_in", ids))
            elif operator == "REGEX" and isinstance(operand, str):
                tests.append(_Test(column, "regex", re.compile(operand)))
            else:
                return None
        else:
            return None
    return tuple(tests)


def use_compiled_ruler(nlp: Language) -> bool:
    """Put the compiled rules in place of ``nlp``'s ``attribute_ruler``; False (and ``nlp`` as it was)
    when it has none or its rules cannot be compiled."""
    if "attribute_ruler" not in nlp.pipe_names or _compile(nlp) is None:
        return False
    replace_component(nlp, "attribute_ruler", COMPONENT, _make)  # compiled from the ruler it replaces
    return True


def replace_component(nlp: Language, old: str, name: str, make: Callable[[Language, str], Any]) -> None:
    """Put the component ``make`` builds (a factory registered as ``name``, built while ``old`` is
    still in the pipeline, so that it can read it) in the place of ``old``."""
    from spacy.language import Language

    if name not in Language.factories:
        Language.factory(name, func=make)
    nlp.add_pipe(name, after=old)
    nlp.remove_pipe(old)


def _make(nlp: Language, name: str) -> CompiledRuler:
    compiled = _compile(nlp)
    if compiled is None:  # checked by use_compiled_ruler before it adds the component
        raise ValueError("the attribute ruler's rules cannot be compiled")
    return compiled


def _compile(nlp: Language) -> CompiledRuler | None:
    from spacy.pipeline import AttributeRuler

    ruler = nlp.get_pipe("attribute_ruler")
    return compile_ruler(ruler) if isinstance(ruler, AttributeRuler) else None
