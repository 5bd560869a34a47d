"""E-mail to the headteacher: the outbox, the SMTP sender and the message texts."""
