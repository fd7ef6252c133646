"""Object identifiers of Kazakhstan's PKI, as the NCA's certificates carry them.

Sources: the NCA test certificates in the shared fixtures (policies) and the NCA's
published OID list (1.2.398.3.3.2.x policies by holder kind and purpose). The holder and
role OIDs of the extended key usage are the verifier's: ``NCA_INDIVIDUAL``,
``NCA_LEGAL_ENTITY`` and ``NcaRole(...).oid`` in app/xmlsig/certificates.py.
"""

from .manifest import HolderKind, KeyPurpose

#: policy of the national root CA's own certificates
POLICY_ROOT = "1.2.398.3.1.2"
#: the NCA's regulation, on its issuing CA certificates
POLICY_NCA = "1.2.398.3.3.1.1"
#: NCA certificate policies by (holder kind, purpose)
NCA_LEAF_POLICIES = {
    (HolderKind.LEGAL_ENTITY, KeyPurpose.SIGN): "1.2.398.3.3.2.1",
    (HolderKind.LEGAL_ENTITY, KeyPurpose.AUTH): "1.2.398.3.3.2.2",
    (HolderKind.INDIVIDUAL, KeyPurpose.SIGN): "1.2.398.3.3.2.3",
    (HolderKind.INDIVIDUAL, KeyPurpose.AUTH): "1.2.398.3.3.2.4",
}
#: the policy on the NCA's GOST 2015 keys (keys/gost2015), which sign and log in alike
POLICY_NCA_GOST_LEAF = "1.2.398.3.3.2"
# No УЦ ГО certificate is among our fixtures, so its real policy OIDs are unknown to us:
# these two are stand-ins placed beside the NCA's arc (1.2.398.3.3), not copies.
POLICY_STATE_CA = "1.2.398.3.2.1"
POLICY_STATE_LEAF = "1.2.398.3.2.2"
