"""No CPR number appears in full in any repr, str, message or exception."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from casemigrate import CPR, Case, CaseMigrateError, Delivery, Service
from casemigrate.testing import cpr_strings


def leaks(cpr: CPR, text: str) -> list[str]:
    """The ways ``text`` shows more of ``cpr`` than its birth date."""
    digits = cpr.unmasked()
    date_part, serial = digits[:6], digits[6:]
    forms = [digits, f"{date_part}-{serial}", f"{date_part} {serial}", f"-{serial}"]
    return [form for form in forms if form in text]


def texts(obj: object) -> Iterator[str]:
    yield repr(obj)
    yield str(obj)
    yield f"{obj}"


@given(cpr_strings())
def test_records_never_show_a_cpr(raw: str) -> None:
    cpr = CPR(raw)
    case = Case(case_id="S", municipality=607, citizen=raw, system="Old",
                opened=dt.date(2020, 1, 6))
    service = Service(service_id="Y", municipality=607, citizen=raw, code="C",
                      target_groups={"1.1"}, start=dt.date(2021, 6, 1), system="Old")
    delivery = Delivery(delivery_id="D", name="L402", system="Old", municipality=607,
                        sent=dt.date(2026, 1, 1), services=[service])
    for obj in (cpr, case, service, delivery, [case, service], {cpr: case}):
        for text in texts(obj):
            assert not leaks(cpr, text), text


@given(cpr_strings(), st.sampled_from(["closed", "end"]))
def test_errors_on_records_holding_a_cpr_never_show_it(raw: str, broken: str) -> None:
    cpr = CPR(raw)

    def build() -> object:
        if broken == "closed":
            return Case(case_id="S", municipality=607, citizen=raw, system="Old",
                        opened=dt.date(2020, 1, 6), closed=dt.date(2020, 1, 5))
        return Service(service_id="Y", municipality=607, citizen=raw, code="C",
                       target_groups={"1.1"}, start=dt.date(2021, 6, 1),
                       end=dt.date(2021, 5, 1), system="Old")

    with pytest.raises(CaseMigrateError) as info:
        build()
    assert not leaks(cpr, str(info.value))
    assert not leaks(cpr, repr(info.value))


@given(cpr_strings(hyphen=False), st.integers(0, 9))
@example("0101541954", 0)  # the serial equals the year the message names
def test_invalid_cpr_errors_never_show_the_serial(raw: str, digit: int) -> None:
    # Break the date (day 32..41) and keep the serial: the message must not show it.
    broken = f"{32 + digit}" + raw[2:]
    with pytest.raises(CaseMigrateError) as info:
        CPR(broken)
    # The message names the month and year the day does not exist in ("in 01/1954"); a
    # serial that happens to equal that year is no leak.
    shown = re.sub(r"\d{2}/\d{4}", "", str(info.value).replace(broken[:6], ""))
    assert raw[6:] not in shown
    assert broken not in str(info.value)
    with pytest.raises(CaseMigrateError) as info:
        Case(case_id="S", municipality=607, citizen=broken, system="Old",
             opened=dt.date(2020, 1, 6))
    assert info.value.field == "citizen"
    assert broken not in str(info.value)
    assert f"-{raw[6:]}" not in str(info.value)


# ---- leaks found by a trial at a user's size -------------------------------------------

def test_a_case_id_that_is_a_cpr_number_is_masked_in_findings_and_reprs() -> None:
    import datetime as dt

    import casemigrate as cm

    old = cm.Case(case_id="211062-1234", municipality=607, citizen="211062-1234",
                  system="Old", opened=dt.date(2024, 1, 1))
    new = cm.Case(case_id="B", municipality=607, citizen="211062-1234", system="New",
                  opened=dt.date(2024, 1, 1))
    (finding,) = cm.find_duplicate_active_cases([old, new], as_of=dt.date(2026, 1, 1))
    assert finding.subjects == ("211062-****", "B")
    for shown in (repr(old), str(old), repr(finding), str(finding), finding.message_in("da")):
        assert "1234" not in shown.replace("211062-****", "")


@pytest.mark.parametrize("value", ["21106212345", "211062-12345", 101001234, "x211062123"])
def test_a_refused_citizen_value_is_never_shown_past_the_birth_date(value: object) -> None:
    import datetime as dt

    import casemigrate as cm

    read = cm.read_cases([("S", 607, value, "Old", dt.date(2024, 1, 1))], errors="collect")
    (refusal,) = read.refusals
    assert refusal.field == "citizen"
    assert refusal.value is not None and refusal.value.endswith("****")
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    assert digits not in refusal.value and digits not in refusal.message
