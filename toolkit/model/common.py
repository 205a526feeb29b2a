"""Small types shared by every stage: money, boxes, citations."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, field_validator
from pydantic_core import PydanticCustomError

FEN = Decimal("0.01")


class StrictModel(BaseModel):
    """Unknown keys are errors: a typo must never be silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)


def decimal_str(value: Decimal) -> str:
    """A Decimal as a plain (non-exponent) string, exactly as held."""
    return format(value, "f")


def cny_str(value: Decimal) -> str:
    """Yuan with two decimals, ROUND_HALF_UP: the report's money format."""
    return format(value.quantize(FEN, rounding=ROUND_HALF_UP), "f")


# A Decimal that serialises as a string: JSON never carries money as a float.
DecimalStr = Annotated[Decimal, PlainSerializer(decimal_str, return_type=str, when_used="always")]
CnyStr = Annotated[Decimal, PlainSerializer(cny_str, return_type=str, when_used="always")]


MAX_CNY = Decimal(10) ** 18  # far past any award or ledger column (NUMERIC(18,2)), short of what breaks the arithmetic


def plausible_cny(value: Decimal) -> Decimal:
    """An amount in yuan given as input (a manifest, an award list): not negative, below MAX_CNY. Why: a
    Decimal such as 1e999999999 is valid, and only failed later, as an 'internal error', where
    it was rounded to the fen."""
    if value.copy_abs() >= MAX_CNY:  # abs() would round in the context, and overflow
        raise PydanticCustomError("schema.amount_too_large", "an amount in yuan must be below 10^18")
    if value < 0:  # a request or an award below zero would raise what is left of a yearly cap
        raise PydanticCustomError("schema.amount_negative", "an amount in yuan cannot be negative")
    return value.copy_abs() if value == 0 else value  # -0 is 0: never "-0.00" in a report


def _no_float(value: Any) -> Any:
    if isinstance(value, float):
        raise PydanticCustomError("schema.no_float", "money must be given as a decimal string, never a float")
    return value


class Money(StrictModel):
    """An exact amount and its currency (ISO 4217: CNY, USD, EUR, JPY...)."""

    amount: DecimalStr
    currency: str = Field(pattern=r"^[A-Z]{3}$")

    _check_amount = field_validator("amount", mode="before")(_no_float)

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:,.2f}"


BBox = Annotated[
    tuple[float, float, float, float],
    Field(description="[x0, top, x1, bottom] in PDF points from the page's top-left"),
]


def round_bbox(bbox: tuple[float, float, float, float] | list[float]) -> tuple[float, float, float, float]:
    """Boxes are reported rounded to 0.1 pt so reports are stable across library versions.

    Coordinates are geometry, not money: binary floats are right for them.
    """
    x0, top, x1, bottom = (round(float(v), 1) + 0.0 for v in bbox)  # geometry, not money
    return (x0, top, x1, bottom)


class Citation(StrictModel):
    """Where a rule or a parameter comes from in 沪府办规〔2024〕9号."""

    measure: int = Field(ge=1, le=37)
    item: str | None = None
    clause: str | None = None
    text: str
