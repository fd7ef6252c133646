from datetime import date

import pytest

from app.formats.errors import FormatError, IdentifierError
from app.formats.identifiers import (
    check_bin,
    check_digit,
    check_iin,
    iin_birth_date,
    is_valid_bin,
    is_valid_iin,
    make_bin,
    make_iin,
)
from app.xmlsig.errors import SchemaViolation


def test_check_digit_with_first_weights():
    # 1*0 + ... + 11*1 = 11 ≡ 0 (mod 11)
    assert check_digit("00000000001") == 0


def test_check_digit_falls_back_to_second_weights():
    # weights 1..11 give 274 ≡ 10, so weights 3,4,...,11,1,2 decide: 239 ≡ 8
    assert check_digit("84011536474") == 8
    assert check_iin("840115364748") == "840115364748"


def test_eleven_digits_that_admit_no_check_digit():
    assert check_digit("78120948131") is None
    with pytest.raises(IdentifierError, match="no check digit exists"):
        check_iin("781209481310")


def test_generated_identifiers_are_valid():
    iin = make_iin(birth_date=date(1990, 11, 23), female=False, serial=4567)
    assert iin.startswith("9011233")
    assert is_valid_iin(iin)
    assert iin_birth_date(iin) == date(1990, 11, 23)
    assert make_iin(birth_date=date(2004, 2, 29), female=True, serial=1)[6] == "6"
    bin_ = make_bin(registered=date(2010, 5, 1), serial=12345)
    assert bin_.startswith("100540")
    assert is_valid_bin(bin_)


def test_wrong_check_digit_is_named():
    with pytest.raises(IdentifierError) as caught:
        check_iin("901123345675")
    assert str(caught.value) == "IIN 901123345675: check digit is 5, expected 4"
    assert caught.value.scheme == "IIN"
    assert caught.value.rule == "iin-valid"
    with pytest.raises(IdentifierError, match=r"BIN 100540123456: check digit is 6, expected 5"):
        check_bin("100540123456")


def test_iin_birth_date_is_checked():
    with pytest.raises(IdentifierError, match=r"digits 1-6 \(901332\) are not a birth date"):
        check_iin("901332300007")
    # 29 February exists in 2004 (century digit 5) but not in 1900 (century digit 3)
    assert is_valid_iin(make_iin(birth_date=date(2004, 2, 29), female=False, serial=7))
    assert not is_valid_iin("000229300000")


def test_nca_test_certificate_iin_is_not_a_valid_iin():
    # the NCA's public test certificates carry IIN 123456789011: a placeholder, whose
    # digit 7 is no century digit (and whose month would be 34)
    assert not is_valid_iin("123456789011")


@pytest.mark.parametrize("digit", ["0", "7", "8", "9"])
def test_iin_century_digit_is_checked(digit):
    with pytest.raises(IdentifierError, match=f"digit 7 is {digit}, but it must be 1-6"):
        check_iin(f"901123{digit}45674")


@pytest.mark.parametrize("digit", ["0", "1", "2", "3", "7", "8", "9"])
def test_bin_entity_type_is_checked(digit):
    with pytest.raises(IdentifierError, match=f"digit 5 is {digit}, but a legal entity type"):
        check_bin(f"1005{digit}0123455")


@pytest.mark.parametrize("value", ["", "12345678901", "1234567890123", "90112334567x",
                                   "９０１１２３３４５６７４"])
def test_shape_is_checked(value):
    with pytest.raises(IdentifierError, match="must be exactly 12 digits"):
        check_iin(value)
    assert not is_valid_bin(value)


def test_identifier_error_is_a_schema_violation():
    # so one except clause refuses every kind of malformed document
    assert issubclass(IdentifierError, FormatError)
    assert issubclass(FormatError, SchemaViolation)
