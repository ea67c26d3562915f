"""The module itself: versions, phone numbers, status names and the exception hierarchy.

Mirrors the C tests of cw_version_*, cw_status_name, cw_phone_normalize and cw_error.
"""

from __future__ import annotations

import builtins
import re

import pytest

import callwire
from callwire import _errors, _native


def test_versions() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", callwire.__version__)
    assert callwire.c_library_version() == callwire.__version__
    major, minor, patch = (int(p) for p in callwire.c_library_version().split("."))
    assert callwire.c_library_version_number() == major * 10000 + minor * 100 + patch
    # The header the extension was compiled with matches the library it loaded.
    assert _native.HEADER_VERSION == callwire.c_library_version()
    assert _native.ABI_VERSION == 3


def test_normalize_phone() -> None:
    assert callwire.normalize_phone("+1 (212) 555-1234") == "+12125551234"
    assert callwire.normalize_phone("+44 20 7946 0958") == "+442079460958"


@pytest.mark.parametrize("bad", ["", "12", "+1 212 CALL NOW", "not a number"])
def test_normalize_phone_refuses_what_is_not_a_number(bad: str) -> None:
    with pytest.raises(callwire.InvalidArgumentError) as info:
        callwire.normalize_phone(bad)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.code == callwire.Status.EINVAL and err.code == -1
    assert err.code_name == "CW_EINVAL"
    assert err.domain == callwire.Domain.SDK
    assert err.message and str(err) == err.message


def test_a_nul_character_is_refused_before_reaching_c() -> None:
    with pytest.raises(callwire.InvalidArgumentError, match="NUL"):
        callwire.normalize_phone("+12125551234\0")


def test_status_names_match_the_c_library() -> None:
    for status in callwire.Status:
        assert callwire.status_name(status) == _native.status_name(status) == "CW_" + status.name
    assert callwire.status_name(-999) == _native.status_name(-999) == "CW_UNKNOWN"


EXPECTED = {
    -1: (callwire.InvalidArgumentError, ValueError),
    -2: (callwire.NotFoundError, KeyError),
    -3: (callwire.ConflictError, callwire.Error),
    -4: (callwire.UnauthorizedError, callwire.Error),
    -5: (callwire.TooLargeError, ValueError),
    -6: (callwire.RateLimitedError, callwire.Error),
    -7: (callwire.CarrierError, callwire.Error),
    -8: (callwire.UnavailableError, callwire.Error),
    -9: (callwire.StorageError, callwire.Error),
    -10: (callwire.TimeoutError, builtins.TimeoutError),
    -11: (callwire.TlsError, callwire.Error),
    -12: (callwire.ClosedError, callwire.Error),
    -13: (callwire.InternalError, callwire.Error),
    -14: (callwire.MalformedError, ValueError),
    -15: (callwire.InvalidArgumentError, ValueError),
    -16: (callwire.OutOfMemoryError, MemoryError),
    -17: (callwire.ForbiddenError, PermissionError),
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_every_code_maps_to_its_exception(code: int) -> None:
    cls, builtin = EXPECTED[code]
    err = _errors._from_native(code, 1, 0, "", "what happened")
    assert type(err) is cls
    assert isinstance(err, callwire.Error) and isinstance(err, builtin)
    assert callwire.error_class(code) is cls
    assert err.code == code and err.code_name == _native.status_name(code)
    assert err.message == str(err) == "what happened"
    assert repr(err) == f"{cls.__name__}('what happened', code={err.code_name})"
    with pytest.raises(builtin):
        raise err


def test_unknown_codes_give_the_base_class() -> None:
    err = _errors._from_native(-999, 9, 0, "", "odd")
    assert type(err) is callwire.Error
    assert err.code == -999 and err.code_name == "CW_UNKNOWN" and err.domain == 9


def test_carrier_errors_carry_the_telnyx_details() -> None:
    err = _errors._from_native(
        -7, 2, 422, "90018", "send_dtmf: Telnyx: Call has already ended", "This call is no longer active."
    )
    assert isinstance(err, callwire.CarrierError)
    assert err.domain == callwire.Domain.CARRIER
    assert (err.http_status, err.carrier_code) == (422, "90018")
    assert err.message == str(err) == "send_dtmf: Telnyx: Call has already ended"
    assert err.detail == "This call is no longer active."  # cw_error.detail: Telnyx's errors[0].detail


def test_every_error_has_the_detail_of_its_cw_error() -> None:
    err = _errors._from_native(
        -3, 1, 0, "", "This number is already in your list.", "sqlite: insert into numbers: UNIQUE constraint failed"
    )
    assert isinstance(err, callwire.ConflictError)
    assert err.message == "This number is already in your list."
    assert err.detail == "sqlite: insert into numbers: UNIQUE constraint failed"
    assert _errors._from_native(-2, 1, 0, "", "call x not found").detail == ""


def test_errors_made_in_python_get_their_class_code() -> None:
    err = callwire.NotFoundError("no such thing")
    assert err.code == callwire.Status.ENOTFOUND and err.domain == callwire.Domain.SDK
    assert str(err) == "no such thing"  # not KeyError's repr() of the key
    assert callwire.Error("x").code == callwire.Status.EINTERNAL
    assert callwire.TimeoutError("late").code_name == "CW_ETIMEOUT"
    assert err.detail == "" and callwire.Error("x", detail="for the log").detail == "for the log"


def test_catching_by_builtin() -> None:
    with pytest.raises(KeyError):
        raise callwire.NotFoundError("k")
    with pytest.raises(ValueError):
        raise callwire.MalformedError("m")
    with pytest.raises(TimeoutError):
        raise callwire.TimeoutError("t")
