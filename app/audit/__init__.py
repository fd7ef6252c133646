"""The tamper-evident record: one hash chain over the document history and the audit log.

* ``models``: the link columns every chained table carries (``Chained``), the audit log,
  the chain's head row, the signed checkpoints;
* ``chain``: the canonical form and the hash of an entry, appending under the head's lock,
  sealing logged readings into the chain;
* ``log``: what services and views call: ``record`` an administrative act, ``note_reading``
  of personal data;
* ``checkpoint``: the head signed with the system key, and checking such a signature;
* ``verify``: the walk ``qujat audit verify`` runs (``cli``);
* ``service``: sealing and signing, as the worker and the command line run them;
* ``queries``: the administrator's page of the log.
"""
