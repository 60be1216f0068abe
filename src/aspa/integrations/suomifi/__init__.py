"""Strong identification of residents with SAML 2.0 (Suomi.fi-tunnistus), and a built-in
test identity provider for the demo and the tests.

service_provider.py speaks SAML for Aspa (login, assertion consumer, logout); test_idp.py is
the test identity provider; config.py turns settings into pysaml2 configurations; keys.py
makes and keeps the signing keys; attributes.py reads a person from a verified assertion.
Signing and verification use the xmlsec1 program (Debian package xmlsec1)."""
