"""The HTTP floor of ``bench/intake.py``: a Flask view that reads a posted document and
answers a small JSON 202, nothing else, served by gunicorn as ``qujat serve`` serves the
app. What the intake costs over this is the intake's own work."""

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    return "ok"


@app.post("/api/v1/documents")
def receive():
    raw = request.get_data(cache=False)
    return jsonify({"id": 1, "state": "pending", "size": len(raw)}), 202
