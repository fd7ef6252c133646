"""The portal simulator: builds, signs and sends documents as egov.kz or elicense.kz would,
and fetches and verifies the status marks sent back. A client of the public API only."""
