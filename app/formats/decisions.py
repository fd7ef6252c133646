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
    # what the permits procedures issue: the register holds it, the mark gives its number
    Outcome.APPENDIX_ISSUED.value: ExecutionDecision.ISSUED,
    Outcome.LICENCE_REISSUED.value: ExecutionDecision.ISSUED,
    Outcome.DATA_RESTORED.value: ExecutionDecision.ISSUED,
    Outcome.PERMIT_ISSUED.value: ExecutionDecision.ISSUED,
    # the sanitary procedures
    Outcome.NOTIFICATION_ACCEPTED.value: ExecutionDecision.NOTIFICATION_ACCEPTED,
    Outcome.CONCLUSION_POSITIVE.value: ExecutionDecision.CONCLUSION_POSITIVE,
    Outcome.CONCLUSION_NEGATIVE.value: ExecutionDecision.CONCLUSION_NEGATIVE,
})


def decision_for(outcome: str) -> ExecutionDecision:
    """The decision an executed mark reports for the letter's ``outcome`` (its value)."""
    return _DECISIONS.get(str(outcome), ExecutionDecision.ANSWERED)
