"""The inspection queue (seed 003, "заявка с проверкой"): inspection requests in the order
of the date their objects are ready, and the inspector and day scheduled for each."""
