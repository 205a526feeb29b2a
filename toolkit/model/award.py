"""Awards already granted: what yearly per-unit caps and duplicate-claim checks count against.

Read from a reviewer's `--prior-awards FILE` (YAML or JSON: a list of awards) or from the
award ledger (toolkit/review/ledger.py). A guarantee limit (m29) is not an award.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field

from toolkit.model.common import CnyStr, StrictModel, plausible_cny
from toolkit.model.manifest import USCCShape


class Award(StrictModel):
    applicant_uscc: USCCShape
    applicant_name: str = ""
    measure: str = Field(description="support-item id, e.g. m37-intl-exhibition")
    item: str | None = None
    year: int
    amount_cny: Annotated[CnyStr, AfterValidator(plausible_cny)]
    product: str | None = None
    project: str | None = None
    contract_no: str | None = None
    event: str | None = None
    dossier: str | None = Field(None, description="the dossier the award was made on (path or id)")
    dossier_key: str | None = Field(
        None, description="content digest of that dossier's manifest: re-checking it does not count its own award"
    )
    granted: dt.date | None = None


class AwardList(StrictModel):
    awards: list[Award]
