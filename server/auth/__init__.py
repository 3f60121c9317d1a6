"""Identity: host-signed user tokens, widget sessions, staff accounts and their console sessions."""
