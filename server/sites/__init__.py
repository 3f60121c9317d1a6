"""Sites: the host apps one backend serves, their keys, secrets, origins, contacts and hours."""
