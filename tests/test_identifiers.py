from __future__ import annotations

import copy
import datetime as dt
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casemigrate import (
    CPR,
    KLE,
    MUNICIPALITY_CODES,
    CaseMigrateError,
    Facet,
    InvalidCPR,
    InvalidKLE,
    InvalidMunicipality,
    InvalidType,
    InvalidValue,
    municipality,
)


@pytest.mark.parametrize(
    ("raw", "born"),
    [
        ("211062-1234", dt.date(1962, 10, 21)),
        ("2110621234", dt.date(1962, 10, 21)),
        (" 211062 1234 ", dt.date(1962, 10, 21)),
        ("010100-0000", dt.date(1900, 1, 1)),
        ("311299-3999", dt.date(1999, 12, 31)),
        # 7th digit 4 and 9: 00-36 -> 2000s, 37-99 -> 1900s
        ("010136-4000", dt.date(2036, 1, 1)),
        ("010137-4000", dt.date(1937, 1, 1)),
        ("010136-9000", dt.date(2036, 1, 1)),
        ("010137-9000", dt.date(1937, 1, 1)),
        # 7th digit 5-8: 00-57 -> 2000s, 58-99 -> 1800s
        ("010157-5000", dt.date(2057, 1, 1)),
        ("010158-8000", dt.date(1858, 1, 1)),
        ("290200-4000", dt.date(2000, 2, 29)),  # 2000 is a leap year
        ("290296-0000", dt.date(1996, 2, 29)),
    ],
)
def test_cpr_birth_date_uses_the_century_rule(raw: str, born: dt.date) -> None:
    assert CPR(raw).birth_date == born


@pytest.mark.parametrize(
    "raw",
    ["320162-1234", "001062-1234", "211362-1234", "290200-0000",  # 1900 not leap
     "290297-0000", "21106-1234", "21106212345", "211062--1234", "abcdefghij",
     "", "   ", "٢١١٠٦٢١٢٣٤"],
)
def test_invalid_cpr_raises_invalid_cpr(raw: str) -> None:
    with pytest.raises(InvalidCPR) as info:
        CPR(raw)
    assert info.value.field == "cpr"
    assert isinstance(info.value, ValueError)


def test_modulus_11_is_not_required() -> None:
    # Numbers issued since 2007 need not pass modulus 11.
    cpr = CPR("010101-1235")
    assert not cpr.passes_modulus_11
    assert CPR("070761-4285").passes_modulus_11


def test_cpr_is_a_value_type() -> None:
    a, b = CPR("211062-1234"), CPR("2110621234")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != CPR("211062-1235")
    assert a != "2110621234"
    assert pickle.loads(pickle.dumps(a)) == a
    assert copy.deepcopy(a) is a
    with pytest.raises(AttributeError):
        a._digits = "0101010000"  # type: ignore[misc]
    assert sorted([CPR("2110621234"), CPR("0101001234")])[0] == CPR("0101001234")


def test_cpr_never_shows_the_serial() -> None:
    cpr = CPR("211062-1234")
    shown = [str(cpr), repr(cpr), f"{cpr}", f"{cpr:>20}", format(cpr, ""), cpr.masked]
    for text in shown:
        assert "1234" not in text
        assert "211062" in text
    assert cpr.unmasked() == "2110621234"


def test_cpr_error_messages_are_masked() -> None:
    with pytest.raises(InvalidCPR) as info:
        CPR("321062-9876")
    assert "9876" not in str(info.value)
    assert "321062-****" in str(info.value)
    with pytest.raises(InvalidCPR) as info:
        CPR("32106-29876 x")
    assert "9876" not in str(info.value)


def test_cpr_is_valid_never_raises() -> None:
    assert CPR.is_valid("211062-1234")
    for junk in (None, 1, "x", b"2110621234", object()):
        assert not CPR.is_valid(junk)


def test_cpr_rejects_non_strings_as_type_errors() -> None:
    with pytest.raises(InvalidType) as info:
        CPR(2110621234)  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)
    assert "2110621234" not in str(info.value)


@given(st.dates(dt.date(1858, 1, 1), dt.date(2057, 12, 31)), st.integers(0, 9999))
def test_every_real_birth_date_round_trips(born: dt.date, serial: int) -> None:
    yy = born.year % 100
    if born.year < 1900:
        seventh = 5
    elif born.year >= 2000:
        seventh = 4 if yy <= 36 else 5
    else:
        seventh = 0
    raw = f"{born:%d%m}{yy:02d}{seventh}{serial % 1000:03d}"
    cpr = CPR(raw)
    assert cpr.birth_date == born
    assert raw not in repr(cpr)


def test_98_municipalities() -> None:
    assert len(MUNICIPALITY_CODES) == 98
    assert municipality(607).name == "Fredericia"
    assert municipality("101").name == "København"
    assert municipality("0851").name == "Aalborg"
    assert municipality(607) is municipality("607")
    assert str(municipality(607)) == "607 Fredericia"


@pytest.mark.parametrize("code", [0, 411, 999, "abc", "12345", "", -607])
def test_unknown_municipality(code: object) -> None:
    with pytest.raises(InvalidMunicipality) as info:
        municipality(code)  # type: ignore[arg-type]
    assert info.value.field == "municipality"


def test_municipality_rejects_wrong_types() -> None:
    for junk in (6.07, [607]):
        with pytest.raises(InvalidType):
            municipality(junk)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="municipality: is required"):
        municipality(None)  # type: ignore[arg-type]


def test_kle_and_facet() -> None:
    kle = KLE(" 27.60.00 ")
    assert (kle.main_group, kle.group, kle.topic, str(kle)) == ("27", "60", "00", "27.60.00")
    assert KLE("27.60.00") == kle and hash(KLE("27.60.00")) == hash(kle)
    assert Facet("g01").value == "G01"
    assert Facet("K").is_group and not Facet("K07").is_group


@pytest.mark.parametrize(
    "raw", ["27.60", "27.60.0", "2760.00", "27-60-00", "ab.cd.ef", "27.60.00*"]
)
def test_malformed_kle(raw: str) -> None:
    with pytest.raises(InvalidKLE) as info:
        KLE(raw)
    assert info.value.field == "kle"


@pytest.mark.parametrize("raw", ["", "01", "G1", "GG01", "G001", "ø"])
def test_malformed_facet(raw: str) -> None:
    with pytest.raises(InvalidKLE) as info:
        Facet(raw)
    assert info.value.field == "facet"


def test_all_errors_share_the_base() -> None:
    for exc in (InvalidCPR, InvalidKLE, InvalidMunicipality, InvalidType):
        assert issubclass(exc, CaseMigrateError)
