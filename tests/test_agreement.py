"""Agreement statistics against hand-worked values and published worked examples."""

import pytest

from compendium import screening
from compendium.errors import InputError


def table(both_include, only_first, only_second, both_exclude):
    return screening.Agreement(
        n=both_include + only_first + only_second + both_exclude,
        both_include=both_include,
        only_first=only_first,
        only_second=only_second,
        both_exclude=both_exclude,
    )


def test_cohens_kappa_on_the_textbook_example():
    # 50 grant proposals, two readers: 20 both yes, 15 both no, 5 and 10 disagreements;
    # po = 0.70, pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.50, kappa = 0.40 (Cohen's kappa, as taught).
    stats = table(20, 5, 10, 15)
    assert stats.observed == pytest.approx(0.70)
    assert stats.expected == pytest.approx(0.50)
    assert stats.kappa == pytest.approx(0.40)
    assert stats.percent_agreement == pytest.approx(70.0)
    assert stats.pabak == pytest.approx(0.40)


def test_kappa_paradox_where_ac1_stays_high():
    # Gwet's (2008) point: with 118 agreed yes, 5 + 2 disagreements and no agreed no,
    # po = 0.944 but kappa is about -0.02, while AC1 is about 0.94 (worked by hand:
    # pi = (123/125 + 120/125) / 2 = 0.972, pe = 2 * 0.972 * 0.028 = 0.054432,
    # AC1 = (0.944 - 0.054432) / (1 - 0.054432) = 0.94078).
    stats = table(118, 5, 2, 0)
    assert stats.observed == pytest.approx(0.944)
    assert stats.kappa == pytest.approx(-0.0234, abs=1e-4)
    assert stats.ac1 == pytest.approx(0.94078, abs=1e-5)
    assert stats.pabak == pytest.approx(0.888)


def test_kappa_confidence_interval_by_hand():
    # po = 40/43, p1 = 5/43, p2 = 6/43, pe = (30 + 1406) / 1849;
    # SE = sqrt(po (1 - po) / (n (1 - pe)^2)); CI = kappa +- 1.96 SE.
    stats = table(4, 1, 2, 36)
    po, pe = 40 / 43, 1436 / 1849
    kappa = (po - pe) / (1 - pe)
    se = (po * (1 - po) / (43 * (1 - pe) ** 2)) ** 0.5
    assert stats.kappa == pytest.approx(kappa)
    # the upper Wald limit passes 1 here, and is kept at kappa's maximum
    assert kappa + 1.959964 * se > 1
    assert stats.kappa_ci == pytest.approx((kappa - 1.959964 * se, 1.0))
    assert 0.6 < stats.kappa < 0.9


def test_kappa_confidence_interval_inside_its_range_is_the_plain_wald_interval():
    stats = table(40, 10, 10, 140)
    po, pe = 180 / 200, (50 / 200) ** 2 + (150 / 200) ** 2
    kappa = (po - pe) / (1 - pe)
    se = (po * (1 - po) / (200 * (1 - pe) ** 2)) ** 0.5
    assert stats.kappa_ci == pytest.approx((kappa - 1.959964 * se, kappa + 1.959964 * se))


def test_maybe_counts_as_include_for_agreement():
    stats = screening.agreement(["maybe", "exclude", "include"], ["include", "exclude", "exclude"])
    assert (stats.both_include, stats.only_first, stats.only_second, stats.both_exclude) == (
        1,
        1,
        0,
        1,
    )


def test_agreement_needs_two_lists_of_equal_length():
    with pytest.raises(InputError, match="equal, non-zero length"):
        screening.agreement(["include"], [])


def test_the_statistics_table_reports_every_statistic():
    rows = dict(table(4, 1, 2, 36).table().values)
    assert rows["records screened by both reviewers"] == "43"
    assert rows["Cohen's kappa (95% CI)"].startswith("0.69 (")
    assert {"PABAK (95% CI)", "Gwet's AC1 (95% CI)", "percent agreement"} <= set(rows)


def test_gwet_ac1_and_its_standard_error_match_gwet_s_worked_table():
    # Gwet's three-category example (irrCAC's cont3x3abstractors): AC1 0.84933, SE 0.04322
    ac1, se = screening.gwet_ac1([[13, 0, 0], [0, 20, 7], [0, 4, 56]])
    assert ac1 == pytest.approx(0.84933, abs=5e-6)
    assert se == pytest.approx(0.04322, abs=5e-6)


def test_agreement_numbers_hold_every_statistic_with_its_interval_and_source():
    numbers = table(4, 1, 2, 36).numbers(table="data/raw/screening/double_screening.csv")
    for name in ("kappa", "pabak", "ac1"):
        low = numbers[f"double_screening_{name}_ci_low"]
        high = numbers[f"double_screening_{name}_ci_high"]
        assert low < numbers[f"double_screening_{name}"] <= high
    assert numbers["double_screening_records"] == 43
    assert numbers["double_screening_kappa"].table == "data/raw/screening/double_screening.csv"
    assert "Cohen's kappa" in numbers["double_screening_kappa"].query
