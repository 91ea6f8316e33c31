"""The layering of the package and its public names, as docs/architecture.md states them.

The imports of every module of ``casemigrate`` are read with :mod:`ast`, at the top of
the module, inside functions (lazy imports) and under ``if TYPE_CHECKING:`` (names for
annotations only), and the rules of the house are asserted on them. Each place the code
breaks a rule today is in an allow-list below with the reason it is allowed; an entry
that no longer matches anything fails too, so the lists shrink as the code is mended.
"""

from __future__ import annotations

import ast
import importlib
import pathlib
from collections.abc import Iterator

import attrs

import casemigrate
from casemigrate.findings import Rule

PACKAGE = pathlib.Path(casemigrate.__file__).parent


@attrs.frozen
class Import:
    """One import statement's target, as seen from the module that makes it."""

    module: str  # the importing module
    target: str  # the module imported (``casemigrate.x`` or a library)
    names: tuple[str, ...]  # names taken from it (empty for ``import x``)
    kind: str  # "top", "lazy" (inside a function) or "typing" (under TYPE_CHECKING)


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str) -> bool:
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _imports(path: pathlib.Path) -> Iterator[Import]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def walk(nodes: list[ast.AST], kind: str) -> Iterator[Import]:
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield Import(module, alias.name, (), kind)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")
                    base = parts[: len(parts) - node.level + 1]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                names = tuple(alias.name for alias in node.names)
                submodules = [n for n in names if _is_module(f"{target}.{n}")]
                for name in submodules:  # ``from casemigrate import render as _render``
                    yield Import(module, f"{target}.{name}", (), kind)
                if len(submodules) < len(names):
                    yield Import(module, target,
                                 tuple(n for n in names if n not in submodules), kind)
            elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                yield from walk(list(node.body), "typing")
                yield from walk(list(node.orelse), kind)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield from walk(list(ast.iter_child_nodes(node)),
                                "lazy" if kind == "top" else kind)
            else:  # class bodies, try, with, if: run when their parent runs
                yield from walk(list(ast.iter_child_nodes(node)), kind)

    tree = ast.parse(path.read_text(encoding="utf-8"))
    yield from walk(list(tree.body), "top")


def _all_imports() -> list[Import]:
    found: list[Import] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found.extend(_imports(path))
    return found


IMPORTS = _all_imports()
MODULES = sorted({_module_name(p) for p in PACKAGE.rglob("*.py")})


def _short(name: str) -> str:
    return name.removeprefix("casemigrate.") if name != "casemigrate" else "__init__"


def _edges(kinds: tuple[str, ...] = ("top", "lazy")) -> set[tuple[str, str, str]]:
    """(importer, imported, kind) of the imports inside the package, by short names.

    By default the imports that run: at the top of a module, or in a function. Names
    imported for annotations only (``if TYPE_CHECKING:``) never run, and may point
    anywhere.
    """
    return {(_short(i.module), _short(i.target), i.kind) for i in IMPORTS
            if i.target.partition(".")[0] == "casemigrate" and i.kind in kinds
            and i.target != i.module}


# ---- the layers -------------------------------------------------------------------------

FOUNDATION = {"exceptions", "sources", "_municipalities", "_slots", "_frozen"}
HELPERS = {"_text", "_validate"}
VOCABULARY = {"identifiers", "findings", "workdays"}
RECORDS = {"model", "_convert", "_keys"}
RULE_MODULES = {"plan", "overlap", "delivery", "scenario", "cleanup", "cleanup._common",
                "cleanup.estimate", "cleanup.notice", "cleanup.mass_close", "conversion",
                "tables"}
ENGINES = {"_columnar", "_columnar._columns", "_columnar._rules", "_columnar._table",
           "_columnar._merge", "_columnar._blocking", "_columnar._services", "_frame_in"}
VIEWS = {"render", "render._base", "render.report", "render.results", "render.timeline"}
ON_TOP = {"catalogue", "frames", "readiness", "_columnar._report"}
ENTRY_POINTS = {"__init__", "__main__", "_demo", "synthetic", "testing"}
LAYERS = (FOUNDATION, HELPERS, VOCABULARY, RECORDS, RULE_MODULES | ENGINES, VIEWS, ON_TOP,
          ENTRY_POINTS)

# Where a run-time import reaches up a layer today: (importer, imported, kind) -> why.
ALLOWED_UPWARD: dict[tuple[str, str, str], str] = {
    ("findings", "catalogue", "lazy"):
        "Finding.of('CM204') with a code string, and findings.RULES of old code, look "
        "the rule up in the catalogue, which imports findings",
    ("model", "tables", "lazy"):
        "Case.from_rows(errors='collect') is the table reader over rows",
    **{(rule, "render", "top"):
       "the results delegate __repr__ and _repr_html_ to the views, which reach the "
       "rule modules only in functions and for annotations"
       for rule in ("plan", "delivery", "scenario", "cleanup.estimate", "cleanup.notice",
                    "conversion")},
    ("tables", "frames", "lazy"): "TableRead.to_frame and Refusals.to_frame",
}

# A rule module (or the engine beside them) using another rule module, where listed.
ALLOWED_ACROSS: dict[tuple[str, str], str] = {
    ("overlap", "plan"): "the checks of a cutover take the CutoverPlan and its timeline",
    ("delivery", "plan"): "the merge takes the CutoverPlan",
    ("_columnar._rules", "delivery"):
        "the engine raises the record path's rules (CM301, CM302, CM303, CM314)",
    ("_columnar._rules", "overlap"): "the engine raises CM204 and CM205",
    ("_columnar._blocking", "overlap"):
        "the engine raises the blocking cases' rules (CM205 to CM207, CM209, CM210)",
    ("_columnar._blocking", "plan"):
        "the blocking cases take the CutoverPlan and its timeline, as overlap does",
    ("_columnar._columns", "tables"):
        "the engine's columns are the table reader's array back end: its options, column "
        "mapping, value parsers and refusals",
    ("_columnar._table", "tables"): "collected refusals become the reader's CM002 findings",
    ("_columnar._merge", "delivery"):
        "the merge over tables raises the merge's rules and judges the few deliveries with "
        "the record path's own functions",
    ("_columnar._merge", "tables"):
        "a deliveries table is read by read_deliveries, a services table by the reader's parts",
    ("_columnar._services", "delivery"):
        "the services check over a table raises the record path's rules, made by its own "
        "code (the missing fields' terms, the target-group pattern)",
    ("_columnar._services", "tables"):
        "a services table is read by the reader's parts, the target groups by its parser",
}

# A name with a leading underscore imported from anywhere but a private module of the
# importer's own package (``render.report`` takes ``_e`` from ``render._base``).
ALLOWED_PRIVATE: dict[tuple[str, str, str], str] = {
    ("_columnar._rules", "delivery", "_OPEN"):
        "the open end of a period, as the record path shows it in CM301 and CM314",
    ("_columnar._rules", "delivery", "_Period"):
        "a service's period in CM301 and CM314, the record path's own type",
    ("_columnar._blocking", "overlap", "_not_applicable"):
        "CM001 of a handicap plan, the record path's own finding",
    ("_columnar._blocking", "overlap", "_blocking_days"):
        "the deadline, re-reporting window and recorded deletion, as the record path "
        "reads them from the plan",
    ("_columnar._table", "findings", "_tie_key"):
        "ties broken exactly as sort_findings breaks them, so both paths agree",
    ("_columnar._report", "findings", "_tie_key"):
        "a report's findings of other checks go among a block's ties as sort_findings "
        "orders them",
    ("readiness", "frames", "_frame_of"):
        "a report over tables makes its frame from columns, with the frame maker of "
        "to_frame (the same dtypes as the records' frame)",
}


def _layer(name: str) -> int:
    for index, layer in enumerate(LAYERS):
        if name in layer:
            return index
    raise AssertionError(f"casemigrate.{name} is in no layer of docs/architecture.md")


def test_every_module_is_in_one_layer() -> None:
    """A new module is given its layer here and on the architecture page."""
    known = [name for layer in LAYERS for name in layer]
    assert len(known) == len(set(known))
    present = {_short(m) for m in MODULES}
    planned: set[str] = set()
    assert present - set(known) == set(), "add the module to a layer"
    assert set(known) - present <= planned


def test_imports_go_down_the_layers() -> None:
    """A module imports from its own layer or below, except where allowed."""
    upward = {(a, b, kind) for a, b, kind in _edges() if _layer(b) > _layer(a)}
    assert upward - ALLOWED_UPWARD.keys() == set()
    assert ALLOWED_UPWARD.keys() - upward == set(), "an allowed exception is gone: drop it"


def test_exceptions_import_nothing_of_the_package() -> None:
    """exceptions.py is the bottom: at run time it imports nothing of casemigrate."""
    assert {(b, kind) for a, b, kind in _edges(("top", "lazy")) if a == "exceptions"} == set()


def test_foundation_imports_nothing_of_the_package() -> None:
    """sources, _municipalities, _slots and _frozen stand alone."""
    assert {(a, b) for a, b, _ in _edges(("top", "lazy"))
            if a in FOUNDATION and a != "exceptions"} == set()


def test_rule_modules_depend_on_the_layers_below_not_on_each_other() -> None:
    """A rule module imports the model, findings, workdays, _text, sources and their
    helpers, the engine it hands tables to, and (allowed) the views; never another rule
    module, except where listed."""
    across = {(a, b) for a, b, _ in _edges()
              if a in RULE_MODULES | ENGINES and b in RULE_MODULES
              and a.partition(".")[0] != b.partition(".")[0]}  # within a package is not across
    assert across - ALLOWED_ACROSS.keys() == set()
    assert ALLOWED_ACROSS.keys() - across == set(), "an allowed exception is gone: drop it"
    engines = {(a, b) for a, b, _ in _edges() if a in RULE_MODULES and b in ENGINES}
    assert engines == {("overlap", "_columnar"), ("delivery", "_columnar"),
                       ("tables", "_frame_in")}


def test_no_module_takes_another_modules_internals() -> None:
    """``_name`` is imported only from a private module of the importer's own package."""
    crossing = set()
    for i in IMPORTS:
        if i.target.partition(".")[0] != "casemigrate":
            continue
        parent, _, last = i.target.rpartition(".")
        package = i.module if _is_module(f"{i.module}.__init__") else i.module.rpartition(".")[0]
        shared = last.startswith("_") and parent == package
        for name in i.names:
            if name.startswith("_") and name != "__version__" and not shared:
                crossing.add((_short(i.module), _short(i.target), name))
    assert crossing - ALLOWED_PRIVATE.keys() == set()
    assert ALLOWED_PRIVATE.keys() - crossing == set(), "an allowed exception is gone: drop it"


def test_the_views_reach_the_rule_modules_only_when_they_run() -> None:
    """The rule modules import render at their top, so render imports them only in a
    function or for annotations: at its top it would be an import cycle."""
    at_top = {(a, b) for a, b, _ in _edges(("top",))
              if a in VIEWS and b in RULE_MODULES | ON_TOP}
    assert at_top == set()


def test_nothing_imports_readiness_or_testing_but_the_entry_points() -> None:
    """Only the package's re-exports and the demo (which the CLI runs) import readiness;
    nothing imports testing. (The report's view names ``Report`` for annotations.)"""
    users = {(a, b) for a, b, _ in _edges(("top", "lazy")) if b in ("readiness", "testing")}
    assert users == {("__init__", "readiness"), ("_demo", "readiness")}
    typing_users = {(a, b) for a, b, _ in _edges(("typing",)) if b in ("readiness", "testing")}
    assert typing_users <= {("render.report", "readiness")}


OPTIONAL = {"numpy", "pyarrow", "narwhals", "pandas", "polars", "hypothesis", "duckdb"}

# Modules that import an optional library at their top, and why that is lazy enough.
LOADED_ONLY_LAZILY = {
    "_columnar._columns": "loaded by casemigrate._columnar only after require()",
    "_columnar._rules": "loaded by casemigrate._columnar only after require()",
    "_columnar._table": "loaded by _columnar._rules only",
    "_columnar._merge": "loaded by casemigrate._columnar only after require()",
    "_columnar._blocking": "loaded by casemigrate._columnar only after require()",
    "_columnar._services": "loaded by casemigrate._columnar only after require()",
    "_columnar._report": "loaded by readiness only after a table was read into columns",
    "testing": "the Hypothesis strategies, behind the test extra; nothing imports it",
}


def test_optional_libraries_are_imported_lazily() -> None:
    """numpy, pyarrow, narwhals, pandas, polars and hypothesis are never imported when
    casemigrate is: inside a function, or in a module that is itself loaded lazily."""
    at_top = {_short(i.module) for i in IMPORTS
              if i.kind == "top" and i.target.partition(".")[0] in OPTIONAL}
    assert at_top == LOADED_ONLY_LAZILY.keys()
    for name in LOADED_ONLY_LAZILY:
        importers = {(a, kind) for a, b, kind in _edges(("top", "lazy")) if b == name}
        assert all(kind == "lazy" or a in LOADED_ONLY_LAZILY for a, kind in importers), (
            name, importers)


# ---- the public names -------------------------------------------------------------------

# Public modules whose whole ``__all__`` the package re-exports.
IN_FULL = {"exceptions", "identifiers", "model", "findings", "workdays", "plan", "overlap",
           "delivery", "scenario", "cleanup", "cleanup.estimate", "cleanup.notice",
           "cleanup.mass_close", "conversion", "tables", "readiness"}
# Public modules the package re-exports in part: the names it takes, and why not all.
IN_PART = {
    "catalogue": ({"RULES"}, "the rest writes the documentation (the CLI, docs/rules.md)"),
    "frames": ({"to_frame", "to_rows"}, "cell, frame, finding_rows and FINDING_COLUMNS are "
                                        "the pieces to_frame and Report.to_frame build on; "
                                        "partition_findings is what a cluster engine maps, "
                                        "imported from frames by the recipe"),
}
# Public modules used by their own name, never re-exported.
NAMESPACES = {
    "sources": "documents and citations: casemigrate.sources.SMDB.cite(...)",
    "render": "the views; the results show themselves through them",
    "synthetic": "generated data for the demo, the benchmarks and the docs",
    "testing": "needs hypothesis; nothing imports it",
}

# Public-looking names a module defines outside its ``__all__``, and why.
NOT_IN_ALL = {
    ("tables", "R"): "a type variable of the readers' signatures",
    ("tables", "Errors"): "a type alias of errors=",
    ("identifiers", "cpr_key"):
        "package-private: the digits as a grouping key for rule modules, never exported",
    ("findings", "finding_maker"):
        "package-private: a builder of one rule's findings for the rule modules' hot loops",
    ("findings", "sort_tied_runs"):
        "package-private: ties broken by a full key, for sort_findings and the records' "
        "total orders (_keys.sorted_total)",
    ("tables", "Extra"): "a type alias of extra=",
    ("frames", "Subjects"): "a type alias of subjects=",
    ("tables", "mask"): "shared with frames, which masks refused values the same way",
    ("tables", "REFUSAL_COLUMNS"): "shared with frames, the columns of a refusals table",
}


def _public_modules() -> list[str]:
    return [m for m in MODULES
            if m != "casemigrate" and not any(p.startswith("_") for p in m.split(".")[1:])
            and hasattr(importlib.import_module(m), "__all__")]


def _reexports() -> dict[str, str]:
    """Each name ``__init__`` imports, and the module it imports it from."""
    return {name: _short(i.target) for i in IMPORTS if i.module == "casemigrate"
            and i.target.startswith("casemigrate.") for name in i.names}


def test_every_public_module_has_a_place() -> None:
    placed = IN_FULL | IN_PART.keys() | NAMESPACES.keys()
    assert {_short(m) for m in _public_modules()} == placed


def test_the_package_reexports_each_full_module_whole() -> None:
    package = set(casemigrate.__all__)
    for name in sorted(IN_FULL):
        module = importlib.import_module(f"casemigrate.{name}")
        assert set(module.__all__) - package == set(), name
    for name, (taken, _) in IN_PART.items():
        module = importlib.import_module(f"casemigrate.{name}")
        assert set(module.__all__) & package == taken, name
    for name in NAMESPACES:
        module = importlib.import_module(f"casemigrate.{name}")
        assert set(module.__all__) & package == set(), name


def test_the_package_all_is_what_it_imports() -> None:
    """``casemigrate.__all__`` names every re-export, each from the ``__all__`` of the
    module it comes from."""
    reexports = _reexports()
    assert set(casemigrate.__all__) == reexports.keys() | {"__version__"}
    assert len(casemigrate.__all__) == len(set(casemigrate.__all__))
    for name, home in reexports.items():
        module = importlib.import_module(f"casemigrate.{home}")
        assert name in module.__all__, (home, name)
        assert getattr(casemigrate, name) is getattr(module, name)


def test_each_module_all_names_what_it_defines() -> None:
    """Every name of a public module's ``__all__`` exists there; every public name it
    defines (but its rules, reached through ``casemigrate.RULES``) is in its ``__all__``."""
    outside: set[tuple[str, str]] = set()
    for dotted in _public_modules():
        name = _short(dotted)
        module = importlib.import_module(dotted)
        assert len(module.__all__) == len(set(module.__all__)), name
        assert [n for n in module.__all__ if not hasattr(module, n)] == [], name
        path = PACKAGE / (name.replace(".", "/") + ".py")
        if not path.exists():
            path = PACKAGE / name.replace(".", "/") / "__init__.py"
        defined = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                defined.add(node.name)
            elif isinstance(node, ast.Assign):
                defined.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                defined.add(node.target.id)
        outside.update((name, n) for n in defined - set(module.__all__)
                       if not n.startswith("_") and not isinstance(getattr(module, n), Rule))
    assert outside - NOT_IN_ALL.keys() == set(), "add them to the module's __all__"
    assert NOT_IN_ALL.keys() - outside == set(), "an allowed exception is gone: drop it"

