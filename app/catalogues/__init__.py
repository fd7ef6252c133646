"""The body's reference lists an administrator keeps: the standard instructions a head's
resolution offers, and the directory of state bodies a document is redirected to."""
