"""Phone numbers as a messaging gateway wants them: E.164, for Indonesia in the first place.

Citizens write their numbers the way they say them: ``0812-3456-7890``, ``62 812 3456 7890``,
``+62 812 3456 7890``, ``(0725) 41549``. One number must be one string for the gateway to
send to, and for a delivery receipt to be matched with: ``+6281234567890``. WhatsApp and
SMS reach mobile numbers only, which in Indonesia begin with 8 after the country code.
"""

from __future__ import annotations

import enum
import re

#: What a citizen may write between the digits.
_SEPARATORS = re.compile(r"[\s().\-/]")
#: The national part of an Indonesian number: an area code or mobile prefix, then the line.
_INDONESIAN = re.compile(r"^[1-9][0-9]{6,11}$")
_MOBILE = re.compile(r"^8[1-9][0-9]{6,10}$")
#: Any other country's number in E.164: a country code and at most 15 digits in all.
_INTERNATIONAL = re.compile(r"^\+[1-9][0-9]{7,14}$")


class Problem(enum.Enum):
    """Why a text is not a phone number the platform can use."""

    NOT_A_NUMBER = "not_a_number"
    NOT_MOBILE = "not_mobile"


class NotAPhone(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def normalise(text: str) -> str:
    """``text`` in E.164; Indonesian numbers (08..., 628..., +628..., landlines too) as +62....

    Raises ``NotAPhone`` when it is not a phone number at all.
    """
    compact = _SEPARATORS.sub("", text.strip())
    if compact.startswith("+62"):
        national = compact[3:]
    elif compact.startswith("0062"):
        national = compact[4:]
    elif compact.startswith("62") and _INDONESIAN.match(compact[2:]):
        national = compact[2:]
    elif compact.startswith("0"):
        national = compact[1:]
    elif compact.startswith("+"):
        if _INTERNATIONAL.match(compact):
            return compact
        raise NotAPhone(Problem.NOT_A_NUMBER)
    else:
        raise NotAPhone(Problem.NOT_A_NUMBER)
    national = national.removeprefix("0")  # +62 0812...: the trunk zero written after the code
    if not _INDONESIAN.match(national):
        raise NotAPhone(Problem.NOT_A_NUMBER)
    return "+62" + national


def can_message(e164: str) -> bool:
    """Can a WhatsApp or SMS reach this number? Indonesian mobiles and any foreign number can;
    an Indonesian landline cannot."""
    if e164.startswith("+62"):
        return bool(_MOBILE.match(e164[3:]))
    return bool(_INTERNATIONAL.match(e164))


def mobile(text: str) -> str:
    """``text`` as E.164 when messages can reach it; ``NotAPhone`` with the reason otherwise."""
    number = normalise(text)
    if not can_message(number):
        raise NotAPhone(Problem.NOT_MOBILE)
    return number
