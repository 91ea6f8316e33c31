from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casemigrate import (
    DEFAULT_WEIGHTS,
    CaseGroup,
    InvalidArgument,
    InvalidRecord,
    InvalidType,
    LoadPreference,
    Scenario,
    Weight,
    choose_scenario,
    choose_scenarios,
)
from casemigrate.scenario import CONSIDERATIONS


def test_scenarios_carry_the_sources_pros_and_cons() -> None:
    assert len(Scenario.ONE.pros) == 4 and len(Scenario.ONE.cons) == 3
    assert len(Scenario.TWO.pros) == 2 and len(Scenario.TWO.cons) == 3
    assert len(Scenario.THREE.pros) == 2 and len(Scenario.THREE.cons) == 1
    da = Scenario.THREE.describe(language="da")
    assert da.startswith("Scenarie 3: En gruppe sager flyttes først")
    assert "  + Der er en lang periode til at få ryddet op i sagerne inden flytningen." in da
    assert Scenario.ONE.describe().startswith("Scenario 1: The group moves")
    with pytest.raises(InvalidArgument):
        Scenario.ONE.describe(language="de")


def test_every_consideration_is_a_group_field_with_a_cited_weight() -> None:
    fields = {f.name for f in attrs.fields(CaseGroup)}
    assert set(CONSIDERATIONS) <= fields
    for name, weight in DEFAULT_WEIGHTS.items():
        assert weight.citation.startswith('KOMBIT, "KMD Sag Exit-strategi 2'), name
        assert ', Del 1, "' in weight.citation, name
        assert all(points > 0 for points in (*weight.if_true.values(),
                                             *weight.if_false.values()))


def test_all_unknown_ties_to_scenario_3_and_says_so() -> None:
    decision = choose_scenario(CaseGroup(name="Ukendt"))
    assert decision.scenario is Scenario.THREE
    assert decision.tie_broken
    assert decision.unknowns == CONSIDERATIONS
    assert decision.reasons == ()
    assert "Alle sager kan ligge i scenarie 3" in decision.explain()


def test_unknown_is_not_false() -> None:
    unknown = choose_scenario(CaseGroup(name="G"))
    false = choose_scenario(CaseGroup(name="G", needs_overview_and_advis_system=False))
    assert unknown.ranking != false.ranking
    assert "needs_overview_and_advis_system" not in false.unknowns


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"needs_overview_and_advis_system": True}, Scenario.THREE),
        ({"others_need_overview": True}, Scenario.THREE),
        ({"good_line_of_business_system": True, "users_keep_kmd_for_advis": True}, Scenario.TWO),
        ({"good_line_of_business_system": True, "users_keep_kmd_for_advis": False}, Scenario.ONE),
        ({"fixed_price_agreement": True}, Scenario.ONE),
        ({"load_preference": LoadPreference.PEAK}, Scenario.THREE),
        ({"load_preference": "spread"}, Scenario.TWO),  # 1 and 2 tie: toward 2
        ({"early_mover_kind": True, "only_cpr_advis": True}, Scenario.ONE),
    ],
)
def test_decisions(fields: dict[str, object], expected: Scenario) -> None:
    assert choose_scenario(CaseGroup(name="G", **fields)).scenario is expected  # type: ignore[arg-type]


def test_reasons_name_the_consideration_value_favour_and_citation() -> None:
    decision = choose_scenario(CaseGroup(name="G", load_preference=LoadPreference.PEAK,
                                         others_need_overview=False))
    by_name = {r.consideration: r for r in decision.reasons}
    assert by_name["load_preference"].value is LoadPreference.PEAK
    assert by_name["load_preference"].favours == (Scenario.THREE,)
    assert "Belastning" in by_name["load_preference"].citation
    assert by_name["others_need_overview"].favours == (Scenario.TWO, Scenario.ONE)
    assert [r.consideration for r in decision.reasons] == [
        "others_need_overview", "load_preference"]


def test_own_weights_replace_the_defaults() -> None:
    group = CaseGroup(name="G", others_need_overview=True, early_mover_kind=True)
    assert choose_scenario(group).scenario is Scenario.THREE  # 3 points against 2 and 2
    light = {"others_need_overview": Weight({Scenario.THREE: 1}, {}, "own")}
    assert choose_scenario(group, weights=light).scenario is Scenario.TWO


@pytest.mark.parametrize(
    ("weights", "error"),
    [({"overview": Weight({}, {})}, InvalidArgument), ({"users_mature": 3}, InvalidType),
     ([("users_mature", Weight({}, {}))], InvalidType)],
)
def test_bad_weights(weights: object, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        choose_scenario(CaseGroup(name="G"), weights=weights)  # type: ignore[arg-type]
    assert info.value.field == "weights"  # type: ignore[attr-defined]


def test_weight_points_must_be_scenarios_and_whole_numbers() -> None:
    with pytest.raises(InvalidType):
        Weight({"3": 1}, {})  # type: ignore[dict-item]
    with pytest.raises(InvalidType):
        Weight({Scenario.ONE: 1.5}, {})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [({"active_cases": -1}, InvalidArgument, "active_cases"),
     ({"passive_cases": 2.0}, InvalidType, "passive_cases"),
     ({"others_need_overview": "yes"}, InvalidType, "others_need_overview"),
     ({"users_mature": 1}, InvalidType, "users_mature"),
     ({"load_preference": "later"}, InvalidRecord, "load_preference"),
     ({"name": ""}, InvalidRecord, "name")],
)
def test_case_group_bad_input(fields: dict[str, object], error: type[Exception],
                              field: str) -> None:
    with pytest.raises(error) as info:
        CaseGroup(**{"name": "G", **fields})  # type: ignore[arg-type]
    assert info.value.field == field  # type: ignore[attr-defined]


considerations = st.fixed_dictionaries(
    {name: st.none() | st.booleans() for name in CONSIDERATIONS if name != "load_preference"},
    optional={"load_preference": st.none() | st.sampled_from(list(LoadPreference))},
)


@given(considerations)
def test_decision_is_consistent(fields: dict[str, object]) -> None:
    decision = choose_scenario(CaseGroup(name="G", **fields))  # type: ignore[arg-type]
    scores = [score for _, score in decision.ranking]
    assert scores == sorted(scores, reverse=True)
    assert decision.scenario is decision.ranking[0][0]
    assert {s for s, _ in decision.ranking} == set(Scenario)
    assert len(decision.reasons) + len(decision.unknowns) == len(CONSIDERATIONS)
    assert decision.tie_broken == (scores[0] == scores[1])
    if decision.tie_broken:
        assert decision.scenario is not Scenario.ONE


@given(st.lists(st.builds(CaseGroup, name=st.sampled_from("ABC"),
                          active_cases=st.integers(0, 1000),
                          passive_cases=st.integers(0, 1000),
                          others_need_overview=st.none() | st.booleans(),
                          early_mover_kind=st.none() | st.booleans()), max_size=8))
def test_summary_accounts_for_every_case(groups: list[CaseGroup]) -> None:
    summary = choose_scenarios(groups)
    assert sum(r["groups"] for r in summary.by_scenario.values()) == len(groups)
    assert sum(r["active_cases"] for r in summary.by_scenario.values()) == sum(
        g.active_cases for g in groups)
    assert sum(r["passive_cases"] for r in summary.by_scenario.values()) == sum(
        g.passive_cases for g in groups)
