from __future__ import annotations

import datetime as dt

import attrs
import pytest

from casemigrate import (
    CPR,
    KLE,
    Case,
    Delivery,
    Facet,
    InvalidCPR,
    InvalidKLE,
    InvalidMunicipality,
    InvalidRecord,
    InvalidType,
    Origin,
    Service,
    municipality,
)

D = dt.date


def make_case(**overrides: object) -> Case:
    fields: dict[str, object] = {
        "case_id": "S-1", "municipality": 607, "citizen": "211062-1234",
        "system": "Old", "opened": D(2020, 1, 6),
    }
    fields.update(overrides)
    return Case(**fields)  # type: ignore[arg-type]


def make_service(**overrides: object) -> Service:
    fields: dict[str, object] = {
        "service_id": "Y-1", "municipality": 607, "citizen": "211062-1234",
        "code": "SEL107", "target_groups": {"1.2.2.1"}, "start": D(2021, 6, 1),
        "system": "Old",
    }
    fields.update(overrides)
    return Service(**fields)  # type: ignore[arg-type]


def test_case_normalises_its_fields() -> None:
    case = make_case(kle="27.60.00", facet="g01", origin="manual", caseworker="")
    assert case.municipality is municipality(607)
    assert case.citizen == CPR("2110621234")
    assert case.kle == KLE("27.60.00") and case.facet == Facet("G01")
    assert case.origin is Origin.MANUAL
    assert case.caseworker is None and case.title == ""


def test_case_is_frozen_slotted_keyword_only() -> None:
    case = make_case()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        case.closed = D(2021, 1, 1)  # type: ignore[misc]
    assert not hasattr(case, "__dict__")
    with pytest.raises(TypeError):
        Case("S-1", 607, None, "Old", D(2020, 1, 1))  # type: ignore[misc]


def test_case_is_a_dict_key() -> None:
    assert len({make_case(), make_case(), make_case(case_id="S-2")}) == 2


@pytest.mark.parametrize(
    ("day", "active"),
    [(D(2020, 1, 5), False), (D(2020, 1, 6), True), (D(2026, 2, 28), True),
     (D(2026, 3, 1), False), (D(2027, 1, 1), False)],
)
def test_is_active_on_excludes_the_closing_day(day: dt.date, active: bool) -> None:
    assert make_case(closed=D(2026, 3, 1)).is_active_on(day) is active


def test_open_case_is_active_from_its_opening_day() -> None:
    case = make_case()
    assert case.is_active
    assert case.is_active_on(D(2020, 1, 6))
    assert not case.is_active_on(D(2020, 1, 5))


@pytest.mark.parametrize(
    ("overrides", "error", "field"),
    [
        ({"case_id": ""}, InvalidRecord, "case_id"),
        ({"case_id": "   "}, InvalidRecord, "case_id"),
        ({"case_id": 17}, InvalidType, "case_id"),
        ({"case_id": "x" * 201}, InvalidRecord, "case_id"),
        ({"case_id": "a\nb"}, InvalidRecord, "case_id"),
        ({"municipality": 411}, InvalidMunicipality, "municipality"),
        ({"citizen": "999999-9999"}, InvalidCPR, "citizen"),
        ({"citizen": 2110621234}, InvalidType, "citizen"),
        ({"system": ""}, InvalidRecord, "system"),
        ({"opened": "2020-01-06"}, InvalidType, "opened"),
        ({"opened": dt.datetime(2020, 1, 6, 9, 30)}, InvalidType, "opened"),
        ({"closed": D(2020, 1, 5)}, InvalidRecord, "closed"),
        ({"kle": "27.60"}, InvalidKLE, "kle"),
        ({"facet": "G001"}, InvalidKLE, "facet"),
        ({"origin": "typed"}, InvalidRecord, "origin"),
        ({"title": 5}, InvalidType, "title"),
    ],
)
def test_case_rejects_what_cannot_be_a_case(
    overrides: dict[str, object], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as info:
        make_case(**overrides)
    assert info.value.field == field  # type: ignore[attr-defined]
    assert str(info.value).startswith(f"{field}: ")


def test_service_open_and_closed() -> None:
    active = make_service()
    closed = make_service(end=D(2024, 1, 31))
    assert active.is_active and not active.is_closed
    assert closed.is_closed and closed.period == "2021-06-01..2024-01-31"
    assert closed.covers(D(2024, 1, 31)) and not closed.covers(D(2024, 2, 1))
    assert make_service(start=None, code="").code is None


@pytest.mark.parametrize(
    ("overrides", "error", "field"),
    [
        ({"service_id": ""}, InvalidRecord, "service_id"),
        ({"end": D(2021, 5, 31)}, InvalidRecord, "end"),
        ({"target_groups": "1.2.2.1"}, InvalidType, "target_groups"),
        ({"target_groups": [1]}, InvalidType, "target_groups"),
        ({"start": "2021-06-01"}, InvalidType, "start"),
        ({"code": 107}, InvalidType, "code"),
    ],
)
def test_service_rejects_what_cannot_be_a_service(
    overrides: dict[str, object], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as info:
        make_service(**overrides)
    assert info.value.field == field  # type: ignore[attr-defined]


def test_delivery_names_and_times() -> None:
    naive = Delivery(delivery_id="D1", name="L402", system="New", municipality=607,
                     sent=dt.datetime(2026, 3, 1, 0, 30))
    assert naive.is_production and not naive.is_test
    assert naive.sent_day == D(2026, 3, 1)
    utc = dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC)  # 00:30 Danish winter time
    aware = Delivery(delivery_id="D2", name="T402", system="New", municipality=607, sent=utc)
    assert aware.is_test and aware.sent_day == D(2026, 3, 1)
    assert aware.sent_local == dt.datetime(2026, 3, 1, 0, 30)
    assert aware.sent_instant == naive.sent_instant
    summer = Delivery(delivery_id="D3", name="L402", system="New", municipality=607,
                      sent=dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC))
    assert summer.sent_day == D(2026, 7, 1)  # CEST is UTC+2
    by_date = Delivery(delivery_id="D4", name="L402", system="New", municipality=607,
                       sent=D(2026, 3, 1))
    assert by_date.sent == dt.datetime(2026, 3, 1)


@pytest.mark.parametrize("name", ["402", "X402", "L", "L-402", "", "l402 x", "Lø2"])
def test_delivery_name_must_be_production_or_test(name: str) -> None:
    with pytest.raises((InvalidRecord, InvalidType)) as info:
        Delivery(delivery_id="D1", name=name, system="New", municipality=607,
                 sent=D(2026, 3, 1))
    assert info.value.field == "name"  # type: ignore[union-attr]


def test_delivery_services_must_be_services() -> None:
    with pytest.raises(InvalidType) as info:
        Delivery(delivery_id="D1", name="L402", system="New", municipality=607,
                 sent=D(2026, 3, 1), services=[make_service(), "x"])
    assert info.value.field == "services"
    delivery = Delivery(delivery_id="D1", name="L402", system="New", municipality=607,
                        sent=D(2026, 3, 1), services=[make_service()])
    assert isinstance(delivery.services, tuple)
