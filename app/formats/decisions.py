"""The decision an "executed" mark carries, from the outcome of the letter that answers.

One small table: a procedure that adds an outcome adds its line here (by the outcome's wire
value, so an outcome defined elsewhere slots in without this module importing it). Any
outcome not listed is an answer given: appeals' satisfied, refused, explained.
"""

from __future__ import annotations

from types import MappingProxyType

from app.formats.choices import ExecutionDecision, Outcome

_DECISIONS = MappingProxyType({
    Outcome.LICENCE_ISSUED.value: ExecutionDecision.ISSUED,
    Outcome.LICENCE_REFUSED.value: ExecutionDecision.REFUSED,
    # the sanitary procedures' outcomes, by the values their decisions bear
    "notification_accepted": ExecutionDecision.NOTIFICATION_ACCEPTED,
    "conclusion_positive": ExecutionDecision.CONCLUSION_POSITIVE,
    "conclusion_negative": ExecutionDecision.CONCLUSION_NEGATIVE,
})


def decision_for(outcome: str) -> ExecutionDecision:
    """The decision an executed mark reports for the letter's ``outcome`` (its value)."""
    return _DECISIONS.get(str(outcome), ExecutionDecision.ANSWERED)
