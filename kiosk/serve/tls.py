"""The hub's own small certificate authority and a server certificate for its addresses.

Browsers give a page the camera only in a secure context, so the hub speaks HTTPS. Staff
trust the CA once per tablet (the trust page says how); the server certificate is
reissued from the same CA whenever the hub's names or addresses change, so a tablet that
trusts the CA never has to trust anything again. Private keys are written 0600.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kiosk.errors import KioskError
from kiosk.security.files import write_private

CA_FILE = "ca.crt"
CA_KEY_FILE = "ca.key"
CERT_FILE = "server.crt"
KEY_FILE = "server.key"
CA_DAYS = 3650
SERVER_DAYS = 397  # the longest lifetime Apple devices accept for a server certificate


class CertificateError(KioskError):
    """The hub's certificate or key could not be read or made."""


@dataclass(frozen=True)
class HubCertificate:
    """Where the server certificate, its key and the CA certificate are on disk."""

    cert: Path
    key: Path
    ca: Path | None  # None when the school brought its own certificate


def hub_names() -> tuple[list[str], list[str]]:
    """This machine's DNS names and IP addresses, as tablets on the school network see it."""
    host = socket.gethostname()
    names = sorted({"localhost", host, f"{host}.local"} - {""})
    addresses = {"127.0.0.1"}
    with contextlib.suppress(OSError):
        addresses.update(str(info[4][0])
                         for info in socket.getaddrinfo(host, None, socket.AF_INET))
    primary = primary_address()
    if primary:
        addresses.add(primary)
    return names, sorted(addresses)


def primary_address() -> str | None:
    """The address this machine uses to reach its network (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("0.") else address


def _key_bytes(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _load_ca(folder: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """The hub's CA, made on first use."""
    ca_path, key_path = folder / CA_FILE, folder / CA_KEY_FILE
    if ca_path.exists() and key_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise CertificateError(f"The hub's CA key {key_path} is not an EC key.")
        return x509.load_pem_x509_certificate(ca_path.read_bytes()), key
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                         f"School kiosk hub CA ({socket.gethostname()})")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256())
    )
    write_private(key_path, _key_bytes(key))
    ca_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def _covers(cert: x509.Certificate, names: list[str], addresses: list[str],
            ca: x509.Certificate) -> bool:
    """True when `cert` was issued by `ca`, is still valid for a month and names everything."""
    if cert.issuer != ca.subject:
        return False
    if cert.not_valid_after_utc < dt.datetime.now(dt.UTC) + dt.timedelta(days=30):
        return False
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    have_names = set(san.get_values_for_type(x509.DNSName))
    have_ips = {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}
    return set(names) <= have_names and set(addresses) <= have_ips


def ensure_hub_certificate(folder: Path, names: list[str] | None = None,
                           addresses: list[str] | None = None) -> HubCertificate:
    """The hub's server certificate for its names and addresses, (re)issued when needed."""
    if names is None or addresses is None:
        found_names, found_addresses = hub_names()
        names, addresses = names or found_names, addresses or found_addresses
    ca_cert, ca_key = _load_ca(folder)
    cert_path, key_path = folder / CERT_FILE, folder / KEY_FILE
    if cert_path.exists() and key_path.exists():
        current = x509.load_pem_x509_certificate(cert_path.read_bytes())
        if _covers(current, names, addresses, ca_cert):
            return HubCertificate(cert_path, key_path, folder / CA_FILE)
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    alt: list[x509.GeneralName] = [x509.DNSName(n) for n in names]
    alt += [x509.IPAddress(ipaddress.ip_address(a)) for a in addresses]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=SERVER_DAYS))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    write_private(key_path, _key_bytes(key))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return HubCertificate(cert_path, key_path, folder / CA_FILE)


def own_certificate(cert: str | Path, key: str | Path) -> HubCertificate:
    """The school's own certificate and key (--cert/--key), checked to exist and match."""
    cert_path, key_path = Path(cert).expanduser(), Path(key).expanduser()
    for path in (cert_path, key_path):
        if not path.is_file():
            raise CertificateError(f"Cannot read {path}: no such file.")
    return HubCertificate(cert_path, key_path, None)
