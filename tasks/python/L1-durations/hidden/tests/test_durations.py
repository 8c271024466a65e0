import pytest

from durations import parse_duration

S = 1_000_000_000
M = 60 * S
H = 3600 * S


def test_examples_from_the_ticket():
    assert parse_duration("1h30m") == H + 30 * M
    assert parse_duration("250ms") == 250_000_000
    assert parse_duration("2h45m30s") == 2 * H + 45 * M + 30 * S
    assert parse_duration("1m30.5s") == M + 30 * S + S // 2


def test_every_unit():
    assert [parse_duration(f"7{u}") for u in ("ns", "us", "ms", "s", "m", "h")] == [
        7, 7_000, 7_000_000, 7 * S, 7 * M, 7 * H,
    ]


def test_micro_sign_and_greek_mu_both_mean_microseconds():
    assert parse_duration("3\u00b5s") == 3_000
    assert parse_duration("3\u03bcs") == 3_000
    assert parse_duration("1ms2\u03bcs3\u00b5s") == 1_005_000


def test_fractions_are_exact():
    assert parse_duration("1.1s") == 1_100_000_000
    assert parse_duration("0.3s") == 300_000_000
    assert parse_duration("2.675h") == 9_630 * S
    assert parse_duration("1.000000001s") == 1_000_000_001


def test_fractions_below_a_nanosecond_truncate_toward_zero():
    assert parse_duration("1.0000000009s") == S
    assert parse_duration("0.9ns") == 0
    assert parse_duration("1.9ns") == 1
    assert parse_duration("-1.9ns") == -1
    assert parse_duration("0.0000000019s") == 1


def test_a_dot_may_lead_or_trail_the_digits():
    assert parse_duration(".5s") == S // 2
    assert parse_duration("1.s") == S
    assert parse_duration("1.5m.5s") == 90 * S + S // 2


def test_one_leading_sign_applies_to_the_whole_duration():
    assert parse_duration("-1.5h") == -(H + 30 * M)
    assert parse_duration("+5s") == 5 * S
    assert parse_duration("-1h30m") == -(H + 30 * M)


def test_zero_needs_no_unit():
    assert parse_duration("0") == 0
    assert parse_duration("-0") == 0
    assert parse_duration("+0") == 0
    assert parse_duration("0s") == 0


@pytest.mark.parametrize("text", ["5", "1.5", "00", "10", "1h5"])
def test_a_number_without_a_unit_is_rejected(text):
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize("text", ["1H", "1MS", "1S", "2Us", "1Ns"])
def test_units_are_case_sensitive(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_components_may_repeat_and_come_in_any_order():
    assert parse_duration("1s1s") == 2 * S
    assert parse_duration("30m1h") == H + 30 * M
    assert parse_duration("1ns1h") == H + 1


@pytest.mark.parametrize("text", [" 1s", "1s ", "1 s", "1s\n", "\t1s", "1h 30m"])
def test_whitespace_anywhere_is_rejected(text):
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(
    "text", ["", "1.2.3s", ".s", "s", "-", "+", "--1s", "+-1s", "1s-1s", "..5s", "1x", "h1"]
)
def test_malformed_input_is_rejected(text):
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize("text", ["\uff11s", "\u0663s", "1\uff10s"])
def test_only_ascii_digits_count(text):
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize("text", ["", "1x", "1 s", "5"])
def test_the_error_message_quotes_the_input(text):
    with pytest.raises(ValueError) as err:
        parse_duration(text)
    assert repr(text) in str(err.value)


def test_large_values_are_exact():
    assert parse_duration("9999999999h") == 9_999_999_999 * H
    assert parse_duration("123456789.123456789s") == 123_456_789_123_456_789
    assert parse_duration("106751.99116730063h") == 384_307_168_202_282_268
