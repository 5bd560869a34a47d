"""Family passes: token format, issuing, printable cards, verification."""
