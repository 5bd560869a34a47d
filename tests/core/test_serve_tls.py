"""The hub's own CA and server certificate: names and addresses covered, keys 0600."""

from __future__ import annotations

import ssl
import stat
from pathlib import Path

import pytest
from cryptography import x509

from kiosk.serve.hub import ssl_context
from kiosk.serve.tls import CertificateError, ensure_hub_certificate, own_certificate


def test_the_ca_issues_a_server_certificate_for_the_hubs_names(tmp_path: Path) -> None:
    made = ensure_hub_certificate(tmp_path, ["hall-hub", "localhost"], ["127.0.0.1", "10.1.2.3"])
    assert made.ca is not None
    for key in (made.key, tmp_path / "ca.key"):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    cert = x509.load_pem_x509_certificate(made.cert.read_bytes())
    ca = x509.load_pem_x509_certificate(made.ca.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert set(san.get_values_for_type(x509.DNSName)) == {"hall-hub", "localhost"}
    assert {str(a) for a in san.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "10.1.2.3"}
    assert cert.issuer == ca.subject
    cert.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    # a client that trusts the CA accepts the server certificate for those names
    client = ssl.create_default_context(cafile=str(made.ca))
    assert client.verify_mode == ssl.CERT_REQUIRED
    ssl_context(made.cert, made.key)


def test_the_same_names_reuse_the_certificate_and_new_ones_reissue_from_the_same_ca(
        tmp_path: Path) -> None:
    first = ensure_hub_certificate(tmp_path, ["hub"], ["127.0.0.1"])
    before = first.cert.read_bytes()
    ca_before = (tmp_path / "ca.crt").read_bytes()
    assert ensure_hub_certificate(tmp_path, ["hub"], ["127.0.0.1"]).cert.read_bytes() == before
    ensure_hub_certificate(tmp_path, ["hub"], ["127.0.0.1", "192.168.1.20"])
    assert first.cert.read_bytes() != before
    assert (tmp_path / "ca.crt").read_bytes() == ca_before  # tablets keep trusting it


def test_the_schools_own_certificate_must_exist(tmp_path: Path) -> None:
    with pytest.raises(CertificateError, match="no such file"):
        own_certificate(tmp_path / "school.crt", tmp_path / "school.key")
