"""Text in two languages: message templates, plural forms, numbers and terms.

Private. Every message, hint and label of casemigrate exists in English (``"en"``) and
Danish (``"da"``) and is filled in by :func:`render`, which knows three things
``str.format`` does not:

* **Numbers** in the language's own separators: ``18,146`` and ``0.27`` in English,
  ``18.146`` and ``0,27`` in Danish.
* **Plural forms**, chosen by the count: a field with the format spec ``one|other``
  renders ``one`` when its value is 1 (or, for a collection, holds one item) and
  ``other`` otherwise; ``#`` in the chosen form stands for the value itself. So
  ``"{count:# case has|# cases have} no citizen"`` gives "1 case has no citizen" and
  "2 cases have no citizen", and ``"{count:# sag|# sager}"`` gives "1 sag", "18.146
  sager". English and Danish share the rule: singular for exactly one.
* **Terms and phrases**: a :class:`Term` is a word with a form in each language
  (``Term("target group", da="målgruppe")``) that is also the plain string of its
  first form, so ``details`` stay plain to programs; a :class:`Phrase` is a small
  template of its own in each language with its own values.

Collections are joined with commas and a final "and"/"og"; dates show as ISO dates.

Example:
    >>> render("{count:# case has|# cases have} no citizen", {"count": 1}, "en")
    '1 case has no citizen'
    >>> render("{count:# sag|# sager} til {amount} kr.", {"count": 18146,
    ...        "amount": Decimal("0.27")}, "da")
    '18.146 sager til 0,27 kr.'
    >>> render("mangler {missing}", {"missing": (Term("start date", da="startdato"),
    ...        Term("service code", da="ydelseskode"))}, "da")
    'mangler startdato og ydelseskode'
"""

from __future__ import annotations

import datetime as dt
import enum
import string
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from casemigrate.exceptions import InvalidArgument

__all__ = ["LANGUAGES", "Phrase", "Term", "TermEnum", "check_language", "join", "number", "plural",
           "render", "template_fields"]

LANGUAGES: Final = ("en", "da")


def check_language(language: object) -> str:
    """``language`` if it is ``"en"`` or ``"da"``.

    Raises:
        InvalidArgument: It is neither (naming the field ``language``).
    """
    if not isinstance(language, str) or language not in LANGUAGES:
        # Eight characters at most: a value given in the wrong argument (a CPR number)
        # is never echoed whole, masked or not.
        shown = repr(language[:8]) if isinstance(language, str) else (
            f"a {type(language).__name__}")
        raise InvalidArgument(f"expected 'en' or 'da', got {shown}", field="language")
    return language


class Term(str):
    """A word or short phrase with a form in each language.

    It *is* the string of its first form, so a finding's ``details`` stay plain
    strings to the programs that read them; :func:`render` shows ``en`` or ``da``.

    Example:
        >>> role = Term("new_system", en="new system", da="nye system")
        >>> role == "new_system", render("{role}", {"role": role}, "da")
        (True, 'nye system')
    """

    en: str
    da: str

    def __new__(cls, value: str, *, da: str, en: str | None = None) -> Term:
        term = super().__new__(cls, value)
        term.en = value if en is None else en
        term.da = da
        return term

    def __reduce__(self) -> tuple[Any, ...]:
        return (_term, (str(self), self.en, self.da))

    def in_language(self, language: str) -> str:
        """The form in ``language``."""
        return self.da if language == "da" else self.en


def _term(value: str, en: str, da: str) -> Term:
    return Term(value, en=en, da=da)


class TermEnum(enum.Enum):
    """An enum whose values are :class:`Term`: each member reads in either language."""

    def in_language(self, language: str = "en") -> str:
        """The member in words, in ``"en"`` or ``"da"``."""
        return str(self.value.in_language(check_language(language)))


class Phrase:
    """A template in each language with values of its own, shown inside a message.

    Its ``str`` is the English form.

    Example:
        >>> saving = Phrase(en="; closing saves {amount} kr a month",
        ...                 da="; lukning sparer {amount} kr. om måneden",
        ...                 amount=Decimal("3838.39"))
        >>> render("{count:# sag|# sager}{saving}", {"count": 2, "saving": saving}, "da")
        '2 sager; lukning sparer 3.838,39 kr. om måneden'
    """

    __slots__ = ("da", "en", "values")

    def __init__(self, *, en: str, da: str, **values: Any) -> None:
        self.en = en
        self.da = da
        self.values = values

    def in_language(self, language: str) -> str:
        """The phrase rendered in ``language``."""
        return render(self.da if language == "da" else self.en, self.values, language)

    def __str__(self) -> str:
        return self.in_language("en")

    def __repr__(self) -> str:
        return f"Phrase({self.in_language('en')!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Phrase):
            return NotImplemented
        return (self.en, self.da, self.values) == (other.en, other.da, other.values)

    def __hash__(self) -> int:
        return hash((self.en, self.da))


def number(value: int | float | Decimal, language: str = "en") -> str:
    """A number with the language's separators: ``18,146.5`` or ``18.146,5``.

    A whole number and a ``Decimal`` show every digit they have; a float (hours of
    work, say) shows one decimal.

    Example:
        >>> number(18146, "da"), number(Decimal("-3838.35"), "da"), number(5000, "en")
        ('18.146', '-3.838,35', '5,000')
        >>> number(2.5, "da"), number(12.25, "en")
        ('2,5', '12.2')
    """
    if isinstance(value, int):
        shown = f"{value:,}"
    elif isinstance(value, Decimal):
        shown = f"{value:,f}"
    else:
        shown = f"{value:,.1f}"
    if language == "da":
        shown = shown.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return shown


def join(items: list[str], language: str) -> str:
    """Items joined with commas and a final "and" ("og" in Danish).

    Example:
        >>> join(["a", "b", "c"], "da"), join(["a"], "en"), join(["a", "b"], "en")
        ('a, b og c', 'a', 'a and b')
    """
    if len(items) < 2:
        return "".join(items)
    last = " og " if language == "da" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def plural(count: int, forms: str, language: str) -> str:
    """The form of ``forms`` (``"one|other"``) for ``count``, ``#`` replaced by the count.

    Example:
        >>> plural(1, "# advarsel|# advarsler", "da"), plural(2, "# advarsel|# advarsler", "da")
        ('1 advarsel', '2 advarsler')
    """
    return render("{count:" + forms + "}", {"count": count}, language)


_COLLECTIONS: Final = (tuple, list, set, frozenset)


def _show(value: Any, language: str) -> str:
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is Term or isinstance(value, Term):
        return value.in_language(language)  # type: ignore[no-any-return]
    if kind is bool:
        return str(value)
    if kind is int or kind is Decimal:
        return number(value, language)
    if isinstance(value, Phrase):
        return value.in_language(language)
    if isinstance(value, _COLLECTIONS) and "__str__" not in vars(kind):
        # A collection is a list of items; one with a text of its own (a period
        # "2021-06-01..2026-06-01") is shown as that text.
        items = [_show(item, language) for item in value]
        if isinstance(value, set | frozenset):
            items.sort()
        return join(items, language)
    if kind is dt.date:
        return value.isoformat()  # type: ignore[no-any-return]
    return str(value)


def _count(value: Any) -> Any:
    return len(value) if isinstance(value, _COLLECTIONS) else value


class _Formatter(string.Formatter):
    def __init__(self, language: str) -> None:
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:
            one, other = format_spec.split("|")
            chosen = one if _count(value) == 1 else other
            return chosen.replace("#", _show(value, self.language))
        if format_spec:
            return format(value, format_spec)
        return _show(value, self.language)


_FORMATTERS: Final = {language: _Formatter(language) for language in LANGUAGES}


def render(template: str, values: Mapping[str, Any], language: str) -> str:
    """``template`` filled with ``values`` in ``language`` (see the module documentation)."""
    return _FORMATTERS[language].vformat(template, (), values)


def template_fields(template: str) -> frozenset[str]:
    """The names a template needs.

    Raises:
        ValueError: The template does not parse, or a plural spec lacks its two forms.
    """
    names = set()
    for _, name, spec, _ in string.Formatter().parse(template):
        if name is None:
            continue
        if not name.isidentifier():
            raise ValueError(f"{template!r}: field {name!r} is not a name")
        if spec and "|" in spec and spec.count("|") != 1:
            raise ValueError(f"{template!r}: a plural spec is 'one|other', got {spec!r}")
        names.add(name)
    return frozenset(names)
